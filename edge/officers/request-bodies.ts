/**
 * The small request bodies of the officer API (voiding, corrections,
 * approvals, deletion), as Effect Schemas for Hono's validator
 * (edge/http/body.ts). A body that names an agency must name the officer's
 * own (same-agency.ts). A refused body is `invalid_field` (422) naming every
 * problem, in the client's language, with the first field in `field`.
 *
 * The approvals' own fields (`contentHash`, `value`) are not checked here:
 * the actions refuse a missing or malformed one with their own codes
 * (content_hash_required, value_required), which clients already know.
 */
import { Schema } from "effect"
import { jsonBody, type Problem } from "../http/body.ts"
import { ApiError, refusal } from "../http/errors.ts"
import type { Localized } from "../http/language.ts"
import { sameAgency } from "./same-agency.ts"

const nonEmpty = "must be a non-empty string"
const aString = "must be a string"
const correctionField = "field must be payerName or payerAddress; a wrong amount or content needs a replacement receipt."

/** Free text an officer must give: a string that is not blank. */
const Text = Schema.String.annotate({ message: nonEmpty })
  .check(Schema.makeFilter((s: string) => s.trim() !== "", { message: nonEmpty }))
  .annotateKey({ messageMissingKey: nonEmpty })

const CorrectedField = Schema.Literals(["payerName", "payerAddress"]).annotate({ message: correctionField }).annotateKey({ messageMissingKey: correctionField })

/** `{ reason }`: voiding a receipt, rejecting a correction. */
export const ReasonBody = Schema.Struct({ agency: Schema.optionalKey(Schema.Unknown), reason: Text })

/** `{ field, value, note? }`: a correction of the payer's name or address. */
export const CorrectionBody = Schema.Struct({ agency: Schema.optionalKey(Schema.Unknown), field: CorrectedField, value: Text, note: Schema.optionalKey(Text) })

/** `{ contentHash }`: an approval names the content it approves (the action checks the hash). */
export const ApprovalBody = Schema.Struct({ agency: Schema.optionalKey(Schema.Unknown), contentHash: Schema.optionalKey(Schema.Unknown) })

/** `{ value }`: a correction's approval names the text it approves (the action checks it). */
export const CorrectionApprovalBody = Schema.Struct({ agency: Schema.optionalKey(Schema.Unknown), value: Schema.optionalKey(Schema.Unknown) })

/** `{ reason? }`, or no body: an administrator deleting another officer's draft gives a reason. */
export const DeletionBody = Schema.Struct({ agency: Schema.optionalKey(Schema.Unknown), reason: Schema.optionalKey(Schema.String.annotate({ message: aString })) })

// The free-text fields, as officers know them.
const labels: Record<string, Localized> = {
  reason: { vi: "Lý do", en: "Reason" },
  value: { vi: "Giá trị đính chính", en: "Corrected value" },
  note: { vi: "Ghi chú", en: "Note" }
}

const problemText = (p: Problem): Localized => {
  if (p.message === correctionField) {
    return {
      vi: "Chỉ đính chính được họ tên (payerName) hoặc địa chỉ (payerAddress) người nộp; sai số tiền hay nội dung thì lập biên lai thay thế.",
      en: correctionField
    }
  }
  const label = labels[p.path] ?? { vi: p.path, en: p.path }
  const rule = p.message === nonEmpty ? "không được để trống" : p.message === aString ? "phải là một chuỗi ký tự" : `không hợp lệ (${p.message})`
  return { vi: `${label.vi} (${p.path}) ${rule}.`, en: `${p.path} ${p.message}` }
}

/** Every problem in one refusal; `field` names the first, as clients read it. */
export const invalidField = (problems: ReadonlyArray<Problem>): ApiError => {
  const texts = problems.map(problemText)
  const en = texts.map((t, i) => (i < texts.length - 1 ? t.en.replace(/\.$/, "") : t.en)).join("; ")
  return refusal(422, "invalid_field", { vi: texts.map((t) => t.vi).join(" "), en }, { details: { field: problems[0]?.path ?? "" } })
}

const rules = { refuse: invalidField, inspect: sameAgency } as const

export const reasonBody = jsonBody(ReasonBody, rules)
export const correctionBody = jsonBody(CorrectionBody, rules)
export const approvalBody = jsonBody(ApprovalBody, rules)
export const correctionApprovalBody = jsonBody(CorrectionApprovalBody, rules)
export const deletionBody = jsonBody(DeletionBody, { ...rules, optional: true })
