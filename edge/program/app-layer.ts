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
 *
 * Each layer is built once (layers are memoized by reference) and released
 * in reverse order when the ManagedRuntime is disposed: the database closes
 * last.
 */
import { Layer } from "effect"
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

/** The parts a process (or a test) chooses; everything else is the same for all. */
export interface EdgeParts<E1, E2, E3> {
  readonly database: Layer.Layer<Database, E1>
  readonly signer: Layer.Layer<Signer, E2>
  readonly trust: Layer.Layer<Trust, E3>
  readonly settings: Partial<EdgeConfig>
  readonly logger: Layer.Layer<AppLogger>
}

/** The edge's services over the chosen parts: the store on the database and signer, entropy, OCR, QR, PDF, and `Edge` itself. */
export const edgeLayer = <E1, E2, E3>(parts: EdgeParts<E1, E2, E3>) => {
  const store = receiptStoreLayer().pipe(Layer.provide([parts.database, parts.signer]))
  const services = Layer.mergeAll(
    parts.database, parts.signer, store, parts.trust,
    SystemEntropy.layer, OcrEngine.layer, QrImages.layer, ReceiptPdf.layer, EdgeSettings.layer(parts.settings), parts.logger
  )
  return Edge.layer.pipe(Layer.provideMerge(services))
}

/**
 * `_published` (what prepareKeyStore checked at start) is read again from
 * the key store by the first KeySnapshot, which checks it the same way.
 */
export const appLayer = (config: AppConfig, _published: PublishedTrust) => {
  const keys = KeyReload.layer({ dir: config.keys.dir, passphrase: config.keys.passphrase, intervalSeconds: config.keyReloadSeconds }).pipe(
    Layer.provide([FastestVerifier.layer({ cacheSize: config.verifiedCacheSize }), AppLogger.layer])
  )
  return edgeLayer({
    database: Database.layer(config.db),
    signer: followingSignerLayer.pipe(Layer.provide(keys)),
    trust: followingTrustLayer.pipe(Layer.provide(keys)),
    settings: config.edge,
    logger: AppLogger.layer
  })
}

export type AppLayer = ReturnType<typeof appLayer>
export type AppServices = Layer.Success<AppLayer>
