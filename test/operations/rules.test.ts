/**
 * The pure rules of the operations view: the statistical period's first day
 * (1 October, Circular 05/2024/TT-BTP) and the days counted from, and whose
 * figures an officer may see.
 */
import { describe, expect, test } from "bun:test"
import fc from "fast-check"
import { Result } from "effect"
import { operationsWindow, statisticalYearStart, vietnamDayStart } from "../../domain/operations/calendar.ts"
import { resolveScope } from "../../domain/operations/scope.ts"

const day = fc.date({ min: new Date("2000-01-01T00:00:00Z"), max: new Date("2099-12-31T00:00:00Z"), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10))
const agency = fc.stringMatching(/^[A-Z][A-Z0-9]{1,5}$/)

describe("the statistical period", () => {
  test("30 September belongs to the year that began the October before; 1 October begins a new one", () => {
    expect(statisticalYearStart("2025-09-30")).toBe("2024-10-01")
    expect(statisticalYearStart("2025-10-01")).toBe("2025-10-01")
    expect(statisticalYearStart("2025-12-31")).toBe("2025-10-01")
    expect(statisticalYearStart("2026-01-01")).toBe("2025-10-01")
  })

  test("every day falls within a year that starts on 1 October, at most 365 days before it", () => {
    fc.assert(fc.property(day, (d) => {
      const start = statisticalYearStart(d)
      expect(start.slice(5)).toBe("10-01")
      expect(start <= d).toBe(true)
      const days = (Date.parse(d) - Date.parse(start)) / 86_400_000
      expect(days).toBeGreaterThanOrEqual(0)
      expect(days).toBeLessThan(366)
    }))
  })

  test("today is Vietnam's calendar day: 17:00 UTC is already the next day", () => {
    const w = operationsWindow("2025-09-30T17:00:00.000Z")
    expect(w.today).toBe("2025-10-01")
    expect(w.periodFrom).toBe("2025-10-01")
    expect(w.todayStart).toBe("2025-09-30T17:00:00.000Z")
    expect(w.days).toHaveLength(14)
    expect(w.days.at(-1)).toBe("2025-10-01")
    expect(w.days[0]).toBe("2025-09-18")
    expect(vietnamDayStart("2025-01-01")).toBe("2024-12-31T17:00:00.000Z")
  })
})

describe("whose figures an officer sees", () => {
  test("a provincial officer: their agency, whatever they ask; anything else is not found", () => {
    fc.assert(fc.property(agency, fc.option(fc.oneof(agency, fc.constant("national"), fc.constant("NATIONAL")), { nil: undefined }), (own, asked) => {
      const r = resolveScope({ agency: own, central: false }, asked)
      if (asked === undefined || asked === own) expect(r).toEqual(Result.succeed({ kind: "agency", agency: own }))
      else expect(Result.isFailure(r)).toBe(true)
    }))
  })

  test("the central department: the country by default, any agency when asked", () => {
    fc.assert(fc.property(agency, agency, (own, asked) => {
      expect(resolveScope({ agency: own, central: true }, undefined)).toEqual(Result.succeed({ kind: "national" }))
      expect(resolveScope({ agency: own, central: true }, "national")).toEqual(Result.succeed({ kind: "national" }))
      expect(resolveScope({ agency: own, central: true }, asked.toLowerCase())).toEqual(Result.succeed({ kind: "agency", agency: asked }))
    }))
  })
})
