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
import type { Db } from "../store/database/db.ts"
import { makeReceiptStore } from "../store/receipts/receipt-repository.ts"
import type { RateLimitOptions } from "./http/rate-limit.ts"
import { defaultLookupGuardPolicy, type LookupGuardPolicy } from "../domain/lookup-guard.ts"
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
  /**
   * How many proxies in front of this server append to X-Forwarded-For; the
   * client is the address that many places from the right (0: the socket's
   * peer, X-Forwarded-For ignored). Its leftmost entries are whatever the
   * client sent, so they are never believed.
   */
  readonly trustProxyHops: number
  /** The most status lists held in memory (an LRU); callers name series, so this bounds them. */
  readonly statusListCacheSize: number
  /** Hosts (besides PUBLIC_URL's) whose QR codes are the agency's own; any other is flagged as a possible copy. */
  readonly acceptedQrHosts: ReadonlyArray<string>
  /** Failed identity-number checks a lookup code allows before it is locked, and for how long it then stays locked. */
  readonly lookupGuard: LookupGuardPolicy
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
  trustProxyHops: 0,
  statusListCacheSize: 1000,
  acceptedQrHosts: [],
  lookupGuard: defaultLookupGuardPolicy,
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
    maxAgeMs: config.statusListMaxAgeSeconds * 1000,
    // A list is replaced at the latest maxAge after it was signed; a minute more allows for the time to fetch and clock skew.
    freshForSeconds: config.statusListMaxAgeSeconds + 60,
    capacity: config.statusListCacheSize
  })
  const logger = input.logger ?? pino({ base: undefined })
  return {
    db: input.db,
    store: makeReceiptStore(input.db, input.signer.sign),
    signer: input.signer,
    trust,
    statusLists,
    verify: makeVerifier({
      trust,
      statusLists,
      now,
      onStatusError: (e) => logger.warn({ err: e instanceof Error ? e.message : String(e) }, "status list unavailable")
    }),
    now,
    randomBytes: input.randomBytes ?? ((n) => crypto.getRandomValues(new Uint8Array(n))),
    logger,
    config
  }
}
