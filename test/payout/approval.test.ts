/**
 * Maker-checker on a round, bound to the exact plan: the approver is not the
 * planner, approves the SHA-256 of what they reviewed, and an approved plan
 * that changes no longer checks.
 */
import { describe, expect, test } from "bun:test"
import { createHash } from "node:crypto"
import { Result } from "effect"
import fc from "fast-check"
import {
  approvedBytes,
  approvePlan,
  checkApprovedPlan,
  type Claim,
  linesSha256,
  NO_HISTORY,
  type PayoutPlan,
  plannedBytes,
  planSha256
} from "../../domain/payout/index.ts"
import { claimsOf } from "../../domain/payout/claim-table.ts"
import { claimsArb, shapeArb, termsFor } from "./arbitraries.ts"
import { APPROVER, approve, makeClaim, makeTerms, PLANNER, plan } from "./fixtures.ts"

const claims = [makeClaim(1, { owed: 600n }), makeClaim(2, { owed: 600n }), makeClaim(3, { owed: 200n, bankAccount: undefined })]
const planned = () => plan(claims, NO_HISTORY, makeTerms({ available: 1_100n }))
const reasonOf = (r: Result.Result<unknown, { reason: string }>): string => (Result.isFailure(r) ? r.failure.reason : "accepted")
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes)

describe("approvePlan", () => {
  test("another officer approves the hash they reviewed; the approval records who, when and which plan", () => {
    const p = planned()
    const sha = planSha256(p)
    const approved = Result.getOrThrow(approvePlan(p, { approver: APPROVER, planSha256: sha, now: "2025-07-01T03:00:00.000Z" }))
    expect(approved.status).toBe("approved")
    expect(approved.approval).toEqual({ approver: APPROVER, approvedAt: "2025-07-01T03:00:00.000Z", planSha256: sha, linesSha256: linesSha256(p) })
    expect(Result.isSuccess(checkApprovedPlan(approved))).toBe(true)
  })

  test("the planner cannot approve their own round (maker-checker)", () => {
    const p = planned()
    expect(reasonOf(approvePlan(p, { approver: PLANNER, planSha256: planSha256(p), now: "2025-07-01T03:00:00.000Z" }))).toBe(
      "maker_cannot_approve"
    )
  })

  test("an approval of another content is refused: the plan changed after review", () => {
    const reviewed = planned()
    const sha = planSha256(reviewed)
    // The same terms planned again with one creditor's account changed: a different plan.
    const swapped = plan(
      [claims[0]!, { ...claims[1]!, bankAccount: { bin: "970418", number: "9999999999" } }, claims[2]!],
      NO_HISTORY,
      makeTerms({ available: 1_100n }),
      reviewed.id
    )
    expect(reasonOf(approvePlan(swapped, { approver: APPROVER, planSha256: sha, now: "2025-07-01T03:00:00.000Z" }))).toBe("plan_changed")
  })

  test("an approved plan is not approved again, and not before it was planned", () => {
    const approved = approve(planned())
    expect(reasonOf(approvePlan(approved, { approver: "third.person", planSha256: approved.approval.planSha256, now: "2025-07-02T00:00:00.000Z" }))).toBe(
      "already_approved"
    )
    const p = planned()
    expect(reasonOf(approvePlan(p, { approver: APPROVER, planSha256: planSha256(p), now: "2025-06-30T00:00:00.000Z" }))).toBe(
      "approved_before_planned"
    )
  })

  test("checkApprovedPlan refuses a plan that was never approved", () => {
    expect(reasonOf(checkApprovedPlan(planned()))).toBe("not_approved")
  })
})

describe("an approved plan never changes", () => {
  /** Ways to change an approved plan behind the domain's back. */
  const tamperings: ReadonlyArray<readonly [string, (p: PayoutPlan) => PayoutPlan]> = [
    ["a line's amount", (p) => {
      p.lines.amount[0] = p.lines.amount[0]! + 1n
      return p
    }],
    ["a line's fee", (p) => {
      p.lines.fee[1] = 1n
      return p
    }],
    ["a line's settlement", (p) => {
      p.lines.settlement[2] = 1
      return p
    }],
    ["a creditor's bank account", (p) => ({ ...p, claims: claimsOf(p.claims).map((c, i) => (i === 0 ? { ...c, bankAccount: { bin: "970418", number: "1" } } : c)) })],
    ["a creditor's name", (p) => ({ ...p, claims: claimsOf(p.claims).map((c, i) => (i === 1 ? { ...c, creditor: { ...c.creditor, name: "Kẻ Mạo Danh" } } : c)) })],
    ["the totals", (p) => ({ ...p, totals: { ...p.totals, paid: p.totals.paid + 1n } })],
    ["the planner", (p) => ({ ...p, planner: "someone.else" })],
    ["the terms", (p) => ({ ...p, terms: { ...p.terms, legalDate: "2025-07-02" } })],
    ["the groups", (p) => ({ ...p, groups: p.groups.map((g) => ({ ...g, paid: g.paid + 1n })) })]
  ]

  test.each(tamperings.map(([name, change]) => [name, change] as const))("changing %s is detected", (_name, change) => {
    const approved = approve(planned())
    const copy = { ...approved, lines: { ...approved.lines, amount: approved.lines.amount.slice(), fee: approved.lines.fee.slice(), settlement: approved.lines.settlement.slice() } }
    expect(reasonOf(checkApprovedPlan(change(copy)))).toBe("plan_changed")
    expect(Result.isSuccess(checkApprovedPlan(approved))).toBe(true)
  })

  test("property: the planned hash changes with every line's content", () => {
    fc.assert(
      fc.property(
        claimsArb(10).chain((cs) => shapeArb.map((shape) => ({ cs, shape }))),
        fc.nat(),
        fc.bigInt({ min: 1n, max: 1000n }),
        ({ cs, shape }, pick, delta) => {
          const p = plan(cs, NO_HISTORY, termsFor(cs.reduce((s: bigint, c: Claim) => s + c.owed, 0n), shape))
          const before = linesSha256(p)
          const i = pick % p.lines.count
          const amount = p.lines.amount.slice()
          amount[i] = amount[i]! + delta
          expect(linesSha256({ ...p, lines: { ...p.lines, amount } })).not.toBe(before)
        }
      ),
      { numRuns: 100 }
    )
  })
})

describe("the SHA-256 is a parameter", () => {
  test("a native SHA-256 (node:crypto) gives the same digests as the pure one, and approves the same", () => {
    const nativeHash = () => {
      const h = createHash("sha256")
      return { update: (d: Uint8Array) => h.update(d), digestHex: () => h.digest("hex") }
    }
    const p = planned()
    expect(planSha256(p, nativeHash)).toBe(planSha256(p))
    expect(linesSha256(p, nativeHash)).toBe(linesSha256(p))
    const approved = Result.getOrThrow(approvePlan(p, { approver: APPROVER, planSha256: planSha256(p), now: "2025-07-01T03:00:00.000Z", newHash: nativeHash }))
    expect(Result.isSuccess(checkApprovedPlan(approved, nativeHash))).toBe(true)
  })
})

describe("canonical bytes of a plan", () => {
  test("the planned header binds the lines by count and SHA-256; the approved header adds the approval", () => {
    const approved = approve(planned())
    const planText = JSON.parse(text(plannedBytes(approved)))
    expect(planText.lines).toEqual({ count: 3, sha256: linesSha256(approved) })
    expect(planText.v).toBe(1)
    expect(planText.type).toBe("payout-plan")
    const approvedText = JSON.parse(text(approvedBytes(approved)))
    expect(approvedText).toEqual({
      ...planText,
      approver: APPROVER,
      approvedAt: approved.approval.approvedAt,
      planSha256: approved.approval.planSha256
    })
  })

  test("amounts are digit strings and ratios exact fractions, never floating point", () => {
    const p = planned()
    const header = text(plannedBytes(p))
    expect(header).toContain('"paid":"1100"')
    expect(header).toContain('"ratio":"1/1"')
    expect(header).not.toMatch(/"(?:paid|owed|available)":\d/)
  })
})
