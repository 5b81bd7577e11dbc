import { describe, expect, test } from "bun:test"
import { Result } from "effect"
import fc from "fast-check"
import {
  afterAttempt,
  type AttemptOutcome,
  backoffCeiling,
  backoffDelay,
  checkPolicy,
  defaultDeliveryPolicy,
  type DeliveryPolicy,
  type DeliveryState,
  firstState,
  isDue
} from "../../domain/notifications/delivery-policy.ts"

const policyArb: fc.Arbitrary<DeliveryPolicy> = fc
  .record({ maxAttempts: fc.integer({ min: 1, max: 30 }), baseDelayMs: fc.integer({ min: 1, max: 60_000 }), extra: fc.integer({ min: 0, max: 86_400_000 }) })
  .map(({ maxAttempts, baseDelayMs, extra }) => ({ maxAttempts, baseDelayMs, maxDelayMs: baseDelayMs + extra }))
const jitterArb = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true })
const start = "2025-06-23T03:40:00.000Z"

describe("backoff", () => {
  test("the wait lies in [ceiling/2, ceiling], never above the maximum, never zero", () => {
    fc.assert(
      fc.property(policyArb, fc.integer({ min: 1, max: 80 }), jitterArb, (p, n, j) => {
        const c = backoffCeiling(p, n)
        const d = backoffDelay(p, n, j)
        expect(c).toBeLessThanOrEqual(p.maxDelayMs)
        expect(d).toBeGreaterThanOrEqual(Math.floor(c / 2))
        expect(d).toBeLessThanOrEqual(c)
        expect(d).toBeGreaterThan(0)
      }),
      // Found by this property once: a 1 ms ceiling with no jitter floored to 0.
      { examples: [[{ maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 }, 1, 0]] }
    )
  })

  test("the ceiling doubles until it reaches the maximum, and never shrinks", () => {
    fc.assert(
      fc.property(policyArb, fc.integer({ min: 1, max: 80 }), (p, n) => {
        const now = backoffCeiling(p, n)
        const next = backoffCeiling(p, n + 1)
        expect(next).toBeGreaterThanOrEqual(now)
        expect(next).toBe(Math.min(p.maxDelayMs, now * 2))
      })
    )
  })

  test("jitter spreads the waits: more jitter, longer wait", () => {
    fc.assert(
      fc.property(policyArb, fc.integer({ min: 1, max: 40 }), jitterArb, jitterArb, (p, n, a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a]
        expect(backoffDelay(p, n, lo)).toBeLessThanOrEqual(backoffDelay(p, n, hi))
      })
    )
    expect(backoffDelay(defaultDeliveryPolicy, 1, 0)).toBe(2_500)
    expect(backoffDelay(defaultDeliveryPolicy, 1, 0.999999)).toBe(4_999)
  })

  test("the default schedule gives up after 12 to 23 hours", () => {
    let early = 0
    let late = 0
    for (let n = 1; n < defaultDeliveryPolicy.maxAttempts; n++) {
      early += backoffDelay(defaultDeliveryPolicy, n, 0)
      late += backoffDelay(defaultDeliveryPolicy, n, 0.999999)
    }
    expect(early / 3_600_000).toBeGreaterThan(11.5)
    expect(late / 3_600_000).toBeLessThan(23.5)
  })
})

describe("afterAttempt", () => {
  test("a success is delivered at once", () => {
    expect(afterAttempt(defaultDeliveryPolicy, firstState(start), { ok: true }, start, 0.5)).toEqual({ status: "delivered", attempts: 1, deliveredAt: start })
  })

  test("a permanent failure is dead-lettered at once with its error", () => {
    const s = afterAttempt(defaultDeliveryPolicy, firstState(start), { ok: false, permanent: true, error: "HTTP 410" }, start, 0.5)
    expect(s).toEqual({ status: "dead", attempts: 1, deadAt: start, lastError: "HTTP 410" })
  })

  test("after maxAttempts failures the notification is dead with the last error", () => {
    fc.assert(
      fc.property(policyArb, fc.array(jitterArb, { minLength: 30, maxLength: 30 }), (p, jitters) => {
        let s: DeliveryState = firstState(start)
        let n = 0
        while (s.status === "pending") {
          s = afterAttempt(p, s, { ok: false, permanent: false, error: `HTTP 503 #${n + 1}` }, s.nextAttemptAt, jitters[n]!)
          n++
        }
        expect(s).toMatchObject({ status: "dead", attempts: p.maxAttempts, lastError: `HTTP 503 #${p.maxAttempts}` })
        expect(n).toBe(p.maxAttempts)
      })
    )
  })

  test("Retry-After is honoured up to the maximum wait", () => {
    const p = { maxAttempts: 5, baseDelayMs: 1000, maxDelayMs: 60_000 }
    const asked = afterAttempt(p, firstState(start), { ok: false, permanent: false, error: "HTTP 429", retryAfterMs: 30_000 }, start, 0)
    expect(asked).toMatchObject({ status: "pending", nextAttemptAt: "2025-06-23T03:40:30.000Z" })
    const capped = afterAttempt(p, firstState(start), { ok: false, permanent: false, error: "HTTP 429", retryAfterMs: 86_400_000 }, start, 0)
    expect(capped).toMatchObject({ nextAttemptAt: "2025-06-23T03:41:00.000Z" })
  })

  test("policies are checked", () => {
    expect(Result.isFailure(checkPolicy({ maxAttempts: 0, baseDelayMs: 1, maxDelayMs: 1 }))).toBe(true)
    expect(Result.isFailure(checkPolicy({ maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 5 }))).toBe(true)
    expect(Result.isSuccess(checkPolicy(defaultDeliveryPolicy))).toBe(true)
  })
})

// The state machine against a model: a counter of attempts and the expected status.
interface Model {
  attempts: number
  status: "pending" | "delivered" | "dead"
  now: number
  lastError: string | undefined
}
interface Real {
  state: DeliveryState
}

const policy: DeliveryPolicy = { maxAttempts: 6, baseDelayMs: 1_000, maxDelayMs: 20_000 }

class Attempt implements fc.Command<Model, Real> {
  readonly outcome: AttemptOutcome
  readonly jitter: number
  readonly lateMs: number
  constructor(outcome: AttemptOutcome, jitter: number, lateMs: number) {
    this.outcome = outcome
    this.jitter = jitter
    this.lateMs = lateMs
  }
  check(m: Readonly<Model>): boolean {
    return m.status === "pending"
  }
  run(m: Model, r: Real): void {
    const s = r.state
    if (s.status !== "pending") throw new Error("attempted a finished notification")
    // The dispatcher attempts at or after the due time.
    const at = Math.max(m.now, Date.parse(s.nextAttemptAt)) + this.lateMs
    expect(isDue(s, new Date(at).toISOString())).toBe(true)
    const next = afterAttempt(policy, s, this.outcome, new Date(at).toISOString(), this.jitter)

    m.attempts++
    m.now = at
    if (this.outcome.ok) m.status = "delivered"
    else {
      m.lastError = this.outcome.error
      m.status = this.outcome.permanent || m.attempts >= policy.maxAttempts ? "dead" : "pending"
    }

    expect(next.status).toBe(m.status)
    expect(next.attempts).toBe(m.attempts)
    if (next.status === "pending") {
      const wait = Date.parse(next.nextAttemptAt) - at
      expect(wait).toBeGreaterThan(0)
      expect(wait).toBeLessThanOrEqual(policy.maxDelayMs)
      expect(wait).toBeGreaterThanOrEqual(Math.floor(backoffCeiling(policy, m.attempts) / 2))
      expect(isDue(next, new Date(at).toISOString())).toBe(false)
      expect(next.lastError).toBe(m.lastError)
    }
    if (next.status === "dead") expect(next.lastError).toBe(m.lastError!)
    if (next.status !== "pending") expect(isDue(next, "2199-01-01T00:00:00.000Z")).toBe(false)
    r.state = next
  }
  toString(): string {
    return `attempt(${this.outcome.ok ? "ok" : `${this.outcome.permanent ? "permanent" : "retry"}:${this.outcome.error}`})`
  }
}

test("model: attempts, delivery and dead-lettering follow the policy", () => {
  const outcomeArb: fc.Arbitrary<AttemptOutcome> = fc.oneof(
    { weight: 1, arbitrary: fc.constant({ ok: true } as const) },
    { weight: 4, arbitrary: fc.record({ ok: fc.constant(false as const), permanent: fc.constant(false), error: fc.constantFrom("HTTP 503", "timeout", "HTTP 429") }) },
    { weight: 1, arbitrary: fc.record({ ok: fc.constant(false as const), permanent: fc.constant(true), error: fc.constantFrom("HTTP 404", "550 no such user") }) }
  )
  const commands = [fc.tuple(outcomeArb, jitterArb, fc.integer({ min: 0, max: 5_000 })).map(([o, j, l]) => new Attempt(o, j, l))]
  fc.assert(
    fc.property(fc.commands(commands, { maxCommands: 20 }), (cmds) => {
      const model: Model = { attempts: 0, status: "pending", now: Date.parse(start), lastError: undefined }
      const real: Real = { state: firstState(start) }
      fc.modelRun(() => ({ model, real }), cmds)
    }),
    { numRuns: 300 }
  )
})
