/**
 * Planning a round: the invariants of docs/PAYOUT.md as properties over
 * random creditor lists and terms, and the law's special cases by example.
 */
import { describe, expect, test } from "bun:test"
import { Result } from "effect"
import fc from "fast-check"
import {
  applyHalfUp,
  type Claim,
  historyOf,
  lineAt,
  linesOf,
  NO_HISTORY,
  type PayoutLine,
  type PayoutPlan,
  planRound,
  planSha256,
  type RoundTerms
} from "../../domain/payout/index.ts"
import { parseRatio } from "../../domain/payout/ratio.ts"
import { ASSET, claimsArb, COERCION_DATE, shapeArb, termsFor } from "./arbitraries.ts"
import { approve, makeClaim, makeTerms, nextPlanId, plan, runRounds, sumAmounts } from "./fixtures.ts"

const owedTotal = (claims: ReadonlyArray<Claim>): bigint => claims.reduce((s, c) => s + c.owed, 0n)
const lines = (p: PayoutPlan): Array<PayoutLine> => [...linesOf(p)]
const ownLine = (p: PayoutPlan, id: string): PayoutLine => lines(p).find((l) => l.claim.id === id && l.kind === "round")!

const caseArb = claimsArb().chain((claims) => shapeArb.map((shape) => ({ claims, terms: termsFor(owedTotal(claims), shape) })))

const refusalOf = (claims: ReadonlyArray<Claim>, terms: RoundTerms, history = NO_HISTORY): string => {
  const r = planRound(claims, history, terms, { id: nextPlanId(), planner: "p.lan", now: "2025-07-01T02:00:00.000Z" })
  if (Result.isSuccess(r)) throw new Error("the round was planned")
  return r.failure._tag === "PlanRefused" ? r.failure.reason : r.failure.reason
}

describe("properties of a round", () => {
  test("exact sums: lines add up to the amount paid out, to the đồng; fees and nets too; nothing is lost", () => {
    fc.assert(
      fc.property(caseArb, ({ claims, terms }) => {
        const p = plan(claims, NO_HISTORY, terms)
        const t = p.totals
        expect(sumAmounts(p)).toBe(t.paid)
        expect(t.paid).toBe(t.catchUp + t.regular)
        expect(p.groups.reduce((s, g) => s + g.paid, 0n)).toBe(t.regular)
        expect(p.lines.fee.reduce((s, f) => s + f, 0n)).toBe(t.fee)
        expect(t.net).toBe(t.paid - t.fee)
        expect(t.deductions + t.paid + t.unallocated).toBe(terms.available)
        expect(t.unallocated >= 0n).toBe(true)
        const bySettlement = Object.values(t.bySettlement)
        expect(bySettlement.reduce((s, x) => s + x.amount, 0n)).toBe(t.paid)
        expect(bySettlement.reduce((s, x) => s + x.count, 0)).toBe(p.lines.count)
        if (terms.allocation.method === "pro_rata") expect(t.unallocated).toBe(0n)
      }),
      { numRuns: 400 }
    )
  })

  test("one line per claim, and nobody gets more than they are still owed", () => {
    fc.assert(
      fc.property(caseArb, ({ claims, terms }) => {
        const p = plan(claims, NO_HISTORY, terms)
        expect(p.lines.count).toBe(claims.length)
        for (const l of linesOf(p)) {
          expect(l.base).toBe(l.claim.owed)
          expect(l.amount >= 0n && l.amount <= l.base).toBe(true)
          expect(l.fee >= 0n && l.fee <= l.amount).toBe(true)
          expect(l.net).toBe(l.amount - l.fee)
        }
      }),
      { numRuns: 300 }
    )
  })

  test("rank order: a group gets nothing until every group before it is paid in full", () => {
    fc.assert(
      fc.property(caseArb, ({ claims, terms }) => {
        const p = plan(claims, NO_HISTORY, terms)
        p.groups.forEach((g, k) => {
          if (g.paid > 0n) for (const earlier of p.groups.slice(0, k)) expect(earlier.paid).toBe(earlier.owed)
        })
        // And by line: someone of a later group paid means everyone of the earlier groups paid in full.
        const order = p.groups.map((g) => g.key)
        for (const l of linesOf(p)) {
          if (l.amount === 0n) continue
          for (const m of linesOf(p)) if (order.indexOf(m.group) < order.indexOf(l.group)) expect(m.amount).toBe(m.base)
        }
      }),
      { numRuns: 300 }
    )
  })

  test("the same result whatever order the creditors are listed in (the same plan bytes)", () => {
    fc.assert(
      fc.property(
        caseArb.chain((c) => fc.shuffledSubarray(c.claims, { minLength: c.claims.length, maxLength: c.claims.length }).map((shuffled) => ({ ...c, shuffled }))),
        ({ claims, terms, shuffled }) => {
          const id = nextPlanId()
          expect(planSha256(plan(shuffled, NO_HISTORY, terms, id))).toBe(planSha256(plan(claims, NO_HISTORY, terms, id)))
        }
      ),
      { numRuns: 150 }
    )
  })

  test("settlement: nothing for 0 đồng; a deposit without a request or without an account; else the bank", () => {
    fc.assert(
      fc.property(caseArb, ({ claims, terms }) => {
        for (const l of linesOf(plan(claims, NO_HISTORY, terms))) {
          const requested = l.claim.requestDate !== undefined && l.claim.requestDate <= terms.legalDate
          const expected = l.amount === 0n
            ? "none"
            : !requested
            ? "deposit_not_requested"
            : l.claim.bankAccount === undefined
            ? "deposit_no_account"
            : "bank"
          expect(l.settlement).toBe(expected)
        }
      }),
      { numRuns: 200 }
    )
  })

  test("ratio rounds: the first group still owed gets ratio × what each is owed, to the nearest đồng; the others nothing", () => {
    fc.assert(
      fc.property(caseArb.filter((c) => c.terms.allocation.method === "ratio"), ({ claims, terms }) => {
        const p = plan(claims, NO_HISTORY, terms)
        const ratio = Result.getOrThrow(parseRatio((terms.allocation as { ratio: string }).ratio))
        const current = p.groups.find((g) => g.owed > 0n)!.key
        for (const l of linesOf(p)) {
          expect(l.amount).toBe(l.group === current ? applyHalfUp(l.base, ratio) : 0n)
        }
        expect(p.totals.unallocated).toBe(terms.available - terms.deductions.enforcementCosts - p.totals.paid)
      }),
      { numRuns: 300 }
    )
  })

  test("the enforcement fee: exact per line, and zero when the round waives it", () => {
    fc.assert(
      fc.property(caseArb, ({ claims, terms }) => {
        const p = plan(claims, NO_HISTORY, terms)
        for (const l of linesOf(p)) {
          if (terms.fee.kind === "waived" || l.amount === 0n) expect(l.fee).toBe(0n)
          if (terms.fee.kind === "flat_rate") {
            const rate = Result.getOrThrow(parseRatio(terms.fee.rate))
            expect(l.fee).toBe((l.amount * rate.numerator) / rate.denominator)
          }
        }
      }),
      { numRuns: 200 }
    )
  })
})

describe("monotone in the amount available", () => {
  const proRataArb = claimsArb().chain((claims) =>
    fc.record({ a: fc.bigInt({ min: 0n, max: 1000n }), b: fc.bigInt({ min: 0n, max: 1000n }) }).map(({ a, b }) => ({
      claims,
      less: (owedTotal(claims) * (a < b ? a : b)) / 1000n,
      more: (owedTotal(claims) * (a < b ? b : a)) / 1000n
    }))
  )

  test("property: more money never gives any group less, and never any creditor less, beyond the one-đồng rounding of largest remainder", () => {
    fc.assert(
      fc.property(proRataArb, ({ claims, less, more }) => {
        const id = nextPlanId()
        const a = plan(claims, NO_HISTORY, makeTerms({ available: less }), id)
        const b = plan(claims, NO_HISTORY, makeTerms({ available: more }), id)
        a.groups.forEach((g, k) => expect(b.groups[k]!.paid >= g.paid).toBe(true))
        for (let i = 0; i < a.lines.count; i++) {
          const before = a.lines.amount[i]!
          const after = b.lines.amount[i]!
          expect(after >= before - 1n).toBe(true)
          // Once the group is paid in full with the larger amount, or the exact share grew by a whole đồng, strictly no less.
          const g = b.groups.find((x) => x.key === lineAt(b, i).group)!
          if (g.paid === g.owed) expect(after).toBe(lineAt(b, i).base)
        }
      }),
      { numRuns: 400 }
    )
  })

  test("property: a higher ratio never gives anyone less", () => {
    fc.assert(
      fc.property(claimsArb(), fc.integer({ min: 1, max: 10_000 }), fc.integer({ min: 1, max: 10_000 }), (claims, x, y) => {
        const [lo, hi] = x < y ? [x, y] : [y, x]
        const id = nextPlanId()
        const terms = (bp: number) => makeTerms({ available: owedTotal(claims), allocation: { method: "ratio", ratio: `${bp / 100}%` } })
        const a = plan(claims, NO_HISTORY, terms(lo), id)
        const b = plan(claims, NO_HISTORY, terms(hi), id)
        for (let i = 0; i < a.lines.count; i++) expect(b.lines.amount[i]! >= a.lines.amount[i]!).toBe(true)
      }),
      { numRuns: 200 }
    )
  })
})

describe("catch-up for late creditors", () => {
  /** Ratio rounds at the HCMC ratios; each round's money covers its need. */
  const ratios = ["24.81%", "2.4553%", "1.25%", "0.9971%", "0.683%", "2.3406%", "0.8325%"]
  const ratioRound = (ratio: string, fee: RoundTerms["fee"] = { kind: "waived" }) =>
    makeTerms({ available: 10n ** 17n, allocation: { method: "ratio", ratio }, fee })

  test("property: a late creditor's catch-up for each earlier round equals what an identical creditor got there", () => {
    fc.assert(
      fc.property(claimsArb(12), fc.integer({ min: 1, max: 7 }), fc.nat(), (claims, rounds, pick) => {
        const twin = claims[pick % claims.length]!
        const late: Claim = { ...twin, id: "LATE-HEIR", creditor: { ...twin.creditor, identityNumber: "001085999999", name: "Người thừa kế" } }
        const earlier = runRounds(() => claims, ratios.slice(0, rounds).map((r) => ratioRound(r)))
        const p = plan([...claims, late], historyOf(earlier), { ...ratioRound("1%"), round: rounds + 1 })
        const catchUps = lines(p).filter((l) => l.claim.id === "LATE-HEIR" && l.kind === "catch_up")
        expect(catchUps.map((l) => l.forRound)).toEqual(earlier.map((e) => e.terms.round))
        catchUps.forEach((l, j) => expect(l.amount).toBe(ownLine(earlier[j]!, twin.id).amount))
        // And in this round both are owed the same, so they get the same.
        expect(ownLine(p, "LATE-HEIR").amount).toBe(ownLine(p, twin.id).amount)
        expect(ownLine(p, "LATE-HEIR").base).toBe(ownLine(p, twin.id).base)
      }),
      { numRuns: 150 }
    )
  })

  test("after a pro-rata round, catch-up is the group's exact ratio, rounded: within one đồng of an identical creditor's share", () => {
    fc.assert(
      fc.property(claimsArb(12), fc.bigInt({ min: 0n, max: 1000n }), fc.nat(), (claims, share, pick) => {
        const twin = claims[pick % claims.length]!
        const late: Claim = { ...twin, id: "LATE-HEIR", creditor: { ...twin.creditor, identityNumber: "001085999999", name: "Người thừa kế" } }
        const first = runRounds(() => claims, [makeTerms({ available: (owedTotal(claims) * share) / 1000n })])
        const p = plan([...claims, late], historyOf(first), { ...ratioRound("0%"), round: 2, allocation: { method: "ratio", ratio: "0%" } })
        const catchUp = lines(p).find((l) => l.claim.id === "LATE-HEIR" && l.kind === "catch_up")!
        const group = first[0]!.groups.find((g) => g.key === catchUp.group)!
        expect(catchUp.amount).toBe(applyHalfUp(late.owed, group.ratio))
        const twinGot = ownLine(first[0]!, twin.id).amount
        expect(catchUp.amount - twinGot <= 1n && twinGot - catchUp.amount <= 1n).toBe(true)
      }),
      { numRuns: 200 }
    )
  })

  test("catch-up is paid first, marks the rounds as taken, and is not paid again", () => {
    const claims = [makeClaim(1, { owed: 1_000_000_000n }), makeClaim(2, { owed: 3_000_000_000n })]
    const heir = makeClaim(3, { owed: 2_000_000_000n })
    const plans = runRounds((r) => (r < 3 ? claims : [...claims, heir]), [ratioRound("24.81%"), ratioRound("2.4553%"), ratioRound("1.25%"), ratioRound("1%")])
    const third = lines(plans[2]!).filter((l) => l.claim.id === heir.id)
    expect(third.map((l) => [l.kind, l.forRound, l.base, l.amount])).toEqual([
      ["catch_up", 1, 2_000_000_000n, 496_200_000n], // 24.81 % of 2,000,000,000
      ["catch_up", 2, 1_503_800_000n, 36_922_801n], // 2.4553 % of 1,503,800,000 = 36,922,801.41
      ["round", 3, 1_466_877_199n, 18_335_965n] // 1.25 % of 1,466,877,199 = 18,335,964.99
    ])
    // Paid before anyone's round-3 share: the round's catch-up total is the heir's two lines.
    expect(plans[2]!.totals.catchUp).toBe(496_200_000n + 36_922_801n)
    const fourth = lines(plans[3]!).filter((l) => l.claim.id === heir.id)
    expect(fourth.map((l) => l.kind)).toEqual(["round"])
    expect(historyOf(plans).claim(heir.id)!.rounds).toEqual([1, 2, 3, 4])
  })

  test("catch-up larger than the money available is refused with both amounts", () => {
    const claims = [makeClaim(1, { owed: 1_000_000n })]
    const first = runRounds(() => claims, [ratioRound("50%")])
    const heir = makeClaim(2, { owed: 1_000_000n })
    const r = planRound([...claims, heir], historyOf(first), { ...ratioRound("1%"), round: 2, available: 100_000n }, {
      id: nextPlanId(),
      planner: "p.lan",
      now: "2025-07-01T02:00:00.000Z"
    })
    expect(Result.isFailure(r) && r.failure.reason).toBe("catch_up_exceeds_available")
    expect(Result.isFailure(r) && r.failure.message).toContain("500.000 đ")
  })
})

describe("the law's special cases", () => {
  test("deductions come off first: enforcement costs and the housing amount of art. 115.5", () => {
    const claims = [makeClaim(1, { owed: 1_000n })]
    const p = plan(claims, NO_HISTORY, makeTerms({ available: 1_000n, deductions: { enforcementCosts: 300n, housing: 200n } }))
    expect(p.totals.deductions).toBe(500n)
    expect(p.totals.paid).toBe(500n)
    expect(refusalOf(claims, makeTerms({ available: 100n, deductions: { enforcementCosts: 300n, housing: 0n } }))).toBe(
      "deductions_exceed_available"
    )
  })

  test("ranks a, b, c strictly in order; pro rata within the rank that runs out", () => {
    const claims = [
      makeClaim(1, { rank: "c", owed: 500n }),
      makeClaim(2, { rank: "a", owed: 300n }),
      makeClaim(3, { rank: "b", owed: 200n }),
      makeClaim(4, { rank: "a", owed: 100n })
    ]
    const p = plan(claims, NO_HISTORY, makeTerms({ available: 450n }))
    expect(lines(p).map((l) => [l.claim.id, l.amount])).toEqual([["C0000001", 0n], ["C0000002", 300n], ["C0000003", 50n], ["C0000004", 100n]])
    expect(p.groups.map((g) => [g.key, g.paid])).toEqual([["general-a", 400n], ["general-b", 50n], ["general-c", 0n]])
  })

  test("art. 47.2.b: money from a coercion decision goes first to those who had requested by its date", () => {
    const early = makeClaim(1, { rank: "c", owed: 1_000n, requestDate: "2025-03-01" })
    const lateRankA = makeClaim(2, { rank: "a", owed: 1_000n, requestDate: "2025-06-01" })
    const terms = makeTerms({ available: 1_200n, coercion: { decisionNumber: "15/QĐ-CCTHADS", decisionDate: COERCION_DATE } })
    const p = plan([early, lateRankA], NO_HISTORY, terms)
    expect(lines(p).map((l) => [l.group, l.amount])).toEqual([["coercion-c", 1_000n], ["general-a", 200n]])
    // Without the coercion decision, rank a comes first.
    const q = plan([early, lateRankA], NO_HISTORY, makeTerms({ available: 1_200n }))
    expect(lines(q).map((l) => [l.group, l.amount])).toEqual([["general-c", 200n], ["general-a", 1_000n]])
  })

  test("art. 47.3: the proceeds of a mortgaged asset go first to the secured creditor", () => {
    const bank = makeClaim(1, { rank: "c", owed: 800n, secured: { asset: ASSET } })
    const wages = makeClaim(2, { rank: "a", owed: 1_000n })
    const p = plan([bank, wages], NO_HISTORY, makeTerms({ available: 1_000n, securedAsset: ASSET }))
    expect(lines(p).map((l) => [l.group, l.amount])).toEqual([["secured", 800n], ["general-a", 200n]])
    const other = plan([bank, wages], NO_HISTORY, makeTerms({ available: 1_000n, securedAsset: "Another asset" }))
    expect(lines(other).map((l) => [l.group, l.amount])).toEqual([["general-c", 0n], ["general-a", 1_000n]])
  })

  test("Decree 62/2015 art. 49: the share of a creditor who has not requested enforcement is deposited", () => {
    const p = plan([makeClaim(1, { requestDate: undefined, owed: 100n }), makeClaim(2, { owed: 100n, bankAccount: undefined })], NO_HISTORY, makeTerms({ available: 200n }))
    expect(lines(p).map((l) => l.settlement)).toEqual(["deposit_not_requested", "deposit_no_account"])
  })
})

describe("refusals", () => {
  const claims = [makeClaim(1, { owed: 1_000n }), makeClaim(2, { owed: 1_000n })]

  test("a round larger than what remains owed", () => {
    expect(refusalOf(claims, makeTerms({ available: 2_001n }))).toBe("more_than_owed")
  })

  test("a ratio that needs more than the money available", () => {
    expect(refusalOf(claims, makeTerms({ available: 999n, allocation: { method: "ratio", ratio: "50%" } }))).toBe("ratio_exceeds_available")
  })

  test("a round number that is not the next one", () => {
    expect(refusalOf(claims, makeTerms({ round: 2, available: 10n }))).toBe("round_number")
  })

  test("a claim listed twice", () => {
    expect(refusalOf([claims[0]!, claims[0]!], makeTerms({ available: 10n }))).toBe("duplicate_claim")
  })

  test("a history that paid a claim more than it is owed", () => {
    const first = runRounds(() => claims, [makeTerms({ available: 2_000n })])
    const shrunk = [makeClaim(1, { owed: 10n }), claims[1]!]
    expect(refusalOf(shrunk, makeTerms({ round: 2, available: 0n }), historyOf(first))).toBe("history_inconsistent")
  })

  test("a ratio round when everyone is paid in full", () => {
    const first = runRounds(() => claims, [makeTerms({ available: 2_000n })])
    expect(refusalOf(claims, makeTerms({ round: 2, available: 10n, allocation: { method: "ratio", ratio: "1%" } }), historyOf(first))).toBe(
      "nothing_owed"
    )
  })
})

describe("several rounds", () => {
  test("property: over any sequence of rounds, nobody is ever allocated more than owed, and each round adds up", () => {
    fc.assert(
      fc.property(claimsArb(10), fc.array(shapeArb, { minLength: 1, maxLength: 5 }), (claims, shapes) => {
        const plans: Array<ReturnType<typeof approve>> = []
        for (const shape of shapes) {
          const history = historyOf(plans)
          const remaining = claims.reduce((s, c) => s + c.owed - (history.claim(c.id)?.allocated ?? 0n), 0n)
          if (remaining === 0n) break
          const terms = { ...termsFor(remaining, shape), round: plans.length + 1 }
          const p = plan(claims, history, terms)
          expect(sumAmounts(p)).toBe(p.totals.paid)
          plans.push(approve(p))
        }
        const history = historyOf(plans)
        for (const c of claims) expect((history.claim(c.id)?.allocated ?? 0n) <= c.owed).toBe(true)
      }),
      { numRuns: 150 }
    )
  })
})
