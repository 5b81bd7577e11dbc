/**
 * A Clock the test moves by hand, for the app's runtime (`Layer.succeed(Clock.Clock, clock)`)
 * or one effect (`Effect.provideService(effect, Clock.Clock, clock)`). Unlike
 * TestClock, `setNow` is synchronous and `sleep` waits for real, so the
 * edge's timers (sessions, rate limits, status-list ages) read the test's
 * time while nothing that sleeps stalls.
 */
import { Clock, Duration, Effect } from "effect"

export interface MovableClock extends Clock.Clock {
  readonly setNow: (iso: string) => void
  readonly advance: (ms: number) => void
}

export const movableClock = (startAt: string): MovableClock => {
  let nowMs = Date.parse(startAt)
  const live = Clock.Clock.defaultValue()
  return {
    currentTimeMillisUnsafe: () => nowMs,
    currentTimeMillis: Effect.sync(() => nowMs),
    currentTimeNanosUnsafe: () => BigInt(nowMs) * 1_000_000n,
    currentTimeNanos: Effect.sync(() => BigInt(nowMs) * 1_000_000n),
    monotonicTimeNanosUnsafe: () => live.monotonicTimeNanosUnsafe(),
    monotonicTimeNanos: live.monotonicTimeNanos,
    sleep: (duration: Duration.Duration) => live.sleep(duration),
    setNow: (iso) => {
      nowMs = Date.parse(iso)
    },
    advance: (ms) => {
      nowMs += ms
    }
  }
}
