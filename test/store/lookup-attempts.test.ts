/**
 * The per-code count of identity checks in the database, on PGlite and (with
 * TEST_DATABASE_URL) PostgreSQL: a model-based test against the pure rule,
 * and concurrent guesses from many connections, which must never get more
 * checks through than the policy allows.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import fc from "fast-check"
import { admit, settle, unguardedState, type LookupGuardState } from "../../domain/lookup-guard.ts"
import { admitIdentityCheck, identityCheckState, settleIdentityCheck } from "../../store/public/lookup-attempts.ts"
import { targets, type TestDatabase } from "./databases.ts"

const policy = { maxFailures: 3, windowSeconds: 3_600, lockSeconds: 600 }
const codes = ["AAAAAAAAAAAA", "BBBBBBBBBBBB", "CCCCCCCCCCCC"] as const

interface Model {
  t: number
  readonly states: Map<string, LookupGuardState>
  readonly inFlight: Map<string, Array<{ readonly matches: boolean; readonly window: string | null }>>
}
interface Real {
  readonly db: TestDatabase
  readonly prefix: string
}
const at = (t: number) => new Date(Date.UTC(2025, 5, 23) + t * 1000).toISOString()

class Advance implements fc.AsyncCommand<Model, Real> {
  readonly seconds: number
  constructor(seconds: number) {
    this.seconds = seconds
  }
  check = () => true
  run = async (m: Model) => {
    m.t += this.seconds
  }
  toString = () => `advance(${this.seconds})`
}

class Start implements fc.AsyncCommand<Model, Real> {
  readonly code: string
  readonly matches: boolean
  constructor(code: string, matches: boolean) {
    this.code = code
    this.matches = matches
  }
  check = () => true
  run = async (m: Model, r: Real) => {
    const expected = admit(m.states.get(this.code) ?? unguardedState, at(m.t), policy)
    const got = await admitIdentityCheck(r.db.db, r.prefix + this.code, at(m.t), policy)
    expect(got).toEqual(expected)
    m.states.set(this.code, expected.state)
    if (expected._tag === "Admitted") m.inFlight.set(this.code, [...(m.inFlight.get(this.code) ?? []), { matches: this.matches, window: expected.state.windowStartedAt }])
  }
  toString = () => `start(${this.code}, ${this.matches})`
}

class Finish implements fc.AsyncCommand<Model, Real> {
  readonly code: string
  constructor(code: string) {
    this.code = code
  }
  check = (m: Readonly<Model>) => (m.inFlight.get(this.code) ?? []).length > 0
  run = async (m: Model, r: Real) => {
    const [check, ...rest] = m.inFlight.get(this.code) ?? []
    m.inFlight.set(this.code, rest)
    const matches = check?.matches ?? false
    const window = check?.window ?? null
    const expected = settle(m.states.get(this.code) ?? unguardedState, matches, at(m.t), policy, window)
    const got = await settleIdentityCheck(r.db.db, r.prefix + this.code, matches, at(m.t), policy, window)
    expect(got).toEqual(expected)
    expect(await identityCheckState(r.db.db, r.prefix + this.code)).toEqual(expected)
    m.states.set(this.code, expected)
  }
  toString = () => `finish(${this.code})`
}

for (const target of targets) {
  describe(`lookup attempts on ${target.name}`, () => {
    let db: TestDatabase
    beforeAll(async () => {
      db = await target.make()
    }, 60_000)
    afterAll(async () => {
      await db?.dispose()
    })

    test("the stored count follows the pure rule over any sequence of checks, settlements and time", async () => {
      let run = 0
      await fc.assert(
        fc.asyncProperty(
          fc.commands([
            fc.integer({ min: 0, max: 900 }).map((s) => new Advance(s)),
            fc.tuple(fc.constantFrom(...codes), fc.boolean()).map(([c, m]) => new Start(c, m)),
            fc.constantFrom(...codes).map((c) => new Finish(c))
          ], { maxCommands: 40 }),
          async (commands) => {
            // Each run its own codes, so runs do not see each other's rows.
            const real = { db, prefix: `R${run++}-` }
            await fc.asyncModelRun(() => ({ model: { t: 0, states: new Map(), inFlight: new Map() }, real }), commands)
          }
        ),
        { numRuns: target.name === "PGlite" ? 25 : 40 }
      )
    }, 120_000)

    test("40 concurrent wrong guesses on one code: exactly maxFailures are admitted, and the code locks", async () => {
      const code = "CONCURRENT01"
      const pools = db.schema === undefined ? [db.db] : [db.db, db.open(5), db.open(5)]
      const results = await Promise.all(
        Array.from({ length: 40 }, (_, i) => admitIdentityCheck(pools[i % pools.length]!, code, at(0), policy))
      )
      expect(results.filter((r) => r._tag === "Admitted").length).toBe(policy.maxFailures)
      await Promise.all(results.filter((r) => r._tag === "Admitted").map((r, i) => settleIdentityCheck(pools[i % pools.length]!, code, false, at(1), policy, r.state.windowStartedAt)))
      expect((await identityCheckState(db.db, code)).lockedUntil).not.toBeNull()
      expect((await admitIdentityCheck(db.db, code, at(2), policy))._tag).toBe("Locked")
    }, 60_000)
  })
}
