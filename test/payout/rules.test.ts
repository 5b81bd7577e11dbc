/** The payment-order rules are chosen by the payout's legal date. */
import { describe, expect, test } from "bun:test"
import { Result } from "effect"
import fc from "fast-check"
import { planRound } from "../../domain/payout/allocate.ts"
import { NO_HISTORY } from "../../domain/payout/history.ts"
import { payoutRuleSets, rulesFor } from "../../domain/payout/rules.ts"
import { makeClaim, makeTerms } from "./fixtures.ts"

const dateArb = fc.date({ min: new Date("2009-07-01T00:00:00Z"), max: new Date("2030-12-31T00:00:00Z"), noInvalidDate: true }).map((d) =>
  d.toISOString().slice(0, 10)
)

describe("rulesFor", () => {
  test("from 1 July 2015 to 30 June 2026: Law 26/2008 as amended in 2014", () => {
    for (const date of ["2015-07-01", "2025-06-16", "2026-06-30"]) {
      const rules = Result.getOrThrow(rulesFor(date))
      expect(rules.id).toBe("vn-thads-2008-am-2014")
      expect(rules.ranks).toEqual(["a", "b", "c"])
      expect(rules.tiers).toEqual(["secured", "coercion", "general"])
      expect(rules.deductions).toEqual(["enforcement_costs", "housing_115_5"])
    }
  })

  test("from 1 July 2026, Law 106/2025/QH15 governs and is not encoded: planning refuses and names the law", () => {
    const r = rulesFor("2026-07-01")
    expect(Result.isFailure(r)).toBe(true)
    if (Result.isSuccess(r)) return
    expect(r.failure.reason).toBe("not_encoded")
    expect(r.failure.law).toContain("106/2025/QH15")
    expect(r.failure.message).toContain("106/2025/QH15")
    expect(r.failure.message).toContain("domain/payout/rules.ts")

    const planned = planRound([makeClaim(1)], NO_HISTORY, makeTerms({ legalDate: "2026-07-01", available: 1000n }), {
      id: "00000001-0000-4000-8000-000000000000",
      planner: "a.b",
      now: "2026-07-01T02:00:00.000Z"
    })
    expect(Result.isFailure(planned) && planned.failure._tag).toBe("PayoutRulesUnavailable")
  })

  test("before the 2014 amendments took effect, the original 2008 text is not encoded either", () => {
    const r = rulesFor("2015-06-30")
    expect(Result.isFailure(r) && r.failure.reason).toBe("not_encoded")
    expect(Result.isFailure(rulesFor("2009-06-30")) && Result.isFailure(rulesFor("2009-06-30"))).toBe(true)
    const none = rulesFor("2000-01-01")
    expect(Result.isFailure(none) && none.failure.reason).toBe("no_law")
  })

  test("property: every date from 1 July 2009 falls in exactly one rule set", () => {
    fc.assert(
      fc.property(dateArb, (date) => {
        const matching = payoutRuleSets.filter((r) => r.validFrom <= date && (r.validUntil === undefined || date <= r.validUntil))
        expect(matching.length).toBe(1)
      })
    )
  })
})
