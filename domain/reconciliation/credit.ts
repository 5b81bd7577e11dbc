/**
 * The two sides of a match: a credit on an agency's account (read from a
 * statement) and a target that money is owed to (an issued receipt, a draft
 * waiting for approval, or a payment request).
 */
import { foldName, type MemoReading, readMemo } from "./memo.ts"

export interface Credit {
  /** Unique per agency: the account and the bank's own entry reference. */
  readonly key: string
  readonly account: string
  readonly bankReference: string
  /** "YYYY-MM-DD" */
  readonly bookingDate: string
  readonly amount: bigint
  readonly memo: string
  /** Folded (upper case, no accents) name of the payer's account, when the bank gives it. */
  readonly counterpartyName?: string
  readonly reading: MemoReading
}

export type TargetKind = "receipt" | "draft" | "request"

export interface Target {
  readonly id: string
  readonly kind: TargetKind
  readonly amount: bigint
  /** What earlier matches already allocated to it. */
  readonly paid: bigint
  readonly paymentReference: string
  /** The bank reference (FT…) written on a bank-transfer receipt. */
  readonly bankReference?: string
  readonly decisionNumber?: string
  /** Folded payer name. */
  readonly payerName: string
}

export const creditKey = (account: string, bankReference: string): string => `${account}/${bankReference}`

export interface CreditInput {
  readonly account: string
  readonly bankReference: string
  readonly bookingDate: string
  readonly amount: bigint
  readonly memo?: string | undefined
  readonly counterpartyName?: string | undefined
}

export const makeCredit = (c: CreditInput): Credit => ({
  key: creditKey(c.account, c.bankReference),
  account: c.account,
  bankReference: c.bankReference,
  bookingDate: c.bookingDate,
  amount: c.amount,
  memo: c.memo ?? "",
  ...(c.counterpartyName === undefined || c.counterpartyName === "" ? {} : { counterpartyName: foldName(c.counterpartyName) }),
  reading: readMemo(c.memo ?? "")
})

export const remaining = (t: Target): bigint => t.amount - t.paid
