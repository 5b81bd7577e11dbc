/**
 * The officer queue with its evidence side by side: the credit as the bank
 * gave it (day, amount, memo, bank reference, the payer's name the bank
 * sent) and each candidate it might pay (receipt or draft number, payer,
 * amount and what it still owes, decision number), with why the matcher
 * would not decide alone.
 */
import type { Sql } from "../database/db.ts"

export interface QueueCandidate {
  readonly kind: "receipt" | "request"
  readonly id: string
  /** draft, submitted, issued; null for a payment request. */
  readonly status: string | null
  readonly label: string
  readonly payerName: string
  readonly amount: bigint
  readonly owes: bigint
  readonly decisionNumber: string | null
}

export interface QueueItem {
  readonly account: string
  readonly bankReference: string
  readonly bookingDate: string
  readonly amount: bigint
  readonly memo: string
  readonly counterpartyName: string | null
  readonly reason: string
  readonly message: string
  readonly candidates: ReadonlyArray<QueueCandidate>
}

interface Row {
  account: string
  bank_reference: string
  booking_date: string
  amount: string
  memo: string
  counterparty_name: string | null
  reason: string
  message: string
  candidates: string
}

interface CandidateJson {
  kind: "receipt" | "request"
  id: string
  status: string | null
  symbol: string | null
  number: number | null
  payer: string | null
  amount: string
  owes: string
  decision: string | null
}

export const queueWithEvidence = async (db: Sql, agency: string, credit?: { readonly account: string; readonly bankReference: string }): Promise<Array<QueueItem>> => {
  const rows = await db.query<Row>(
    `SELECT q.account, q.bank_reference, e.booking_date::text AS booking_date, e.amount::text AS amount, e.memo, e.counterparty_name, q.reason, q.message,
            coalesce((SELECT json_agg(json_build_object(
                        'kind', t.kind, 'id', t.id, 'status', t.receipt_status, 'symbol', r.symbol, 'number', r.number,
                        'payer', coalesce(coalesce(r.draft, r.canonical::jsonb)->'payer'->>'name', pr.payer_name, t.payer_name),
                        'amount', t.amount::text, 'owes', (t.amount - t.paid)::text, 'decision', t.decision_number) ORDER BY c.n)
                        FROM unnest(q.candidates) WITH ORDINALITY AS c(id, n)
                        JOIN recon_target_balances t ON t.agency = q.agency AND t.id = c.id
                        LEFT JOIN receipts r ON t.kind = 'receipt' AND r.agency = t.agency AND r.id::text = t.id
                        LEFT JOIN payment_requests pr ON t.kind = 'request' AND pr.agency = t.agency AND pr.reference = t.id)::text, '[]') AS candidates
       FROM recon_queue q JOIN bank_entries e USING (agency, account, bank_reference)
      WHERE q.agency = $1::text AND ($2::text IS NULL OR (q.account = $2::text AND q.bank_reference = $3::text))
      ORDER BY e.booking_date, q.account, q.bank_reference`,
    [agency, credit?.account ?? null, credit?.bankReference ?? null]
  )
  return rows.map((r) => ({
    account: r.account,
    bankReference: r.bank_reference,
    bookingDate: r.booking_date,
    amount: BigInt(r.amount),
    memo: r.memo,
    counterpartyName: r.counterparty_name,
    reason: r.reason,
    message: r.message,
    candidates: (JSON.parse(r.candidates) as Array<CandidateJson>).map((c) => ({
      kind: c.kind,
      id: c.id,
      status: c.status,
      label: c.kind === "request" ? c.id : c.number === null ? `${c.status === "issued" ? "" : "nháp "}${c.id.slice(0, 8)}` : `${c.symbol ?? ""} ${String(c.number).padStart(7, "0")}`,
      payerName: c.payer ?? "",
      amount: BigInt(c.amount),
      owes: BigInt(c.owes),
      decisionNumber: c.decision
    }))
  }))
}
