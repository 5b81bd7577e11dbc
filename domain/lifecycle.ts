/**
 * The receipt lifecycle as a pure state machine (see docs/RECEIPT.md):
 *
 *            editDraft (maker)
 *           ┌──────────────────┐
 *           ▼                  │
 *   draft ──submit (maker)──▶ submitted ──issue (not the maker)──▶ issued ──void──▶ voided
 *     │  ◀──withdraw (maker)──    │                                  └──markReplaced──▶ replaced
 *     └─delete (maker)            └─delete (maker)
 *
 * Only a submitted draft can be issued: its maker says it is ready, and any
 * change after that (an edit, a new scan) makes it a draft again, to be
 * submitted again. Every function takes a receipt and returns a new one or
 * a typed error; nothing here stores, numbers or signs. The caller (the
 * store) hands out numbers and lookup codes and persists the result.
 *
 * After issuance the signed content (everything `canonicalReceipt` reads) is
 * never touched again: voiding, replacement and annotations only add the
 * fields that lie outside the signed bytes.
 */
import { Result, Schema } from "effect"
import { amountInWords } from "./amount-in-words.ts"
import { formatVnd, MAX_VND } from "./money.ts"
import {
  type Annotation,
  decodeReceipt,
  formatReceiptNumber,
  InvalidReceipt,
  type IssuedReceipt,
  isIssued,
  isUnissued,
  type Receipt,
  type ReceiptJson,
  type ReceiptRef,
  ReceiptStatus
} from "./receipt.ts"
import { type SubmissionProblem, submissionProblems } from "./submission.ts"

export const TransitionAction = Schema.Literals(["edit", "submit", "withdraw", "add_scan", "delete", "issue", "void", "replace", "annotate"])
export type TransitionAction = typeof TransitionAction.Type

export const TransitionReason = Schema.Literals([
  "not_a_draft",
  "not_issued",
  "not_submitted",
  "already_submitted",
  "not_ready",
  "only_maker_can_edit",
  "only_maker_can_submit",
  "only_maker_can_withdraw",
  "only_maker_can_add_scans",
  "only_maker_can_delete",
  "maker_cannot_approve",
  "already_voided",
  "replaced_cannot_be_voided",
  "voided_cannot_be_replaced",
  "already_replaced",
  "agency_mismatch",
  "replacement_must_differ",
  "not_the_replacement",
  "draft_cannot_be_annotated",
  "invalid_details"
])
export type TransitionReason = typeof TransitionReason.Type

/**
 * How people name a receipt: an issued one by its series and number, a
 * draft by its payer and amount. Never by its id, which nobody reads; the
 * edge words it in the page's language.
 */
export const ReceiptLabel = Schema.Struct({
  symbol: Schema.String,
  number: Schema.optionalKey(Schema.Number),
  payerName: Schema.String,
  /** Whole đồng, as a digit string. */
  amount: Schema.String
})
export type ReceiptLabel = typeof ReceiptLabel.Type

/** A transition the receipt's current state does not allow. */
export class TransitionError extends Schema.TaggedError<TransitionError>()("TransitionError", {
  receiptId: Schema.String,
  from: ReceiptStatus,
  action: TransitionAction,
  reason: TransitionReason,
  message: Schema.String,
  /** The receipt as people name it. */
  subject: ReceiptLabel,
  /** Who prepared it, and who asked, when that is why it was refused. */
  maker: Schema.optionalKey(Schema.String),
  by: Schema.optionalKey(Schema.String),
  /** not_ready: each field that keeps the draft from being submitted. */
  problems: Schema.optionalKey(Schema.Array(Schema.Struct({ field: Schema.String, rule: Schema.String })))
}) {}

/** What an officer (or OCR) fills in; the rest comes from the context. */
export type DraftInput =
  & Pick<Receipt, "agency" | "office" | "series" | "payer" | "case" | "reason" | "amount" | "payment">
  & {
    /** Generated with `amountInWords(amount)` when absent. */
    readonly amountInWords?: string
  }

export const labelOf = (r: Receipt): ReceiptLabel => ({
  symbol: r.series.symbol,
  ...(r.number === undefined ? {} : { number: r.number }),
  payerName: r.payer.name,
  amount: r.amount.toString(10)
})

const refuse = (
  r: Receipt,
  action: TransitionAction,
  reason: TransitionReason,
  message: string,
  extra: { readonly maker?: string; readonly by?: string; readonly problems?: ReadonlyArray<SubmissionProblem> } = {}
): Result.Result<never, TransitionError> =>
  Result.fail(new TransitionError({ receiptId: r.id, from: r.status, action, reason, message, subject: labelOf(r), ...extra }))

/** How messages name a receipt: by its printed number once it has one, a draft by its payer and amount. */
export const describeReceipt = (r: Receipt): string =>
  r.number === undefined
    ? `the ${r.status === "submitted" ? "submitted draft" : "draft"} for ${r.payer.name}, ${formatVnd(r.amount)}`
    : `receipt ${r.series.symbol} ${formatReceiptNumber(r.number)}`

const numberOf = (ref: ReceiptRef): string => `${ref.series.symbol} ${formatReceiptNumber(ref.number)}`

// ---------------------------------------------------------------------------
// Validation through the schema

// Optional keys must be absent, not undefined, for the schema (optionalKey),
// so callers may write `office: undefined` and still get a valid receipt.
const dropUndefined = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(dropUndefined)
  if (value === null || typeof value !== "object") return value
  return Object.fromEntries(
    Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => [k, dropUndefined(v)])
  )
}

const nfcStrings = (value: unknown): unknown => {
  if (typeof value === "string") return value.normalize("NFC")
  if (Array.isArray(value)) return value.map(nfcStrings)
  if (value === null || typeof value !== "object") return value
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, nfcStrings(v)]))
}

/** The JSON form without running the encoder, which would throw on an invalid receipt. */
const toJson = (r: Receipt): ReceiptJson => ({ ...r, amount: r.amount.toString(10) }) as ReceiptJson

/** Checks a receipt built here against every schema rule, listing all problems. */
const validate = (r: Receipt): Result.Result<Receipt, InvalidReceipt> => decodeReceipt(dropUndefined(toJson(r)))

/** As `validate`, for transitions whose only failure is a TransitionError. */
const validateDetails = (
  before: Receipt,
  after: Receipt,
  action: TransitionAction
): Result.Result<Receipt, TransitionError> => {
  const checked = validate(after)
  return Result.isSuccess(checked)
    ? Result.succeed(checked.success)
    : refuse(before, action, "invalid_details", `cannot ${action} ${describeReceipt(before)}: ${checked.failure.message}`)
}

// ---------------------------------------------------------------------------
// Drafts

const inRange = (amount: bigint): boolean => amount >= 0n && amount < MAX_VND

// When the amount itself is invalid the schema reports it and never reaches
// the words check, so any non-empty words avoid a second, misleading issue.
const wordsFor = (amount: bigint): string => (inRange(amount) ? amountInWords(amount) : "?")

const contentOf = (input: DraftInput) => {
  const content = {
    agency: input.agency,
    office: input.office,
    series: input.series,
    payer: input.payer,
    case: input.case,
    reason: input.reason,
    payment: input.payment
  }
  // Text is stored in NFC so that search, comparison and the signed bytes agree.
  return nfcStrings(content) as typeof content
}

/** A new draft from what an officer entered or OCR extracted. */
export const createDraft = (
  input: DraftInput,
  ctx: { readonly id: string; readonly maker: string; readonly now: string }
): Result.Result<Receipt, InvalidReceipt> =>
  validate({
    id: ctx.id,
    ...contentOf(input),
    amount: input.amount,
    amountInWords: input.amountInWords?.normalize("NFC") ?? wordsFor(input.amount),
    maker: ctx.maker,
    createdAt: ctx.now,
    status: "draft",
    annotations: []
  })

const contentFixed = (r: Receipt, action: TransitionAction) =>
  refuse(
    r,
    action,
    "not_a_draft",
    `${describeReceipt(r)} is ${r.status} and its content can no longer change; ` +
      "correct the payer's name or address with an annotation, or issue a replacement receipt"
  )

/**
 * Corrects a draft. Only its maker may edit it: if the approver could change
 * the content, they would approve their own work (maker-checker). Editing a
 * submitted draft makes it a draft again: the approver must never issue
 * content the maker has not submitted.
 */
export const editDraft = (
  draft: Receipt,
  patch: Partial<DraftInput>,
  ctx: { readonly by: string; readonly now: string }
): Result.Result<Receipt, TransitionError | InvalidReceipt> => {
  if (!isUnissued(draft)) return contentFixed(draft, "edit")
  if (ctx.by !== draft.maker) {
    return refuse(
      draft,
      "edit",
      "only_maker_can_edit",
      `${describeReceipt(draft)} was prepared by ${draft.maker}; ${ctx.by} cannot edit it — ` +
        `send it back to ${draft.maker} for correction`,
      { maker: draft.maker, by: ctx.by }
    )
  }
  const amount = patch.amount ?? draft.amount
  const words = patch.amountInWords?.normalize("NFC") ??
    (patch.amount !== undefined && patch.amount !== draft.amount ? wordsFor(amount) : draft.amountInWords)
  const { amountInWords: _words, ...rest } = patch
  const merged: DraftInput = { ...draft, ...rest }
  return validate({ ...draft, ...contentOf(merged), amount, amountInWords: words, status: "draft" })
}

/**
 * The maker hands the draft to an approver. Refused while a field still
 * holds OCR's "[chưa đọc được]" placeholder or the amount is 0, so an
 * approver is never asked to approve what nobody has read.
 */
export const submit = (draft: Receipt, ctx: { readonly by: string }): Result.Result<Receipt, TransitionError> => {
  if (draft.status === "submitted") {
    return refuse(draft, "submit", "already_submitted", `${describeReceipt(draft)} is already submitted; it waits for an approver`)
  }
  if (draft.status !== "draft") return contentFixed(draft, "submit")
  if (ctx.by !== draft.maker) {
    return refuse(
      draft,
      "submit",
      "only_maker_can_submit",
      `${describeReceipt(draft)} was prepared by ${draft.maker}; only they may submit it for approval, not ${ctx.by}`,
      { maker: draft.maker, by: ctx.by }
    )
  }
  const problems = submissionProblems(draft)
  if (problems.length > 0) {
    const what = problems.map((p) => (p.rule === "zero_amount" ? "amount: it is 0 đồng" : `${p.field}: it still holds the unread placeholder`))
    return refuse(draft, "submit", "not_ready", `${describeReceipt(draft)} cannot be submitted yet: ${what.join("; ")}`, { problems })
  }
  // Only the status changes: the content was valid and stays as it is.
  return Result.succeed({ ...draft, status: "submitted" })
}

/** The maker takes a submitted draft back, to change it. */
export const withdraw = (draft: Receipt, ctx: { readonly by: string }): Result.Result<Receipt, TransitionError> => {
  if (draft.status === "draft") {
    return refuse(draft, "withdraw", "not_submitted", `${describeReceipt(draft)} is not submitted; there is nothing to withdraw`)
  }
  if (draft.status !== "submitted") return contentFixed(draft, "withdraw")
  if (ctx.by !== draft.maker) {
    return refuse(
      draft,
      "withdraw",
      "only_maker_can_withdraw",
      `${describeReceipt(draft)} was submitted by ${draft.maker}; only they may withdraw it, not ${ctx.by}`,
      { maker: draft.maker, by: ctx.by }
    )
  }
  return Result.succeed({ ...draft, status: "draft" })
}

/**
 * May `ctx.by` attach a scan to this draft? Only its maker: OCR fills the
 * draft from the scan, so a scan from anyone else would write into the
 * maker's draft what the maker never saw. The draft as it is after the scan:
 * a submitted draft becomes a draft again, since its content may change.
 */
export const addScan = (draft: Receipt, ctx: { readonly by: string }): Result.Result<Receipt, TransitionError> => {
  if (!isUnissued(draft)) {
    return refuse(draft, "add_scan", "not_a_draft", `${describeReceipt(draft)} is ${draft.status}; scans are attached to drafts only`)
  }
  if (ctx.by !== draft.maker) {
    return refuse(
      draft,
      "add_scan",
      "only_maker_can_add_scans",
      `${describeReceipt(draft)} was prepared by ${draft.maker}; only they may add scans to it, not ${ctx.by}`,
      { maker: draft.maker, by: ctx.by }
    )
  }
  return Result.succeed(draft.status === "submitted" ? { ...draft, status: "draft" } : draft)
}

/**
 * Only a draft (submitted or not) may be deleted, and only by its maker; an
 * issued receipt keeps its number forever. An administrator may delete
 * someone else's draft with a reason (`override`), which the store records.
 */
export const deleteDraft = (
  draft: Receipt,
  ctx: { readonly by: string; readonly override?: { readonly reason: string } }
): Result.Result<void, TransitionError> => {
  if (!isUnissued(draft)) {
    return refuse(
      draft,
      "delete",
      "not_a_draft",
      `${describeReceipt(draft)} is ${draft.status} and can never be deleted; void it instead`
    )
  }
  if (ctx.by === draft.maker) return Result.succeed(undefined)
  if (ctx.override !== undefined && ctx.override.reason.trim() !== "") return Result.succeed(undefined)
  return refuse(
    draft,
    "delete",
    "only_maker_can_delete",
    `${describeReceipt(draft)} was prepared by ${draft.maker}; only they may delete it, not ${ctx.by}` +
      (ctx.override === undefined ? "" : " (an administrator must give a reason)"),
    { maker: draft.maker, by: ctx.by }
  )
}

// ---------------------------------------------------------------------------
// Issuance

/**
 * Approves a submitted draft: it gets its number, lookup code and issue
 * time. The approver must not be the maker, and the series symbol must
 * carry the issue year (the schema checks it, in Vietnam's time zone).
 */
export const issue = (
  draft: Receipt,
  ctx: { readonly approver: string; readonly number: number; readonly lookupCode: string; readonly now: string }
): Result.Result<IssuedReceipt, TransitionError | InvalidReceipt> => {
  if (draft.status === "draft") {
    return refuse(
      draft,
      "issue",
      "not_submitted",
      `${describeReceipt(draft)} has not been submitted for approval; its maker ${draft.maker} must submit it first`,
      { maker: draft.maker }
    )
  }
  if (draft.status !== "submitted") {
    return refuse(draft, "issue", "not_a_draft", `${describeReceipt(draft)} is already ${draft.status}; it cannot be issued again`)
  }
  if (ctx.approver === draft.maker) {
    return refuse(
      draft,
      "issue",
      "maker_cannot_approve",
      `${ctx.approver} prepared ${describeReceipt(draft)} and cannot also approve it; ` +
        "another officer (the head of office) must approve it",
      { maker: draft.maker, by: ctx.approver }
    )
  }
  return Result.map(validate(issuedShape(draft, ctx)), (r) => r as IssuedReceipt)
}

/** A draft with what issuing adds, unchecked: `issue` validates it, the store's fast path checks the additions itself. */
export const issuedShape = (
  draft: Receipt,
  ctx: { readonly approver: string; readonly number: number; readonly lookupCode: string; readonly now: string }
): IssuedReceipt => ({
  ...draft,
  status: "issued",
  number: ctx.number,
  lookupCode: ctx.lookupCode,
  approver: ctx.approver,
  issuedAt: ctx.now
})

// ---------------------------------------------------------------------------
// After issuance

const notIssuedYet = (r: Receipt, action: TransitionAction, instead: string) =>
  refuse(r, action, "not_issued", `${describeReceipt(r)} has not been issued; ${instead}`)

const replacedBy = (r: Receipt): string => (r.replacedBy === undefined ? "another receipt" : numberOf(r.replacedBy))

/** Cancels an issued receipt; it keeps its number and stays on record. */
export const voidReceipt = (
  r: Receipt,
  ctx: { readonly by: string; readonly reason: string; readonly now: string }
): Result.Result<Receipt, TransitionError> => {
  switch (r.status) {
    case "draft":
    case "submitted":
      return notIssuedYet(r, "void", "delete the draft instead")
    case "voided":
      return refuse(r, "void", "already_voided", `${describeReceipt(r)} was already voided at ${r.voided?.at}; nothing to do`)
    case "replaced":
      return refuse(
        r,
        "void",
        "replaced_cannot_be_voided",
        `${describeReceipt(r)} was replaced by ${replacedBy(r)}; a replaced receipt cannot be voided — void the replacement instead`
      )
    case "issued":
      return validateDetails(r, {
        ...r,
        status: "voided",
        voided: { reason: ctx.reason.normalize("NFC"), by: ctx.by, at: ctx.now }
      }, "void")
  }
}

/** The pointer other receipts keep to this one. */
export const refOf = (r: IssuedReceipt): ReceiptRef => ({
  id: r.id,
  series: { form: r.series.form, symbol: r.series.symbol },
  number: r.number
})

const checkReplaceable = (original: Receipt): Result.Result<IssuedReceipt, TransitionError> => {
  switch (original.status) {
    case "draft":
    case "submitted":
      return notIssuedYet(original, "replace", "edit the draft instead")
    case "voided":
      return refuse(
        original,
        "replace",
        "voided_cannot_be_replaced",
        `${describeReceipt(original)} was voided; a voided receipt cannot be replaced — issue a new receipt instead`
      )
    case "replaced":
      return refuse(
        original,
        "replace",
        "already_replaced",
        `${describeReceipt(original)} was already replaced by ${replacedBy(original)}; to correct it again, replace ${
          replacedBy(original)
        }`
      )
    case "issued":
      return Result.succeed(original as IssuedReceipt)
  }
}

// A replacement corrects the amount or the content; the payer's name and
// address alone are corrected by annotation.
const correctedContent = (r: DraftInput) =>
  JSON.stringify(
    dropUndefined({
      ...contentOf(r),
      payer: { idNumber: r.payer.idNumber },
      amount: r.amount.toString(10),
      amountInWords: r.amountInWords
    })
  )

/**
 * A new draft that will replace an issued receipt whose amount or content is
 * wrong. The original stays issued until the replacement is issued and
 * `markReplaced` is applied.
 */
export const draftReplacement = (
  original: Receipt,
  input: DraftInput,
  ctx: { readonly id: string; readonly maker: string; readonly now: string }
): Result.Result<Receipt, TransitionError | InvalidReceipt> => {
  const replaceable = checkReplaceable(original)
  if (Result.isFailure(replaceable)) return replaceable
  const issued = replaceable.success
  if (input.agency !== issued.agency) {
    return refuse(
      original,
      "replace",
      "agency_mismatch",
      `${describeReceipt(original)} belongs to agency ${issued.agency}; its replacement must be issued by the same agency, not ${input.agency}`
    )
  }
  const withWords: DraftInput = { ...input, amountInWords: input.amountInWords ?? wordsFor(input.amount) }
  if (correctedContent(withWords) === correctedContent(issued)) {
    return refuse(
      original,
      "replace",
      "replacement_must_differ",
      `the replacement has the same amount and content as ${describeReceipt(original)}; ` +
        "a wrong payer name or address is corrected with an annotation, not a replacement"
    )
  }
  return Result.flatMap(createDraft(withWords, ctx), (draft) => validate({ ...draft, replaces: refOf(issued) }))
}

/** Marks the original as replaced once its replacement has been issued. */
export const markReplaced = (
  original: Receipt,
  replacement: IssuedReceipt,
  ctx: { readonly now: string }
): Result.Result<Receipt, TransitionError> => {
  const replaceable = checkReplaceable(original)
  if (Result.isFailure(replaceable)) return replaceable
  const ref = replacement.replaces
  const pointsHere = ref !== undefined && JSON.stringify(ref) === JSON.stringify(refOf(replaceable.success))
  if (replacement.status !== "issued" || !pointsHere) {
    const what = pointsHere ? `is ${replacement.status}, not issued` : "does not reference it"
    return refuse(
      original,
      "replace",
      "not_the_replacement",
      `${describeReceipt(replacement)} ${what}; only an issued replacement drafted for ${describeReceipt(original)} can replace it`
    )
  }
  if (replacement.issuedAt > ctx.now) {
    return refuse(
      original,
      "replace",
      "invalid_details",
      `${describeReceipt(replacement)} is issued at ${replacement.issuedAt}, after ${ctx.now}; mark the original replaced only once the replacement is issued`
    )
  }
  return validateDetails(original, { ...original, status: "replaced", replacedBy: refOf(replacement) }, "replace")
}

/**
 * Corrects the payer's name or address on an issued (or voided, or replaced)
 * receipt. The signed content is untouched: the correction lives beside it.
 */
export const annotate = (r: Receipt, a: Annotation): Result.Result<Receipt, TransitionError> => {
  if (!isIssued(r)) {
    return refuse(r, "annotate", "draft_cannot_be_annotated", `${describeReceipt(r)} is still a draft; edit it instead`)
  }
  if (a.at < r.issuedAt) {
    return refuse(
      r,
      "annotate",
      "invalid_details",
      `the annotation is dated ${a.at}, before ${describeReceipt(r)} was issued at ${r.issuedAt}`
    )
  }
  const annotation = nfcStrings(dropUndefined(a)) as Annotation
  return validateDetails(r, { ...r, annotations: [...r.annotations, annotation] }, "annotate")
}

/** The approved correction of `field` in force: the latest approved annotation of it. */
export const approvedCorrection = (r: Receipt, field: Annotation["field"]): Annotation | undefined =>
  r.annotations.reduce<Annotation | undefined>(
    (best, a) => (a.field === field && a.approvedBy !== undefined && (best === undefined || a.at >= best.at) ? a : best),
    undefined
  )

/**
 * The payer as corrected by approved annotations: for each field, the
 * latest approved one wins. Public pages show the signed value and this
 * beside it, labelled; they never silently replace the signed value.
 */
export const effectivePayer = (r: Receipt): { readonly name: string; readonly address?: string } => {
  const latest = (field: Annotation["field"]): Annotation | undefined => approvedCorrection(r, field)
  const name = latest("payerName")?.value ?? r.payer.name
  const address = latest("payerAddress")?.value ?? r.payer.address
  return address === undefined ? { name } : { name, address }
}
