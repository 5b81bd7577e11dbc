import { describe, expect, test } from "bun:test"
import { Result, Schema } from "effect"
import fc from "fast-check"
import { formatShortDate, formatVietnameseDate, IsoDate, makeIsoDate, parseVietnameseDate, vietnamDateOf } from "../../domain/dates.ts"

const ok = (text: string) => Result.getOrThrow(parseVietnameseDate(text))
const err = (text: string) => {
  const r = parseVietnameseDate(text)
  if (Result.isSuccess(r)) throw new Error(`expected "${text}" to fail, got ${r.success}`)
  return r.failure.message
}

const validDate = fc
  .record({ year: fc.integer({ min: 1900, max: 2199 }), month: fc.integer({ min: 1, max: 12 }), day: fc.integer({ min: 1, max: 31 }) })
  .filter(({ year, month, day }) => Result.isSuccess(makeIsoDate(year, month, day)))

describe("parseVietnameseDate", () => {
  test("reads the forms written on documents", () => {
    expect(ok("ngày 23 tháng 6 năm 2025")).toBe("2025-06-23")
    expect(ok("Ngày 05 tháng 12 năm 2024")).toBe("2024-12-05")
    expect(ok("ngay 23 thang 6 nam 2025")).toBe("2025-06-23")
    expect(ok("23/06/2025")).toBe("2025-06-23")
    expect(ok("23-6-2025")).toBe("2025-06-23")
    expect(ok("23.06.2025")).toBe("2025-06-23")
    expect(ok("2025-06-23")).toBe("2025-06-23")
    expect(ok(" 1/1/2024, ")).toBe("2024-01-01")
  })

  test("refuses impossible and empty dates, saying why", () => {
    expect(err("31/02/2025")).toContain("day 31 does not exist in 02/2025")
    expect(err("29/02/2025")).toContain("day 29")
    expect(ok("29/02/2024")).toBe("2024-02-29")
    expect(err("12/13/2025")).toContain("month 13")
    expect(err("")).toContain("empty")
    expect(err("hôm qua")).toContain("is not a date")
    expect(err("01/01/1800")).toContain("year 1800")
  })

  test("round trip: the printed forms parse back to the same day", () => {
    fc.assert(
      fc.property(validDate, ({ year, month, day }) => {
        const iso = Result.getOrThrow(makeIsoDate(year, month, day))
        expect(ok(formatVietnameseDate(iso))).toBe(iso)
        expect(ok(formatShortDate(iso))).toBe(iso)
        expect(ok(iso)).toBe(iso)
      })
    )
  })
})

describe("IsoDate schema", () => {
  const decode = Schema.decodeUnknownResult(IsoDate)
  test("accepts real days only", () => {
    expect(Result.isSuccess(decode("2025-06-23"))).toBe(true)
    expect(Result.isFailure(decode("2025-02-30"))).toBe(true)
    expect(Result.isFailure(decode("23/06/2025"))).toBe(true)
  })
})

describe("vietnamDateOf", () => {
  test("uses the Vietnamese calendar day (UTC+7)", () => {
    expect(vietnamDateOf("2025-06-23T16:59:59.000Z")).toBe("2025-06-23")
    expect(vietnamDateOf("2025-06-23T17:00:00.000Z")).toBe("2025-06-24")
    expect(vietnamDateOf("2025-12-31T17:30:00.000Z")).toBe("2026-01-01")
  })
})
