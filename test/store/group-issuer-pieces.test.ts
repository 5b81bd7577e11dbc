/**
 * The group issuer's pieces, each on its own (store/receipts/group-issuer/):
 * the queue with a stand-in runner, the batching of one group and the
 * recovery's question on PGlite and PostgreSQL, the recovery's verdicts as a
 * table, and transactionResult (store/database/transaction-result.ts).
 * test/store/concurrency.test.ts and the numbering model test drive the
 * composed issuer.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { Effect, Result } from "effect"
import fc from "fast-check"
import type { IssuedReceipt } from "../../domain/receipt.ts"
import { SigningError } from "../../domain/ports/signer.ts"
import type { Db } from "../../store/database/db.ts"
import { transactionResult } from "../../store/database/transaction-result.ts"
import { prepareIssue, type SignFn } from "../../store/receipts/issuance.ts"
import { runGroup } from "../../store/receipts/group-issuer/group-batch.ts"
import type { Outcome, Pending } from "../../store/receipts/group-issuer/pending.ts"
import { newPrediction } from "../../store/receipts/group-issuer/prediction.ts"
import { NOTHING_ISSUED, OUTCOME_UNKNOWN, verdictAfterLoss, wasCommitted } from "../../store/receipts/group-issuer/recovery.ts"
import { makeSeriesQueues, nextGroupSize } from "../../store/receipts/group-issuer/series-queue.ts"
import { type TestDatabase, targets } from "./databases.ts"
import { makeDraft, requestFor } from "./fixtures.ts"
import { makeTestSigner, type TestKeys } from "./test-signer.ts"

const turn = () => new Promise<void>((resolve) => setImmediate(resolve))
const turns = async (n: number) => {
  for (let i = 0; i < n; i++) await turn()
}

describe("the queue (series-queue.ts)", () => {
  test("the requests of one turn leave as one group", async () => {
    const groups: Array<Array<number>> = []
    const q = makeSeriesQueues<number>({ maxGroup: 512, maxInFlight: 1 }, async (g) => void groups.push(g), () => {})
    for (let i = 0; i < 5; i++) q.push("s", i)
    expect(groups).toEqual([])
    await turns(2)
    expect(groups).toEqual([[0, 1, 2, 3, 4]])
  })

  test("requests arriving while a group runs wait and leave together as the next group", async () => {
    const groups: Array<Array<number>> = []
    let release = () => {}
    const q = makeSeriesQueues<number>({ maxGroup: 512, maxInFlight: 1 }, async (g) => {
      groups.push(g)
      if (groups.length === 1) await new Promise<void>((r) => (release = r))
    }, () => {})
    q.push("s", 0)
    await turns(2)
    for (let i = 1; i <= 3; i++) q.push("s", i)
    await turns(3)
    expect(groups).toEqual([[0]])
    release()
    await turns(3)
    expect(groups).toEqual([[0], [1, 2, 3]])
  })

  test("series do not wait for each other", async () => {
    const started: Array<string> = []
    const q = makeSeriesQueues<string>({ maxGroup: 512, maxInFlight: 1 }, async (g, key) => {
      started.push(key)
      if (key === "slow") await new Promise(() => {}) // never ends
      void g
    }, () => {})
    q.push("slow", "a")
    q.push("fast", "b")
    await turns(2)
    q.push("fast", "c")
    await turns(3)
    expect(started).toEqual(["slow", "fast", "fast"])
  })

  test("a group whose runner throws is answered by `failed`, and the queue goes on", async () => {
    const failed: Array<ReadonlyArray<number>> = []
    const ran: Array<Array<number>> = []
    const q = makeSeriesQueues<number>({ maxGroup: 512, maxInFlight: 1 }, async (g) => {
      ran.push(g)
      if (g.includes(0)) throw new Error("boom")
    }, (g) => void failed.push(g))
    q.push("s", 0)
    await turns(2)
    q.push("s", 1)
    await turns(4)
    expect(failed).toEqual([[0]])
    expect(ran).toEqual([[0], [1]])
  })

  test("property: every request runs once, in order per series, in groups of at most maxGroup, at most maxInFlight at once", async () => {
    const step = fc.oneof(
      fc.record({ push: fc.constantFrom("a", "b", "c") }),
      fc.record({ wait: fc.integer({ min: 1, max: 3 }) })
    )
    await fc.assert(fc.asyncProperty(
      fc.integer({ min: 1, max: 4 }),
      fc.integer({ min: 1, max: 3 }),
      fc.array(step, { maxLength: 60 }),
      fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 10 }),
      async (maxGroup, maxInFlight, steps, durations) => {
        const order = new Map<string, Array<number>>()
        const running = new Map<string, number>()
        let runs = 0
        let worst = 0
        const q = makeSeriesQueues<number>({ maxGroup, maxInFlight }, async (g, key) => {
          expect(g.length).toBeGreaterThan(0)
          expect(g.length).toBeLessThanOrEqual(maxGroup)
          order.set(key, [...(order.get(key) ?? []), ...g])
          running.set(key, (running.get(key) ?? 0) + 1)
          worst = Math.max(worst, running.get(key) ?? 0)
          await turns(durations[runs++ % durations.length] ?? 0)
          running.set(key, (running.get(key) ?? 0) - 1)
        }, () => {})
        const pushed = new Map<string, Array<number>>()
        let n = 0
        for (const s of steps) {
          if ("push" in s) {
            pushed.set(s.push, [...(pushed.get(s.push) ?? []), n])
            q.push(s.push, n++)
          } else await turns(s.wait)
        }
        await turns(4 * (n + 4))
        expect(worst).toBeLessThanOrEqual(maxInFlight)
        expect(order).toEqual(pushed)
      }
    ), { numRuns: 60 })
  })

  test("property: the next group's size shares the waiting requests among the free slots, within maxGroup", () => {
    fc.assert(fc.property(
      fc.integer({ min: 0, max: 2000 }),
      fc.integer({ min: 1, max: 4 }),
      fc.integer({ min: 0, max: 4 }),
      fc.integer({ min: 1, max: 600 }),
      (waiting, maxInFlight, inFlight, maxGroup) => {
        const size = nextGroupSize(waiting, inFlight, { maxGroup, maxInFlight })
        if (waiting === 0 || inFlight >= maxInFlight) return expect(size).toBe(0)
        expect(size).toBeGreaterThanOrEqual(1)
        expect(size).toBeLessThanOrEqual(Math.min(maxGroup, waiting))
        // The free slots together take every waiting request unless maxGroup caps them.
        if (size < maxGroup) expect(size * (maxInFlight - inFlight)).toBeGreaterThanOrEqual(waiting)
      }
    ))
    expect(nextGroupSize(10, 0, { maxGroup: 512, maxInFlight: 2 })).toBe(5)
    expect(nextGroupSize(10, 0, { maxGroup: 512, maxInFlight: 1 })).toBe(10)
    expect(nextGroupSize(1000, 0, { maxGroup: 512, maxInFlight: 1 })).toBe(512)
  })
})

describe("the recovery's verdicts (recovery.ts)", () => {
  test("committed with receipts built: answer with them; not committed: retry while retries last; unknown: unavailable", () => {
    expect(verdictAfterLoss(true, 3, 1, 5)).toEqual({ _tag: "Committed" })
    expect(verdictAfterLoss(false, 3, 1, 5)).toEqual({ _tag: "Retry" })
    expect(verdictAfterLoss(false, 0, 5, 5)).toEqual({ _tag: "Retry" })
    expect(verdictAfterLoss(false, 0, 6, 5)).toEqual({ _tag: "Unavailable", why: NOTHING_ISSUED })
    expect(verdictAfterLoss(undefined, 3, 1, 5)).toEqual({ _tag: "Unavailable", why: OUTCOME_UNKNOWN })
    // The database says committed but nothing was built here: nothing of ours can be answered.
    expect(verdictAfterLoss(true, 0, 1, 5)).toEqual({ _tag: "Unavailable", why: NOTHING_ISSUED })
  })

  test("a database that cannot be asked: undefined after a few tries on lost connections, at once on other errors", async () => {
    let asked = 0
    const failing = (code: string): Db => ({
      driver: "pglite",
      query: async () => [],
      copyIn: async () => {},
      exec: async () => {},
      close: async () => {},
      transaction: async () => {
        asked++
        throw Object.assign(new Error("gone"), { code })
      }
    })
    const pending = { ...Result.getOrThrow(prepareIssue(requestFor(makeDraft()))), resolve: () => {} }
    expect(await wasCommitted(failing("42P01"), [pending], 1000)).toBeUndefined()
    expect(asked).toBe(1)
    asked = 0
    expect(await wasCommitted(failing("CONNECTION_LOST"), [pending], 1000)).toBeUndefined()
    expect(asked).toBe(8)
    expect(await wasCommitted(failing("CONNECTION_LOST"), [], 1000)).toBe(false)
  })
})

const pendingOf = (draftOver: Parameters<typeof makeDraft>[0] = {}): { pending: Pending; outcome: Promise<Outcome> } => {
  let resolve: (o: Outcome) => void = () => {}
  const outcome = new Promise<Outcome>((r) => (resolve = r))
  return { pending: { ...Result.getOrThrow(prepareIssue(requestFor(makeDraft(draftOver)))), resolve }, outcome }
}

const issued = (o: Outcome): IssuedReceipt => {
  if (Result.isFailure(o)) throw new Error(o.failure.message)
  return o.success
}

for (const target of targets) {
  describe(`one group (group-batch.ts) and the recovery's question on ${target.name}`, () => {
    let t: TestDatabase
    let keys: TestKeys
    const options = { predictNumbers: true, connectionRetries: 5, timeoutMs: 15_000 }
    beforeAll(async () => {
      t = await target.make()
      keys = await makeTestSigner()
    })
    afterAll(async () => t.dispose())

    test("a group is issued with consecutive numbers; the prediction learns the next; the next group goes the predicted way", async () => {
      const symbol = "AB/25E"
      const prediction = newPrediction()
      const first = Array.from({ length: 4 }, () => pendingOf({ series: { form: "01-BLTHADS", symbol } }))
      await runGroup(t.db, keys.sign, options, first.map((p) => p.pending), prediction)
      const numbers = (await Promise.all(first.map((p) => p.outcome))).map((o) => issued(o).number)
      expect(numbers).toEqual([1, 2, 3, 4])
      expect(prediction.expectedNext).toBe(5)
      const second = Array.from({ length: 3 }, () => pendingOf({ series: { form: "01-BLTHADS", symbol } }))
      await runGroup(t.db, keys.sign, options, second.map((p) => p.pending), prediction)
      expect((await Promise.all(second.map((p) => p.outcome))).map((o) => issued(o).number)).toEqual([5, 6, 7])
      expect(prediction.expectedNext).toBe(8)
    })

    test("a member the signer refuses is answered with its refusal; the others are issued without a gap", async () => {
      const symbol = "AC/25E"
      const refusing: SignFn = (agency, bytes) =>
        new TextDecoder().decode(bytes).includes("REFUSE-ME")
          ? Effect.fail(new SigningError({ agency, reason: "no_key", message: "refused for the test" }))
          : keys.sign(agency, bytes)
      const members = [
        pendingOf({ series: { form: "01-BLTHADS", symbol } }),
        pendingOf({ series: { form: "01-BLTHADS", symbol }, reason: "REFUSE-ME" }),
        pendingOf({ series: { form: "01-BLTHADS", symbol } })
      ]
      await runGroup(t.db, refusing, options, members.map((p) => p.pending), newPrediction())
      const [a, b, c] = await Promise.all(members.map((p) => p.outcome))
      expect(Result.isFailure(b!) && b.failure._tag).toBe("SigningError")
      expect([issued(a!).number, issued(c!).number]).toEqual([1, 2])
    })

    test("a member already issued is refused; the others are issued without a gap", async () => {
      const symbol = "AD/25E"
      const once = pendingOf({ series: { form: "01-BLTHADS", symbol } })
      await runGroup(t.db, keys.sign, options, [once.pending])
      const again = { ...once.pending, template: { ...once.pending.template, lookupCode: "123456789012" } }
      let answer: Outcome | undefined
      const fresh = pendingOf({ series: { form: "01-BLTHADS", symbol } })
      await runGroup(t.db, keys.sign, options, [fresh.pending, { ...again, resolve: (o: Outcome) => void (answer = o) }])
      expect(issued(await fresh.outcome).number).toBe(2)
      expect(answer !== undefined && Result.isFailure(answer) && answer.failure._tag).toBe("StoreConflict")
      const numbers = await t.db.query<{ number: number }>("SELECT number FROM receipts WHERE symbol = $1::text ORDER BY number", [symbol])
      expect(numbers.map((r) => r.number)).toEqual([1, 2])
    })

    test("near the end of a series: the members past 9,999,999 are told the series is exhausted", async () => {
      const symbol = "AE/25E"
      // 9,999,998 earlier receipts without writing them: triggers off for this setup only (as test/store/contract.test.ts does).
      await t.db.transaction(async (tx) => {
        await tx.query("SET LOCAL session_replication_role = replica")
        await tx.query("INSERT INTO series_counter (agency, form, symbol, last_number) VALUES ('HCM', '01-BLTHADS', $1::text, 9999998)", [symbol])
      })
      const members = Array.from({ length: 3 }, () => pendingOf({ series: { form: "01-BLTHADS", symbol } }))
      await runGroup(t.db, keys.sign, options, members.map((p) => p.pending), newPrediction())
      const [a, b, c] = await Promise.all(members.map((p) => p.outcome))
      expect(issued(a!).number).toBe(9_999_999)
      expect([b, c].map((o) => Result.isFailure(o!) && o.failure._tag)).toEqual(["SeriesExhausted", "SeriesExhausted"])
    })

    test("wasCommitted: true for a committed group, false for one never written", async () => {
      const symbol = "AF/25E"
      const done = pendingOf({ series: { form: "01-BLTHADS", symbol } })
      await runGroup(t.db, keys.sign, options, [done.pending])
      issued(await done.outcome)
      expect(await wasCommitted(t.db, [done.pending], 5000)).toBe(true)
      const never = pendingOf({ series: { form: "01-BLTHADS", symbol } })
      expect(await wasCommitted(t.db, [never.pending], 5000)).toBe(false)
    })

    test("transactionResult commits a success, rolls back a failure and hands it back, and still rejects on errors", async () => {
      await t.db.exec("CREATE TABLE IF NOT EXISTS tr_probe (v text)")
      const ok = await transactionResult(t.db, async (tx) => {
        await tx.query("INSERT INTO tr_probe VALUES ('kept')")
        return Result.succeed(1)
      })
      expect(ok).toEqual(Result.succeed(1))
      const refused = await transactionResult(t.db, async (tx) => {
        await tx.query("INSERT INTO tr_probe VALUES ('rolled back')")
        return Result.fail("refused" as const)
      })
      expect(Result.isFailure(refused) && refused.failure).toBe("refused")
      await expect(transactionResult(t.db, async (tx) => {
        await tx.query("INSERT INTO tr_probe VALUES ('thrown')")
        throw new Error("database error")
      })).rejects.toThrow("database error")
      expect((await t.db.query<{ v: string }>("SELECT v FROM tr_probe ORDER BY v")).map((r) => r.v)).toEqual(["kept"])
    })
  })
}
