/**
 * The issued form of a draft that has just passed the receipt schema, with
 * only the rules that issuance adds checked again. `lifecycle.issue` runs the
 * whole schema a second time, which is right for one receipt and a third of
 * the validation cost of a million; test/ingest/issue-template.test.ts checks
 * that both always agree (same receipt, or a refusal on the same fields).
 *
 * The number and lookup code are placeholders: the real ones are set after
 * the range is reserved, as store/receipts/issuance.ts does.
 */
import { Result } from "effect"
import { vietnamDateOf } from "../../domain/dates.ts"
import { type IssuedReceipt, type Receipt, symbolYear } from "../../domain/receipt.ts"

export interface TemplateIssue {
  readonly path: string
  readonly message: string
}

export const PLACEHOLDER_LOOKUP_CODE = "000000000000"

/** `draft` must be a valid submitted draft (from createDraft and submit, or decodeReceipt). */
export const issueTemplate = (draft: Receipt, approver: string, now: string): Result.Result<IssuedReceipt, Array<TemplateIssue>> => {
  // As lifecycle.issue: these refuse before anything else is looked at.
  if (draft.status === "draft") return Result.fail([{ path: "status", message: "the draft has not been submitted for approval" }])
  if (draft.status !== "submitted") return Result.fail([{ path: "status", message: `the receipt is already ${draft.status}` }])
  if (approver === draft.maker) return Result.fail([{ path: "approver", message: `${approver} prepared this receipt and cannot also approve it (maker-checker)` }])
  const issues: Array<TemplateIssue> = []
  if (now < draft.createdAt) issues.push({ path: "issuedAt", message: "the receipt is issued before it was created" })
  const issueDay = vietnamDateOf(now)
  if (symbolYear(draft.series.symbol) !== Number(issueDay.slice(0, 4))) {
    issues.push({ path: "series.symbol", message: `the symbol's year does not match the issue year ${issueDay.slice(0, 4)}` })
  }
  if (draft.case.decisionDate !== undefined && draft.case.decisionDate > issueDay) {
    issues.push({ path: "case.decisionDate", message: "the enforcement decision is dated after the receipt" })
  }
  if (issues.length > 0) return Result.fail(issues)
  return Result.succeed({ ...draft, status: "issued", number: 1, lookupCode: PLACEHOLDER_LOOKUP_CODE, approver, issuedAt: now })
}
