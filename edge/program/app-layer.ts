/**
 * The application layer, composed once per process from AppConfig: every
 * port with the implementation the program runs with.
 *
 *   Database         PostgreSQL (DATABASE_URL) or embedded PGlite   store/database/database.ts
 *   KeyReload        the key store's current snapshot, reloaded      edge/program/key-reload.ts
 *                    every KEY_RELOAD_SECONDS and on SIGHUP
 *   Signer           the key store (files, PKCS#11 tokens)           adapters/keys/signer.ts, following KeyReload
 *   ReceiptStore     over Database, signing through Signer           store/receipts/layer.ts
 *   SignatureVerifier  fastest primitive per runtime, cached         adapters/verify/layer.ts
 *   Trust            the root-signed trust list, following KeyReload edge/verification/trust-source.ts
 *   Entropy          the platform's CSPRNG                           adapters/system/entropy.ts
 *   OcrEngine        tesseract.js pools, loaded on first use         adapters/ocr/engine.ts
 *   QrImages         QR codes drawn (SVG, PNG) and read from photos  adapters/qr/qr-images.ts
 *   ReceiptPdf       the printable receipt                           adapters/pdf/receipt-pdf-service.ts
 *   EdgeSettings, AppLogger, Edge (what handlers hold)               edge/services.ts
 *   Clock            Effect's own (tests put theirs in its place)
 *   metrics, tracing optional: the Signer and ReceiptStore counted and traced   edge/program/observability.ts
 *
 * Each layer is built once (layers are memoized by reference) and released
 * in reverse order when the ManagedRuntime is disposed: the database closes
 * last.
 */
import type * as OtelTracer from "@effect/opentelemetry/OtelTracer"
import { Layer } from "effect"
import type { MetricsRecorder } from "../../adapters/observability/metrics.ts"
import type { Tracing } from "../../adapters/observability/tracing.ts"
import { OcrEngine } from "../../adapters/ocr/engine.ts"
import { ReceiptPdf } from "../../adapters/pdf/receipt-pdf-service.ts"
import { QrImages } from "../../adapters/qr/qr-images.ts"
import { SystemEntropy } from "../../adapters/system/entropy.ts"
import { FastestVerifier } from "../../adapters/verify/layer.ts"
import { Database } from "../../store/database/database.ts"
import { receiptStoreLayer } from "../../store/receipts/layer.ts"
import type { Signer } from "../../domain/ports/signer.ts"
import { AppLogger, Edge, type EdgeConfig, EdgeSettings } from "../services.ts"
import type { Trust } from "../verification/trust-source.ts"
import type { AppConfig } from "./app-config.ts"
import { followingSignerLayer, followingTrustLayer, KeyReload } from "./key-reload.ts"
import type { PublishedTrust } from "./key-store.ts"
import { observedSigner, observedStore } from "./observability.ts"

/** The parts a process (or a test) chooses; everything else is the same for all. */
export interface EdgeParts<E1, E2, E3> {
  readonly database: Layer.Layer<Database, E1>
  readonly signer: Layer.Layer<Signer, E2>
  readonly trust: Layer.Layer<Trust, E3>
  readonly settings: Partial<EdgeConfig>
  readonly logger: Layer.Layer<AppLogger>
  /** Operations metrics: signatures and issued receipts are counted (edge/program/observability.ts). */
  readonly metrics?: MetricsRecorder | undefined
  /** OpenTelemetry tracing (adapters/observability/tracing.ts): Effect's spans are exported. */
  readonly tracing?: Layer.Layer<Tracing | OtelTracer.OtelTracer> | undefined
}

/** The edge's services over the chosen parts: the store on the database and signer, entropy, OCR, QR, PDF, and `Edge` itself. */
export const edgeLayer = <E1, E2, E3>(parts: EdgeParts<E1, E2, E3>) => {
  // With metrics or tracing on, signatures are counted and traced, and issued receipts counted (observability.ts).
  const observed = parts.metrics !== undefined || parts.tracing !== undefined
  const signer = observed ? observedSigner(parts.metrics).pipe(Layer.provide(parts.signer)) : parts.signer
  const plainStore = receiptStoreLayer().pipe(Layer.provide([parts.database, signer]))
  const store = parts.metrics === undefined ? plainStore : observedStore(parts.metrics).pipe(Layer.provide(plainStore))
  const services = Layer.mergeAll(
    parts.database, signer, store, parts.trust,
    SystemEntropy.layer, OcrEngine.layer, QrImages.layer, ReceiptPdf.layer, EdgeSettings.layer(parts.settings), parts.logger
  )
  const edge = Edge.layer.pipe(Layer.provideMerge(services))
  return parts.tracing === undefined ? edge : edge.pipe(Layer.provide(parts.tracing))
}

/**
 * `_published` (what prepareKeyStore checked at start) is read again from
 * the key store by the first KeySnapshot, which checks it the same way.
 */
export const appLayer = (config: AppConfig, _published: PublishedTrust, observe: Pick<EdgeParts<never, never, never>, "metrics" | "tracing"> = {}) => {
  const keys = KeyReload.layer({ dir: config.keys.dir, passphrase: config.keys.passphrase, intervalSeconds: config.keyReloadSeconds }).pipe(
    Layer.provide([FastestVerifier.layer({ cacheSize: config.verifiedCacheSize }), AppLogger.layer])
  )
  return edgeLayer({
    ...observe,
    database: Database.layer(config.db),
    signer: followingSignerLayer.pipe(Layer.provide(keys)),
    trust: followingTrustLayer.pipe(Layer.provide(keys)),
    settings: config.edge,
    logger: AppLogger.layer
  })
}

export type AppLayer = ReturnType<typeof appLayer>
export type AppServices = Layer.Success<AppLayer>
