/**
 * What a draft must be before its maker may submit it for approval. One rule
 * set for every way in (the officer API, the console, bulk ingestion), so an
 * approver is never offered a draft that still says "[chưa đọc được]" or
 * collects 0 đồng, whichever screen or client prepared it.
 */
import type { Receipt } from "./receipt.ts"

/** Shown where OCR read nothing; never a plausible value, so nobody approves it by accident. */
export const NOT_READ = "[chưa đọc được]"

/** A field that keeps a draft from being submitted, and why (machine-readable; the edge words it). */
export interface SubmissionProblem {
  readonly field: "payer.name" | "payer.address" | "reason" | "payment.reference" | "amount"
  readonly rule: "not_read" | "zero_amount"
}

const holdsPlaceholder = (value: string | undefined): boolean => value !== undefined && value.includes(NOT_READ)

/** Every problem that keeps `draft` from being submitted; empty when it may go to an approver. */
export const submissionProblems = (draft: Receipt): ReadonlyArray<SubmissionProblem> => {
  const problems: Array<SubmissionProblem> = []
  if (holdsPlaceholder(draft.payer.name)) problems.push({ field: "payer.name", rule: "not_read" })
  if (holdsPlaceholder(draft.payer.address)) problems.push({ field: "payer.address", rule: "not_read" })
  if (holdsPlaceholder(draft.reason)) problems.push({ field: "reason", rule: "not_read" })
  if (draft.payment.method === "bank_transfer" && holdsPlaceholder(draft.payment.reference)) {
    problems.push({ field: "payment.reference", rule: "not_read" })
  }
  if (draft.amount === 0n) problems.push({ field: "amount", rule: "zero_amount" })
  return problems
}
