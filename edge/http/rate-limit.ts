/**
 * Per-client rate limiting for the public endpoints: a token bucket per
 * client address. A client may burst up to `burst` requests, then gets
 * `perMinute` a minute. A refused request gets 429 with the honest number of
 * seconds until its next request would pass (`Retry-After`), and every
 * answer carries `RateLimit-Limit` / `RateLimit-Remaining`.
 *
 * The buckets live in this process; behind several servers each enforces
 * its own share, which is what a per-client limit needs (an abusive client
 * is slowed everywhere), without a shared store on the hot path.
 */
import type { Context, MiddlewareHandler } from "hono"
import type { EdgeEnv } from "./env.ts"
import { ApiError } from "./errors.ts"

export interface RateLimitOptions {
  readonly perMinute: number
  readonly burst: number
}

interface Bucket {
  tokens: number
  at: number
}

/** Decides for one client at time `nowMs`; pure bookkeeping, so it is testable without HTTP. */
export const makeRateLimiter = (options: RateLimitOptions, maxClients = 100_000) => {
  const perMs = options.perMinute / 60_000
  const buckets = new Map<string, Bucket>()
  const refill = (b: Bucket, nowMs: number) => {
    b.tokens = Math.min(options.burst, b.tokens + (nowMs - b.at) * perMs)
    b.at = nowMs
  }
  const prune = (nowMs: number) => {
    for (const [key, b] of buckets) {
      refill(b, nowMs)
      if (b.tokens >= options.burst) buckets.delete(key)
    }
  }
  return {
    take: (client: string, nowMs: number): { readonly allowed: boolean; readonly remaining: number; readonly retryAfterSeconds: number } => {
      let b = buckets.get(client)
      if (b === undefined) {
        if (buckets.size >= maxClients) prune(nowMs)
        b = { tokens: options.burst, at: nowMs }
        buckets.set(client, b)
      }
      refill(b, nowMs)
      if (b.tokens >= 1) {
        b.tokens -= 1
        return { allowed: true, remaining: Math.floor(b.tokens), retryAfterSeconds: 0 }
      }
      return { allowed: false, remaining: 0, retryAfterSeconds: Math.max(1, Math.ceil((1 - b.tokens) / perMs / 1000)) }
    },
    size: () => buckets.size
  }
}

export const rateLimit = (
  options: RateLimitOptions,
  clientOf: (c: Context<EdgeEnv>) => string,
  nowMs: () => number
): MiddlewareHandler => {
  const limiter = makeRateLimiter(options)
  return async (c: Context<EdgeEnv>, next) => {
    const decision = limiter.take(clientOf(c), nowMs())
    c.header("RateLimit-Limit", String(options.perMinute))
    c.header("RateLimit-Remaining", String(decision.remaining))
    if (!decision.allowed) {
      // Thrown, not answered here, so a page gets a page in its language and the API gets JSON (edge/app.ts).
      throw new ApiError(429, "rate_limited", `too many requests from this address: try again in ${decision.retryAfterSeconds} s`, {
        details: { retryAfterSeconds: decision.retryAfterSeconds },
        headers: { "Retry-After": String(decision.retryAfterSeconds) }
      })
    }
    await next()
  }
}
