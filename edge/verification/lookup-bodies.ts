/**
 * What a lookup sends, as Effect Schemas for Hono's validator
 * (edge/http/body.ts): the JSON of `POST /api/lookup` and `/api/lookup/pdf`,
 * and the form of the lookup page (`POST /tra-cuu`, `/tra-cuu/pdf`).
 */
import { Effect, Schema, SchemaTransformation } from "effect"
import { formBody, jsonBody, type Problem } from "../http/body.ts"
import { type ApiError, refusal } from "../http/errors.ts"

const lookupCodeRule = "lookupCode must be a string"
const idNumberRule = "idNumber must be a string"

/** `{ lookupCode, idNumber? }`. */
export const LookupBody = Schema.Struct({
  lookupCode: Schema.String.annotate({ message: lookupCodeRule }).annotateKey({ messageMissingKey: lookupCodeRule }),
  idNumber: Schema.optionalKey(Schema.String.annotate({ message: idNumberRule }))
})

const lookupShape = {
  vi: 'Hãy gửi { "lookupCode": "...", "idNumber": "..." } (idNumber không bắt buộc).',
  en: 'send { "lookupCode": "...", "idNumber": "..." } (idNumber optional)'
}

const invalidLookup = (problems: ReadonlyArray<Problem>): ApiError =>
  refusal(400, "invalid_body", {
    vi: problems.map((p) => (p.message === idNumberRule ? "Số định danh (idNumber) phải là một chuỗi ký tự." : lookupShape.vi)).join(" "),
    en: problems.map((p) => (p.message === idNumberRule ? idNumberRule : lookupShape.en)).join("; ")
  })

export const lookupBody = jsonBody(LookupBody, { refuse: invalidLookup, shape: lookupShape })

/** A text box of the form: what was typed, "" when it is missing (or something else came in its place). */
const Typed = Schema.Unknown.pipe(
  Schema.decodeTo(Schema.String, SchemaTransformation.transform<string, unknown>({ decode: (u) => (typeof u === "string" ? u : ""), encode: (s) => s })),
  Schema.withDecodingDefaultKey(Effect.succeed(""))
)

/** The lookup page's form: the code and, optionally, the payer's identity number, as typed (a refused lookup shows them again). */
export const LookupForm = Schema.Struct({ code: Typed, idNumber: Typed })

export const lookupForm = formBody(LookupForm, () => refusal(400, "invalid_form", { vi: "Không đọc được biểu mẫu đã gửi.", en: "the form could not be read" }))
