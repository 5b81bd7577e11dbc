import { describe, expect, test } from "bun:test"
import { Result } from "effect"
import fc from "fast-check"
import { vietnamDateOf } from "../../domain/dates.ts"
import {
  calendarMonthKey,
  formatPeriod,
  parsePeriod,
  periodEnd,
  periodEndsAt,
  periodLabel,
  periodMonths,
  periodStart,
  statisticalMonthOfDate,
  statisticalMonthOfInstant,
  statisticalYearOf
} from "../../domain/reports/period.ts"

const yearArb = fc.integer({ min: 2002, max: 2198 })
const periodArb = fc.record({ year: yearArb, months: fc.integer({ min: 1, max: 12 }) })
const dayMs = 86_400_000
// Any calendar day between 2001 and 2198.
const dateArb = fc.integer({ min: Date.UTC(2001, 0, 1) / dayMs, max: Date.UTC(2198, 11, 31) / dayMs }).map((d) =>
  new Date(d * dayMs).toISOString().slice(0, 10)
)

describe("the statistical year (1 October – 30 September)", () => {
  test("30 September closes a year and 1 October starts the next", () => {
    fc.assert(
      fc.property(yearArb, (y) => {
        expect(statisticalMonthOfDate(`${y}-09-30`)).toEqual({ year: y, index: 12 })
        expect(statisticalMonthOfDate(`${y}-10-01`)).toEqual({ year: y + 1, index: 1 })
        expect(statisticalYearOf(`${y}-09-30`) + 1).toBe(statisticalYearOf(`${y}-10-01`))
      })
    )
  })

  test("the boundary falls at midnight in Vietnam (17:00 UTC), not at midnight UTC", () => {
    fc.assert(
      fc.property(yearArb, (y) => {
        expect(statisticalMonthOfInstant(`${y}-09-30T16:59:59.999Z`)).toEqual({ year: y, index: 12 })
        expect(statisticalMonthOfInstant(`${y}-09-30T17:00:00.000Z`)).toEqual({ year: y + 1, index: 1 })
      })
    )
  })

  test("from one day to the next the year changes only between 30 September and 1 October", () => {
    fc.assert(
      fc.property(dateArb, (d) => {
        const next = new Date(Date.parse(d) + dayMs).toISOString().slice(0, 10)
        const changes = statisticalYearOf(next) !== statisticalYearOf(d)
        expect(changes).toBe(d.slice(5) === "09-30")
        if (changes) expect(statisticalYearOf(next)).toBe(statisticalYearOf(d) + 1)
      })
    )
  })

  test("every day lies in the 12-month period of its year, in the month named by its calendar month", () => {
    fc.assert(
      fc.property(dateArb, (d) => {
        const m = statisticalMonthOfDate(d)
        const year = { year: m.year, months: 12 }
        expect(periodStart(year) <= d && d <= periodEnd(year)).toBe(true)
        expect(calendarMonthKey(m)).toBe(d.slice(0, 7))
      })
    )
  })
})

describe("cumulative periods", () => {
  test("run from 1 October to the end of their last month", () => {
    expect(periodStart({ year: 2025, months: 6 })).toBe("2024-10-01")
    expect(periodEnd({ year: 2025, months: 1 })).toBe("2024-10-31")
    expect(periodEnd({ year: 2025, months: 5 })).toBe("2025-02-28")
    expect(periodEnd({ year: 2024, months: 5 })).toBe("2024-02-29")
    expect(periodEnd({ year: 2025, months: 6 })).toBe("2025-03-31")
    expect(periodEnd({ year: 2025, months: 12 })).toBe("2025-09-30")
    expect(periodMonths({ year: 2025, months: 3 }).map(calendarMonthKey)).toEqual(["2024-10", "2024-11", "2024-12"])
  })

  test("a period ends at midnight in Vietnam after its last day", () => {
    fc.assert(
      fc.property(periodArb, (p) => {
        const end = periodEndsAt(p)
        expect(vietnamDateOf(end)).toBe(new Date(Date.parse(periodEnd(p)) + dayMs).toISOString().slice(0, 10))
        expect(vietnamDateOf(new Date(Date.parse(end) - 1).toISOString())).toBe(periodEnd(p))
      })
    )
  })

  test("each period is one month longer than the one before and the 12-month period is the year", () => {
    fc.assert(
      fc.property(periodArb, (p) => {
        const months = periodMonths(p)
        expect(months.length).toBe(p.months)
        expect(calendarMonthKey(months[months.length - 1]!)).toBe(periodEnd(p).slice(0, 7))
      })
    )
    expect(periodLabel({ year: 2025, months: 6 })).toBe("6 tháng năm 2025 (từ 01/10/2024 đến 31/03/2025)")
    expect(periodLabel({ year: 2025, months: 12 })).toBe("12 tháng (năm) năm 2025 (từ 01/10/2024 đến 30/09/2025)")
  })
})

describe("parsePeriod / formatPeriod", () => {
  test("round trip", () => {
    fc.assert(fc.property(periodArb, (p) => expect(Result.getOrThrow(parsePeriod(formatPeriod(p)))).toEqual(p)))
  })

  test("reads the Vietnamese form, with or without diacritics", () => {
    expect(Result.getOrThrow(parsePeriod("6 tháng năm 2025"))).toEqual({ year: 2025, months: 6 })
    expect(Result.getOrThrow(parsePeriod("12 thang nam 2024"))).toEqual({ year: 2024, months: 12 })
    expect(Result.getOrThrow(parsePeriod(" 2025 / 3 "))).toEqual({ year: 2025, months: 3 })
  })

  test("refuses what is not a period, saying what is wrong", () => {
    const message = (text: string) => {
      const r = parsePeriod(text)
      if (Result.isSuccess(r)) throw new Error(`${text} parsed`)
      return r.failure.message
    }
    expect(message("2025/13")).toContain("1 to 12 months")
    expect(message("2025/0")).toContain("1 to 12 months")
    expect(message("1999/6")).toContain("outside")
    expect(message("quý 2")).toContain("is not a reporting period")
  })
})
