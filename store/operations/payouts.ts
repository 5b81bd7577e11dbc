/**
 * Payouts to creditors for the operations view, per agency: lines on their
 * way (approved, sent to the bank) whenever they were approved, and lines
 * settled (paid, deposited) or returned by the bank in the period.
 */
import type { Sql } from "../database/db.ts"

export interface PayoutFigures {
  readonly agency: string
  readonly state: "approved" | "sent" | "paid" | "returned" | "deposited"
  readonly lines: string
  readonly amount: string
}

export const payoutFigures = (sql: Sql, agency: string | null, periodStart: string): Promise<Array<PayoutFigures>> =>
  sql.query<PayoutFigures>(
    `SELECT agency, state, count(*)::text AS lines, coalesce(sum(amount), 0)::text AS amount
       FROM (SELECT l.agency, payout_line_state(l.state, r.status) AS state, l.amount, l.state_at
               FROM payout_lines l JOIN payout_rounds r ON r.agency = l.agency AND r.id = l.round_id
              WHERE ($1::text IS NULL OR l.agency = $1::text)) l
      WHERE state IN ('approved', 'sent') OR (state IN ('paid', 'returned', 'deposited') AND state_at >= $2::timestamptz)
      GROUP BY agency, state ORDER BY agency, state`,
    [agency, periodStart]
  )
