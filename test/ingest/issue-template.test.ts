/**
 * The bulk path's issue template agrees with the domain's `issue` on every
 * valid draft, approver and issue time: the same issued receipt, or a
 * refusal on the same fields.
 */
import { expect, test } from "bun:test"
import fc from "fast-check"
import { Result } from "effect"
import { issue } from "../../domain/lifecycle.ts"
import { issueTemplate, PLACEHOLDER_LOOKUP_CODE } from "../../jobs/ingest/issue-template.ts"
import { draftReceiptArbitrary, officerArbitrary } from "../domain/receipt.arbitraries.ts"

const instant = fc.integer({ min: Date.UTC(2022, 11, 31), max: Date.UTC(2036, 0, 2) }).map((ms) => new Date(ms).toISOString())

test("issueTemplate = lifecycle.issue on any valid draft, submitted or not, approver and time (property)", () => {
  fc.assert(
    fc.property(draftReceiptArbitrary, fc.boolean(), officerArbitrary, fc.oneof(instant, fc.constant("")), (made, sent, approver, at) => {
      // Mostly submitted, as every row of a file is; a draft that was not is refused by both.
      const draft = sent || at === "" ? { ...made, status: "submitted" as const } : made
      // Mostly the draft's own time plus a little, so both outcomes are common.
      const now = at === "" ? new Date(Date.parse(draft.createdAt) + 3_600_000).toISOString() : at
      const domain = issue(draft, { approver, number: 1, lookupCode: PLACEHOLDER_LOOKUP_CODE, now })
      const fast = issueTemplate(draft, approver, now)
      expect(Result.isSuccess(fast)).toBe(Result.isSuccess(domain))
      if (Result.isSuccess(fast) && Result.isSuccess(domain)) expect(fast.success).toEqual(domain.success)
      if (Result.isFailure(fast) && Result.isFailure(domain)) {
        const e = domain.failure
        const paths = e._tag === "InvalidReceipt" ? e.issues.map((i) => i.path) : e.reason === "not_submitted" ? ["status"] : ["approver"]
        expect(fast.failure.map((i) => i.path).sort()).toEqual([...new Set(paths)].sort())
      }
    }),
    { numRuns: 300 }
  )
})
