/**
 * The application layer, composed once per process from AppConfig: every
 * port with the implementation the program runs with.
 *
 *   Database         PostgreSQL (DATABASE_URL) or embedded PGlite   store/database/database.ts
 *   Signer           the key store (files, PKCS#11 tokens)           adapters/keys/signer.ts
 *   ReceiptStore     over Database, signing through Signer           store/receipts/layer.ts
 *   SignatureVerifier  fastest primitive per runtime, cached         adapters/verify/layer.ts
 *   Trust            the root-signed trust list, loaded with it      edge/verification/trust-source.ts
 *   Entropy          the platform's CSPRNG                           adapters/system/entropy.ts
 *   OcrEngine        tesseract.js pools, loaded on first use         adapters/ocr/engine.ts
 *   EdgeSettings, AppLogger, Edge (what handlers hold)               edge/services.ts
 *   Clock            Effect's own (tests put theirs in its place)
 *
 * Each layer is built once (layers are memoized by reference) and released
 * in reverse order when the ManagedRuntime is disposed: the database closes
 * last.
 */
import { Layer } from "effect"
import { KeyStoreSigner } from "../../adapters/keys/signer.ts"
import { OcrEngine } from "../../adapters/ocr/engine.ts"
import { SystemEntropy } from "../../adapters/system/entropy.ts"
import { FastestVerifier } from "../../adapters/verify/layer.ts"
import { Database } from "../../store/database/database.ts"
import { receiptStoreLayer } from "../../store/receipts/layer.ts"
import { AppLogger, Edge, EdgeSettings } from "../services.ts"
import { Trust } from "../verification/trust-source.ts"
import type { AppConfig } from "./app-config.ts"
import type { PublishedTrust } from "./key-store.ts"

export const appLayer = (config: AppConfig, published: PublishedTrust) => {
  const database = Database.layer(config.db)
  const signer = KeyStoreSigner.layer({ dir: config.keys.dir, passphrase: config.keys.passphrase })
  const trust = Trust.layer(published).pipe(Layer.provide(FastestVerifier.layer({ cacheSize: config.verifiedCacheSize })))
  const store = receiptStoreLayer().pipe(Layer.provide([database, signer]))
  const services = Layer.mergeAll(database, signer, store, trust, SystemEntropy.layer, OcrEngine.layer, EdgeSettings.layer(config.edge), AppLogger.layer)
  return Edge.layer.pipe(Layer.provideMerge(services))
}

export type AppLayer = ReturnType<typeof appLayer>
export type AppServices = Layer.Success<AppLayer>
