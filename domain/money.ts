/**
 * Amounts of money: whole Vietnamese đồng as `bigint`, never `number`.
 *
 * `parseVnd` reads figures the way they appear on payment slips, bank advices
 * and OCR output; `formatVnd` writes the one form bienlai prints. See
 * docs/MONEY.md for the accepted forms.
 */
import { Result, Schema, SchemaTransformation } from "effect"
import { nfc } from "./text.ts"

/** Exclusive upper bound: 10^15 đồng, far above any single receipt (≈10^12). */
export const MAX_VND = 10n ** 15n

export class InvalidAmount extends Schema.TaggedError<InvalidAmount>()("InvalidAmount", {
  input: Schema.String,
  reason: Schema.Literals(["empty", "not_a_number", "negative", "fractional", "too_large"]),
  message: Schema.String
}) {}

type Reason = InvalidAmount["reason"]

const invalid = (input: string, reason: Reason, problem: string): Result.Result<never, InvalidAmount> =>
  Result.fail(new InvalidAmount({ input, reason, message: `${problem}: ${JSON.stringify(input)}` }))

/** Range check for amounts that are already numbers (0 ≤ n < MAX_VND). */
export const checkVnd = (amount: bigint): Result.Result<bigint, InvalidAmount> =>
  amount < 0n
    ? invalid(amount.toString(), "negative", "An amount cannot be negative")
    : amount >= MAX_VND
    ? invalid(amount.toString(), "too_large", "An amount must be below 10^15 đồng")
    : Result.succeed(amount)

// The currency may be written before or after the figures, in any case, with or
// without a space: "125.000đ", "VNĐ 125.000", "125.000 vnd", "₫125.000".
const unitWords = "(?:vnđ|vnd|đồng|dong|đ|₫)"
const unitPrefix = new RegExp(`^${unitWords}\\s*`, "iu")
const unitSuffix = new RegExp(`\\s*${unitWords}$`, "iu")

// Digits separated by single "." or "," or by runs of spaces (including NBSP
// U+00A0, narrow NBSP U+202F and thin space U+2009, which `\s` covers).
const numberShape = /^\d+(?:(?:[.,]|\s+)\d+)*$/u

/**
 * Reads an amount written in figures: "125.500.000", "125,500,000",
 * "125 500 000", "125500000", with an optional currency (đ, đồng, VNĐ, VND,
 * ₫) before or after and an optional leading "+" (bank statements mark credits
 * with it). A decimal part of zeros ("125.500.000,00") is read as whole đồng.
 */
export const parseVnd = (text: string): Result.Result<bigint, InvalidAmount> => {
  let body = nfc(text).trim()
  const withoutPrefix = body.replace(unitPrefix, "")
  body = (withoutPrefix !== body ? withoutPrefix : body.replace(unitSuffix, "")).trim()
  if (body === "") return invalid(text, "empty", "The amount is empty")

  const sign = /^[+\-\u2212]/u.exec(body)?.[0]
  if (sign !== undefined) body = body.slice(1).trim()
  if (!numberShape.test(body)) {
    return invalid(text, "not_a_number", "The amount is not a number in figures")
  }

  const split = splitDecimal(body)
  if (split === undefined) {
    return invalid(
      text,
      "not_a_number",
      "The amount has misplaced digit-group separators (groups after the first must have exactly 3 digits)"
    )
  }
  const whole = BigInt(split.integerDigits)
  if (sign !== undefined && sign !== "+" && (whole > 0n || /[1-9]/.test(split.fraction))) {
    return invalid(text, "negative", "An amount cannot be negative")
  }
  if (/[1-9]/.test(split.fraction)) {
    return invalid(text, "fractional", "An amount must be whole đồng, without a decimal part")
  }
  if (whole >= MAX_VND) return invalid(text, "too_large", "An amount must be below 10^15 đồng")
  return Result.succeed(whole)
}

/**
 * Tells digit-group separators from a decimal separator. The last separator is
 * decimal when it differs from all earlier ones ("1.234,5", "1,234.50") or when
 * it is the only one and is not followed by exactly 3 digits ("1,5", "12.50").
 * Returns undefined when the grouping is impossible ("1.23.456", "1.234 567").
 */
const splitDecimal = (body: string): { readonly integerDigits: string; readonly fraction: string } | undefined => {
  const digitRuns = body.split(/[.,]|\s+/u)
  const separators = (body.match(/[.,]|\s+/gu) ?? []).map((s) => (s === "." || s === "," ? s : " "))
  const last = separators.at(-1)
  const earlier = separators.slice(0, -1)
  const lastRun = digitRuns.at(-1) ?? ""
  const firstRun = digitRuns[0] ?? ""
  const isDecimal = last !== undefined && last !== " " &&
    (earlier.length > 0
      ? earlier.every((s) => s !== last)
      : lastRun.length !== 3 || firstRun === "0")

  const groupRuns = isDecimal ? digitRuns.slice(0, -1) : digitRuns
  const groupSeparators = isDecimal ? earlier : separators
  const grouped = groupSeparators.length === 0 ||
    (groupSeparators.every((s) => s === groupSeparators[0]) &&
      groupRuns.every((run, i) => i === 0 ? run.length <= 3 && !/^0/.test(run) : run.length === 3))
  if (!grouped) return undefined
  return { integerDigits: groupRuns.join(""), fraction: isDecimal ? lastRun : "" }
}

/** "125.500.000": dots between groups of three, as Vietnamese documents print. */
export const formatVndDigits = (amount: bigint): string => {
  const digits = (amount < 0n ? -amount : amount).toString()
  const grouped = digits.replace(/\B(?=(\d{3})+$)/g, ".")
  return amount < 0n ? `-${grouped}` : grouped
}

/** "125.500.000 đ" */
export const formatVnd = (amount: bigint): string => `${formatVndDigits(amount)} đ`

/** A whole amount of đồng: 0 ≤ n < MAX_VND. */
export const Vnd = Schema.BigInt.check(
  Schema.isBetweenBigInt({ minimum: 0n, maximum: MAX_VND, exclusiveMaximum: true }, {
    message: "An amount must be whole đồng from 0 to below 10^15"
  })
)

/**
 * Amount as a string of plain digits ("125500000") for JSON and CSV. Only the
 * canonical form is accepted (no sign, separators or leading zeros), so
 * encoding a decoded value gives back the same string.
 */
export const VndFromString = Schema.String.check(
  Schema.isPattern(/^(?:0|[1-9]\d{0,14})$/, {
    message: "An amount must be a string of plain digits without leading zeros, below 10^15"
  })
).pipe(Schema.decodeTo(Vnd, SchemaTransformation.bigintFromString))
