/**
 * What credits can pay, as the matcher sees it (table recon_targets):
 * receipts (drafts, submitted and issued; voided and replaced ones leave)
 * and payment requests. A receipt's payment reference comes from its id
 * (domain/reconciliation/payment-reference.ts), so receipts need no column
 * of their own for it.
 */
import { foldName } from "../../domain/reconciliation/memo.ts"
import { paymentReferenceForId } from "../../domain/reconciliation/payment-reference.ts"
import type { Target } from "../../domain/reconciliation/credit.ts"
import type { Sql } from "../database/db.ts"

interface ReceiptRow {
  readonly id: string
  readonly status: string
  readonly amount: string
  readonly payer: string | null
  readonly decision: string | null
  readonly method: string | null
  readonly reference: string | null
  readonly issued_on: string | null
}

/** Brings recon_targets up to date with the agency's receipts; returns how many rows changed. */
export const refreshReceiptTargets = async (db: Sql, agency: string): Promise<number> => {
  const rows = await db.query<ReceiptRow>(
    `SELECT r.id::text AS id, r.status, r.amount::text AS amount,
            j->'payer'->>'name' AS payer, j->'case'->>'decisionNumber' AS decision,
            j->'payment'->>'method' AS method, j->'payment'->>'reference' AS reference,
            to_char((r.issued_at AT TIME ZONE 'UTC') + interval '7 hours', 'YYYY-MM-DD') AS issued_on
       FROM receipts r
       CROSS JOIN LATERAL (SELECT coalesce(r.draft, r.canonical::jsonb) AS j) c
       LEFT JOIN recon_targets t ON t.agency = r.agency AND t.kind = 'receipt' AND t.id = r.id::text
      WHERE r.agency = $1::text AND r.amount > 0
        -- A payment request's draft receipt is paid by the credit that paid the request (store/reconciliation/credit-drafts.ts): not a target of its own.
        AND NOT EXISTS (SELECT 1 FROM recon_credit_drafts d WHERE d.agency = r.agency AND d.receipt_id = r.id::text AND d.source = 'request')
        AND (t.id IS NULL OR t.receipt_status IS DISTINCT FROM r.status OR r.status IN ('draft', 'submitted'))`,
    [agency]
  )
  if (rows.length === 0) return 0
  const json = JSON.stringify(rows.map((r) => ({
    id: r.id,
    status: r.status,
    amount: r.amount,
    payment_reference: paymentReferenceForId(r.id),
    bank_reference: r.method === "bank_transfer" ? r.reference : null,
    decision_number: r.decision,
    payer_name: foldName(r.payer ?? ""),
    method: r.method,
    issued_on: r.issued_on
  })))
  await db.query(
    `INSERT INTO recon_targets (agency, kind, id, receipt_status, amount, payment_reference, bank_reference, decision_number, payer_name, method, issued_on)
     SELECT $1::text, 'receipt', x.id, x.status, x.amount, x.payment_reference, x.bank_reference, x.decision_number, x.payer_name, x.method, x.issued_on::date
       FROM jsonb_to_recordset($2::text::jsonb) AS x(id text, status text, amount bigint, payment_reference text, bank_reference text, decision_number text, payer_name text, method text, issued_on text)
     ON CONFLICT (agency, kind, id) DO UPDATE SET receipt_status = EXCLUDED.receipt_status, amount = EXCLUDED.amount, bank_reference = EXCLUDED.bank_reference,
       decision_number = EXCLUDED.decision_number, payer_name = EXCLUDED.payer_name, method = EXCLUDED.method, issued_on = EXCLUDED.issued_on
     -- A draft edited below what credits already paid keeps its old figures here; the run flags it (run.ts, editedBelowPaid).
     WHERE EXCLUDED.amount >= (SELECT coalesce(sum(m.amount), 0) FROM recon_matches m
                                WHERE m.agency = recon_targets.agency AND m.target_kind = recon_targets.kind AND m.target_id = recon_targets.id)`,
    [agency, json]
  )
  return rows.length
}

export interface TargetRow {
  readonly kind: string
  readonly id: string
  readonly receipt_status: string | null
  readonly amount: string
  readonly paid: string
  readonly payment_reference: string
  readonly bank_reference: string | null
  readonly decision_number: string | null
  readonly payer_name: string
}

export const targetColumns = "kind, id, receipt_status, amount::text AS amount, paid::text AS paid, payment_reference, bank_reference, decision_number, payer_name"

/** A stored target as the domain's value; drafts and submitted receipts are "draft" targets. */
export const targetFromRow = (r: TargetRow): Target => ({
  id: r.id,
  kind: r.kind === "request" ? "request" : r.receipt_status === "issued" ? "receipt" : "draft",
  amount: BigInt(r.amount),
  paid: BigInt(r.paid),
  paymentReference: r.payment_reference,
  ...(r.bank_reference === null ? {} : { bankReference: r.bank_reference }),
  ...(r.decision_number === null ? {} : { decisionNumber: r.decision_number }),
  payerName: r.payer_name
})
