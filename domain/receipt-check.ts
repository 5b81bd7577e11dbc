/**
 * The receipt schema's decision for drafts, written out by hand.
 *
 * `decodeReceipt` walks Effect Schema's generic machinery for every field and
 * builds an issue tree even when there is nothing to report: right for one
 * receipt, most of the validation cost of a million (bulk ingestion). Here
 * every rule of domain/receipt.ts that a draft can meet is checked directly,
 * with the same predicates (the same patterns, parsers and `amountsAgree`).
 *
 * `draftIfValid` only ever says "valid, and this is the decoded draft" or
 * "not sure". `checkReceipt` answers "not sure" with `decodeReceipt`, so it
 * returns exactly what `decodeReceipt` returns for every input: the same
 * receipt, or the same issues with the same paths and messages.
 * test/domain/receipt-check.test.ts checks that a draft accepted here is
 * accepted by the schema with an equal value, and that every valid draft is
 * accepted here (so the slow path is taken only for rows that are rejected).
 */
import { Result } from "effect"
import { amountInWords, amountsAgree } from "./amount-in-words.ts"
import { parseDecisionNumber, parseJudgmentNumber } from "./case-numbers.ts"
import { makeIsoDate } from "./dates.ts"
import { validateIdentityNumber } from "./identity.ts"
import { MAX_VND } from "./money.ts"
import { decodeReceipt, type InvalidReceipt, type Payment, type Receipt } from "./receipt.ts"

// The patterns of domain/receipt.ts, domain/money.ts and domain/dates.ts.
const agencyPattern = /^[A-Z][A-Z0-9]{1,15}$/
const officePattern = /^[A-Z][A-Z0-9-]{1,23}$/
const formPattern = /^[0-9A-Z][0-9A-Z/.-]{0,19}$/
const symbolPattern = /^[A-Z]{2}\/\d{2}E$/
const officerPattern = /^[a-z0-9][a-z0-9._-]{1,63}$/
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
const amountPattern = /^(?:0|[1-9]\d{0,14})$/
const datePattern = /^(\d{4})-(\d{2})-(\d{2})$/
const instantPattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/

type Fields = Record<string, unknown>

/** A plain object whose own keys are all in `allowed` (the schema refuses excess keys). */
const plainObject = (value: unknown, allowed: ReadonlySet<string>): Fields | undefined => {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined
  if (Object.getPrototypeOf(value) !== Object.prototype) return undefined
  for (const key of Reflect.ownKeys(value)) {
    if (typeof key !== "string" || !allowed.has(key)) return undefined
    // An optional key holding `undefined` is an issue for the schema; present keys hold values.
    if ((value as Fields)[key] === undefined) return undefined
  }
  return value as Fields
}

const matches = (value: unknown, pattern: RegExp): value is string => typeof value === "string" && pattern.test(value)

/** text(max) of domain/receipt.ts: not blank, no surrounding spaces, at most `max` characters. */
const isText = (value: unknown, max: number): value is string =>
  typeof value === "string" && value !== "" && value.length <= max && value === value.trim()

const isIsoDate = (value: unknown): value is string => {
  if (typeof value !== "string") return false
  const m = datePattern.exec(value)
  return m !== null && Result.isSuccess(makeIsoDate(Number(m[1]), Number(m[2]), Number(m[3]), value))
}

const isIsoInstant = (value: unknown): value is string =>
  matches(value, instantPattern) && !Number.isNaN(Date.parse(value))

/** Valid and already in the canonical form the parser would give. */
const isCanonical = (value: unknown, parse: (s: string) => Result.Result<string, unknown>): value is string => {
  if (typeof value !== "string") return false
  const parsed = parse(value)
  return Result.isSuccess(parsed) && parsed.success === value
}

const isIdentityNumber = (value: unknown): value is string => {
  if (typeof value !== "string") return false
  const parsed = validateIdentityNumber(value)
  return Result.isSuccess(parsed) && parsed.success.value === value
}

/**
 * `amountsAgree`, first trying the words bienlai itself writes: reading words
 * back costs several times more than writing them, and parseAmountInWords
 * reads amountInWords back exactly (test/domain/amount-in-words.test.ts).
 */
const wordsSay = (amount: bigint, words: string): boolean => words === amountInWords(amount) || amountsAgree(amount, words)

const draftKeys = new Set([
  "id", "agency", "office", "series", "payer", "case", "reason", "amount",
  "amountInWords", "payment", "maker", "createdAt", "status", "annotations"
])
const seriesKeys = new Set(["form", "symbol"])
const payerKeys = new Set(["name", "idNumber", "address"])
const caseKeys = new Set(["judgmentNumber", "judgmentDate", "decisionNumber", "decisionDate"])
const cashKeys = new Set(["method"])
const transferKeys = new Set(["method", "reference"])

const paymentOf = (value: unknown): Payment | undefined => {
  const cash = plainObject(value, cashKeys)
  if (cash !== undefined && cash["method"] === "cash") return { method: "cash" }
  const transfer = plainObject(value, transferKeys)
  if (transfer === undefined || transfer["method"] !== "bank_transfer" || !isText(transfer["reference"], 64)) return undefined
  return { method: "bank_transfer", reference: transfer["reference"] }
}

/**
 * The draft `decodeReceipt(input)` would return, when `input` (the receipt's
 * JSON form, amount as a digit string) is a valid draft (or submitted draft) without annotations;
 * `undefined` when it is not, or is not a draft this check covers.
 */
export const draftIfValid = (input: unknown): Receipt | undefined => {
  const r = plainObject(input, draftKeys)
  const status = r?.["status"]
  if (r === undefined || (status !== "draft" && status !== "submitted")) return undefined
  const annotations = r["annotations"]
  if (!Array.isArray(annotations) || annotations.length !== 0) return undefined
  const { id, agency, office, reason, amountInWords, maker, createdAt } = r
  if (!matches(id, uuidPattern) || !matches(agency, agencyPattern)) return undefined
  if (office !== undefined && !matches(office, officePattern)) return undefined
  if (!isText(reason, 500) || !isText(amountInWords, 300)) return undefined
  if (!matches(maker, officerPattern) || !isIsoInstant(createdAt)) return undefined

  const series = plainObject(r["series"], seriesKeys)
  if (series === undefined) return undefined
  const { form, symbol } = series
  if (!matches(form, formPattern) || !matches(symbol, symbolPattern)) return undefined

  const payer = plainObject(r["payer"], payerKeys)
  if (payer === undefined) return undefined
  const { name, idNumber, address } = payer
  if (!isText(name, 200)) return undefined
  if (idNumber !== undefined && !isIdentityNumber(idNumber)) return undefined
  if (address !== undefined && !isText(address, 300)) return undefined

  const caseRefs = plainObject(r["case"], caseKeys)
  if (caseRefs === undefined) return undefined
  const { judgmentNumber, judgmentDate, decisionNumber, decisionDate } = caseRefs
  if (judgmentNumber !== undefined && !isCanonical(judgmentNumber, parseJudgmentNumber)) return undefined
  if (decisionNumber !== undefined && !isCanonical(decisionNumber, parseDecisionNumber)) return undefined
  if (judgmentDate !== undefined && !isIsoDate(judgmentDate)) return undefined
  if (decisionDate !== undefined && !isIsoDate(decisionDate)) return undefined
  if (judgmentDate !== undefined && decisionDate !== undefined && decisionDate < judgmentDate) return undefined

  const payment = paymentOf(r["payment"])
  if (payment === undefined) return undefined
  if (!matches(r["amount"], amountPattern)) return undefined
  const amount = BigInt(r["amount"])
  if (amount >= MAX_VND || !wordsSay(amount, amountInWords)) return undefined

  return {
    id,
    agency,
    ...(office === undefined ? {} : { office }),
    series: { form, symbol },
    payer: {
      name,
      ...(idNumber === undefined ? {} : { idNumber }),
      ...(address === undefined ? {} : { address })
    },
    case: {
      ...(judgmentNumber === undefined ? {} : { judgmentNumber }),
      ...(judgmentDate === undefined ? {} : { judgmentDate }),
      ...(decisionNumber === undefined ? {} : { decisionNumber }),
      ...(decisionDate === undefined ? {} : { decisionDate })
    },
    reason,
    amount,
    amountInWords,
    payment,
    maker,
    createdAt,
    status,
    annotations: []
  }
}

/** Exactly `decodeReceipt(input)`, without the schema's cost for valid drafts. */
export const checkReceipt = (input: unknown): Result.Result<Receipt, InvalidReceipt> => {
  const draft = draftIfValid(input)
  return draft === undefined ? decodeReceipt(input) : Result.succeed(draft)
}
