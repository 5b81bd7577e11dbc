/**
 * fast-check generators for identity numbers, shared by every test that needs
 * a payer's CCCD, CMND, passport or tax code.
 *
 * The generators state the rules again independently of domain/identity.ts
 * (the century table, the tax check digit), so a test that feeds their output
 * to the validators checks the implementation against the rules, not against
 * itself. Only the province list is taken from the domain; its own test pins
 * it to the official table.
 */
import fc from "fast-check"
import { birthProvinces } from "../../domain/provinces.ts"

const digits = (length: number): fc.Arbitrary<string> =>
  fc.array(fc.integer({ min: 0, max: 9 }), { minLength: length, maxLength: length }).map((ds) => ds.join(""))

export interface GeneratedCccd {
  readonly value: string
  readonly provinceCode: string
  readonly provinceName: string
  readonly gender: "male" | "female"
  readonly birthYear: number
}

// Century digits 0–7 (1900s–2200s); 8/9 (1800s) are rejected as implausible.
const centuries = [1900, 2000, 2100, 2200] as const

/** A valid CCCD together with what its digits mean. */
export const validCccdArbitrary: fc.Arbitrary<GeneratedCccd> = fc
  .record({
    province: fc.constantFrom(...birthProvinces),
    centuryIndex: fc.integer({ min: 0, max: centuries.length - 1 }),
    female: fc.boolean(),
    yearInCentury: fc.integer({ min: 0, max: 99 }),
    serial: digits(6)
  })
  .map(({ province, centuryIndex, female, yearInCentury, serial }) => ({
    value: `${province.code}${centuryIndex * 2 + (female ? 1 : 0)}${String(yearInCentury).padStart(2, "0")}${serial}`,
    provinceCode: province.code,
    provinceName: province.name,
    gender: female ? "female" : "male",
    birthYear: (centuries[centuryIndex] ?? 1900) + yearInCentury
  }))

const officialCodes = new Set(birthProvinces.map((p) => p.code))

/** A 12-digit number whose first three digits are not an official province code. */
export const unofficialProvinceCccdArbitrary: fc.Arbitrary<string> = fc
  .tuple(
    fc.integer({ min: 0, max: 999 }).map((n) => String(n).padStart(3, "0")).filter((code) => !officialCodes.has(code)),
    fc.integer({ min: 0, max: 7 }),
    digits(8)
  )
  .map(([code, century, rest]) => `${code}${century}${rest}`)

/** A valid 9-digit CMND. */
export const validCmndArbitrary: fc.Arbitrary<string> = digits(9)

/** A valid passport number in canonical (upper-case) form. */
export const validPassportArbitrary: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom(..."ABCDEFGHIJKLMNOPQRSTUVWXYZ"), digits(7))
  .map(([letter, rest]) => letter + rest)

const taxWeights = [31, 29, 23, 19, 17, 13, 7, 5, 3]

/** 10 − (Σ wᵢ·dᵢ mod 11) over the first 9 digits; 10 means no code can start with them. */
export const expectedTaxCheck = (firstNine: string): number =>
  10 - (taxWeights.reduce((sum, w, i) => sum + w * Number(firstNine[i]), 0) % 11)

/** The first 9 digits of some valid tax code: a non-zero sequence number and a computable check digit. */
const taxPrefixArbitrary: fc.Arbitrary<string> = digits(9).filter(
  (nine) => nine.slice(2) !== "0000000" && expectedTaxCheck(nine) !== 10
)

export interface GeneratedTaxCode {
  readonly value: string
  readonly base: string
  readonly branch?: string
}

/** A valid 10-digit tax code (no branch). */
export const validTaxBaseArbitrary: fc.Arbitrary<string> = taxPrefixArbitrary.map(
  (nine) => nine + String(expectedTaxCheck(nine))
)

/** A valid tax code, with a dependent-unit branch about half the time. */
export const validTaxCodeArbitrary: fc.Arbitrary<GeneratedTaxCode> = fc
  .tuple(validTaxBaseArbitrary, fc.option(fc.integer({ min: 1, max: 999 }), { nil: undefined }))
  .map(([base, branchNumber]) => {
    if (branchNumber === undefined) return { value: base, base }
    const branch = String(branchNumber).padStart(3, "0")
    return { value: `${base}-${branch}`, base, branch }
  })

export type GeneratedIdentity =
  | { readonly kind: "cccd"; readonly value: string }
  | { readonly kind: "cmnd"; readonly value: string }
  | { readonly kind: "passport"; readonly value: string }
  | { readonly kind: "tax_code"; readonly value: string }

/** A valid identity number of any kind, in canonical form, tagged with its kind. */
export const validIdentityArbitrary: fc.Arbitrary<GeneratedIdentity> = fc.oneof(
  validCccdArbitrary.map((c) => ({ kind: "cccd", value: c.value }) as const),
  validCmndArbitrary.map((value) => ({ kind: "cmnd", value }) as const),
  validPassportArbitrary.map((value) => ({ kind: "passport", value }) as const),
  validTaxCodeArbitrary.map((t) => ({ kind: "tax_code", value: t.value }) as const)
)

/**
 * The same number as people and OCR write it: random spaces, no-break spaces
 * and dots between characters, and sometimes lower case.
 */
export const withFormattingNoise = (value: string): fc.Arbitrary<string> =>
  fc
    .tuple(
      fc.array(fc.constantFrom("", "", "", " ", ".", "\u00a0", "  "), {
        minLength: value.length + 1,
        maxLength: value.length + 1
      }),
      fc.boolean()
    )
    .map(([gaps, lower]) => {
      const noisy = Array.from(value).reduce((out, char, i) => out + (gaps[i] ?? "") + char, "") + (gaps[value.length] ?? "")
      return lower ? noisy.toLowerCase() : noisy
    })

/** A string of digits whose length is none of the accepted ones (9, 10, 12). */
export const wrongLengthDigitsArbitrary: fc.Arbitrary<string> = fc
  .integer({ min: 1, max: 20 })
  .filter((n) => n !== 9 && n !== 10 && n !== 12)
  .chain((n) => digits(n))
