/**
 * The immutable, dated events a statistical report is computed from
 * (domain/reports/events.ts), read from the records that never change:
 *   * a receipt issued at `issued_at` (every issued receipt, later voided or
 *     replaced or not), voided at `voided_at`, and replaced when its
 *     replacement was issued (with the original's amount);
 *   * a payout line paid or deposited at `state_at`: both states are final
 *     (the payout triggers allow no way out), and the amount is what reached
 *     the creditor or the deposit, the line's amount less its fee.
 * Only events dated inside [from, to) are read: the report needs no others.
 * Receipts come summed by kind, unit and Vietnamese day (`count` events of
 * `amount` in all); payout lines one by one.
 * Every event here is recorded when it happens (the store writes the
 * program's clock into each of these columns), so `recordedAt` is `at`.
 */
import { payoutEvent, type ReportEvent } from "../../domain/reports/events.ts"
import type { Sql } from "../database/db.ts"

export interface EventWindow {
  /** Agencies to read; every agency when absent. */
  readonly agencies?: ReadonlyArray<string> | undefined
  /** ISO instants: events at or after `from` and before `to` (the period's end, or just after the report's as-of). */
  readonly from: string
  readonly to: string
}

interface ReceiptDayRow {
  readonly kind: "issued" | "voided" | "replaced"
  readonly agency: string
  readonly office: string | null
  readonly day: string
  readonly n: number
  readonly amount: string
  readonly at: string
}

interface LineRow {
  readonly kind: "paid" | "deposited"
  readonly agency: string
  readonly line_id: string
  readonly net: string
  readonly at: string
  readonly round: number
  readonly line_no: number
  readonly case_decision: string
}

const scope = "($1::text IS NULL OR r.agency IN (SELECT jsonb_array_elements_text($1::text::jsonb)))"

export const reportEvents = async (db: Sql, w: EventWindow): Promise<Array<ReportEvent>> => {
  const agencies = w.agencies === undefined ? null : JSON.stringify(w.agencies)
  const params = [agencies, w.from, w.to]
  // Receipts summed by kind, unit and Vietnamese day: a year of a large agency is a few thousand rows, not
  // hundreds of thousands. Nothing is lost: every receipt event is recorded when it happens, so none is late.
  const receipts = await db.query<ReceiptDayRow>(
    `WITH ev AS (
       SELECT 'issued' AS kind, r.agency, r.office, r.amount, r.issued_at AS at
         FROM receipts r
        WHERE ${scope} AND r.status <> 'draft' AND r.issued_at >= $2::timestamptz AND r.issued_at < $3::timestamptz
       UNION ALL
       SELECT 'voided', r.agency, r.office, r.amount, r.voided_at
         FROM receipts r
        WHERE ${scope} AND r.voided_at IS NOT NULL AND r.voided_at >= $2::timestamptz AND r.voided_at < $3::timestamptz
       UNION ALL
       SELECT 'replaced', r.agency, r.office, r.amount, n.issued_at
         FROM receipts r JOIN receipts n ON n.agency = r.agency AND n.id = r.replaced_by_id
        WHERE ${scope} AND r.status = 'replaced' AND n.issued_at >= $2::timestamptz AND n.issued_at < $3::timestamptz)
     SELECT kind, agency, office, to_char((at AT TIME ZONE 'UTC') + interval '7 hours', 'YYYY-MM-DD') AS day,
            count(*)::int AS n, sum(amount)::text AS amount, iso_instant(max(at)) AS at
       FROM ev GROUP BY 1, 2, 3, 4`,
    params
  )
  const lines = await db.query<LineRow>(
    `SELECT l.state AS kind, l.agency, l.line_id, (l.amount - l.fee)::text AS net, iso_instant(l.state_at) AS at,
            r.round, l.line_no, r.case_decision
       FROM payout_lines l JOIN payout_rounds r ON r.agency = l.agency AND r.id = l.round_id
      WHERE ${scope} AND l.state IN ('paid', 'deposited') AND l.state_at >= $2::timestamptz AND l.state_at < $3::timestamptz`,
    params
  )
  const events: Array<ReportEvent> = receipts.map((r) => ({
    id: `${r.kind}:${r.agency}:${r.office ?? "-"}:${r.day}`,
    kind: r.kind,
    agency: r.agency,
    office: r.office ?? undefined,
    amount: BigInt(r.amount),
    count: r.n,
    at: r.at,
    recordedAt: r.at,
    ref: `${r.agency}/${r.office ?? "-"}/${r.day}`,
    label: `${r.n} biên lai ngày ${r.day.slice(8, 10)}/${r.day.slice(5, 7)}/${r.day.slice(0, 4)}`
  }))
  for (const l of lines) {
    events.push(payoutEvent({
      kind: l.kind,
      lineId: l.line_id,
      agency: l.agency,
      amount: BigInt(l.net),
      at: l.at,
      recordedAt: l.at,
      label: `${l.case_decision} – đợt ${l.round} – dòng ${l.line_no}`
    }))
  }
  return events
}
