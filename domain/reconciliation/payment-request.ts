/**
 * A payment request: what an officer gives a payer so that the transfer
 * matches by itself. It carries a dynamic VietQR code (domain/bank/vietqr.ts)
 * with the amount in tag 54 and the bienlai payment reference in tag 62 (05
 * reference label, and 08 purpose, which banking apps copy into the memo).
 */
import { Result, Schema } from "effect"
import { checkBankAccount } from "../bank/account-number.ts"
import { decodeVietQr, encodeVietQr, type InvalidVietQr } from "../bank/vietqr.ts"
import { parseDecisionNumber } from "../case-numbers.ts"
import { parseVnd } from "../money.ts"
import { foldName } from "./memo.ts"
import { findPaymentReferences, parsePaymentReference } from "./payment-reference.ts"

export interface PaymentRequest {
  readonly agency: string
  readonly bankBin: string
  readonly account: string
  readonly amount: bigint
  readonly payerName: string
  readonly decisionNumber?: string
  readonly reference: string
}

export class InvalidPaymentRequest extends Schema.TaggedError<InvalidPaymentRequest>()("InvalidPaymentRequest", {
  problems: Schema.Array(Schema.String),
  message: Schema.String
}) {}

export interface PaymentRequestInput {
  readonly agency: string
  readonly bankBin: string
  readonly account: string
  /** As typed: "1.250.000", "1250000"; a fraction of a đồng is refused. */
  readonly amount: string
  readonly payerName: string
  readonly decisionNumber?: string | undefined
  readonly reference: string
}

/** Checks every field at once and names each problem. */
export const makePaymentRequest = (input: PaymentRequestInput): Result.Result<PaymentRequest, InvalidPaymentRequest> => {
  const problems: Array<string> = []
  const amount = parseVnd(input.amount)
  if (Result.isFailure(amount)) problems.push(`amount ${JSON.stringify(input.amount)}: ${amount.failure.message}`)
  else if (amount.success <= 0n) problems.push("amount: a payment request asks for at least 1 đồng")
  const account = checkBankAccount(input.bankBin, input.account)
  if (Result.isFailure(account)) for (const f of account.failure) problems.push(`account: ${f.message}`)
  if (input.payerName.trim() === "") problems.push("payerName: the payer's name is empty")
  let decision: string | undefined
  if (input.decisionNumber !== undefined && input.decisionNumber !== "") {
    const d = parseDecisionNumber(input.decisionNumber)
    if (Result.isFailure(d)) problems.push(`decisionNumber: ${d.failure.message}`)
    else decision = d.success
  }
  const reference = parsePaymentReference(input.reference)
  if (Result.isFailure(reference)) problems.push(`reference: ${reference.failure.message}`)
  if (problems.length > 0 || Result.isFailure(amount) || Result.isFailure(reference)) {
    return Result.fail(new InvalidPaymentRequest({ problems, message: `The payment request is not valid: ${problems.join("; ")}` }))
  }
  return Result.succeed({
    agency: input.agency,
    bankBin: input.bankBin,
    account: input.account,
    amount: amount.success,
    payerName: input.payerName.trim(),
    ...(decision === undefined ? {} : { decisionNumber: decision }),
    reference: reference.success
  })
}

/** The memo banking apps will carry: the reference first (so truncation never cuts it), then a few words. */
export const paymentPurpose = (r: PaymentRequest): string => `${r.reference} NOP THA`

export const paymentRequestVietQr = (r: PaymentRequest): Result.Result<string, InvalidVietQr> =>
  encodeVietQr({
    initiation: "dynamic",
    bankBin: r.bankBin,
    account: r.account,
    service: "account",
    amount: r.amount,
    additionalData: { reference: r.reference, purpose: paymentPurpose(r) }
  })

/** What a scanned request code says: the account, the amount and the bienlai reference. */
export interface ReadRequestCode {
  readonly bankBin: string
  readonly account: string
  readonly amount?: bigint
  readonly reference?: string
}

export const readPaymentRequestVietQr = (text: string): Result.Result<ReadRequestCode, InvalidVietQr> => {
  const qr = decodeVietQr(text)
  if (Result.isFailure(qr)) return Result.fail(qr.failure)
  const q = qr.success
  const reference = findPaymentReferences(`${q.additionalData?.reference ?? ""} ${q.additionalData?.purpose ?? ""}`)[0]
  return Result.succeed({
    bankBin: q.bankBin,
    account: q.account,
    ...(q.amount === undefined ? {} : { amount: q.amount }),
    ...(reference === undefined ? {} : { reference })
  })
}

/** The payer name as a match target compares it. */
export const requestPayerKey = (r: PaymentRequest): string => foldName(r.payerName)
