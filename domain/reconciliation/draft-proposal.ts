/**
 * An unmatched credit is money collected without a receipt: it becomes a
 * draft-receipt proposal prefilled from the statement, for an officer to
 * complete and submit (maker-checker still applies).
 */
import { amountInWords } from "../amount-in-words.ts"
import type { Credit } from "./credit.ts"

export interface DraftProposal {
  readonly creditKey: string
  readonly payerName: string
  readonly amount: bigint
  readonly amountInWords: string
  readonly bankReference: string
  readonly decisionNumber?: string
  readonly reason: string
  readonly memo: string
}

export const proposeDraft = (credit: Credit): DraftProposal => {
  const decision = credit.reading.decisionNumbers[0]
  return {
    creditKey: credit.key,
    payerName: credit.reading.payerName ?? credit.counterpartyName ?? "",
    amount: credit.amount,
    amountInWords: amountInWords(credit.amount),
    bankReference: credit.bankReference,
    ...(decision === undefined ? {} : { decisionNumber: decision }),
    reason: decision === undefined ? "Nộp tiền thi hành án (chuyển khoản)" : `Nộp tiền thi hành án theo quyết định ${decision} (chuyển khoản)`,
    memo: credit.memo
  }
}
