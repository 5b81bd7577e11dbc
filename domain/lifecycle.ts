/**
 * The receipt lifecycle as a pure state machine (see docs/RECEIPT.md):
 *
 *   draft ──issue──▶ issued ──void──▶ voided
 *     │                 └──markReplaced──▶ replaced
 *     └─delete
 *
 * Every function takes a receipt and returns a new one or a typed error;
 * nothing here stores, numbers or signs. The caller (the store) hands out
 * numbers and lookup codes and persists the result.
 *
 * After issuance the signed content (everything `canonicalReceipt` reads) is
 * never touched again: voiding, replacement and annotations only add the
 * fields that lie outside the signed bytes.
 */
import { Result, Schema } from "effect"
import { amountInWords } from "./amount-in-words.ts"
import { MAX_VND } from "./money.ts"
import {
  type Annotation,
  decodeReceipt,
  formatReceiptNumber,
  InvalidReceipt,
  type IssuedReceipt,
  isIssued,
  type Receipt,
  type ReceiptJson,
  type ReceiptRef,
  ReceiptStatus
} from "./receipt.ts"

export const TransitionAction = Schema.Literals(["edit", "delete", "issue", "void", "replace", "annotate"])
export type TransitionAction = typeof TransitionAction.Type

export const TransitionReason = Schema.Literals([
  "not_a_draft",
  "not_issued",
  "only_maker_can_edit",
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

/** A transition the receipt's current state does not allow. */
export class TransitionError extends Schema.TaggedError<TransitionError>()("TransitionError", {
  receiptId: Schema.String,
  from: ReceiptStatus,
  action: TransitionAction,
  reason: TransitionReason,
  message: Schema.String
}) {}

/** What an officer (or OCR) fills in; the rest comes from the context. */
export type DraftInput =
  & Pick<Receipt, "agency" | "office" | "series" | "payer" | "case" | "reason" | "amount" | "payment">
  & {
    /** Generated with `amountInWords(amount)` when absent. */
    readonly amountInWords?: string
  }

const refuse = (
  r: Receipt,
  action: TransitionAction,
  reason: TransitionReason,
  message: string
): Result.Result<never, TransitionError> =>
  Result.fail(new TransitionError({ receiptId: r.id, from: r.status, action, reason, message }))

/** How messages name a receipt: by its printed number once it has one. */
export const describeReceipt = (r: Receipt): string =>
  r.number === undefined ? `draft ${r.id}` : `receipt ${r.series.symbol} ${formatReceiptNumber(r.number)}`

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

/**
 * Corrects a draft. Only its maker may edit it: if the approver could change
 * the content, they would approve their own work (maker-checker).
 */
export const editDraft = (
  draft: Receipt,
  patch: Partial<DraftInput>,
  ctx: { readonly by: string; readonly now: string }
): Result.Result<Receipt, TransitionError | InvalidReceipt> => {
  if (draft.status !== "draft") {
    return refuse(
      draft,
      "edit",
      "not_a_draft",
      `${describeReceipt(draft)} is ${draft.status} and its content can no longer change; ` +
        "correct the payer's name or address with an annotation, or issue a replacement receipt"
    )
  }
  if (ctx.by !== draft.maker) {
    return refuse(
      draft,
      "edit",
      "only_maker_can_edit",
      `${describeReceipt(draft)} was prepared by ${draft.maker}; ${ctx.by} cannot edit it — ` +
        `send it back to ${draft.maker} for correction`
    )
  }
  const amount = patch.amount ?? draft.amount
  const words = patch.amountInWords?.normalize("NFC") ??
    (patch.amount !== undefined && patch.amount !== draft.amount ? wordsFor(amount) : draft.amountInWords)
  const { amountInWords: _words, ...rest } = patch
  const merged: DraftInput = { ...draft, ...rest }
  return validate({ ...draft, ...contentOf(merged), amount, amountInWords: words })
}

/** Only a draft may be deleted; an issued receipt keeps its number forever. */
export const deleteDraft = (draft: Receipt): Result.Result<void, TransitionError> =>
  draft.status === "draft"
    ? Result.succeed(undefined)
    : refuse(
      draft,
      "delete",
      "not_a_draft",
      `${describeReceipt(draft)} is ${draft.status} and can never be deleted; void it instead`
    )

// ---------------------------------------------------------------------------
// Issuance

/**
 * Approves a draft: it gets its number, lookup code and issue time. The
 * approver must not be the maker, and the series symbol must carry the issue
 * year (the schema checks it, in Vietnam's time zone).
 */
export const issue = (
  draft: Receipt,
  ctx: { readonly approver: string; readonly number: number; readonly lookupCode: string; readonly now: string }
): Result.Result<IssuedReceipt, TransitionError | InvalidReceipt> => {
  if (draft.status !== "draft") {
    return refuse(draft, "issue", "not_a_draft", `${describeReceipt(draft)} is already ${draft.status}; it cannot be issued again`)
  }
  if (ctx.approver === draft.maker) {
    return refuse(
      draft,
      "issue",
      "maker_cannot_approve",
      `${ctx.approver} prepared ${describeReceipt(draft)} and cannot also approve it; ` +
        "another officer (the head of office) must approve it"
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

/** The payer as corrected by annotations: for each field, the latest one wins. */
export const effectivePayer = (r: Receipt): { readonly name: string; readonly address?: string } => {
  const latest = (field: Annotation["field"]): Annotation | undefined =>
    r.annotations.reduce<Annotation | undefined>(
      (best, a) => (a.field === field && (best === undefined || a.at >= best.at) ? a : best),
      undefined
    )
  const name = latest("payerName")?.value ?? r.payer.name
  const address = latest("payerAddress")?.value ?? r.payer.address
  return address === undefined ? { name } : { name, address }
}
