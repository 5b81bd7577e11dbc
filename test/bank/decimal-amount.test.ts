import { describe, expect, test } from "bun:test"
import { Result } from "effect"
import fc from "fast-check"
import { MAX_FILE_AMOUNT, parseDecimalVnd } from "../../domain/bank/decimal-amount.ts"

const ok = (r: Result.Result<bigint, { message: string }>): bigint => {
  if (Result.isFailure(r)) throw new Error(r.failure.message)
  return r.success
}

describe("amounts in bank files: whole đồng, exact, no floating point", () => {
  const amount = fc.bigInt({ min: 1n, max: MAX_FILE_AMOUNT - 1n })

  test("property: digits, with or without a decimal part of zeros, read back to the same bigint (ISO point, MT940 comma)", () => {
    fc.assert(
      fc.property(amount, fc.nat({ max: 5 }), fc.constantFrom("." as const, "," as const), (n, zeros, sep) => {
        expect(ok(parseDecimalVnd(n.toString(), sep))).toBe(n)
        expect(ok(parseDecimalVnd(`${n}${sep}${"0".repeat(zeros)}`, sep))).toBe(n)
      }),
      { numRuns: 1000 }
    )
  })

  test("property: any non-zero fraction is refused as a fraction of a đồng", () => {
    fc.assert(
      fc.property(amount, fc.string({ unit: fc.constantFrom(..."0123456789"), minLength: 1, maxLength: 5 }).filter((f) => /[1-9]/.test(f)), (n, fraction) => {
        const r = parseDecimalVnd(`${n}.${fraction}`, ".")
        expect(Result.isFailure(r) && r.failure.reason).toBe("fractional")
      }),
      { numRuns: 1000 }
    )
  })

  test("amounts past 2^53 keep every digit (a float would not)", () => {
    expect(ok(parseDecimalVnd("9007199254740993", "."))).toBe(9_007_199_254_740_993n)
    expect(BigInt(Number("9007199254740993"))).toBe(9_007_199_254_740_992n) // what a float makes of it
  })

  test.each([
    ["1.234,50", ",", "format"],
    ["1,234.50", ".", "format"],
    ["-5", ".", "format"],
    ["1e6", ".", "format"],
    ["", ".", "format"],
    ["0", ".", "zero"],
    ["1000000000000000000", ".", "too_large"]
  ] as const)("%p (separator %p) is refused: %p", (text, sep, reason) => {
    const r = parseDecimalVnd(text, sep)
    expect(Result.isFailure(r) && r.failure.reason).toBe(reason)
  })

  test("the wrong decimal separator is named", () => {
    const r = parseDecimalVnd("1000,00", ".")
    expect(Result.isFailure(r) && r.failure.message).toContain("writes the decimal separator as \".\", not \",\"")
  })
})
