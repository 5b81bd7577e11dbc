/** The terms an officer enters for a round: every invalid field named at once. */
import { describe, expect, test } from "bun:test"
import { Result } from "effect"
import fc from "fast-check"
import { decodeRoundTerms, encodeRoundTerms } from "../../domain/payout/round.ts"
import { feeArb, ratioTextArb } from "./arbitraries.ts"
import { makeTerms } from "./fixtures.ts"

const json = (over: Record<string, unknown> = {}) => ({ ...encodeRoundTerms(makeTerms({ available: 1_000_000n })), ...over })
const paths = (input: unknown): Array<string> => {
  const r = decodeRoundTerms(input)
  if (Result.isSuccess(r)) throw new Error("accepted")
  return r.failure.issues.map((i) => i.path)
}

describe("decodeRoundTerms", () => {
  test("accepts valid terms, amounts as bigint", () => {
    const terms = Result.getOrThrow(decodeRoundTerms(json({ allocation: { method: "ratio", ratio: "24.81%" } })))
    expect(terms.available).toBe(1_000_000n)
  })

  test("lists every invalid field: a negative amount, a ratio above 100 %, a round 0, an unknown fee, an impossible date", () => {
    const found = paths(json({
      available: "-5",
      round: 0,
      allocation: { method: "ratio", ratio: "120%" },
      fee: { kind: "half" },
      legalDate: "2025-02-29"
    }))
    for (const path of ["available", "round", "allocation.ratio", "fee", "legalDate"]) expect(found).toContain(path)
  })

  test("a coercion decision after the payout, and deductions above the money, are refused with their fields", () => {
    expect(paths(json({ coercion: { decisionNumber: "15/QĐ-CCTHADS", decisionDate: "2025-08-01" } }))).toEqual(["coercion.decisionDate"])
    expect(paths(json({ deductions: { enforcementCosts: "900000", housing: "200000" } }))).toEqual(["deductions"])
  })

  test("property: encoding then decoding gives the same terms", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 15n - 1n }), fc.option(ratioTextArb, { nil: undefined }), feeArb, (available, ratio, fee) => {
        const terms = makeTerms({ available, fee, allocation: ratio === undefined ? { method: "pro_rata" } : { method: "ratio", ratio } })
        expect(Result.getOrThrow(decodeRoundTerms(encodeRoundTerms(terms)))).toEqual(terms)
      })
    )
  })
})
