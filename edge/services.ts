/**
 * Everything the edge app needs, injected: the database and the store built
 * on it, the signer, the trust list, a clock, randomness, a logger and the
 * settings. Entry points (edge/bun.ts, jobs/bin/start.ts) and tests build
 * this once; the app itself opens nothing.
 */
import pino from "pino"
import type { Logger } from "pino"
import type { ReceiptStore } from "../domain/ports/receipt-store.ts"
import type { Signer } from "../domain/ports/signer.ts"
import type { Db } from "../store/db.ts"
import { makeReceiptStore, signFnOf } from "../store/receipt-repository.ts"
import type { RateLimitOptions } from "./http/rate-limit.ts"
import { makeStatusLists, type StatusListService } from "./verification/status-lists.ts"
import type { TrustSource } from "./verification/trust-source.ts"
import { makeVerifier, type Verifier } from "./verification/verifier.ts"

export interface EdgeConfig {
  /** Where citizens reach this server; printed under QR codes. */
  readonly publicUrl: string
  /** Per-client limit on public endpoints; null turns it off (benchmarks). */
  readonly rateLimit: RateLimitOptions | null
  /** A status list is rebuilt at the latest this long after it was signed. */
  readonly statusListMaxAgeSeconds: number
  /** JSON bodies larger than this are refused with 413. */
  readonly jsonBodyLimitBytes: number
  /** Uploaded photos and scans larger than this are refused with 413. */
  readonly uploadLimitBytes: number
  /** Take the client address from X-Forwarded-For (only behind a proxy that sets it). */
  readonly trustProxy: boolean
  /** Console sessions end after this long unused, and this long after sign-in whatever happens. */
  readonly sessions: { readonly idleMinutes: number; readonly absoluteHours: number }
  /** API tokens live `defaultDays` unless asked otherwise, never more than `maxDays`. */
  readonly tokens: { readonly defaultDays: number; readonly maxDays: number }
  /**
   * Served over TLS (directly or behind a TLS proxy): cookies are `Secure`
   * with the `__Host-` prefix, and every answer carries HSTS.
   */
  readonly secureCookies: boolean
}

export const defaultConfig: EdgeConfig = {
  publicUrl: "http://localhost:8787",
  rateLimit: { perMinute: 120, burst: 60 },
  statusListMaxAgeSeconds: 60,
  jsonBodyLimitBytes: 64 * 1024,
  uploadLimitBytes: 8 * 1024 * 1024,
  trustProxy: false,
  sessions: { idleMinutes: 30, absoluteHours: 12 },
  tokens: { defaultDays: 90, maxDays: 365 },
  secureCookies: false
}

export interface EdgeServices {
  readonly db: Db
  readonly store: ReceiptStore["Service"]
  readonly signer: Signer["Service"]
  readonly trust: () => TrustSource
  readonly statusLists: StatusListService
  readonly verify: Verifier
  readonly now: () => Date
  readonly randomBytes: (length: number) => Uint8Array
  readonly logger: Logger
  readonly config: EdgeConfig
}

export const makeEdgeServices = (input: {
  readonly db: Db
  readonly signer: Signer["Service"]
  readonly trust: TrustSource
  readonly now?: () => Date
  readonly randomBytes?: (length: number) => Uint8Array
  readonly logger?: Logger
  readonly config?: Partial<EdgeConfig>
}): EdgeServices => {
  const now = input.now ?? (() => new Date())
  const config = { ...defaultConfig, ...input.config }
  const trust = () => input.trust
  const statusLists = makeStatusLists({
    db: input.db,
    signer: input.signer,
    anchors: () => trust().anchors,
    now,
    maxAgeMs: config.statusListMaxAgeSeconds * 1000
  })
  return {
    db: input.db,
    store: makeReceiptStore(input.db, signFnOf(input.signer)),
    signer: input.signer,
    trust,
    statusLists,
    // A list may be up to maxAge old when used, plus the time to build it.
    verify: makeVerifier({ trust, statusLists, now, freshForSeconds: config.statusListMaxAgeSeconds + 60 }),
    now,
    randomBytes: input.randomBytes ?? ((n) => crypto.getRandomValues(new Uint8Array(n))),
    logger: input.logger ?? pino({ base: undefined }),
    config
  }
}
