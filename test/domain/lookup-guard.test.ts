/**
 * The per-code guard on identity checks, as properties: whatever the
 * schedule of guesses (interleaved, concurrent, with the owner's right
 * answers mixed in), the failed checks admitted in any stretch of time are
 * bounded by the policy, and a locked code refuses the right number like any
 * other.
 */
import { describe, expect, test } from "bun:test"
import fc from "fast-check"
import { admit, settle, unguardedState, type LookupGuardPolicy, type LookupGuardState } from "../../domain/lookup-guard.ts"

const at = (seconds: number) => new Date(Date.UTC(2025, 5, 23) + seconds * 1000).toISOString()

const policyArb = fc.record({
  maxFailures: fc.integer({ min: 1, max: 8 }),
  windowSeconds: fc.integer({ min: 60, max: 86_400 }),
  lockSeconds: fc.integer({ min: 1, max: 7_200 })
})

/** A step: some time passes, then a check starts (matching or not), or the oldest check in flight settles. */
const stepArb = fc.oneof(
  fc.record({ kind: fc.constant("start" as const), gap: fc.integer({ min: 0, max: 900 }), matches: fc.boolean() }),
  fc.record({ kind: fc.constant("finish" as const), gap: fc.integer({ min: 0, max: 5 }) })
)

interface Run {
  readonly admittedFailures: Array<number>
  readonly refusedMatches: number
}

const play = (policy: LookupGuardPolicy, steps: ReadonlyArray<{ kind: "start"; gap: number; matches: boolean } | { kind: "finish"; gap: number }>): Run => {
  let state: LookupGuardState = unguardedState
  let t = 0
  const inFlight: Array<{ readonly matches: boolean; readonly window: string | null }> = []
  const admittedFailures: Array<number> = []
  let refusedMatches = 0
  const finish = () => {
    const check = inFlight.shift()
    if (check === undefined) return
    state = settle(state, check.matches, at(t), policy, check.window)
  }
  for (const step of steps) {
    t += step.gap
    if (step.kind === "finish") {
      finish()
      continue
    }
    const a = admit(state, at(t), policy)
    state = a.state
    if (a._tag === "Locked") {
      if (step.matches) refusedMatches++
      expect(Date.parse(a.lockedUntil)).toBeGreaterThan(Date.parse(at(t)))
      continue
    }
    if (!step.matches) admittedFailures.push(t)
    inFlight.push({ matches: step.matches, window: a.state.windowStartedAt })
  }
  while (inFlight.length > 0) finish()
  return { admittedFailures, refusedMatches }
}

describe("lookup guard", () => {
  test("in any stretch of time, failed checks admitted ≤ maxFailures × (1 + stretch / lock), however they interleave", () => {
    fc.assert(
      fc.property(policyArb, fc.array(stepArb, { maxLength: 120 }), (policy, steps) => {
        const { admittedFailures } = play(policy, steps)
        for (let i = 0; i < admittedFailures.length; i++) {
          for (let j = i; j < admittedFailures.length; j++) {
            const stretch = admittedFailures[j]! - admittedFailures[i]!
            // A window can also end without a lock; it is at least as long as the lock here only when windowSeconds ≥ lockSeconds.
            const period = Math.min(policy.lockSeconds, policy.windowSeconds)
            expect(j - i + 1).toBeLessThanOrEqual(policy.maxFailures * (1 + Math.floor(stretch / period)))
          }
        }
      }),
      { numRuns: 300 }
    )
  })

  test("a slow matching check settled after its window ended refunds nothing (found by the property above)", () => {
    // The counterexample fast-check found: the right number, checked slowly
    // across a window's end, used to give back a failure counted in the new
    // window, so two wrong numbers got through at one instant with maxFailures 1.
    const policy = { maxFailures: 1, windowSeconds: 60, lockSeconds: 1 }
    const { admittedFailures } = play(policy, [
      { kind: "start", gap: 0, matches: false },
      { kind: "start", gap: 60, matches: true },
      { kind: "finish", gap: 0 },
      { kind: "start", gap: 1, matches: false },
      { kind: "finish", gap: 0 },
      { kind: "start", gap: 0, matches: false }
    ])
    expect(admittedFailures).toEqual([0, 61])
  })

  test("a burst of guesses at one instant admits at most maxFailures, even with none settled yet", () => {
    fc.assert(
      fc.property(policyArb, fc.integer({ min: 1, max: 60 }), (policy, burst) => {
        let state = unguardedState
        let admitted = 0
        for (let i = 0; i < burst; i++) {
          const a = admit(state, at(0), policy)
          state = a.state
          if (a._tag === "Admitted") admitted++
        }
        expect(admitted).toBe(Math.min(burst, policy.maxFailures))
      })
    )
  })

  test("once locked, the right number is refused like a wrong one until the lock ends; then checks resume", () => {
    const policy = { maxFailures: 3, windowSeconds: 86_400, lockSeconds: 600 }
    let state = unguardedState
    for (let i = 0; i < 3; i++) {
      const a = admit(state, at(i), policy)
      expect(a._tag).toBe("Admitted")
      state = settle(a.state, false, at(i), policy, a.state.windowStartedAt)
    }
    expect(state.lockedUntil).toBe(at(2 + 600))
    const during = admit(state, at(300), policy)
    expect(during).toMatchObject({ _tag: "Locked", lockedUntil: at(602) })
    expect(admit(state, at(601), policy)._tag).toBe("Locked")
    const after = admit(state, at(602), policy)
    expect(after._tag).toBe("Admitted")
    expect(after.state.failures).toBe(1)
  })

  test("a matching check gives its attempt back, so the owner's lookups never lock the code", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 50 }), (times) => {
        const policy = { maxFailures: 2, windowSeconds: 86_400, lockSeconds: 600 }
        let state = unguardedState
        for (let i = 0; i < times; i++) {
          const a = admit(state, at(i), policy)
          expect(a._tag).toBe("Admitted")
          state = settle(a.state, true, at(i), policy, a.state.windowStartedAt)
        }
        expect(state.failures).toBe(0)
      })
    )
  })

  test("failures are forgotten when the window passes without a lock", () => {
    const policy = { maxFailures: 3, windowSeconds: 100, lockSeconds: 600 }
    let state = unguardedState
    for (const t of [0, 10]) {
      const admitted = admit(state, at(t), policy).state
      state = settle(admitted, false, at(t), policy, admitted.windowStartedAt)
    }
    expect(state.failures).toBe(2)
    const later = admit(state, at(100), policy)
    expect(later.state).toMatchObject({ failures: 1, windowStartedAt: at(100) })
  })
})
