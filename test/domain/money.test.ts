import { describe, expect, test } from "bun:test"
import { Result, Schema } from "effect"
import * as fc from "fast-check"
import {
  checkVnd,
  formatVnd,
  formatVndDigits,
  type InvalidAmount,
  MAX_VND,
  parseVnd,
  Vnd,
  VndFromString
} from "../../domain/money.ts"
import { trickyAmountArbitrary } from "./amount.arbitraries.ts"

const ok = (text: string): bigint => {
  const result = parseVnd(text)
  if (Result.isFailure(result)) throw new Error(`expected ${JSON.stringify(text)} to parse: ${result.failure.message}`)
  return result.success
}

const failure = (result: Result.Result<bigint, InvalidAmount>): InvalidAmount => {
  if (Result.isSuccess(result)) throw new Error(`expected a failure, got ${result.success}`)
  return result.failure
}

const amountArbitrary = trickyAmountArbitrary

describe("parseVnd: accepted forms", () => {
  test.each([
    ["125.500.000", 125_500_000n],
    ["125,500,000", 125_500_000n],
    ["125 500 000", 125_500_000n],
    ["125\u00a0500\u00a0000", 125_500_000n],
    ["125\u202f500\u202f000", 125_500_000n],
    ["125500000", 125_500_000n],
    ["125.500.000 đ", 125_500_000n],
    ["125.500.000đ", 125_500_000n],
    ["125.500.000 đồng", 125_500_000n],
    ["125.500.000 ĐỒNG", 125_500_000n],
    ["125.500.000 VNĐ", 125_500_000n],
    ["125.500.000VND", 125_500_000n],
    ["125.500.000 vnd", 125_500_000n],
    ["VNĐ 125.500.000", 125_500_000n],
    ["đ125.500.000", 125_500_000n],
    ["125.500.000 ₫", 125_500_000n],
    ["  +5.000.000 ", 5_000_000n],
    ["125.500.000,00", 125_500_000n],
    ["125,500,000.00 VND", 125_500_000n],
    ["5,00", 5n],
    ["1.000", 1_000n],
    ["0", 0n],
    ["-0", 0n],
    ["999.999.999.999.999", MAX_VND - 1n],
    ["1.000.000.000.000 đ", 10n ** 12n]
  ])("%p → %p", (text, expected) => {
    expect(ok(text)).toBe(expected)
  })

  test("decomposed đồng (NFD) is recognised", () => {
    expect(ok("5.000 đồng".normalize("NFD"))).toBe(5_000n)
  })
})

describe("parseVnd: errors", () => {
  test.each([
    ["", "empty"],
    ["   ", "empty"],
    ["đ", "empty"],
    ["VNĐ", "empty"],
    ["abc", "not_a_number"],
    ["12a", "not_a_number"],
    ["5 triệu", "not_a_number"],
    ["-", "not_a_number"],
    ["1..000", "not_a_number"],
    ["1.000.", "not_a_number"],
    ["1.23.456", "not_a_number"],
    ["1.234.56.789", "not_a_number"],
    ["1.234,567.890", "not_a_number"],
    ["1.234 567", "not_a_number"],
    ["0.500.000", "not_a_number"],
    ["-5", "negative"],
    ["-5.000 đ", "negative"],
    ["\u22125", "negative"],
    ["1.234,5", "fractional"],
    ["1,5", "fractional"],
    ["12.50", "fractional"],
    ["0.500", "fractional"],
    ["1,234.05", "fractional"],
    ["1 234,5", "fractional"],
    ["1000000000000000", "too_large"],
    ["1.000.000.000.000.000 đ", "too_large"]
  ] as const)("%p → %p", (text, reason) => {
    const error = failure(parseVnd(text))
    expect(error._tag).toBe("InvalidAmount")
    expect(error.reason).toBe(reason)
    expect(error.input).toBe(text)
    expect(error.message).toContain(JSON.stringify(text))
  })

  test("misplaced separators are named in the message", () => {
    expect(failure(parseVnd("1.23.456")).message).toContain("misplaced")
  })

  test("property: a non-zero decimal part is always fractional", () => {
    fc.assert(
      fc.property(
        amountArbitrary,
        fc.integer({ min: 1, max: 99 }),
        (n, cents) => {
          const text = `${formatVndDigits(n)},${String(cents).padStart(2, "0")}`
          expect(failure(parseVnd(text)).reason).toBe("fractional")
        }
      ),
      { numRuns: 300 }
    )
  })
})

describe("formatVnd", () => {
  test("dots between groups of three, then đ", () => {
    expect(formatVnd(125_500_000n)).toBe("125.500.000 đ")
    expect(formatVndDigits(125_500_000n)).toBe("125.500.000")
    expect(formatVndDigits(0n)).toBe("0")
    expect(formatVndDigits(999n)).toBe("999")
    expect(formatVndDigits(1_000n)).toBe("1.000")
    expect(formatVndDigits(MAX_VND - 1n)).toBe("999.999.999.999.999")
  })

  test("property: parseVnd reads back formatVnd and formatVndDigits", () => {
    fc.assert(
      fc.property(amountArbitrary, (n) => {
        expect(ok(formatVnd(n))).toBe(n)
        expect(ok(formatVndDigits(n))).toBe(n)
      }),
      { numRuns: 1000 }
    )
  })

  test("property: parseVnd reads every other grouping and currency placement", () => {
    const separator = fc.constantFrom(",", " ", "\u00a0", "\u202f")
    const unit = fc.constantFrom("", " đ", "đ", " đồng", " VNĐ", " VND", " vnd", "VND ", "₫")
    fc.assert(
      fc.property(amountArbitrary, separator, unit, (n, sep, u) => {
        const digits = formatVndDigits(n).replaceAll(".", sep)
        const text = u.endsWith(" ") ? u + digits : digits + u
        expect(ok(text)).toBe(n)
      }),
      { numRuns: 500 }
    )
  })
})

describe("checkVnd", () => {
  test("accepts the range [0, 10^15)", () => {
    expect(Result.getOrThrow(checkVnd(0n))).toBe(0n)
    expect(Result.getOrThrow(checkVnd(MAX_VND - 1n))).toBe(MAX_VND - 1n)
  })

  test("rejects negative and too large amounts", () => {
    expect(failure(checkVnd(-1n)).reason).toBe("negative")
    expect(failure(checkVnd(MAX_VND)).reason).toBe("too_large")
    expect(failure(checkVnd(MAX_VND)).input).toBe("1000000000000000")
  })
})

describe("Vnd and VndFromString schemas", () => {
  const decodeVnd = Schema.decodeUnknownResult(Vnd)
  const decodeFromString = Schema.decodeUnknownResult(VndFromString)
  const encodeToString = Schema.encodeResult(VndFromString)

  test("Vnd accepts bigints in range and rejects the rest", () => {
    expect(Result.isSuccess(decodeVnd(0n))).toBe(true)
    expect(Result.isSuccess(decodeVnd(MAX_VND - 1n))).toBe(true)
    expect(Result.isFailure(decodeVnd(-1n))).toBe(true)
    expect(Result.isFailure(decodeVnd(MAX_VND))).toBe(true)
    expect(Result.isFailure(decodeVnd(5))).toBe(true)
  })

  test("VndFromString decodes plain digits and rejects other forms", () => {
    expect(Result.getOrThrow(decodeFromString("125500000"))).toBe(125_500_000n)
    expect(Result.getOrThrow(decodeFromString("0"))).toBe(0n)
    for (const bad of ["", "-5", "+5", "125.500.000", "0125", "1e6", "1000000000000000", " 5", 5]) {
      expect(Result.isFailure(decodeFromString(bad))).toBe(true)
    }
  })

  test("VndFromString refuses to encode an amount out of range", () => {
    expect(Result.isFailure(encodeToString(-1n))).toBe(true)
    expect(Result.isFailure(encodeToString(MAX_VND))).toBe(true)
  })

  test("property: VndFromString round-trips every amount", () => {
    fc.assert(
      fc.property(amountArbitrary, (n) => {
        const encoded = Result.getOrThrow(encodeToString(n))
        expect(encoded).toBe(n.toString())
        expect(Result.getOrThrow(decodeFromString(encoded))).toBe(n)
      }),
      { numRuns: 500 }
    )
  })
})
