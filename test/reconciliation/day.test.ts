/**
 * The daily report's balance check, day closing and adjustments, and debits
 * matched to payout lines by end-to-end id.
 */
import { describe, expect, test } from "bun:test"
import { Result } from "effect"
import fc from "fast-check"
import { dailyReport, type DayMovement } from "../../domain/reconciliation/daily-report.ts"
import { checkAdjustment, checkDayClosing } from "../../domain/reconciliation/day-closing.ts"
import { matchDebits } from "../../domain/reconciliation/debits.ts"

const movement = fc.record({
  direction: fc.constantFrom("credit" as const, "debit" as const),
  amount: fc.bigInt({ min: 1n, max: 10n ** 12n }),
  state: fc.constantFrom("matched" as const, "queued" as const, "unmatched" as const)
})

describe("daily report", () => {
  test("balanced exactly when opening + credits − debits = closing; otherwise an error with every figure", () => {
    fc.assert(fc.property(fc.bigInt({ min: 0n, max: 10n ** 14n }), fc.array(movement, { maxLength: 30 }), fc.bigInt({ min: -5n, max: 5n }), (opening, movements, off) => {
      const net = movements.reduce((s, m: DayMovement) => s + (m.direction === "credit" ? m.amount : -m.amount), 0n)
      const r = dailyReport({ agency: "HCM", account: "0071000123456", day: "2025-06-16", opening, closing: opening + net + off, movements, flagged: 0, adjustments: 0n })
      if (off === 0n) {
        const report = Result.getOrThrow(r)
        expect(report.balance).toBe("balanced")
        expect(report.matched + report.queued + report.unmatched).toBe(movements.length)
        expect(report.credits.count + report.debits.count).toBe(movements.length)
      } else {
        expect(Result.isFailure(r)).toBe(true)
        if (Result.isFailure(r)) expect(r.failure.message).toContain(`difference of ${off} đồng`)
      }
    }))
  })

  test("without balances the report says so instead of claiming a check", () => {
    const r = Result.getOrThrow(dailyReport({ agency: "HCM", account: "1", day: "2025-06-16", movements: [], flagged: 0, adjustments: 0n }))
    expect(r.balance).toBe("no_balances")
  })
})

describe("closing a day", () => {
  const report = Result.getOrThrow(dailyReport({ agency: "HCM", account: "1", day: "2025-06-16", opening: 0n, closing: 0n, movements: [], flagged: 0, adjustments: 0n }))
  test("only an approver closes, and only once", () => {
    expect(Result.isSuccess(checkDayClosing(report, { id: "ap1", role: "approver" }, new Set()))).toBe(true)
    const maker = checkDayClosing(report, { id: "mk1", role: "maker" }, new Set())
    expect(Result.isFailure(maker) && maker.failure.reason).toBe("not_an_approver")
    const again = checkDayClosing(report, { id: "ap1", role: "approver" }, new Set(["2025-06-16"]))
    expect(Result.isFailure(again) && again.failure.reason).toBe("already_closed")
  })
  test("an adjustment is booked on an open, later day, with four eyes", () => {
    const ok = { account: "1", correctsDay: "2025-06-16", bookedOn: "2025-06-18", amount: -5_000n, reason: "phí ngân hàng", by: "mk1", approvedBy: "ap1" }
    expect(Result.isSuccess(checkAdjustment(ok, new Set(["2025-06-16"])))).toBe(true)
    const reasons = [
      checkAdjustment({ ...ok, approvedBy: "mk1" }, new Set()),
      checkAdjustment(ok, new Set(["2025-06-18"])),
      checkAdjustment({ ...ok, correctsDay: "2025-06-19" }, new Set())
    ].map((r) => (Result.isFailure(r) ? r.failure.reason : "ok"))
    expect(reasons).toEqual(["maker_checker", "day_closed", "not_earlier"])
  })
})

describe("debits", () => {
  test("matched by end-to-end id, a differing amount kept with both figures, the rest unmatched; never a line twice", () => {
    const r = matchDebits(
      [
        { key: "a/FT1", amount: 5_000_000n, endToEndId: "PAY-1" },
        { key: "a/FT2", amount: 1_000n, endToEndId: "PAY-2" },
        { key: "a/FT3", amount: 7n },
        { key: "a/FT4", amount: 5_000_000n, endToEndId: "PAY-1" }
      ],
      [{ id: "PAY-1", amount: 5_000_000n }, { id: "PAY-2", amount: 2_000n }]
    )
    expect(r.matches).toEqual([{ debitKey: "a/FT1", lineId: "PAY-1", amount: 5_000_000n }, { debitKey: "a/FT2", lineId: "PAY-2", amount: 1_000n, lineAmount: 2_000n }])
    expect(r.unmatched).toEqual(["a/FT3", "a/FT4"])
  })
})
