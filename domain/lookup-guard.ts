/**
 * The guard on identity-number checks at public lookup: anyone holding a
 * lookup code may try identity numbers to see the full receipt, so each code
 * allows only a few failed checks before it locks for a while. The count is
 * per lookup code (kept in the database by the store), so guessing stays
 * bounded however many clients or addresses take part.
 *
 * An attempt is counted as failed when it is admitted, before the number is
 * compared, and refunded if it matched: concurrent guesses therefore cannot
 * slip past the limit while earlier ones are still being checked. A locked
 * code refuses every check, right number or not, so a locked answer tells
 * nothing about the number.
 *
 * Pure: the store runs `admit` and `settle` on the stored state inside a
 * transaction that holds the row.
 */

export interface LookupGuardPolicy {
  /** Failed checks allowed within `windowSeconds`; the next one is refused and the code locks. */
  readonly maxFailures: number
  /** Failures older than this (counted from the first of the window) are forgotten. */
  readonly windowSeconds: number
  /** How long a locked code refuses every identity check. */
  readonly lockSeconds: number
}

/** 5 failures a day, then an hour's lock: at most 5 guesses an hour, 120 a day, for any number of clients. */
export const defaultLookupGuardPolicy: LookupGuardPolicy = { maxFailures: 5, windowSeconds: 86_400, lockSeconds: 3_600 }

export interface LookupGuardState {
  /** Failed checks, and admitted checks not yet settled, since `windowStartedAt`. */
  readonly failures: number
  readonly windowStartedAt: string | null
  readonly lockedUntil: string | null
}

export const unguardedState: LookupGuardState = { failures: 0, windowStartedAt: null, lockedUntil: null }

export type Admission =
  | { readonly _tag: "Admitted"; readonly state: LookupGuardState }
  | { readonly _tag: "Locked"; readonly lockedUntil: string; readonly state: LookupGuardState }

const plusSeconds = (iso: string, seconds: number): string => new Date(Date.parse(iso) + seconds * 1000).toISOString()

const isLocked = (state: LookupGuardState, now: string): state is LookupGuardState & { readonly lockedUntil: string } =>
  state.lockedUntil !== null && Date.parse(now) < Date.parse(state.lockedUntil)

/** The state with expired locks and windows forgotten. */
const current = (state: LookupGuardState, now: string, policy: LookupGuardPolicy): LookupGuardState => {
  const lockEnded = state.lockedUntil !== null && !isLocked(state, now)
  const windowEnded = state.windowStartedAt === null || Date.parse(now) - Date.parse(state.windowStartedAt) >= policy.windowSeconds * 1000
  return lockEnded || (windowEnded && state.lockedUntil === null) ? unguardedState : state
}

/** Before comparing a number: admit the check (counting it as failed) or refuse it because the code is locked. */
export const admit = (stored: LookupGuardState, now: string, policy: LookupGuardPolicy): Admission => {
  if (isLocked(stored, now)) return { _tag: "Locked", lockedUntil: stored.lockedUntil, state: stored }
  const state = current(stored, now, policy)
  if (state.failures >= policy.maxFailures) {
    const lockedUntil = plusSeconds(now, policy.lockSeconds)
    return { _tag: "Locked", lockedUntil, state: { ...state, lockedUntil } }
  }
  return { _tag: "Admitted", state: { failures: state.failures + 1, windowStartedAt: state.windowStartedAt ?? now, lockedUntil: null } }
}

/**
 * After comparing: a match refunds the attempt; a failure that used up the
 * allowance locks the code. `admittedInWindow` is the window the attempt was
 * counted in (its admission's `windowStartedAt`): a match settled after that
 * window ended (a slow check) has nothing left to refund, and refunding it
 * would cancel a failure counted in the new window, an extra guess.
 */
export const settle = (
  stored: LookupGuardState,
  matched: boolean,
  now: string,
  policy: LookupGuardPolicy,
  admittedInWindow: string | null
): LookupGuardState => {
  if (matched) return stored.windowStartedAt === admittedInWindow ? { ...stored, failures: Math.max(0, stored.failures - 1) } : stored
  if (stored.failures >= policy.maxFailures && !isLocked(stored, now)) return { ...stored, lockedUntil: plusSeconds(now, policy.lockSeconds) }
  return stored
}
