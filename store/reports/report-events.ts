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
 * Every event here is recorded when it happens (the store writes the
 * program's clock into each of these columns), so `recordedAt` is `at`.
 */
import { formatReceiptNumber } from "../../domain/receipt.ts"
import { payoutEvent, type ReportEvent } from "../../domain/reports/events.ts"
import type { Sql } from "../database/db.ts"

export interface EventWindow {
  /** Agencies to read; every agency when absent. */
  readonly agencies?: ReadonlyArray<string> | undefined
  /** ISO instants: events at or after `from` and before `to`. */
  readonly from: string
  readonly to: string
}

interface ReceiptRow {
  readonly kind: "issued" | "voided" | "replaced"
  readonly agency: string
  readonly id: string
  readonly office: string | null
  readonly amount: string
  readonly at: string
  readonly symbol: string
  readonly number: number
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
  const receipts = await db.query<ReceiptRow>(
    `SELECT 'issued' AS kind, r.agency, r.id::text AS id, r.office, r.amount::text AS amount, iso_instant(r.issued_at) AS at, r.symbol, r.number
       FROM receipts r
      WHERE ${scope} AND r.status <> 'draft' AND r.issued_at >= $2::timestamptz AND r.issued_at < $3::timestamptz
     UNION ALL
     SELECT 'voided', r.agency, r.id::text, r.office, r.amount::text, iso_instant(r.voided_at), r.symbol, r.number
       FROM receipts r
      WHERE ${scope} AND r.voided_at >= $2::timestamptz AND r.voided_at < $3::timestamptz
     UNION ALL
     SELECT 'replaced', r.agency, r.id::text, r.office, r.amount::text, iso_instant(n.issued_at), r.symbol, r.number
       FROM receipts r JOIN receipts n ON n.agency = r.agency AND n.id = r.replaced_by_id
      WHERE ${scope} AND r.status = 'replaced' AND n.issued_at >= $2::timestamptz AND n.issued_at < $3::timestamptz`,
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
    id: `${r.kind}:${r.id}`,
    kind: r.kind,
    agency: r.agency,
    office: r.office ?? undefined,
    amount: BigInt(r.amount),
    at: r.at,
    recordedAt: r.at,
    ref: r.id,
    label: `${r.symbol} ${formatReceiptNumber(r.number)}`
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
