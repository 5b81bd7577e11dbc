/** The token bucket behind the public rate limit, as a property. */
import { describe, expect, test } from "bun:test"
import fc from "fast-check"
import { makeRateLimiter } from "../../edge/http/rate-limit.ts"
import { matchesEtag } from "../../edge/http/etag.ts"

describe("rate limiter", () => {
  test("over any schedule a client gets at most burst + rate × elapsed requests", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 600 }),
        fc.integer({ min: 1, max: 50 }),
        fc.array(fc.integer({ min: 0, max: 5_000 }), { minLength: 1, maxLength: 200 }),
        (perMinute, burst, gaps) => {
          const limiter = makeRateLimiter({ perMinute, burst })
          let t = 0
          let allowed = 0
          for (const gap of gaps) {
            t += gap
            const d = limiter.take("203.0.113.7", t)
            if (d.allowed) allowed++
            else expect(d.retryAfterSeconds).toBeGreaterThanOrEqual(1)
            expect(allowed).toBeLessThanOrEqual(burst + Math.floor((t * perMinute) / 60_000) + 1e-9)
          }
        }
      ),
      { numRuns: 200 }
    )
  })

  test("after a refusal, waiting Retry-After seconds lets the next request through", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 600 }), fc.integer({ min: 1, max: 20 }), (perMinute, burst) => {
        const limiter = makeRateLimiter({ perMinute, burst })
        let t = 0
        for (let i = 0; i < burst; i++) expect(limiter.take("c", t).allowed).toBe(true)
        const refused = limiter.take("c", t)
        expect(refused.allowed).toBe(false)
        t += refused.retryAfterSeconds * 1000
        expect(limiter.take("c", t).allowed).toBe(true)
      }),
      { numRuns: 200 }
    )
  })

  test("clients do not share buckets", () => {
    const limiter = makeRateLimiter({ perMinute: 1, burst: 1 })
    expect(limiter.take("198.51.100.1", 0).allowed).toBe(true)
    expect(limiter.take("198.51.100.1", 0).allowed).toBe(false)
    expect(limiter.take("198.51.100.2", 0).allowed).toBe(true)
  })
})

describe("If-None-Match", () => {
  test("matches the exact tag, a weak form of it, a list containing it, and *", () => {
    expect(matchesEtag('"abc"', '"abc"')).toBe(true)
    expect(matchesEtag('W/"abc"', '"abc"')).toBe(true)
    expect(matchesEtag('"x", "abc"', '"abc"')).toBe(true)
    expect(matchesEtag("*", '"abc"')).toBe(true)
    expect(matchesEtag('"abd"', '"abc"')).toBe(false)
    expect(matchesEtag(undefined, '"abc"')).toBe(false)
  })
})
