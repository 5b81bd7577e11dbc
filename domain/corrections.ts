/**
 * Correcting the payer's name or address on an issued receipt, with four
 * eyes, as issuance has: one officer requests the correction, another
 * approves it, naming the exact corrected text; only then does it become an
 * annotation that the public pages and the PDF show, beside the signed text
 * and labelled as a correction (docs/RECEIPT.md, docs/SECURITY.md).
 *
 *   request ──approve (another officer, same text)──▶ approved → annotation
 *      │──reject (another officer, a reason)──▶ rejected
 *      └──withdraw (the requester)──▶ withdrawn
 *
 * The signed content never changes: a wrong amount or content needs a
 * replacement receipt instead.
 */
import { Result, Schema } from "effect"
import { annotate, approvedCorrection, describeReceipt, labelOf, ReceiptLabel, type TransitionError } from "./lifecycle.ts"
import { type Annotation, isIssued, type Receipt } from "./receipt.ts"

export const CorrectionField = Schema.Literals(["payerName", "payerAddress"])
export type CorrectionField = typeof CorrectionField.Type

export const CorrectionStatus = Schema.Literals(["pending", "approved", "rejected", "withdrawn"])
export type CorrectionStatus = typeof CorrectionStatus.Type

export interface CorrectionRequest {
  readonly id: string
  readonly agency: string
  readonly receiptId: string
  readonly field: CorrectionField
  /** The corrected text, exactly as it will be shown (NFC, trimmed). */
  readonly value: string
  readonly note?: string
  readonly requestedBy: string
  readonly requestedAt: string
  readonly status: CorrectionStatus
  readonly decidedBy?: string
  readonly decidedAt?: string
  /** Why it was rejected. */
  readonly decisionNote?: string
}

export const CorrectionReason = Schema.Literals([
  "not_issued",
  "changes_nothing",
  "invalid_value",
  "not_pending",
  "requester_cannot_approve",
  "text_differs",
  "only_requester_can_withdraw",
  "reason_required"
])
export type CorrectionReason = typeof CorrectionReason.Type

/** A correction step its request's state, its people or its text does not allow. */
export class CorrectionError extends Schema.TaggedError<CorrectionError>()("CorrectionError", {
  requestId: Schema.String,
  receiptId: Schema.String,
  reason: CorrectionReason,
  message: Schema.String,
  subject: ReceiptLabel,
  requestedBy: Schema.optionalKey(Schema.String),
  by: Schema.optionalKey(Schema.String)
}) {}

const refuse = (
  r: Receipt,
  requestId: string,
  reason: CorrectionReason,
  message: string,
  extra: { readonly requestedBy?: string; readonly by?: string } = {}
): Result.Result<never, CorrectionError> =>
  Result.fail(new CorrectionError({ requestId, receiptId: r.id, reason, message, subject: labelOf(r), ...extra }))

const fieldName = (f: CorrectionField) => (f === "payerName" ? "the payer's name" : "the payer's address")

const currentValue = (r: Receipt, field: CorrectionField): string | undefined =>
  approvedCorrection(r, field)?.value ?? (field === "payerName" ? r.payer.name : r.payer.address)

/** A request to correct `field` of an issued (voided, replaced) receipt to `value`. */
export const requestCorrection = (
  r: Receipt,
  input: { readonly field: CorrectionField; readonly value: string; readonly note?: string | undefined },
  ctx: { readonly id: string; readonly by: string; readonly now: string }
): Result.Result<CorrectionRequest, CorrectionError> => {
  if (!isIssued(r)) {
    return refuse(r, ctx.id, "not_issued", `${describeReceipt(r)} is still a draft; its maker edits it instead`)
  }
  const value = input.value.normalize("NFC").trim()
  const note = input.note?.normalize("NFC").trim()
  // The same rules as the annotation it will become (non-empty, length, a valid officer, a time after issuance).
  const probe = annotate(r, { field: input.field, value, ...(note ? { note } : {}), by: ctx.by, at: ctx.now })
  if (Result.isFailure(probe)) return refuse(r, ctx.id, "invalid_value", probe.failure.message)
  if (value === currentValue(r, input.field)) {
    return refuse(r, ctx.id, "changes_nothing", `${fieldName(input.field)} of ${describeReceipt(r)} already reads "${value}"; there is nothing to correct`)
  }
  return Result.succeed({
    id: ctx.id,
    agency: r.agency,
    receiptId: r.id,
    field: input.field,
    value,
    ...(note ? { note } : {}),
    requestedBy: ctx.by,
    requestedAt: ctx.now,
    status: "pending"
  })
}

const pending = (r: Receipt, q: CorrectionRequest, what: string): Result.Result<CorrectionRequest, CorrectionError> =>
  q.status === "pending"
    ? Result.succeed(q)
    : refuse(r, q.id, "not_pending", `the correction of ${describeReceipt(r)} is already ${q.status}; it cannot be ${what}`)

/**
 * Another officer approves the request, naming the exact corrected text they
 * read (`ctx.value`): the receipt gets the annotation, approved by them.
 */
export const approveCorrection = (
  r: Receipt,
  q: CorrectionRequest,
  ctx: { readonly by: string; readonly value: string; readonly now: string }
): Result.Result<{ readonly receipt: Receipt; readonly request: CorrectionRequest }, CorrectionError | TransitionError> => {
  const open = pending(r, q, "approved")
  if (Result.isFailure(open)) return Result.fail(open.failure)
  if (ctx.by === q.requestedBy) {
    return refuse(
      r,
      q.id,
      "requester_cannot_approve",
      `${ctx.by} requested the correction of ${describeReceipt(r)} and cannot also approve it; another officer must`,
      { requestedBy: q.requestedBy, by: ctx.by }
    )
  }
  if (ctx.value.normalize("NFC") !== q.value) {
    return refuse(r, q.id, "text_differs", `the text approved ("${ctx.value}") is not the text requested ("${q.value}"); nothing was corrected`)
  }
  const annotation: Annotation = {
    field: q.field,
    value: q.value,
    ...(q.note === undefined ? {} : { note: q.note }),
    by: q.requestedBy,
    at: ctx.now,
    approvedBy: ctx.by
  }
  return Result.map(annotate(r, annotation), (receipt) => ({
    receipt,
    request: { ...q, status: "approved" as const, decidedBy: ctx.by, decidedAt: ctx.now }
  }))
}

/** Another officer turns the request down, saying why. */
export const rejectCorrection = (
  r: Receipt,
  q: CorrectionRequest,
  ctx: { readonly by: string; readonly reason: string; readonly now: string }
): Result.Result<CorrectionRequest, CorrectionError> => {
  const open = pending(r, q, "rejected")
  if (Result.isFailure(open)) return open
  if (ctx.by === q.requestedBy) {
    return refuse(r, q.id, "requester_cannot_approve", `${ctx.by} requested this correction; withdraw it instead of rejecting it`, { requestedBy: q.requestedBy, by: ctx.by })
  }
  const reason = ctx.reason.normalize("NFC").trim()
  if (reason === "") return refuse(r, q.id, "reason_required", "a rejection needs a reason the requester can act on")
  return Result.succeed({ ...q, status: "rejected", decidedBy: ctx.by, decidedAt: ctx.now, decisionNote: reason })
}

/** The requester takes the request back. */
export const withdrawCorrection = (
  r: Receipt,
  q: CorrectionRequest,
  ctx: { readonly by: string; readonly now: string }
): Result.Result<CorrectionRequest, CorrectionError> => {
  const open = pending(r, q, "withdrawn")
  if (Result.isFailure(open)) return open
  if (ctx.by !== q.requestedBy) {
    return refuse(r, q.id, "only_requester_can_withdraw", `only ${q.requestedBy}, who requested it, may withdraw this correction`, { requestedBy: q.requestedBy, by: ctx.by })
  }
  return Result.succeed({ ...q, status: "withdrawn", decidedBy: ctx.by, decidedAt: ctx.now })
}
