/**
 * The money report as the program asks for it: the events and closings
 * read from the database, the report computed by the pure function
 * (domain/reports/money-report.ts), and closing a period with four eyes.
 * Every step reads the immutable records with an as-of instant, so a closed
 * period's report is the same whenever it is asked for; and it is checked
 * against the figures the closing approved, so a changed history is named,
 * never printed as if it were the closed report.
 */
import { createHash } from "node:crypto"
import { Result } from "effect"
import {
  checkClosingDecision,
  checkClosingRequest,
  checkWithdrawal,
  type ClosingRequest,
  ClosingRefused,
  closingsKnownAt,
  type Decider
} from "../../domain/reports/closing.ts"
import type { OfficialHeader } from "../../domain/reports/document.ts"
import { type MoneyReport, moneyReport } from "../../domain/reports/money-report.ts"
import { periodEndsAt, periodStartsAt, type StatisticalPeriod } from "../../domain/reports/period.ts"
import { reportSnapshot } from "../../domain/reports/snapshot.ts"
import type { Db, Sql } from "../database/db.ts"
import { sqlState } from "../database/db.ts"
import { agencyLetterhead } from "../agencies/letterhead.ts"
import { closedSnapshot, closingRequest, closingRequests, insertClosingRequest, recordClosingDecision } from "./closings.ts"
import { reportEvents } from "./report-events.ts"

export interface ReportAsk {
  /** The agencies reported on; every agency in the agencies table when absent. */
  readonly agencies?: ReadonlyArray<string> | undefined
  readonly period: StatisticalPeriod
  readonly asOf: string
}

const sha256 = (text: string): string => createHash("sha256").update(text, "utf8").digest("hex")

const allAgencies = async (db: Sql): Promise<Array<string>> =>
  (await db.query<{ code: string }>("SELECT code FROM agencies ORDER BY code")).map((r) => r.code)

/** The report, or a thrown InvalidReportInput (bad period or as-of) or ClosingRefused "history_changed". */
export const computeMoneyReport = async (db: Sql, ask: ReportAsk): Promise<MoneyReport> => {
  const agencies = ask.agencies ?? await allAgencies(db)
  const closings = closingsKnownAt(await closingRequests(db, agencies, ask.period.year), agencies, ask.asOf)
  const events = await reportEvents(db, { agencies, from: periodStartsAt(ask.period), to: periodEndsAt(ask.period) })
  const report = moneyReport({ period: ask.period, asOf: ask.asOf, closings, events, agencies })
  if (Result.isFailure(report)) throw report.failure
  const r = report.success
  // A closed period of one agency must show exactly the figures its closing approved.
  if (r.status === "closed" && agencies.length === 1 && agencies[0] !== undefined) {
    const kept = await closedSnapshot(db, agencies[0], ask.period)
    const now = sha256(reportSnapshot(r))
    if (kept !== undefined && kept.sha256 !== now) {
      throw new ClosingRefused({
        reason: "history_changed",
        message: `the records of the closed period ${ask.period.year}/${ask.period.months} of ${agencies[0]} no longer give the figures approved at its closing (SHA-256 ${kept.sha256}, now ${now}); the records were changed outside bienlai`
      })
    }
  }
  return r
}

/** The SHA-256 of a report's figures: what a closing request records and its approver names. */
export const figuresSha256 = (report: MoneyReport): string => sha256(reportSnapshot(report))

const refusedOr = <A>(r: Result.Result<A, ClosingRefused>): A => {
  if (Result.isFailure(r)) throw r.failure
  return r.success
}

/** Asks to close `period` of the officer's agency with the figures as of `now`; a second officer approves. */
export const requestClosing = async (
  db: Db,
  who: Decider,
  period: StatisticalPeriod,
  now: string,
  id: string
): Promise<{ readonly request: ClosingRequest; readonly report: MoneyReport }> => {
  refusedOr(checkClosingRequest(who, period, now, await closingRequests(db, [who.agency], period.year)))
  const report = await computeMoneyReport(db, { agencies: [who.agency], period, asOf: now })
  const snapshot = reportSnapshot(report)
  try {
    await insertClosingRequest(db, {
      id,
      agency: who.agency,
      year: period.year,
      months: period.months,
      periodStartsAt: periodStartsAt(period),
      periodEndsAt: periodEndsAt(period),
      cutoff: now,
      snapshot,
      snapshotSha256: sha256(snapshot),
      by: who.officer
    })
  } catch (e) {
    // Two requests at once: the database keeps one waiting per period.
    if (sqlState(e) === "23505") throw new ClosingRefused({ reason: "pending_exists", message: `another closing request for ${period.year}/${period.months} of ${who.agency} was made at the same time` })
    throw e
  }
  const request = await closingRequest(db, who.agency, id)
  if (request === undefined) throw new Error(`closing request ${id} was not stored`)
  return { request, report }
}

/**
 * Approves (closes the period) or rejects a request, naming the SHA-256 of
 * the figures read. Approval checks, in the same transaction, that the
 * records still give those figures.
 */
export const decideClosing = async (
  db: Db,
  who: Decider,
  id: string,
  seenSha256: string,
  decision: "closed" | "rejected",
  now: string,
  note?: string
): Promise<ClosingRequest> =>
  db.transaction(async (tx) => {
    const request = refusedOr(checkClosingDecision(await closingRequest(tx, who.agency, id, true), who, seenSha256, id))
    if (decision === "closed") {
      const again = await computeMoneyReport(tx, { agencies: [who.agency], period: request, asOf: request.cutoff })
      if (figuresSha256(again) !== request.snapshotSha256) {
        throw new ClosingRefused({ reason: "history_changed", message: `the records no longer give the figures of closing request ${id}; request the closing again` })
      }
    }
    await recordClosingDecision(tx, { agency: who.agency, id, decision, by: who.officer, at: now, note })
    const done = await closingRequest(tx, who.agency, id)
    if (done === undefined) throw new Error(`closing request ${id} vanished`)
    return done
  })

export const withdrawClosing = async (db: Db, who: Decider, id: string, now: string): Promise<ClosingRequest> =>
  db.transaction(async (tx) => {
    refusedOr(checkWithdrawal(await closingRequest(tx, who.agency, id, true), who, id))
    await recordClosingDecision(tx, { agency: who.agency, id, decision: "withdrawn", by: who.officer, at: now })
    const done = await closingRequest(tx, who.agency, id)
    if (done === undefined) throw new Error(`closing request ${id} vanished`)
    return done
  })

export interface HeaderOptions {
  /** Number and symbol once registered ("15/BC-THADS"); left blank to be filled by hand otherwise. */
  readonly number?: string | undefined
  /** Who prepared a provisional report (their officer id); a closed report is signed by whoever closed it. */
  readonly preparedBy?: string | undefined
}

const officerOf = async (db: Sql, id: string | undefined) =>
  id === undefined ? undefined : (await db.query<{ name: string; title: string | null }>("SELECT name, title FROM officers WHERE id = $1::text", [id]))[0]

/**
 * The official header (Decree 30/2020) of a report: for one agency its
 * letterhead; for several the Ministry's department. A closed report is
 * signed by the officer who approved its closing, so it prints the same
 * whoever asks for it.
 */
export const reportHeader = async (db: Sql, report: MoneyReport, agencies: ReadonlyArray<string> | undefined, options: HeaderOptions = {}): Promise<OfficialHeader> => {
  const codes = agencies ?? await allAgencies(db)
  const names = await db.query<{ code: string; name: string }>("SELECT code, name FROM agencies ORDER BY code")
  const unitNames = Object.fromEntries(names.map((n) => [n.code, n.name]))
  const single = codes.length === 1 ? await agencyLetterhead(db, codes[0] ?? "") : undefined
  let signerId = options.preparedBy
  if (report.status === "closed" && single !== undefined) {
    const closed = (await closingRequests(db, [single.code], report.period.year)).find((r) => r.decision === "closed" && r.months === report.period.months)
    signerId = closed?.decidedBy
  }
  const signer = await officerOf(db, signerId)
  return {
    superior: single === undefined ? "BỘ TƯ PHÁP" : single.parentName ?? "BỘ TƯ PHÁP",
    issuer: (single?.name ?? "Cục Quản lý Thi hành án dân sự").toLocaleUpperCase("vi"),
    number: options.number ?? "      /BC-THADS",
    place: single?.place ?? "Hà Nội",
    signer: {
      title: [(signer?.title ?? (report.status === "closed" ? "THỦ TRƯỞNG CƠ QUAN" : "NGƯỜI LẬP BIỂU")).toLocaleUpperCase("vi")],
      name: signer?.name ?? ""
    },
    recipients: ["Cục Quản lý Thi hành án dân sự - Bộ Tư pháp (để báo cáo);", "Lưu: VT, KHTC."],
    unitNames
  }
}
