/**
 * When to try a notification again, as a pure function: exponential
 * backoff with jitter, at most `maxAttempts` attempts, then the dead-letter
 * state with the last error. The dispatcher stores the state it returns
 * and asks again after the next attempt; randomness comes in as `jitter`
 * (a number in [0, 1)) and time as ISO instants, so the policy is tested
 * without a clock or a generator.
 *
 * The wait after the n-th failed attempt is drawn from [c/2, c], where the
 * ceiling c = baseDelay · 2^(n−1), at most maxDelay ("equal jitter": never
 * zero, so a failing receiver always gets a pause, and spread so that many
 * notifications failing together do not all come back at once). A
 * receiver's Retry-After is honoured up to maxDelay.
 */
import { Result, Schema } from "effect"

export interface DeliveryPolicy {
  readonly maxAttempts: number
  readonly baseDelayMs: number
  readonly maxDelayMs: number
}

/**
 * 16 attempts, the first retry after 2.5–5 s, doubling up to a ceiling of
 * 6 hours: the last attempt comes between about 12 and 23 hours after the
 * first, a schedule in the spirit of the Standard Webhooks example.
 */
export const defaultDeliveryPolicy: DeliveryPolicy = { maxAttempts: 16, baseDelayMs: 5_000, maxDelayMs: 6 * 3600_000 }

export class InvalidPolicy extends Schema.TaggedError<InvalidPolicy>()("InvalidPolicy", { message: Schema.String }) {}

export const checkPolicy = (p: DeliveryPolicy): Result.Result<DeliveryPolicy, InvalidPolicy> => {
  if (!Number.isInteger(p.maxAttempts) || p.maxAttempts < 1) return Result.fail(new InvalidPolicy({ message: "maxAttempts must be a whole number ≥ 1" }))
  if (!(p.baseDelayMs > 0)) return Result.fail(new InvalidPolicy({ message: "baseDelayMs must be above 0" }))
  if (!(p.maxDelayMs >= p.baseDelayMs)) return Result.fail(new InvalidPolicy({ message: "maxDelayMs must be at least baseDelayMs" }))
  return Result.succeed(p)
}

export interface Pending {
  readonly status: "pending"
  /** Attempts made so far. */
  readonly attempts: number
  readonly nextAttemptAt: string
  readonly lastError?: string | undefined
}
export interface DeliveredState {
  readonly status: "delivered"
  readonly attempts: number
  readonly deliveredAt: string
}
export interface DeadLettered {
  readonly status: "dead"
  readonly attempts: number
  readonly deadAt: string
  readonly lastError: string
}
export type DeliveryState = Pending | DeliveredState | DeadLettered

export type AttemptOutcome =
  | { readonly ok: true }
  | { readonly ok: false; readonly permanent: boolean; readonly error: string; readonly retryAfterMs?: number | undefined }

/** A new notification: due at once, no attempt yet. */
export const firstState = (createdAt: string): Pending => ({ status: "pending", attempts: 0, nextAttemptAt: createdAt })

export const isDue = (s: DeliveryState, now: string): boolean => s.status === "pending" && s.nextAttemptAt <= now

/** The ceiling of the wait after the `failures`-th failed attempt (≥ 1). */
export const backoffCeiling = (policy: DeliveryPolicy, failures: number): number =>
  Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(Math.max(failures, 1) - 1, 60))

/** The wait after the `failures`-th failed attempt, in [ceiling/2, ceiling]. */
export const backoffDelay = (policy: DeliveryPolicy, failures: number, jitter: number): number => {
  const ceiling = backoffCeiling(policy, failures)
  const j = Number.isFinite(jitter) ? Math.min(Math.max(jitter, 0), 1) : 0
  // At least 1 ms: a 1 ms ceiling with no jitter would otherwise floor to an immediate retry.
  return Math.max(1, Math.floor(ceiling / 2 + (j * ceiling) / 2))
}

const plus = (iso: string, ms: number): string => new Date(Date.parse(iso) + ms).toISOString()

/** The state after an attempt made at `now` on a pending notification. */
export const afterAttempt = (
  policy: DeliveryPolicy,
  state: Pending,
  outcome: AttemptOutcome,
  now: string,
  jitter: number
): DeliveryState => {
  const attempts = state.attempts + 1
  if (outcome.ok) return { status: "delivered", attempts, deliveredAt: now }
  if (outcome.permanent || attempts >= policy.maxAttempts) {
    return { status: "dead", attempts, deadAt: now, lastError: outcome.error }
  }
  const asked = outcome.retryAfterMs === undefined ? 0 : Math.min(Math.max(outcome.retryAfterMs, 0), policy.maxDelayMs)
  const wait = Math.max(backoffDelay(policy, attempts, jitter), asked)
  return { status: "pending", attempts, nextAttemptAt: plus(now, wait), lastError: outcome.error }
}
