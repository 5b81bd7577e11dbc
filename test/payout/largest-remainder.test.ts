/**
 * The largest-remainder method: exact sums, within one đồng of the exact
 * proportion, nobody above their weight, the documented tie-break, and the
 * one property it does not have (monotone by the last đồng).
 */
import { describe, expect, test } from "bun:test"
import fc from "fast-check"
import { apportion } from "../../domain/payout/largest-remainder.ts"

const weightsArb = fc.array(fc.bigInt({ min: 0n, max: 10n ** 12n }), { minLength: 1, maxLength: 40 }).filter((ws) =>
  ws.some((w) => w > 0n)
)
const sumOf = (xs: ReadonlyArray<bigint>): bigint => xs.reduce((a, b) => a + b, 0n)
const caseArb = weightsArb.chain((weights) => fc.bigInt({ min: 0n, max: sumOf(weights) }).map((total) => ({ weights, total })))

describe("apportion", () => {
  test("property: shares add up to the total exactly, each is ⌊exact⌋ or ⌈exact⌉ and at most its weight", () => {
    fc.assert(
      fc.property(caseArb, ({ weights, total }) => {
        const shares = apportion(total, weights)
        const W = sumOf(weights)
        expect(sumOf(shares)).toBe(total)
        shares.forEach((s, i) => {
          const exact = total * weights[i]! // scaled by W
          expect(s * W <= exact + W - 1n || s * W === exact).toBe(true) // s ≤ ⌈exact⌉
          expect(s * W >= exact - W + 1n || s * W === exact).toBe(true) // s ≥ ⌊exact⌋
          expect(s <= weights[i]!).toBe(true)
          expect(s >= 0n).toBe(true)
        })
      }),
      { numRuns: 1000 }
    )
  })

  test("the đồng left over go to the largest remainders", () => {
    // 7 over 3,3,3: 2.33 each → 2,2,2 and one đồng left; remainders and weights equal → first position.
    expect(apportion(7n, [3n, 3n, 3n])).toEqual([3n, 2n, 2n])
    // 50 over 10, 20, 40 (W = 70): 7.14…, 14.28…, 28.57… → 7, 14, 28 and one left: 0.57 is the largest remainder.
    expect(apportion(50n, [10n, 20n, 40n])).toEqual([7n, 14n, 29n])
  })

  test("tie-break: equal remainders go to the larger weight, then to the earlier position", () => {
    // 3 over 1,1,2,2 (W = 6): exact 0.5, 0.5, 1, 1 → floors 0,0,1,1, one left: remainders 3/6 for the
    // two weights of 1 (the 2s have none), equal, equal weights → the first of them.
    expect(apportion(3n, [1n, 1n, 2n, 2n])).toEqual([1n, 0n, 1n, 1n])
    // 2 over 2,1,1 with total 2 (W = 4): 1, 0.5, 0.5 → 1,0,0, one left between the 0.5s → position 1.
    expect(apportion(2n, [2n, 1n, 1n])).toEqual([1n, 1n, 0n])
    // 1 over 3, 3 (W=6) → 0.5, 0.5: earlier position.
    expect(apportion(1n, [3n, 3n])).toEqual([1n, 0n])
    // Equal remainders, different weights: 5 over 2, 4, 2, 4... W=12: 0.833,1.667,0.833,1.667 →
    // floors 0,1,0,1 (2), 3 left; remainders 10/12,8/12,10/12,8/12 → the two 10/12 (positions 0, 2) and
    // then the larger weight among the 8/12 (equal, 4 and 4) → position 1.
    expect(apportion(5n, [2n, 4n, 2n, 4n])).toEqual([1n, 2n, 1n, 1n])
    // Remainders equal, weights differ: 4 over 1, 3 (W=4): exact 1, 3 → no remainder at all.
    // 2 over 1,3,2 (W=6): 0.333, 1, 0.667 → 0,1,0 and one left → position 2 (remainder 4/6).
    expect(apportion(2n, [1n, 3n, 2n])).toEqual([0n, 1n, 1n])
  })

  test("tie-break by weight when remainders are equal", () => {
    // total 3, weights 2 and 4 and 6 (W = 12): exact 0.5, 1, 1.5 → 0, 1, 1; one left;
    // remainders 6/12 (weight 2) and 6/12 (weight 6) are equal → the larger weight (6) wins.
    expect(apportion(3n, [2n, 4n, 6n])).toEqual([0n, 1n, 2n])
  })

  test("property: the result does not depend on which order equal claims are listed in, beyond the position tie-break", () => {
    fc.assert(
      fc.property(caseArb, ({ weights, total }) => {
        const shares = apportion(total, weights)
        const reversed = apportion(total, [...weights].reverse()).reverse()
        // Only ties between equal weights with equal remainders may move; totals by weight agree.
        const byWeight = (ss: Array<bigint>) => {
          const m = new Map<bigint, bigint>()
          ss.forEach((s, i) => m.set(weights[i]!, (m.get(weights[i]!) ?? 0n) + s))
          return [...m.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1))
        }
        expect(byWeight(reversed)).toEqual(byWeight(shares))
      }),
      { numRuns: 300 }
    )
  })

  test("the bigint path (sums ≥ 2^53) agrees with exact arithmetic", () => {
    const weights = [10n ** 15n - 3n, 7n, 10n ** 14n + 11n, ...Array.from({ length: 11 }, (_, i) => 10n ** 15n - 1n - BigInt(i))]
    const W = sumOf(weights)
    expect(W >= 2n ** 53n).toBe(true)
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: W }), (total) => {
        const shares = apportion(total, weights)
        expect(sumOf(shares)).toBe(total)
        shares.forEach((s, i) => {
          const exact = total * weights[i]!
          expect(s * W <= exact + W - 1n || s * W === exact).toBe(true)
          expect(s * W >= exact - W + 1n || s * W === exact).toBe(true)
        })
      }),
      { numRuns: 200 }
    )
  })

  test("pays everyone in full when the total equals the weights, nothing when it is zero", () => {
    expect(apportion(15n, [6n, 6n, 2n, 1n])).toEqual([6n, 6n, 2n, 1n])
    expect(apportion(0n, [6n, 6n, 2n])).toEqual([0n, 0n, 0n])
  })

  test("refuses a total outside 0 … Σ weights: more than owed is never shared", () => {
    expect(() => apportion(15n, [6n, 6n, 2n])).toThrow(RangeError)
    expect(() => apportion(-1n, [6n])).toThrow(RangeError)
  })

  describe("monotone in the total", () => {
    test("the Alabama paradox: 10 đồng over 6, 6, 2 gives the 2 two đồng, 11 đồng gives it one", () => {
      expect(apportion(10n, [6n, 6n, 2n])).toEqual([4n, 4n, 2n])
      expect(apportion(11n, [6n, 6n, 2n])).toEqual([5n, 5n, 1n])
    })

    test("property: more money never gives anyone less than one đồng below, nor less at all once their exact share grew by a đồng", () => {
      fc.assert(
        fc.property(caseArb, fc.bigInt({ min: 1n, max: 10n ** 12n }), ({ weights, total }, extra) => {
          const W = sumOf(weights)
          const more = total + extra > W ? W : total + extra
          const before = apportion(total, weights)
          const after = apportion(more, weights)
          before.forEach((b, i) => {
            expect(after[i]! >= b - 1n).toBe(true)
            // Once the exact share has grown by at least one đồng, the line cannot have dropped.
            if ((more - total) * weights[i]! >= W) expect(after[i]! >= b).toBe(true)
          })
        }),
        { numRuns: 1000 }
      )
    })
  })
})
