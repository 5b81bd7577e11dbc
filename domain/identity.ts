/**
 * Identity numbers seen on payment documents: CCCD (citizen identity card,
 * the 12-digit personal identification number), CMND (legacy 9-digit card),
 * passport (one letter and 7 digits) and tax code (mã số thuế).
 *
 * Validators are pure and synchronous and return `Result`, because they run
 * on every OCR'd field in bulk ingestion. The rules and their sources are in
 * docs/IDENTITY.md.
 */
import { Result, Schema } from "effect"
import { birthProvinceName } from "./provinces.ts"

export type IdentityKind = "cccd" | "cmnd" | "passport" | "tax_code"

export const identityRules = [
  "empty",
  "characters",
  "length",
  "province_code",
  "century_gender",
  "birth_year",
  "sequence",
  "check_digit",
  "branch",
  "format"
] as const
export type IdentityRule = (typeof identityRules)[number]

export class InvalidIdentityNumber extends Schema.TaggedError<InvalidIdentityNumber>()("InvalidIdentityNumber", {
  kind: Schema.Literals(["cccd", "cmnd", "passport", "tax_code", "unknown"]),
  rule: Schema.Literals(identityRules),
  input: Schema.String,
  message: Schema.String
}) {}

export interface Cccd {
  readonly kind: "cccd"
  /** 12 digits, no separators. */
  readonly value: string
  readonly provinceCode: string
  readonly provinceName: string
  readonly gender: "male" | "female"
  readonly birthYear: number
}

export interface Cmnd {
  readonly kind: "cmnd"
  /** 9 digits, no separators. */
  readonly value: string
}

export interface Passport {
  readonly kind: "passport"
  /** One upper-case letter and 7 digits. */
  readonly value: string
}

export interface TaxCode {
  readonly kind: "tax_code"
  /** "0100233488" or, for a dependent unit, "0100233488-001". */
  readonly value: string
  /** The 10-digit code of the enterprise (or of the parent of a branch). */
  readonly base: string
  /** The 3-digit dependent-unit number, when there is one. */
  readonly branch?: string
}

export type IdentityNumber = Cccd | Cmnd | Passport | TaxCode

export interface IdentityOptions {
  /** The year "now"; when given, a CCCD birth year after it is rejected. */
  readonly currentYear?: number
}

// Spaces (including no-break and zero-width ones) and dots are what people
// and OCR put between digit groups; they never carry meaning.
const separators = /[\s.\u200b-\u200d]/g
// Word processors and OCR turn the tax-code branch hyphen into look-alikes.
const dashLookalikes = /[\u2010-\u2015\u2212\ufe58\ufe63\uff0d]/g

/** The cleaning step shared by all validators: drop spaces and dots, unify dashes, upper-case. */
export const normalizeIdentityNumber = (input: string): string =>
  input.replace(separators, "").replace(dashLookalikes, "-").toUpperCase()

const labels: Record<IdentityKind | "unknown", string> = {
  cccd: "CCCD",
  cmnd: "CMND",
  passport: "passport",
  tax_code: "tax code",
  unknown: "identity number"
}

const fail = (
  kind: IdentityKind | "unknown",
  rule: IdentityRule,
  input: string,
  shown: string,
  problem: string
): Result.Result<never, InvalidIdentityNumber> =>
  Result.fail(
    new InvalidIdentityNumber({
      kind,
      rule,
      input,
      message: shown === "" ? `${labels[kind]}: ${problem}` : `${labels[kind]} ${shown}: ${problem}`
    })
  )

const firstNonDigit = (s: string): { readonly char: string; readonly position: number } | undefined => {
  const chars = Array.from(s)
  const index = chars.findIndex((c) => c < "0" || c > "9")
  const char = chars[index]
  return char === undefined ? undefined : { char, position: index + 1 }
}

/**
 * Shared checks for numbers made only of digits: returns the cleaned digits
 * or the first rule broken.
 */
const digitsOfLength = (
  kind: IdentityKind,
  input: string,
  length: number
): Result.Result<string, InvalidIdentityNumber> => {
  const cleaned = normalizeIdentityNumber(input).replaceAll("-", "")
  if (cleaned === "") return fail(kind, "empty", input, "", "the number is empty")
  const bad = firstNonDigit(cleaned)
  if (bad !== undefined) {
    return fail(kind, "characters", input, cleaned, `character "${bad.char}" at position ${bad.position} is not a digit`)
  }
  if (cleaned.length !== length) {
    return fail(kind, "length", input, cleaned, `has ${cleaned.length} digits, a ${labels[kind]} has ${length}`)
  }
  return Result.succeed(cleaned)
}

// Digit 4 of a CCCD, indexed by its value: the century of birth. Even digits
// are male, odd female (Decree 137/2015/ND-CP art. 7, Circular 07/2016/TT-BCA).
const centuryByDigit = [1900, 1900, 2000, 2000, 2100, 2100, 2200, 2200, 1800, 1800] as const

export const validateCccd = (
  input: string,
  options?: IdentityOptions
): Result.Result<Cccd, InvalidIdentityNumber> =>
  Result.flatMap(digitsOfLength("cccd", input, 12), (value) => {
    const provinceCode = value.slice(0, 3)
    const provinceName = birthProvinceName(provinceCode)
    if (provinceName === undefined) {
      return fail("cccd", "province_code", input, value, `province code "${provinceCode}" is not on the official list`)
    }
    const centuryDigit = Number(value[3])
    const century = centuryByDigit[centuryDigit] ?? 1800
    const gender = centuryDigit % 2 === 0 ? "male" : "female"
    // The numbering reserves 8/9 for the 1800s, but a payer born before 1900
    // would be over 125 today; a 0 or 1 misread as 8 or 9 is far likelier.
    if (century === 1800) {
      return fail(
        "cccd",
        "century_gender",
        input,
        value,
        `century digit "${centuryDigit}" means born in the 1800s (${gender}), which is implausible; the digit is probably misread`
      )
    }
    const birthYear = century + Number(value.slice(4, 6))
    const currentYear = options?.currentYear
    if (currentYear !== undefined && birthYear > currentYear) {
      return fail(
        "cccd",
        "birth_year",
        input,
        value,
        `digits 4–6 "${value.slice(3, 6)}" give birth year ${birthYear}, which is after ${currentYear}`
      )
    }
    return Result.succeed({ kind: "cccd", value, provinceCode, provinceName, gender, birthYear } as const)
  })

export const validateCmnd = (input: string): Result.Result<Cmnd, InvalidIdentityNumber> =>
  Result.map(digitsOfLength("cmnd", input, 9), (value) => ({ kind: "cmnd", value } as const))

const passportShape = /^[A-Z][0-9]{7}$/

export const validatePassport = (input: string): Result.Result<Passport, InvalidIdentityNumber> => {
  const value = normalizeIdentityNumber(input).replaceAll("-", "")
  if (value === "") return fail("passport", "empty", input, "", "the number is empty")
  const chars = Array.from(value)
  const badIndex = chars.findIndex((c) => !/^[A-Z0-9]$/.test(c))
  if (badIndex >= 0) {
    return fail(
      "passport",
      "characters",
      input,
      value,
      `character "${chars[badIndex]}" at position ${badIndex + 1} is neither a Latin letter nor a digit`
    )
  }
  if (chars.length !== 8) {
    return fail("passport", "length", input, value, `has ${chars.length} characters, a passport number has 8 (1 letter + 7 digits)`)
  }
  if (!passportShape.test(value)) {
    return fail("passport", "format", input, value, "a passport number is one letter followed by 7 digits, e.g. C1234567")
  }
  return Result.succeed({ kind: "passport", value } as const)
}

const taxWeights = [31, 29, 23, 19, 17, 13, 7, 5, 3] as const

/**
 * The check digit for the first 9 digits of a tax code, or undefined when the
 * weighted sum is a multiple of 11: the formula then gives 10, which is not a
 * digit, so no tax code begins with those 9 digits.
 */
export const taxCodeCheckDigit = (firstNine: string): number | undefined => {
  let sum = 0
  taxWeights.forEach((weight, i) => {
    sum += weight * Number(firstNine[i])
  })
  const check = 10 - (sum % 11)
  return check === 10 ? undefined : check
}

export const validateTaxCode = (input: string): Result.Result<TaxCode, InvalidIdentityNumber> => {
  const normalized = normalizeIdentityNumber(input)
  const digits = normalized.replaceAll("-", "")
  if (digits === "") return fail("tax_code", "empty", input, "", "the number is empty")
  const bad = firstNonDigit(digits)
  if (bad !== undefined) {
    return fail("tax_code", "characters", input, normalized, `character "${bad.char}" is not a digit or a branch hyphen`)
  }
  if (digits.length !== 10 && digits.length !== 13) {
    return fail(
      "tax_code",
      "length",
      input,
      normalized,
      `has ${digits.length} digits, a tax code has 10, or 10 + "-" + 3 for a dependent unit`
    )
  }
  const base = digits.slice(0, 10)
  const branch = digits.length === 13 ? digits.slice(10) : undefined
  if (base.slice(2, 9) === "0000000") {
    return fail("tax_code", "sequence", input, normalized, "digits 3–9 (the sequence number) are all zero")
  }
  const expected = taxCodeCheckDigit(base)
  if (expected === undefined) {
    return fail(
      "tax_code",
      "check_digit",
      input,
      normalized,
      `digits 1–9 "${base.slice(0, 9)}" admit no check digit (their weighted sum is a multiple of 11)`
    )
  }
  if (base[9] !== String(expected)) {
    return fail(
      "tax_code",
      "check_digit",
      input,
      normalized,
      `check digit is "${base[9]}" but digits 1–9 "${base.slice(0, 9)}" require "${expected}"`
    )
  }
  if (branch === undefined) return Result.succeed({ kind: "tax_code", value: base, base } as const)
  if (branch === "000") {
    return fail("tax_code", "branch", input, normalized, `branch "000" is not a dependent unit; branches run 001–999`)
  }
  return Result.succeed({ kind: "tax_code", value: `${base}-${branch}`, base, branch } as const)
}

const acceptedShapes =
  "expected a CCCD (12 digits), a CMND (9 digits), a passport (1 letter + 7 digits, e.g. C1234567) " +
  "or a tax code (10 digits, or 10 digits + \"-\" + 3 for a dependent unit)"

/** Picks the kind by the number's shape and validates it as that kind. */
export const validateIdentityNumber = (
  input: string,
  options?: IdentityOptions
): Result.Result<IdentityNumber, InvalidIdentityNumber> => {
  const normalized = normalizeIdentityNumber(input)
  if (normalized === "") return fail("unknown", "empty", input, "", "the number is empty")
  if (/^[0-9]{10}-[0-9]{3}$/.test(normalized)) return validateTaxCode(input)
  const compact = normalized.replaceAll("-", "")
  if (/^[0-9]+$/.test(compact)) {
    switch (compact.length) {
      case 12:
        return validateCccd(input, options)
      case 9:
        return validateCmnd(input)
      case 10:
        return validateTaxCode(input)
    }
    return fail("unknown", "length", input, normalized, `has ${compact.length} digits; ${acceptedShapes}`)
  }
  if (passportShape.test(compact)) return validatePassport(input)
  const stray = Array.from(normalized).find((c) => !/^[A-Z0-9-]$/.test(c))
  if (stray !== undefined) {
    return fail("unknown", "characters", input, normalized, `character "${stray}" belongs to no identity number; ${acceptedShapes}`)
  }
  return fail("unknown", "format", input, normalized, `not a recognised shape; ${acceptedShapes}`)
}

/**
 * Hides an identity number on public pages: every character but the last 3
 * becomes "*", so the length stays visible and the owner can still recognise
 * their number. A value of 3 characters or fewer is masked entirely, because
 * showing "the last 3" would show all of it.
 */
export const maskIdentityNumber = (value: string): string => {
  const chars = Array.from(value)
  const keep = chars.length > 3 ? 3 : 0
  return "*".repeat(chars.length - keep) + chars.slice(chars.length - keep).join("")
}

// A string check cannot rewrite the value, so these schemas accept only the
// canonical form (what `value` of a validation result holds): a number with
// spaces would otherwise be stored as typed and never match a lookup.
const canonicalCheck = (
  validate: (input: string) => Result.Result<{ readonly value: string }, InvalidIdentityNumber>,
  title: string
) =>
  Schema.makeFilter<string>(
    (input) => {
      const result = validate(input)
      if (Result.isFailure(result)) return result.failure.message
      return result.success.value === input
        ? undefined
        : `${title} "${input}" is valid but not in canonical form "${result.success.value}"`
    },
    { title }
  )

/** A string holding a valid identity number of any kind, in canonical form. */
export const IdentityNumberString = Schema.String.check(
  canonicalCheck((s) => validateIdentityNumber(s), "identity number")
)

/** A string holding a valid CCCD number: exactly 12 digits. */
export const CccdString = Schema.String.check(canonicalCheck((s) => validateCccd(s), "CCCD"))
