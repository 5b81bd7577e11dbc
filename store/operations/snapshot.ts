/**
 * One reading of everything the operations view shows, for one scope (an
 * agency, or the whole country): receipts and amounts today and this
 * statistical period, payouts, reconciliation, the OCR queue, the
 * notification backlog (or "not configured"), and numbering health. Each
 * part is one bounded query (receipt-figures.ts, payouts.ts, ...); the
 * totals are summed here in bigint.
 */
import { operationsWindow, type OperationsWindow } from "../../domain/operations/calendar.ts"
import { agencyFilter, type Scope } from "../../domain/operations/scope.ts"
import type { Sql } from "../database/db.ts"
import { listAgencies } from "./agencies.ts"
import { numberingHealth, type SeriesHealth } from "./numbering.ts"
import { payoutFigures, type PayoutFigures } from "./payouts.ts"
import { collectedPerOffice, receiptFigures, receiptsPerDay, type AgencyReceiptFigures, type DayCount } from "./receipt-figures.ts"
import { reconciliationFigures, type ReconciliationFigures } from "./reconciliation.ts"
import { notificationBacklog, ocrQueue, outboxInstalled, type QueueFigures } from "./queues.ts"

export interface QueueTotals {
  readonly waiting: string
  readonly working: string
  readonly dead: string
  readonly oldest: string | null
}

export interface OperationsSnapshot {
  readonly scope: Scope
  readonly asOf: string
  readonly window: OperationsWindow
  readonly agencies: ReadonlyArray<{ readonly code: string; readonly name: string }>
  readonly receipts: {
    readonly todayIssued: string
    readonly todayCollected: string
    readonly periodIssued: string
    readonly periodCollected: string
    readonly periodVoided: string
    readonly perAgency: ReadonlyArray<AgencyReceiptFigures>
    readonly perDay: ReadonlyArray<DayCount>
    /** One agency's scope: amounts per regional office in the period. */
    readonly perOffice: ReadonlyArray<{ readonly office: string; readonly collected: string }>
  }
  readonly payouts: {
    readonly byState: Readonly<Record<PayoutFigures["state"], { readonly lines: string; readonly amount: string }>>
    readonly perAgency: ReadonlyArray<PayoutFigures>
  }
  readonly reconciliation: {
    /** No agency in scope has a bank account configured. */
    readonly configured: boolean
    readonly accounts: string
    readonly credits: string
    readonly unmatched: string
    readonly queued: string
    readonly oldestQueued: string | null
    readonly flags: string
    readonly lastClosedDay: string | null
    readonly perAgency: ReadonlyArray<ReconciliationFigures>
  }
  readonly ocr: QueueTotals & { readonly perAgency: ReadonlyArray<QueueFigures> }
  readonly notifications: { readonly configured: false } | (QueueTotals & { readonly configured: true; readonly perAgency: ReadonlyArray<QueueFigures> })
  readonly numbering: {
    readonly series: ReadonlyArray<SeriesHealth>
    readonly missing: number
    readonly beyond: number
    readonly healthy: boolean
  }
}

const sum = <R>(rows: ReadonlyArray<R>, f: (r: R) => string): string => rows.reduce((n, r) => n + BigInt(f(r)), 0n).toString()
const earliest = (values: ReadonlyArray<string | null>): string | null =>
  values.reduce<string | null>((m, v) => (v !== null && (m === null || v < m) ? v : m), null)
const queueTotals = (rows: ReadonlyArray<QueueFigures>): QueueTotals => ({
  waiting: sum(rows, (r) => r.waiting),
  working: sum(rows, (r) => r.working),
  dead: sum(rows, (r) => r.dead),
  oldest: earliest(rows.map((r) => r.oldest))
})

const payoutStates = ["approved", "sent", "paid", "returned", "deposited"] as const

export const operationsSnapshot = async (sql: Sql, scope: Scope, nowIso: string): Promise<OperationsSnapshot> => {
  const window = operationsWindow(nowIso)
  const agency = agencyFilter(scope)
  const fromYear = Number(window.periodFrom.slice(0, 4))
  // One after the other: a PGlite connection runs one statement at a time anyway, and a PostgreSQL pool is shared with issuance.
  const agencies = (await listAgencies(sql)).filter((a) => agency === null || a.code === agency).map((a) => ({ code: a.code, name: a.name }))
  const figures = await receiptFigures(sql, agency, window.todayStart, window.periodStart)
  const perDay = await receiptsPerDay(sql, agency, window.daysStart)
  const perOffice = agency === null ? [] : await collectedPerOffice(sql, agency, window.periodStart)
  const payouts = await payoutFigures(sql, agency, window.periodStart)
  const recon = await reconciliationFigures(sql, agency, window.periodFrom)
  const ocr = await ocrQueue(sql, agency)
  const notifications = (await outboxInstalled(sql)) ? await notificationBacklog(sql, agency) : undefined
  const series = await numberingHealth(sql, agency, fromYear)
  const missing = series.reduce((n, s) => n + s.missing, 0)
  const beyond = series.reduce((n, s) => n + s.beyond, 0)
  return {
    scope,
    asOf: nowIso,
    window,
    agencies,
    receipts: {
      todayIssued: sum(figures, (r) => r.todayIssued),
      todayCollected: sum(figures, (r) => r.todayCollected),
      periodIssued: sum(figures, (r) => r.periodIssued),
      periodCollected: sum(figures, (r) => r.periodCollected),
      periodVoided: sum(figures, (r) => r.periodVoided),
      perAgency: figures,
      perDay,
      perOffice
    },
    payouts: {
      byState: Object.fromEntries(payoutStates.map((st) => {
        const rows = payouts.filter((p) => p.state === st)
        return [st, { lines: sum(rows, (r) => r.lines), amount: sum(rows, (r) => r.amount) }]
      })) as OperationsSnapshot["payouts"]["byState"],
      perAgency: payouts
    },
    reconciliation: {
      configured: recon.length > 0,
      accounts: sum(recon, (r) => r.accounts),
      credits: sum(recon, (r) => r.credits),
      unmatched: sum(recon, (r) => r.unmatched),
      queued: sum(recon, (r) => r.queued),
      oldestQueued: earliest(recon.map((r) => r.oldestQueued)),
      flags: sum(recon, (r) => r.flags),
      lastClosedDay: recon.reduce<string | null>((m, r) => (r.lastClosedDay !== null && (m === null || r.lastClosedDay > m) ? r.lastClosedDay : m), null),
      perAgency: recon
    },
    ocr: { ...queueTotals(ocr), perAgency: ocr },
    notifications: notifications === undefined ? { configured: false } : { configured: true, ...queueTotals(notifications), perAgency: notifications },
    numbering: { series, missing, beyond, healthy: missing === 0 && beyond === 0 }
  }
}
