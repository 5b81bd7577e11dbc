/**
 * Money that reached the agency's account with nothing to match becomes a
 * real draft receipt (so no money is collected without a receipt), as does
 * the credit that pays a payment request: this is the draft's content,
 * prefilled from the statement (or the request). The draft then follows the
 * normal four-eyes issuance: its maker is the officer who imported the
 * statement (the run acts on that officer's behalf), and an approver who is
 * not that officer issues it.
 *
 * A payer's name the bank did not give is left as the visible placeholder
 * (NOT_READ), as OCR does: the draft cannot be submitted until an officer
 * types it.
 */
import { Result } from "effect"
import { createDraft, type DraftInput } from "../lifecycle.ts"
import type { Series } from "../receipt.ts"
import { NOT_READ } from "../submission.ts"

/** What the draft is made from: an unmatched credit's proposal, or a payment request its credit paid. */
export interface CreditDraftSource {
  readonly agency: string
  readonly series: Series
  readonly bankReference: string
  readonly amount: bigint
  readonly payerName?: string | undefined
  readonly decisionNumber?: string | undefined
  /** The payment request the credit paid, if any (named in the reason). */
  readonly requestReference?: string | undefined
}

/** The reason printed on the receipt: what the money is for, and that it came by transfer. */
export const creditDraftReason = (s: CreditDraftSource): string => {
  const what = s.decisionNumber === undefined ? "Nộp tiền thi hành án" : `Nộp tiền thi hành án theo Quyết định số ${s.decisionNumber}`
  const request = s.requestReference === undefined ? "" : ` (đề nghị thanh toán ${s.requestReference})`
  return `${what}${request}, nộp qua chuyển khoản`
}

/**
 * The draft input for a credit. A decision number the receipt schema does
 * not accept is left out rather than refusing the draft: the officer adds it.
 */
export const creditDraftInput = (s: CreditDraftSource): DraftInput => {
  const name = (s.payerName ?? "").trim()
  const base = (decision: string | undefined): DraftInput => ({
    agency: s.agency,
    series: s.series,
    payer: { name: name === "" ? NOT_READ : name.slice(0, 200) },
    case: decision === undefined ? {} : { decisionNumber: decision },
    reason: creditDraftReason({ ...s, decisionNumber: decision }),
    amount: s.amount,
    payment: { method: "bank_transfer", reference: s.bankReference.slice(0, 64) }
  })
  const full = base(s.decisionNumber)
  const probe = createDraft(full, { id: "00000000-0000-4000-8000-000000000000", maker: "recon.probe", now: "2000-01-01T00:00:00.000Z" })
  return Result.isSuccess(probe) || s.decisionNumber === undefined ? full : base(undefined)
}
