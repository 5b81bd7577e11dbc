/**
 * What the statistics are computed from: immutable, dated events. A report
 * never reads a receipt's current state, only these events, so the same
 * events and the same "as of" instant always give the same report.
 *
 * Every event has two times:
 * - `at`, when it happened: the month it counts in;
 * - `recordedAt`, when bienlai learned of it. For receipts the two are the
 *   same (issuing, voiding and replacing are recorded as they happen); a
 *   payout line paid on the 28th may be recorded from the bank's statement
 *   days later, after the month's report was closed. Such a late event is
 *   shown as a dated adjustment, never by changing the closed report.
 */
import { Result, Schema } from "effect"
import { formatReceiptNumber, type IssuedReceipt, isIssued, type Receipt } from "../receipt.ts"

export const EventKind = Schema.Literals(["issued", "voided", "replaced", "paid", "deposited"])
export type EventKind = typeof EventKind.Type

export interface ReportEvent {
  /** Unique and stable: the same fact always has the same id ("issued:<receipt id>"). */
  readonly id: string
  readonly kind: EventKind
  readonly agency: string
  /** The regional office (Phòng THADS khu vực); absent for the provincial agency itself. */
  readonly office?: string | undefined
  /** Whole đồng: the receipt's amount, or the payout line's. */
  readonly amount: bigint
  /** When it happened (ISO instant): decides the month it counts in. */
  readonly at: string
  /** When bienlai recorded it (ISO instant), never before `at`. */
  readonly recordedAt: string
  /** The receipt id or the payout line id. */
  readonly ref: string
  /** How people name it: "AA/25E 0000123", or a payout round and line. */
  readonly label: string
  /**
   * How many facts of this kind, unit and day it stands for (1 when absent),
   * `amount` being their sum. The store reads receipts summed by Vietnamese
   * day (each recorded when it happened, so none is ever late); `at` and
   * `recordedAt` are then the latest of them.
   */
  readonly count?: number | undefined
}

/**
 * What the payout module reports for a line of a payout round, as input to
 * the statistics: the line was paid (to the creditor's account or in cash)
 * or its money was deposited in a savings account in the agency's name
 * because the creditor did not come within 30 days (Decree 62/2015 art. 49).
 */
export interface PayoutFigure {
  readonly kind: "paid" | "deposited"
  readonly lineId: string
  readonly agency: string
  readonly office?: string | undefined
  readonly amount: bigint
  readonly at: string
  readonly recordedAt: string
  /** E.g. "Đợt 8 – dòng 1234"; the line id when absent. */
  readonly label?: string | undefined
}

export const payoutEvent = (f: PayoutFigure): ReportEvent => ({
  id: `${f.kind}:${f.lineId}`,
  kind: f.kind,
  agency: f.agency,
  office: f.office,
  amount: f.amount,
  at: f.at,
  recordedAt: f.recordedAt,
  ref: f.lineId,
  label: f.label ?? f.lineId
})

export class MissingOriginal extends Schema.TaggedError<MissingOriginal>()("MissingOriginal", {
  missing: Schema.Array(Schema.String),
  message: Schema.String
}) {}

const labelOf = (r: IssuedReceipt): string => `${r.series.symbol} ${formatReceiptNumber(r.number)}`

/**
 * The events of a set of receipts: every issued (also later voided or
 * replaced) receipt was issued at `issuedAt`; a voided one was voided at
 * `voided.at`; a receipt replaced by another was replaced when its
 * replacement was issued, and counts with its own (the original) amount.
 * The original of every replacement in the set must be in the set too.
 */
export const receiptEvents = (receipts: ReadonlyArray<Receipt>): Result.Result<Array<ReportEvent>, MissingOriginal> => {
  const issued = receipts.filter(isIssued)
  const byId = new Map(issued.map((r) => [r.id, r]))
  const events: Array<ReportEvent> = []
  const missing: Array<string> = []
  for (const r of issued) {
    const common = { agency: r.agency, office: r.office, amount: r.amount, ref: r.id, label: labelOf(r) }
    events.push({ ...common, id: `issued:${r.id}`, kind: "issued", at: r.issuedAt, recordedAt: r.issuedAt })
    if (r.voided !== undefined) {
      events.push({ ...common, id: `voided:${r.id}`, kind: "voided", at: r.voided.at, recordedAt: r.voided.at })
    }
    if (r.replaces !== undefined) {
      const original = byId.get(r.replaces.id)
      if (original === undefined) {
        missing.push(`${r.replaces.series.symbol} ${formatReceiptNumber(r.replaces.number)} (${r.replaces.id})`)
        continue
      }
      events.push({
        id: `replaced:${original.id}`,
        kind: "replaced",
        agency: original.agency,
        office: original.office,
        amount: original.amount,
        at: r.issuedAt,
        recordedAt: r.issuedAt,
        ref: original.id,
        label: labelOf(original)
      })
    }
  }
  return missing.length === 0
    ? Result.succeed(events)
    : Result.fail(
      new MissingOriginal({
        missing,
        message: `the receipts replaced by receipts in this set must be in it too; missing: ${missing.join(", ")}`
      })
    )
}
