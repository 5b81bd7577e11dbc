/**
 * Reading a draft (or a patch of one) from request JSON. Only the shape is
 * checked here (an object, known keys, the amount as a digit string); every
 * field rule is the domain's, applied by createDraft/editDraft, which list
 * all invalid fields at once.
 */
import { Result, Schema } from "effect"
import type { DraftInput } from "../../domain/lifecycle.ts"
import { VndFromString } from "../../domain/money.ts"
import { ApiError } from "../http/errors.ts"
import { invalidReceiptText } from "./field-messages.ts"

const draftKeys = ["office", "series", "payer", "case", "reason", "amount", "amountInWords", "payment"] as const

const decodeAmount = Schema.decodeUnknownResult(VndFromString)

const invalid = (issues: Array<{ path: string; message: string }>) =>
  new ApiError(422, "invalid_receipt", `invalid receipt: ${issues.map((i) => `${i.path}: ${i.message}`).join("; ")}`, {
    details: { issues },
    messages: invalidReceiptText(issues)
  })

export const draftPatchFromJson = (body: unknown): Partial<DraftInput> => {
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    throw new ApiError(400, "invalid_body", "the body must be a JSON object with the draft's fields", {
      messages: { vi: "Nội dung gửi lên phải là một đối tượng JSON chứa các trường của bản nháp.", en: "the body must be a JSON object with the draft's fields" }
    })
  }
  const record = body as Record<string, unknown>
  const issues: Array<{ path: string; message: string }> = []
  for (const key of Object.keys(record)) {
    if (key === "agency") continue
    if (!(draftKeys as ReadonlyArray<string>).includes(key)) issues.push({ path: key, message: `unknown field; the fields are ${draftKeys.join(", ")}` })
  }
  const out: Record<string, unknown> = {}
  for (const key of draftKeys) if (record[key] !== undefined) out[key] = record[key]
  if (record["amount"] !== undefined) {
    const amount = decodeAmount(record["amount"])
    if (Result.isFailure(amount)) issues.push({ path: "amount", message: "expected the amount in whole đồng as a digit string, like \"125500000\"" })
    else out["amount"] = amount.success
  }
  if (issues.length > 0) throw invalid(issues)
  return out as Partial<DraftInput>
}

/** A full draft: the patch with every required field present, in the officer's agency. */
export const draftInputFromJson = (body: unknown, agency: string): DraftInput => {
  const patch = draftPatchFromJson(body)
  const missing = (["series", "payer", "reason", "amount", "payment"] as const).filter((k) => patch[k] === undefined)
  if (missing.length > 0) throw invalid(missing.map((path) => ({ path, message: "is required" })))
  return { case: {}, ...patch, agency } as DraftInput
}
