/**
 * A draft (or a patch of one) in the officer API's request bodies, as Effect
 * Schemas for Hono's validator (edge/http/body.ts). Only the shape is checked
 * here (the known keys, the required ones, the amount as a digit string);
 * every field rule is the domain's, applied by createDraft/editDraft, which
 * list all invalid fields at once. A refused body is `invalid_receipt` (422)
 * with every problem as `{ path, message }` and the sentence in the client's
 * language (field-messages.ts says the messages below in Vietnamese).
 */
import { Result, Schema } from "effect"
import type { DraftInput } from "../../domain/lifecycle.ts"
import { VndFromString } from "../../domain/money.ts"
import { jsonBody, type Problem } from "../http/body.ts"
import { ApiError } from "../http/errors.ts"
import { sameAgency } from "./same-agency.ts"
import { invalidReceiptText } from "./field-messages.ts"

const draftKeys = ["office", "series", "payer", "case", "reason", "amount", "amountInWords", "payment"] as const

const amountMessage = 'expected the amount in whole đồng as a digit string, like "125500000"'
const decodeAmount = Schema.decodeUnknownResult(VndFromString)

/** The amount: whole đồng as a digit string; anything else (a number, "-5", "1.000") is named by one sentence. */
const Amount = Schema.String.annotate({ message: amountMessage })
  .check(Schema.makeFilter((s: string) => Result.isSuccess(decodeAmount(s)), { message: amountMessage }))
  .pipe(Schema.decodeTo(VndFromString))

// The domain reads these; here they only have to be there (or not).
const field = Schema.Unknown
const required = { messageMissingKey: "is required" }
const unknownKey = { messageUnexpectedKey: `unknown field; the fields are ${draftKeys.join(", ")}` }

/** A full draft (creation, replacement): the agency may be named, and must then be the officer's own. */
export const DraftBody = Schema.Struct({
  agency: Schema.optionalKey(field),
  office: Schema.optionalKey(field),
  series: field.annotateKey(required),
  payer: field.annotateKey(required),
  case: Schema.optionalKey(field),
  reason: field.annotateKey(required),
  amount: Amount.annotateKey(required),
  amountInWords: Schema.optionalKey(field),
  payment: field.annotateKey(required)
}).annotate(unknownKey)

/** A patch of a draft: any of its fields. */
export const DraftPatchBody = Schema.Struct({
  agency: Schema.optionalKey(field),
  office: Schema.optionalKey(field),
  series: Schema.optionalKey(field),
  payer: Schema.optionalKey(field),
  case: Schema.optionalKey(field),
  reason: Schema.optionalKey(field),
  amount: Schema.optionalKey(Amount),
  amountInWords: Schema.optionalKey(field),
  payment: Schema.optionalKey(field)
}).annotate(unknownKey)

export const invalidReceipt = (issues: ReadonlyArray<Problem>): ApiError =>
  new ApiError(422, "invalid_receipt", `invalid receipt: ${issues.map((i) => `${i.path}: ${i.message}`).join("; ")}`, {
    details: { issues },
    messages: invalidReceiptText(issues)
  })

const rules = { refuse: invalidReceipt, strict: true, inspect: sameAgency } as const

/** The validators of the two bodies. */
export const draftBody = jsonBody(DraftBody, rules)
export const draftPatchBody = jsonBody(DraftPatchBody, rules)

/** A full draft from its validated body, in the officer's agency. */
export const draftInputOf = (body: typeof DraftBody.Type, agency: string): DraftInput => ({ case: {}, ...body, agency }) as DraftInput

/** A patch from its validated body (the agency is not part of a draft's content). */
export const draftPatchOf = (body: typeof DraftPatchBody.Type): Partial<DraftInput> => {
  const { agency: _, ...patch } = body
  return patch as Partial<DraftInput>
}
