/**
 * The store's cheap issuance check agrees with `lifecycle.issue`: whenever it
 * builds an issued receipt, lifecycle.issue builds the same one, and it never
 * declines a request lifecycle.issue accepts. So skipping the full schema
 * decode at issue time changes nothing but the cost.
 */
import { describe, expect, test } from "bun:test"
import fc from "fast-check"
import { Result } from "effect"
import { createDraft, issue, submit } from "../../domain/lifecycle.ts"
import { canonicalBytes } from "../../domain/canonical.ts"
import { uuidFromBytes } from "../../domain/ids.ts"
import { issueChecked } from "../../store/receipts/issuance.ts"
import { canonicalText } from "../../store/receipts/receipt-rows.ts"
import { draftInputArbitrary, lookupCodeArbitrary, officerArbitrary } from "../domain/receipt.arbitraries.ts"

const DAY = 86_400_000
const year = 2025
const issueDayMs = Date.UTC(year, 5, 23)

const caseArbitrary = fc.record({
  input: draftInputArbitrary(year, issueDayMs),
  id: fc.uint8Array({ minLength: 16, maxLength: 16 }).map(uuidFromBytes),
  maker: officerArbitrary,
  createdMs: fc.integer({ min: issueDayMs - 30 * DAY, max: issueDayMs }),
  approver: fc.oneof(officerArbitrary, fc.constantFrom("Hùng Trần", "x", "")),
  lookupCode: fc.oneof({ weight: 4, arbitrary: lookupCodeArbitrary }, { weight: 1, arbitrary: fc.constantFrom("ILOU12345678", "abc", "") }),
  // Around the year boundary in Vietnam (UTC+7), before the draft, or not an instant at all.
  now: fc.oneof(
    { weight: 6, arbitrary: fc.integer({ min: issueDayMs, max: Date.UTC(year, 11, 31) }).map((ms) => new Date(ms).toISOString()) },
    { weight: 2, arbitrary: fc.integer({ min: issueDayMs - 40 * DAY, max: Date.UTC(year + 1, 0, 1) + DAY }).map((ms) => new Date(ms).toISOString()) },
    { weight: 1, arbitrary: fc.constantFrom("2025-06-23", "2025-13-01T00:00:00.000Z", "2025-06-23T03:00:00Z") }
  ),
  number: fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 1, max: 9_999_999 }) }, { weight: 1, arbitrary: fc.constantFrom(0, 10_000_000, 1.5) }),
  // Mostly submitted by its maker; a draft that was not is refused by both.
  submitted: fc.oneof({ weight: 6, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) })
})

describe("issueChecked", () => {
  test("builds exactly what lifecycle.issue builds, and declines only what it refuses", () => {
    let accepted = 0
    fc.assert(
      fc.property(caseArbitrary, (c) => {
        const made = Result.getOrThrow(createDraft(c.input, { id: c.id, maker: c.maker, now: new Date(c.createdMs).toISOString() }))
        // A draft that cannot be submitted (0 đồng) stays a draft.
        const sent = submit(made, { by: c.maker })
        const draft = c.submitted && Result.isSuccess(sent) ? sent.success : made
        const ctx = { approver: c.approver, number: c.number, lookupCode: c.lookupCode, now: c.now }
        const fast = issueChecked(draft, ctx)
        const full = issue(draft, ctx)
        if (fast === undefined) {
          expect(Result.isFailure(full)).toBe(true)
          return
        }
        accepted++
        expect(Result.isSuccess(full)).toBe(true)
        if (Result.isSuccess(full)) {
          expect(fast).toEqual(full.success)
          expect(canonicalBytes(fast)).toEqual(canonicalBytes(full.success))
          expect(canonicalText(fast)).toBe(new TextDecoder().decode(canonicalBytes(full.success)))
        }
      }),
      { numRuns: 400 }
    )
    // About a fifth of the generated requests are valid (75 of 400 on average), so the comparison above really ran.
    expect(accepted).toBeGreaterThan(30)
  })

  test("an issued receipt is never issued again, nor a draft its maker did not submit", () => {
    const made = Result.getOrThrow(createDraft(
      fc.sample(draftInputArbitrary(year, issueDayMs), { numRuns: 1, seed: 7 })[0]!,
      { id: "7d1f4a52-0c3e-4b7a-9a51-2f0d9e6c1b20", maker: "lan.nguyen", now: "2025-06-01T01:00:00.000Z" }
    ))
    const ctx = { approver: "hung.tran", number: 5, lookupCode: "7K3QX9M2T4VA", now: "2025-06-23T03:00:00.000Z" }
    expect(issueChecked(made, ctx)).toBeUndefined()
    const draft = Result.getOrThrow(submit(made, { by: "lan.nguyen" }))
    const issued = issueChecked(draft, ctx)
    expect(issued?.number).toBe(5)
    expect(issueChecked(issued!, { ...ctx, number: 6 })).toBeUndefined()
    expect(issueChecked(draft, { ...ctx, approver: "lan.nguyen" })).toBeUndefined()
  })
})
