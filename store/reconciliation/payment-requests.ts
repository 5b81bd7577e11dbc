/**
 * Payment requests: stored with their VietQR text, and entered as a match
 * target, so the credit that carries the request's reference matches it.
 */
import { Result } from "effect"
import { foldName } from "../../domain/reconciliation/memo.ts"
import { type PaymentRequest, paymentRequestVietQr } from "../../domain/reconciliation/payment-request.ts"
import type { Db } from "../database/db.ts"
import { ReconciliationRefused } from "./refusals.ts"

export const createPaymentRequest = async (db: Db, r: PaymentRequest, by: string, now: string): Promise<string> => {
  const qr = paymentRequestVietQr(r)
  if (Result.isFailure(qr)) throw qr.failure
  return db.transaction(async (tx) => {
    const owner = (await tx.query<{ agency: string }>("SELECT agency FROM bank_accounts WHERE account = $1::text", [r.account]))[0]?.agency
    if (owner !== r.agency) {
      throw new ReconciliationRefused(owner === undefined ? "unknown_account" : "other_agency", `account ${r.account} is not an account of agency ${r.agency}`)
    }
    await tx.query(
      `INSERT INTO payment_requests (agency, reference, account, bank_bin, amount, payer_name, decision_number, vietqr, created_by, created_at)
       VALUES ($1::text, $2::text, $3::text, $4::text, $5::bigint, $6::text, $7::text, $8::text, $9::text, $10::timestamptz)`,
      [r.agency, r.reference, r.account, r.bankBin, r.amount.toString(), r.payerName, r.decisionNumber ?? null, qr.success, by, now]
    )
    await tx.query(
      `INSERT INTO recon_targets (agency, kind, id, amount, payment_reference, decision_number, payer_name)
       VALUES ($1::text, 'request', $2::text, $3::bigint, $2::text, $4::text, $5::text)`,
      [r.agency, r.reference, r.amount.toString(), r.decisionNumber ?? null, foldName(r.payerName)]
    )
    return qr.success
  })
}

export interface PaymentRequestRow {
  readonly reference: string
  readonly account: string
  readonly bankBin: string
  readonly amount: bigint
  readonly payerName: string
  readonly decisionNumber: string | null
  readonly vietqr: string
  readonly createdBy: string
  readonly createdAt: string
  /** What credits have paid of it so far. */
  readonly paid: bigint
}

/** The agency's payment requests, newest first, or one of them. */
export const paymentRequestsOf = async (db: Db, agency: string, reference?: string): Promise<Array<PaymentRequestRow>> =>
  (await db.query<{ reference: string; account: string; bank_bin: string; amount: string; payer_name: string; decision_number: string | null; vietqr: string; created_by: string; created_at: string; paid: string | null }>(
    `SELECT r.reference, r.account, r.bank_bin, r.amount::text AS amount, r.payer_name, r.decision_number, r.vietqr, r.created_by,
            to_char(r.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS created_at, t.paid::text AS paid
       FROM payment_requests r LEFT JOIN recon_target_balances t ON t.agency = r.agency AND t.kind = 'request' AND t.id = r.reference
      WHERE r.agency = $1::text AND ($2::text IS NULL OR r.reference = $2::text) ORDER BY r.created_at DESC, r.reference LIMIT 500`,
    [agency, reference ?? null]
  )).map((r) => ({ reference: r.reference, account: r.account, bankBin: r.bank_bin, amount: BigInt(r.amount), payerName: r.payer_name, decisionNumber: r.decision_number, vietqr: r.vietqr, createdBy: r.created_by, createdAt: r.created_at, paid: BigInt(r.paid ?? "0") }))
