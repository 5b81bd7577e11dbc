/**
 * The enforcement fee: Circular 216/2016/TT-BTC's brackets as data, charged
 * on what a claim has received in total, so its fees always add up to the
 * schedule's fee on that total, exactly.
 */
import { describe, expect, test } from "bun:test"
import fc from "fast-check"
import { circular216Schedule, type FeeAccount, feeForLine, feeOnTotal, flatRateSchedule, NO_FEE_YET } from "../../domain/payout/fee.ts"
import { ratioOf } from "../../domain/payout/ratio.ts"

const BASE_SALARY = 2_340_000n
const c216 = circular216Schedule(BASE_SALARY)

describe("Circular 216/2016/TT-BTC schedule", () => {
  test("no fee up to twice the base salary, then 3 % of the whole", () => {
    expect(feeOnTotal(c216, 4_680_000n)).toBe(0n)
    expect(feeOnTotal(c216, 4_680_001n)).toBe(140_400n) // ⌊3 % × 4,680,001⌋
    expect(feeOnTotal(c216, 1_000_000_000n)).toBe(30_000_000n)
  })

  test("each bracket: fixed part plus the rate on the excess", () => {
    expect(feeOnTotal(c216, 5_000_000_000n)).toBe(150_000_000n)
    expect(feeOnTotal(c216, 6_000_000_000n)).toBe(170_000_000n)
    expect(feeOnTotal(c216, 8_000_000_000n)).toBe(200_000_000n)
    expect(feeOnTotal(c216, 12_000_000_000n)).toBe(230_000_000n)
    expect(feeOnTotal(c216, 25_000_000_000n)).toBe(246_000_000n)
  })

  test("the brackets join: no jump at 5, 7, 10 or 15 billion", () => {
    for (const edge of [5_000_000_000n, 7_000_000_000n, 10_000_000_000n, 15_000_000_000n]) {
      expect(feeOnTotal(c216, edge + 1n) - feeOnTotal(c216, edge)).toBeLessThanOrEqual(1n)
    }
  })
})

const linesArb = fc.array(fc.bigInt({ min: 0n, max: 20_000_000_000n }), { minLength: 1, maxLength: 12 })

describe("fee per line", () => {
  test("property: a claim's fees add up to the fee on its total, exactly, however the total is split", () => {
    fc.assert(
      fc.property(linesArb, (amounts) => {
        let account: FeeAccount = NO_FEE_YET
        let fees = 0n
        for (const amount of amounts) {
          const r = feeForLine(c216, account, amount)
          expect(r.fee >= 0n && r.fee <= amount).toBe(true)
          fees += r.fee
          account = r.account
        }
        const total = amounts.reduce((a, b) => a + b, 0n)
        // Equal unless the cliff at twice the base salary met lines too small to bear it: then the rest is still owed.
        expect(fees <= feeOnTotal(c216, total)).toBe(true)
        expect(account.charged).toBe(fees)
        const last = amounts.at(-1)!
        if (last >= feeOnTotal(c216, total)) expect(fees).toBe(feeOnTotal(c216, total))
      }),
      { numRuns: 1000 }
    )
  })

  test("a line never turns negative: what it cannot bear is charged on the next one", () => {
    let account = NO_FEE_YET
    const first = feeForLine(c216, account, 4_680_000n) // exactly the exemption: nothing
    expect(first.fee).toBe(0n)
    account = first.account
    const second = feeForLine(c216, account, 1_000n) // crosses it: 3 % of 4,681,000 is due, the line holds only 1,000
    expect(second.fee).toBe(1_000n)
    expect(second.account).toEqual({ base: 4_681_000n, charged: 1_000n })
    const third = feeForLine(c216, second.account, 1_000_000n)
    expect(third.fee).toBe(169_430n)
    expect(second.fee + third.fee).toBe(feeOnTotal(c216, 5_681_000n))
  })

  test("a flat rate is ⌊rate × amount⌋ on one line", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 15n - 1n }), fc.integer({ min: 0, max: 10_000 }), (amount, basisPoints) => {
        const rate = ratioOf(BigInt(basisPoints), 10_000n)
        const { fee } = feeForLine(flatRateSchedule(rate), NO_FEE_YET, amount)
        expect(fee).toBe((amount * BigInt(basisPoints)) / 10_000n)
      })
    )
  })
})
