/**
 * Reconciliation, pure (docs/RECONCILIATION.md): the bienlai payment
 * reference, reading bank memos, matching credits to receipts, drafts and
 * payment requests, debits to payout lines, flags, draft proposals, the
 * daily report and day closing, and payment requests with VietQR.
 */
export * from "./credit.ts"
export * from "./daily-report.ts"
export * from "./day-closing.ts"
export * from "./debits.ts"
export * from "./draft-proposal.ts"
export * from "./flags.ts"
export * from "./matching.ts"
export * from "./memo.ts"
export * from "./payment-reference.ts"
export * from "./payment-request.ts"
export * from "./credit-draft.ts"
