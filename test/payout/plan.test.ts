/** Lines by id: a bank's status names a line; a line of another plan is not found. */
import { expect, test } from "bun:test"
import { lineAt, lineId, lineIndexOf, NO_HISTORY } from "../../domain/payout/index.ts"
import { makeClaim, makeTerms, plan } from "./fixtures.ts"

const p = plan([makeClaim(1), makeClaim(2), makeClaim(3)], NO_HISTORY, makeTerms({ available: 1_500_000n }), "3f2c9d1e-8b4a-4c7e-9f1a-2b3c4d5e6f70")
const other = plan([makeClaim(1)], NO_HISTORY, makeTerms({ available: 1n }), "aaaaaaaa-8b4a-4c7e-9f1a-2b3c4d5e6f70")

test("a line id is the plan id's first 12 hex digits and the 7-digit position: 20 characters", () => {
  expect(lineId(p.id, 0)).toBe("3f2c9d1e8b4a-0000001")
  expect(lineAt(p, 2).id).toBe("3f2c9d1e8b4a-0000003")
  expect(lineAt(p, 2).id.length).toBeLessThanOrEqual(35) // an ISO 20022 end-to-end id
})

test("lineIndexOf finds a plan's own lines and nothing else", () => {
  for (let i = 0; i < p.lines.count; i++) expect(lineIndexOf(p, lineAt(p, i).id)).toBe(i)
  expect(lineIndexOf(p, lineAt(other, 0).id)).toBeUndefined()
  expect(lineIndexOf(p, "3f2c9d1e8b4a-0000004")).toBeUndefined()
  expect(lineIndexOf(p, "3f2c9d1e8b4a-0000000")).toBeUndefined()
  expect(lineIndexOf(p, "3f2c9d1e8b4a-000001")).toBeUndefined()
  expect(() => lineAt(p, 3)).toThrow(RangeError)
})
