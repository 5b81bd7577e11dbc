/**
 * The PayoutStore service (store/payout/payout-store.ts) as the runtime's
 * layers will use it: over the configured database (an embedded PGlite
 * here), signing with the Signer in context; a refusal arrives as a typed
 * PayoutRefused failure, not a defect.
 */
import { describe, expect, test } from "bun:test"
import { mkdtempSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Effect, Exit, Layer } from "effect"
import { PayoutStore } from "../../store/payout/payout-store.ts"
import { makeClaim, makeTerms } from "../payout/fixtures.ts"
import { makeTestSigner } from "../store/test-signer.ts"
import { APPROVER, newLookupCode, PLANNER } from "./harness.ts"

describe("PayoutStore service", () => {
  test("import, plan, approve and report through the layer; the planner's approval fails typed", async () => {
    const keys = await makeTestSigner(["HCM"])
    const layer = PayoutStore.layer({ dataDir: mkdtempSync(join(tmpdir(), "payout-service-")) }).pipe(Layer.provide(keys.layer))
    const program = Effect.gen(function*() {
      const store = yield* PayoutStore
      const caseDecision = "20/QĐ-CCTHADS"
      yield* store.importClaims([1, 2, 3].map((n) => makeClaim(n)), { agency: "HCM", caseDecision, by: PLANNER, now: "2025-06-20T01:00:00.000Z" })
      const terms = makeTerms({ caseDecision, available: 2_000_000n })
      const planned = yield* store.plan({ terms, planner: PLANNER, now: "2025-07-01T02:00:00.000Z", id: crypto.randomUUID(), newLookupCode })
      const own = yield* Effect.exit(store.approve({ agency: "HCM", roundId: planned.plan.id, approver: PLANNER, planSha256: planned.planSha256, now: "2025-07-01T03:00:00.000Z" }))
      const approved = yield* store.approve({ agency: "HCM", roundId: planned.plan.id, approver: APPROVER, planSha256: planned.planSha256, now: "2025-07-01T03:00:00.000Z" })
      const report = yield* store.report("HCM", planned.plan.id)
      return { own, approved, report }
    })
    const { own, approved, report } = await Effect.runPromise(Effect.scoped(Effect.provide(program, layer)))
    expect(Exit.isFailure(own)).toBe(true)
    expect(JSON.stringify(own)).toContain("maker_cannot_approve")
    expect(approved.round).toBe(1)
    expect(report.addsUp).toBe(true)
    expect(report.total.amount).toBe(2_000_000n)
    expect(report.byState["approved"]!.lines).toBe(3)
  })
})
