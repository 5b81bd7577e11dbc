/**
 * The receipt (biên lai thu tiền thi hành án) as an Effect Schema.
 *
 * One schema serves drafts and issued receipts: the cross-field rules at the
 * bottom say which fields each status requires. `decodeReceipt` reports every
 * invalid field at once, each with its path and reason, because an officer
 * correcting a draft (or a bulk job writing a rejects file) needs the whole
 * list, not the first problem.
 */
import { Result, Schema, SchemaIssue } from "effect"
import { amountsAgree } from "./amount-in-words.ts"
import { DecisionNumber, JudgmentNumber } from "./case-numbers.ts"
import { IsoDate, IsoInstant, vietnamDateOf } from "./dates.ts"
import { IdentityNumberString } from "./identity.ts"
import { VndFromString } from "./money.ts"

const pattern = (regExp: RegExp, expected: string) =>
  Schema.String.check(Schema.isPattern(regExp, { expected, message: `expected ${expected}` }))

const text = (max: number, expected: string) =>
  Schema.String.check(
    Schema.makeFilter((s: string) => {
      if (s.trim() === "") return `${expected} must not be empty`
      if (s !== s.trim()) return `${expected} must not start or end with spaces`
      if (s.length > max) return `${expected} is longer than ${max} characters`
      return undefined
    }, { expected })
  )

/** Agency code, e.g. "HCM" or "HNI": one of the 34 provincial agencies (or a test agency). */
export const AgencyCode = pattern(/^[A-Z][A-Z0-9]{1,15}$/, "an agency code of 2–16 capital letters or digits, like HCM")
/** Regional office code within an agency, e.g. "HCM-KV01". */
export const OfficeCode = pattern(/^[A-Z][A-Z0-9-]{1,23}$/, "an office code of capital letters, digits and dashes, like HCM-KV01")
/** The receipt form number (mẫu số), e.g. "01-BLTHADS". */
export const FormNumber = pattern(/^[0-9A-Z][0-9A-Z/.-]{0,19}$/, "a form number of capital letters, digits, / . -, like 01-BLTHADS")
/**
 * The series symbol (ký hiệu): two letters, "/", the two-digit year, "E" for
 * electronic, e.g. "AA/25E". The year in the symbol is what restarts
 * numbering every calendar year.
 */
export const SeriesSymbol = pattern(/^[A-Z]{2}\/\d{2}E$/, "a series symbol like AA/25E (two letters, /, two-digit year, E)")

/** The calendar year a symbol belongs to: "AA/25E" → 2025. */
export const symbolYear = (symbol: string): number => 2000 + Number(symbol.slice(3, 5))

/** Officer ids are opaque, stable account names. */
export const OfficerId = pattern(/^[a-z0-9][a-z0-9._-]{1,63}$/, "an officer id of lowercase letters, digits, . _ -")

export const MAX_RECEIPT_NUMBER = 9_999_999
/** Receipt numbers run from 1 to 9,999,999 within a series and year. */
export const ReceiptNumber = Schema.Number.check(
  Schema.isInt(),
  Schema.isBetween({ minimum: 1, maximum: MAX_RECEIPT_NUMBER }, { message: "a receipt number runs from 1 to 9,999,999" })
)
/** Printed with 7 digits: 42 → "0000042". */
export const formatReceiptNumber = (n: number): string => String(n).padStart(7, "0")

/**
 * Lookup code (mã tra cứu): 12 characters of Crockford base32 (no I, L, O,
 * U), 60 random bits, so it can be read aloud and typed without confusion.
 */
export const LookupCode = pattern(/^[0-9A-HJKMNP-TV-Z]{12}$/, "a 12-character lookup code (Crockford base32)")

export const Uuid = pattern(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, "a lowercase UUID")

/**
 * draft: its maker is preparing it; submitted: its maker handed it to an
 * approver and it waits (editing it, or adding a scan, makes it a draft
 * again); issued, voided, replaced: numbered and signed (docs/RECEIPT.md).
 */
export const ReceiptStatus = Schema.Literals(["draft", "submitted", "issued", "voided", "replaced"])
export type ReceiptStatus = typeof ReceiptStatus.Type

/** Draft and submitted receipts have no number yet; their content may still change. */
export const isUnissuedStatus = (status: ReceiptStatus): boolean => status === "draft" || status === "submitted"

export const Series = Schema.Struct({
  form: FormNumber,
  symbol: SeriesSymbol
})
export type Series = typeof Series.Type

export const Payer = Schema.Struct({
  name: text(200, "the payer's name"),
  idNumber: Schema.optionalKey(IdentityNumberString),
  address: Schema.optionalKey(text(300, "the payer's address"))
})
export type Payer = typeof Payer.Type

export const CaseReferences = Schema.Struct({
  judgmentNumber: Schema.optionalKey(JudgmentNumber),
  judgmentDate: Schema.optionalKey(IsoDate),
  decisionNumber: Schema.optionalKey(DecisionNumber),
  decisionDate: Schema.optionalKey(IsoDate)
})
export type CaseReferences = typeof CaseReferences.Type

export const Payment = Schema.Union([
  Schema.Struct({ method: Schema.Literal("cash") }),
  Schema.Struct({ method: Schema.Literal("bank_transfer"), reference: text(64, "the bank reference") })
])
export type Payment = typeof Payment.Type

/** A pointer to another receipt, by id and by its printed identity. */
export const ReceiptRef = Schema.Struct({
  id: Uuid,
  series: Series,
  number: ReceiptNumber
})
export type ReceiptRef = typeof ReceiptRef.Type

export const Voiding = Schema.Struct({
  reason: text(500, "the reason for voiding"),
  by: OfficerId,
  at: IsoInstant
})

/**
 * Corrections of the payer's name or address are annotations, never a new
 * receipt. One officer requests the correction (`by`), another approves it
 * (`approvedBy`, maker-checker; domain/corrections.ts); `at` is when it took
 * effect. Only approved annotations correct anything (`effectivePayer`): an
 * annotation without `approvedBy` predates approval and is kept as a record
 * only.
 */
export const Annotation = Schema.Struct({
  field: Schema.Literals(["payerName", "payerAddress"]),
  value: text(300, "the corrected value"),
  note: Schema.optionalKey(text(500, "the note")),
  by: OfficerId,
  at: IsoInstant,
  approvedBy: Schema.optionalKey(OfficerId)
}).check(Schema.makeFilter((a) => (a.approvedBy !== undefined && a.approvedBy === a.by ? "the correction's approver must not be the officer who requested it (maker-checker)" : undefined), { expected: "a correction approved by another officer" }))
export type Annotation = typeof Annotation.Type

/** The agency's signature over the canonical bytes (see docs/CANONICAL.md). */
export const Seal = Schema.Struct({
  algorithm: Schema.Literals(["Ed25519", "ECDSA-P256", "RSA-PSS"]),
  keyId: pattern(/^[0-9a-f]{16}$/, "a key id of 16 hex digits"),
  signature: pattern(/^[A-Za-z0-9_-]+$/, "a base64url signature")
})
export type Seal = typeof Seal.Type

const ReceiptFields = Schema.Struct({
  id: Uuid,
  agency: AgencyCode,
  office: Schema.optionalKey(OfficeCode),
  series: Series,
  number: Schema.optionalKey(ReceiptNumber),
  lookupCode: Schema.optionalKey(LookupCode),
  payer: Payer,
  case: CaseReferences,
  reason: text(500, "the reason for payment"),
  amount: VndFromString,
  amountInWords: text(300, "the amount in words"),
  payment: Payment,
  maker: OfficerId,
  approver: Schema.optionalKey(OfficerId),
  createdAt: IsoInstant,
  issuedAt: Schema.optionalKey(IsoInstant),
  status: ReceiptStatus,
  seal: Schema.optionalKey(Seal),
  voided: Schema.optionalKey(Voiding),
  replaces: Schema.optionalKey(ReceiptRef),
  replacedBy: Schema.optionalKey(ReceiptRef),
  annotations: Schema.Array(Annotation)
})

type Fields = typeof ReceiptFields.Type
type FieldIssue = { readonly path: ReadonlyArray<PropertyKey>; readonly issue: string }

/** The rules that tie fields together; each broken rule names its field. */
export const crossFieldIssues = (r: Fields): Array<FieldIssue> => {
  const issues: Array<FieldIssue> = []
  const at = (path: ReadonlyArray<PropertyKey>, issue: string) => issues.push({ path, issue })

  if (!amountsAgree(r.amount, r.amountInWords)) {
    at(["amountInWords"], `the amount in words does not say ${r.amount} đồng`)
  }
  const { decisionDate, judgmentDate } = r.case
  if (decisionDate && judgmentDate && decisionDate < judgmentDate) {
    at(["case", "decisionDate"], "the enforcement decision is dated before the judgment")
  }

  const numbered = !isUnissuedStatus(r.status)
  const aStatus = `${r.status === "issued" ? "an" : "a"} ${r.status}`
  const must = (key: keyof Fields, present: boolean, why: string) => {
    if (present && r[key] === undefined) at([key], `${aStatus} receipt must have ${why}`)
    if (!present && r[key] !== undefined) at([key], `${aStatus} receipt must not have ${why}`)
  }
  must("number", numbered, "a number")
  must("lookupCode", numbered, "a lookup code")
  must("approver", numbered, "an approver")
  must("issuedAt", numbered, "an issue time")
  must("voided", r.status === "voided", "voiding details")
  must("replacedBy", r.status === "replaced", "a replacement")

  if (r.approver !== undefined && r.approver === r.maker) {
    at(["approver"], "the approver must not be the maker (maker-checker)")
  }
  if (r.issuedAt !== undefined) {
    if (r.issuedAt < r.createdAt) at(["issuedAt"], "the receipt is issued before it was created")
    const issueDay = vietnamDateOf(r.issuedAt)
    if (symbolYear(r.series.symbol) !== Number(issueDay.slice(0, 4))) {
      at(["series", "symbol"], `the symbol's year does not match the issue year ${issueDay.slice(0, 4)}`)
    }
    if (decisionDate && decisionDate > issueDay) {
      at(["case", "decisionDate"], "the enforcement decision is dated after the receipt")
    }
  }
  if (r.voided !== undefined && r.issuedAt !== undefined && r.voided.at < r.issuedAt) {
    at(["voided", "at"], "the receipt is voided before it was issued")
  }
  if (r.replaces !== undefined && r.replaces.id === r.id) at(["replaces"], "a receipt cannot replace itself")
  return issues
}

export const Receipt = ReceiptFields.check(Schema.makeFilter(crossFieldIssues, { expected: "a consistent receipt" }))
export type Receipt = typeof Receipt.Type
/** The JSON form: the amount as a digit string, everything else as is. */
export type ReceiptJson = typeof Receipt.Encoded

/** An issued (or later voided/replaced) receipt: numbered, approved, timestamped. */
export type IssuedReceipt = Receipt & {
  readonly number: number
  readonly lookupCode: string
  readonly approver: string
  readonly issuedAt: string
}

export const isIssued = (r: Receipt): r is IssuedReceipt => !isUnissuedStatus(r.status)

/** A draft or a submitted draft: not numbered yet. */
export const isUnissued = (r: Receipt): boolean => isUnissuedStatus(r.status)

export class InvalidReceipt extends Schema.TaggedError<InvalidReceipt>()("InvalidReceipt", {
  issues: Schema.Array(Schema.Struct({ path: Schema.String, message: Schema.String })),
  message: Schema.String
}) {}

const formatter = SchemaIssue.makeFormatterStandardSchemaV1()

const pathToString = (path: ReadonlyArray<PropertyKey>): string =>
  path.map((p) => (typeof p === "number" ? `[${p}]` : String(p))).join(".").replace(/\.\[/g, "[")

/** Turns a schema issue tree into a flat list of { path, message }. */
export const listIssues = (issue: SchemaIssue.Issue): Array<{ path: string; message: string }> =>
  formatter(issue).issues.map((i) => ({
    path: pathToString((i.path ?? []).map((p) => (typeof p === "object" ? p.key : p))),
    message: i.message
  }))

const decodeAll = Schema.decodeUnknownResult(Receipt)
const encode = Schema.encodeUnknownResult(Receipt)

/** Decodes untrusted JSON into a receipt, or lists every invalid field. */
export const decodeReceipt = (input: unknown): Result.Result<Receipt, InvalidReceipt> =>
  Result.mapError(decodeAll(input, { errors: "all", onExcessProperty: "error" }), (error) => {
    const issues = listIssues(error.issue)
    const message = issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join("; ")
    return new InvalidReceipt({ issues, message: `invalid receipt: ${message}` })
  })

/** The JSON form of a receipt (amount as a digit string). */
export const encodeReceipt = (receipt: Receipt): ReceiptJson => Result.getOrThrow(encode(receipt))
