/**
 * Everything the edge app needs, as Effect services, and the one value the
 * handlers hold (`EdgeServices`), built by `Edge.layer` from the services in
 * the application layer (edge/program/app-layer.ts): the database and the
 * store on it, the signer, the trust list, the settings, the logger, and
 * time and randomness from Effect's Clock and the Entropy port. The app
 * itself opens nothing; tests build the same layer over their own database,
 * keys and clock (test/edge/harness.ts).
 *
 * Handlers run effects through `run`, the bridge into the context the layer
 * was built in: the failure becomes an ApiError through the exhaustive
 * mapping of edge/http/domain-errors.ts.
 */
import pino from "pino"
import type { Logger } from "pino"
import { Clock, Context, Effect, Layer, Result } from "effect"
import { Entropy } from "../domain/ports/entropy.ts"
import { ReceiptStore } from "../domain/ports/receipt-store.ts"
import { Signer } from "../domain/ports/signer.ts"
import type { Db } from "../store/database/db.ts"
import { Database } from "../store/database/database.ts"
import { ReceiptPdf } from "../adapters/pdf/receipt-pdf-service.ts"
import { QrImages } from "../adapters/qr/qr-images.ts"
import type { RateLimitOptions } from "./http/rate-limit.ts"
import { defaultLookupGuardPolicy, type LookupGuardPolicy } from "../domain/lookup-guard.ts"
import { apiErrorOf, type HandlerFailure } from "./http/domain-errors.ts"
import { makeStatusLists, type StatusListService } from "./verification/status-lists.ts"
import { snapshotOf, Trust, type TrustSource } from "./verification/trust-source.ts"
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

/** The edge's settings (from the environment in edge/program/app-config.ts; tests pass their own). */
export class EdgeSettings extends Context.Service<EdgeSettings, EdgeConfig>()("bienlai/edge/EdgeSettings") {
  static readonly layer = (config: Partial<EdgeConfig> = {}): Layer.Layer<EdgeSettings> =>
    Layer.succeed(EdgeSettings, { ...defaultConfig, ...config })
}

/** The structured log (pino, JSON lines on stdout); tests capture it. */
export class AppLogger extends Context.Service<AppLogger, Logger>()("bienlai/edge/AppLogger") {
  static readonly layer: Layer.Layer<AppLogger> = Layer.sync(AppLogger, () => pino({ base: undefined }))
  static readonly layerOf = (logger: Logger): Layer.Layer<AppLogger> => Layer.succeed(AppLogger, logger)
}

/** What handlers' effects may ask for from the runtime. */
export type EdgeContext = Database | ReceiptStore | Signer | Trust | Entropy | QrImages | ReceiptPdf

/** Runs a handler's effect in the app's context; a failure is thrown as its ApiError. */
export type Bridge = <A, E extends HandlerFailure>(effect: Effect.Effect<A, E, EdgeContext>) => Promise<A>

export interface EdgeServices {
  readonly db: Db
  readonly store: ReceiptStore["Service"]
  readonly signer: Signer["Service"]
  readonly trust: () => TrustSource
  readonly statusLists: StatusListService
  readonly verify: Verifier
  /** Effect's Clock, read synchronously (middlewares and page code are plain functions). */
  readonly now: () => Date
  /** The Entropy port, read synchronously. */
  readonly randomBytes: (length: number) => Uint8Array
  readonly logger: Logger
  readonly config: EdgeConfig
  readonly qr: QrImages["Service"]
  readonly pdf: ReceiptPdf["Service"]
  readonly run: Bridge
}

export class Edge extends Context.Service<Edge, EdgeServices>()("bienlai/edge/Edge") {
  static readonly layer: Layer.Layer<Edge, never, EdgeContext | EdgeSettings | AppLogger> = Layer.effect(
    Edge,
    Effect.gen(function*() {
      const context = yield* Effect.context<EdgeContext>()
      const db = yield* Database
      const signer = yield* Signer
      const store = yield* ReceiptStore
      const source = yield* Trust
      const entropy = yield* Entropy
      const clock = yield* Clock.Clock
      const config = yield* EdgeSettings
      const logger = yield* AppLogger
      const qr = yield* QrImages
      const pdf = yield* ReceiptPdf
      const now = () => new Date(clock.currentTimeMillisUnsafe())
      // One immutable snapshot per call: the key store may be reloaded meanwhile (edge/program/key-reload.ts).
      const trust = () => snapshotOf(source)
      const runIn = Effect.runPromiseWith(context)
      const statusLists = makeStatusLists({
        db,
        run: runIn,
        anchors: () => trust().anchors,
        now,
        maxAgeMs: config.statusListMaxAgeSeconds * 1000,
        // A list is replaced at the latest maxAge after it was signed; a minute more allows for the time to fetch and clock skew.
        freshForSeconds: config.statusListMaxAgeSeconds + 60,
        capacity: config.statusListCacheSize
      })
      const run: Bridge = async (effect) => {
        const r = await runIn(Effect.result(effect))
        if (Result.isFailure(r)) throw apiErrorOf(r.failure)
        return r.success
      }
      return Edge.of({
        db,
        store,
        signer,
        trust,
        statusLists,
        verify: makeVerifier({
          trust,
          statusLists,
          now,
          onStatusError: (e) => logger.warn({ err: e instanceof Error ? e.message : String(e) }, "status list unavailable")
        }),
        now,
        randomBytes: entropy.bytesUnsafe,
        logger,
        config,
        qr,
        pdf,
        run
      })
    })
  )
}
