/**
 * The Ho Chi Minh City practice at scale (seed 004, decision 3699/QĐ-CTHADS):
 * 43,108 creditors owed about 30,081 billion đồng, seven rounds at the
 * published ratios of what remains owed, 967 creditors without an account
 * whose shares are deposited, heirs and assignees who join late and are
 * caught up, the fee waived in some rounds and charged in others, and a
 * round 8 of exactly 248,146,349,020 đồng. Every round adds up to the đồng.
 */
import { describe, expect, test } from "bun:test"
import { Result } from "effect"
import {
  applyHalfUp,
  type ApprovedPlan,
  checkApprovedPlan,
  type Claim,
  feeOnTotal,
  circular216Schedule,
  historyOf,
  lineAt,
  parseRatio,
  type RoundTerms
} from "../../domain/payout/index.ts"
import { approve, plan, sumAmounts } from "./fixtures.ts"
import { HCMC_CREDITORS, HCMC_NO_ACCOUNT, HCMC_OWED, HCMC_RATIOS, HCMC_ROUND_8, ratioRound, syntheticCreditors } from "./hcmc-case.ts"

const BASE_SALARY = 2_340_000n
const waived: RoundTerms["fee"] = { kind: "waived" }
const charged: RoundTerms["fee"] = { kind: "circular_216_2016", baseSalary: BASE_SALARY }
/** Which rounds charged the fee (the HCMC rounds waived it in some). */
const FEES = [waived, waived, charged, charged, waived, charged, charged, charged]

const onTime = syntheticCreditors(HCMC_CREDITORS, HCMC_OWED, { noAccount: HCMC_NO_ACCOUNT })
/** Heirs and assignees: each a twin of an on-time creditor (same claim), joining at round 4 or 6. */
const twinOf = new Map<string, Claim>()
const late = (joins: number, count: number, offset: number): Array<Claim> =>
  Array.from({ length: count }, (_, k) => {
    const twin = onTime[offset + k * 997]!
    const heir: Claim = {
      ...twin,
      id: `H${joins}-${String(k).padStart(4, "0")}`,
      creditor: { identityNumber: `0010859${String(joins * 10_000 + k).padStart(5, "0")}`, name: `Người thừa kế ${joins}-${k}` }
    }
    twinOf.set(heir.id, twin)
    return heir
  })
const joinAt4 = late(4, 25, 11)
const joinAt6 = late(6, 10, 503)
const claimsAt = (round: number): Array<Claim> => [...onTime, ...(round >= 4 ? joinAt4 : []), ...(round >= 6 ? joinAt6 : [])]

const plans: Array<ApprovedPlan> = []
const remainingTotal = (round: number): bigint => {
  const history = historyOf(plans)
  return claimsAt(round).reduce((s, c) => s + c.owed - (history.claim(c.id)?.allocated ?? 0n), 0n)
}

describe("the HCMC case: 43,108 creditors, about 30,081 billion đồng", () => {
  test("the synthetic case has the published shape", () => {
    expect(onTime.length).toBe(43_108)
    expect(onTime.reduce((s, c) => s + c.owed, 0n)).toBe(30_081_000_000_000n)
    expect(onTime.filter((c) => c.bankAccount === undefined).length).toBe(967)
  })

  test("seven rounds at the published ratios: every line is ratio × what remains owed, every round adds up exactly", () => {
    HCMC_RATIOS.forEach((ratioText, k) => {
      const round = k + 1
      const ratio = Result.getOrThrow(parseRatio(ratioText))
      // What the round needs (catch-up included), as the planner sees it with ample money; the money
      // collected for it is that, rounded up to the billion, and the rest waits for the next round.
      const history = historyOf(plans)
      const needed = plan(claimsAt(round), history, ratioRound(round, ratioText, FEES[k]!, 10n ** 15n - 1n)).totals.paid
      const available = (needed / 1_000_000_000n + 1n) * 1_000_000_000n
      const p = plan(claimsAt(round), history, ratioRound(round, ratioText, FEES[k]!, available))
      expect(p.totals.paid).toBe(needed)
      expect(remainingTotal(round) >= needed).toBe(true)
      const t = p.totals
      expect(sumAmounts(p)).toBe(t.paid)
      expect(p.lines.fee.reduce((s, f) => s + f, 0n)).toBe(t.fee)
      expect(t.paid + t.unallocated).toBe(available)
      expect(t.net).toBe(t.paid - t.fee)
      let wrong = 0
      for (let i = 0; i < p.lines.count; i++) {
        const line = lineAt(p, i)
        if (line.kind === "round" && line.amount !== applyHalfUp(line.base, ratio)) wrong++
        if (FEES[k]!.kind === "waived" && line.fee !== 0n) wrong++
        if (line.amount > line.base) wrong++
      }
      expect(wrong).toBe(0)
      // Creditors without an account: their shares are deposited, not an error.
      expect(t.bySettlement.deposit_no_account.count).toBe(967)
      expect(t.bySettlement.bank.count + t.bySettlement.deposit_no_account.count + t.bySettlement.none.count).toBe(p.lines.count)
      plans.push(approve(p))
      expect(Result.isSuccess(checkApprovedPlan(plans.at(-1)!))).toBe(true)
    })
  }, 300_000)

  test("heirs and assignees who join late are caught up: for every earlier round, what their twin received", () => {
    /** claim id → its own line's amount in a plan. */
    const ownAmounts = (p: ApprovedPlan): Map<string, bigint> => {
      const m = new Map<string, bigint>()
      for (let i = 0; i < p.lines.count; i++) if (p.lines.kind[i] === 0) m.set(p.claims.at(p.lines.claim[i]!)!.id, p.lines.amount[i]!)
      return m
    }
    const own = plans.map(ownAmounts)
    for (const [joined, heirs] of [[4, joinAt4], [6, joinAt6]] as const) {
      const p = plans[joined - 1]!
      const before = historyOf(plans.slice(0, joined - 1))
      const heirIds = new Set(heirs.map((h) => h.id))
      const heirLines = [...Array(p.lines.count).keys()].filter((i) => heirIds.has(p.claims.at(p.lines.claim[i]!)!.id)).map((i) => lineAt(p, i))
      for (const heir of heirs) {
        const twin = twinOf.get(heir.id)!
        const lines = heirLines.filter((l) => l.claim.id === heir.id)
        const catchUps = lines.filter((l) => l.kind === "catch_up")
        expect(catchUps.map((l) => l.forRound)).toEqual(Array.from({ length: joined - 1 }, (_, j) => j + 1))
        expect(catchUps.map((l) => l.amount)).toEqual(catchUps.map((l) => own[l.forRound - 1]!.get(twin.id)!))
        // After catch-up the heir is owed exactly what the twin is still owed, and gets the same this round.
        const mine = lines.find((l) => l.kind === "round")!
        expect(mine.base).toBe(twin.owed - before.claim(twin.id)!.allocated)
        expect(mine.amount).toBe(own[joined - 1]!.get(twin.id)!)
      }
    }
  }, 120_000)

  test("round 8 pays exactly 248,146,349,020 đồng, shared by largest remainder, to the đồng", () => {
    const p = plan(claimsAt(8), historyOf(plans), { ...ratioRound(8, "1%", FEES[7]!, HCMC_ROUND_8), allocation: { method: "pro_rata" } })
    expect(p.totals.paid).toBe(248_146_349_020n)
    expect(sumAmounts(p)).toBe(248_146_349_020n)
    expect(p.totals.unallocated).toBe(0n)
    expect(p.lines.fee.reduce((s, f) => s + f, 0n) + (p.totals.net)).toBe(248_146_349_020n)
    const group = p.groups.find((g) => g.paid > 0n)!
    // Each share is within one đồng of the exact proportion of what remains owed.
    let outside = 0
    for (let i = 0; i < p.lines.count; i++) {
      const l = lineAt(p, i)
      const exact = group.paid * l.base // scaled by group.owed
      const scaled = l.amount * group.owed
      if (scaled > exact + group.owed - 1n || scaled < exact - group.owed + 1n) outside++
    }
    expect(outside).toBe(0)
    plans.push(approve(p))
  }, 120_000)

  test("after eight rounds nobody is allocated more than owed, and each claim's fees are the schedule's fee on its charged total", () => {
    const history = historyOf(plans)
    const schedule = circular216Schedule(BASE_SALARY)
    let allocated = 0n
    for (const c of claimsAt(8)) {
      const record = history.claim(c.id)!
      expect(record.rounds).toEqual([1, 2, 3, 4, 5, 6, 7, 8])
      expect(record.allocated <= c.owed).toBe(true)
      expect(record.fee.charged <= feeOnTotal(schedule, record.fee.base)).toBe(true)
      allocated += record.allocated
    }
    expect(allocated).toBe(plans.reduce((s, p) => s + p.totals.paid, 0n))
  }, 120_000)
})
