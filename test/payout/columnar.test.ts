/**
 * Claims held in columns (domain/payout/claim-table.ts) must plan exactly as
 * claims held as objects did: the same lines to the đồng, the same groups
 * and totals, the same refusals, and the same canonical bytes, because an
 * approval names the planned header's SHA-256. The oracle is planRound and
 * the line writer as they were before the change (test/payout/reference/).
 */
import { describe, expect, test } from "bun:test"
import { Result } from "effect"
import fc from "fast-check"
import {
  type Claim,
  ClaimTable,
  claimsOf,
  historyOf,
  linesText,
  NO_HISTORY,
  type PayoutHistory,
  type PayoutPlan,
  planDigests,
  planRound,
  type RoundTerms
} from "../../domain/payout/index.ts"
import { nativeSha256 } from "../../store/payout/native-hash.ts"
import { claimsArb, shapeArb, termsFor } from "./arbitraries.ts"
import { approve } from "./fixtures.ts"
import { linesText as oldLinesText, planDigests as oldPlanDigests } from "./reference/canonical-of-objects.ts"
import { planRound as oldPlanRound } from "./reference/plan-of-objects.ts"

const CTX = { id: "5f0c2a9e-7b1d-4c3a-8d2e-0123456789ab", planner: "p.lan", now: "2025-07-01T02:00:00.000Z" }

/** Claim ids of every allowed character, so that sorting by code unit is exercised (upper before lower, "." before digits). */
const idArb = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,11}$/)

const withIds = (claims: ReadonlyArray<Claim>, ids: ReadonlyArray<string>): Array<Claim> => claims.map((c, i) => ({ ...c, id: ids[i]! }))

const casesArb = claimsArb(30).chain((claims) =>
  fc.record({
    claims: fc.uniqueArray(idArb, { minLength: claims.length, maxLength: claims.length }).map((ids) => withIds(claims, ids)),
    shape: shapeArb,
    order: fc.array(fc.nat(), { minLength: claims.length, maxLength: claims.length })
  })
)

const shuffled = <T>(xs: ReadonlyArray<T>, keys: ReadonlyArray<number>): Array<T> =>
  xs.map((x, i) => ({ x, k: keys[i] ?? 0, i })).sort((a, b) => a.k - b.k || a.i - b.i).map((e) => e.x)

const sortedById = (claims: ReadonlyArray<Claim>): Array<Claim> => [...claims].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))

/** Everything of a plan but its claims' container, comparable with toEqual. */
const shapeOf = (p: PayoutPlan) => ({ ...p, claims: claimsOf(p.claims), lines: { ...p.lines } })

const expectSamePlan = (claims: ReadonlyArray<Claim> | ClaimTable, objects: ReadonlyArray<Claim>, history: PayoutHistory, terms: RoundTerms) => {
  const expected = oldPlanRound(objects, history, terms, CTX)
  const actual = planRound(claims, history, terms, CTX)
  if (Result.isFailure(expected)) {
    expect(Result.isFailure(actual)).toBe(true)
    if (Result.isFailure(actual)) expect(actual.failure.message).toBe(expected.failure.message)
    return undefined
  }
  if (Result.isFailure(actual)) throw new Error(`the columnar planner refused: ${actual.failure.message}`)
  const a = actual.success
  const e = expected.success
  expect(a.claims).toBeInstanceOf(ClaimTable)
  expect(shapeOf(a)).toEqual(shapeOf(e))
  // The bytes approvals are bound to: the same, with the pure and the native SHA-256.
  expect(planDigests(a)).toEqual(oldPlanDigests(e))
  expect(planDigests(a, nativeSha256)).toEqual(oldPlanDigests(e))
  expect(linesText(a)).toBe(oldLinesText(e))
  return a
}

describe("claims in columns plan exactly as claims as objects did", () => {
  test("property: the same plan, refusals and canonical bytes, from a table in any order or from an array", () => {
    fc.assert(
      fc.property(casesArb, ({ claims, shape, order }) => {
        const terms = termsFor(claims.reduce((s, c) => s + c.owed, 0n), shape)
        const anyOrder = shuffled(claims, order)
        // As the store reads them (sorted), in any order, and as an array of objects.
        expectSamePlan(ClaimTable.fromClaims(sortedById(claims)), anyOrder, NO_HISTORY, terms)
        expectSamePlan(ClaimTable.fromClaims(anyOrder), anyOrder, NO_HISTORY, terms)
        expectSamePlan(anyOrder, anyOrder, NO_HISTORY, terms)
      }),
      { numRuns: 300 }
    )
  })

  test("property: a second round with late creditors (catch-up) and the first round's history", () => {
    fc.assert(
      fc.property(casesArb, shapeArb, fc.nat(), ({ claims, shape, order }, second, lateCount) => {
        const late = lateCount % Math.max(1, claims.length)
        const early = claims.slice(late)
        const first = planRound(early, NO_HISTORY, termsFor(early.reduce((s, c) => s + c.owed, 0n), shape), CTX)
        fc.pre(Result.isSuccess(first))
        const approved = approve((first as Result.Success<PayoutPlan, never>).success)
        const history = historyOf([approved])
        const stillOwed = claims.reduce((s, c) => s + c.owed, 0n) - approved.totals.paid
        const terms = { ...termsFor(stillOwed, second), round: 2 }
        const anyOrder = shuffled(claims, order)
        expectSamePlan(ClaimTable.fromClaims(sortedById(claims)), anyOrder, history, terms)
        expectSamePlan(ClaimTable.fromClaims(anyOrder), anyOrder, history, terms)
      }),
      { numRuns: 200 }
    )
  })

  test("a duplicate claim id is refused from a table as from an array", () => {
    const claims = [
      { id: "B", creditor: { identityNumber: "079185000001", name: "Một" }, rank: "c", owed: 5n, requestDate: "2025-03-01" },
      { id: "A", creditor: { identityNumber: "079185000002", name: "Hai" }, rank: "c", owed: 5n, requestDate: "2025-03-01" },
      { id: "B", creditor: { identityNumber: "079185000003", name: "Ba" }, rank: "c", owed: 5n, requestDate: "2025-03-01" }
    ] satisfies Array<Claim>
    const terms = termsFor(15n, { fee: { kind: "waived" }, source: { coercion: false, secured: false }, share: 1000n, costs: 0n })
    const r = planRound(ClaimTable.fromClaims(claims), NO_HISTORY, terms, CTX)
    expect(Result.isFailure(r) && r.failure._tag === "PlanRefused" && r.failure.reason).toBe("duplicate_claim")
  })
})

describe("the table", () => {
  test("property: every claim reads back as it went in, absent fields absent", () => {
    fc.assert(
      fc.property(claimsArb(40), (claims) => {
        const table = ClaimTable.fromClaims(claims, 1)
        expect(table.length).toBe(claims.length)
        expect(claimsOf(table)).toEqual(claims)
        expect(table.at(-1)).toBeUndefined()
        expect(table.at(claims.length)).toBeUndefined()
      }),
      { numRuns: 200 }
    )
  })

  test("more claims than one packed page (8,192) and than its first capacity", () => {
    const claims = Array.from({ length: 20_000 }, (_, i): Claim => ({
      id: `K${String(i).padStart(6, "0")}`,
      creditor: { identityNumber: `0791850${String(i).padStart(5, "0")}`, name: `Trái chủ ${i}` },
      rank: (["a", "b", "c"] as const)[i % 3]!,
      owed: BigInt(i + 1) * 999_999_999n,
      ...(i % 7 === 0 ? {} : { bankAccount: { bin: i % 2 === 0 ? "970436" : "970418", number: String(1e9 + i) } }),
      ...(i % 5 === 0 ? {} : { requestDate: "2025-03-01" })
    }))
    const table = ClaimTable.fromClaims(claims, 10)
    expect(claimsOf(table)).toEqual(claims)
    expect(table.isSortedById()).toBe(true)
  })
})
