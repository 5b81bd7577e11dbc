import { describe, expect, test } from "bun:test"
import { Result } from "effect"
import fc from "fast-check"
import {
  applyFloor,
  applyHalfUp,
  compareRatios,
  formatPercent,
  formatPercentApprox,
  parseRatio,
  parseRatioText,
  type Ratio,
  ratioOf,
  ratioText
} from "../../domain/payout/ratio.ts"

const ok = (text: string): Ratio => Result.getOrThrow(parseRatio(text))
const refusal = (text: string): string => {
  const r = parseRatio(text)
  if (Result.isSuccess(r)) throw new Error(`${text} was accepted`)
  return r.failure.reason
}

/** Finite decimal ratios up to 100 %, with up to 10 decimals of a percentage. */
const decimalRatio: fc.Arbitrary<Ratio> = fc
  .integer({ min: 0, max: 12 })
  .chain((scale) =>
    fc.bigInt({ min: 0n, max: 10n ** BigInt(scale) }).map((n) => ratioOf(n, 10n ** BigInt(scale)))
  )

describe("parseRatio", () => {
  test("reads the HCMC round ratios exactly", () => {
    expect(ok("24.81%")).toEqual({ numerator: 2481n, denominator: 10000n })
    expect(ok("2.4553%")).toEqual({ numerator: 24553n, denominator: 1000000n })
    expect(ok("0,9971 %")).toEqual({ numerator: 9971n, denominator: 1000000n })
    expect(ok("0.2481")).toEqual(ok("24.81%"))
    expect(ok("100%")).toEqual({ numerator: 1n, denominator: 1n })
    expect(ok("0%")).toEqual({ numerator: 0n, denominator: 1n })
  })

  test("names what is wrong", () => {
    expect(refusal("")).toBe("empty")
    expect(refusal("abc")).toBe("not_a_number")
    expect(refusal("1.234.5%")).toBe("not_a_number")
    expect(refusal("-5%")).toBe("not_a_number")
    expect(refusal("100.01%")).toBe("above_one")
    expect(refusal("1.5")).toBe("above_one")
    expect(refusal("0.00000000001%")).toBe("too_precise")
  })

  test("property: formatPercent and parseRatio are inverse on finite decimals", () => {
    fc.assert(
      fc.property(decimalRatio, (r) => {
        const text = formatPercent(r)
        expect(ok(text)).toEqual(r)
        expect(formatPercent(ok(text))).toBe(text)
      }),
      { numRuns: 500 }
    )
  })

  test("property: ratioText and parseRatioText are inverse; non-reduced text is not canonical", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 20n }), fc.bigInt({ min: 1n, max: 10n ** 20n }), (a, b) => {
        const r = ratioOf(a, b)
        expect(parseRatioText(ratioText(r))).toEqual(r)
        if (r.numerator > 0n) expect(parseRatioText(`${r.numerator * 2n}/${r.denominator * 2n}`)).toBeUndefined()
      })
    )
  })
})

describe("exact arithmetic", () => {
  test("24.81 % of 123,456,789 đồng is 30,629,629.3509 → 30,629,629", () => {
    expect(applyFloor(123_456_789n, ok("24.81%"))).toBe(30_629_629n)
    expect(applyHalfUp(123_456_789n, ok("24.81%"))).toBe(30_629_629n)
    expect(applyHalfUp(2n, ok("25%"))).toBe(1n) // 0.5 rounds up
    expect(applyHalfUp(2n, ok("24.99%"))).toBe(0n)
  })

  test("property: half-up is the nearest đồng, floor never exceeds the exact product", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 15n - 1n }), decimalRatio, (amount, r) => {
        const exactTimesDen = amount * r.numerator // the exact product, scaled by the denominator
        const floor = applyFloor(amount, r)
        expect(floor * r.denominator <= exactTimesDen).toBe(true)
        expect((floor + 1n) * r.denominator > exactTimesDen).toBe(true)
        const half = applyHalfUp(amount, r)
        // |half − exact| ≤ 1/2, halves rounded up
        expect(2n * half * r.denominator - 2n * exactTimesDen <= r.denominator).toBe(true)
        expect(2n * exactTimesDen - 2n * half * r.denominator < r.denominator).toBe(true)
        expect(half <= amount).toBe(true)
      }),
      { numRuns: 500 }
    )
  })

  test("compareRatios orders fractions exactly, where floating point cannot", () => {
    const a = ratioOf(10n ** 17n + 1n, 10n ** 18n)
    const b = ratioOf(10n ** 17n, 10n ** 18n)
    expect(Number(a.numerator) / Number(a.denominator)).toBe(Number(b.numerator) / Number(b.denominator))
    expect(compareRatios(a, b)).toBe(1)
  })

  test("formatPercentApprox marks inexact percentages", () => {
    expect(formatPercentApprox(ratioOf(1n, 3n), 4)).toBe("≈33.3333%")
    expect(formatPercentApprox(ok("24.81%"), 4)).toBe("24.81%")
  })
})
