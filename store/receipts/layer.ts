/**
 * The ReceiptStore layer: opens and migrates the configured database for the
 * layer's lifetime and signs through the Signer in context.
 */
import { Effect, Layer } from "effect"
import { ReceiptStore, StoreUnavailable } from "../../domain/ports/receipt-store.ts"
import { errorMessage } from "../database/db.ts"
import { type DbConfig, dbConfigFromEnv, describeDb, openDb } from "../database/open-db.ts"
import { receiptStoreWith } from "./receipt-repository.ts"

export const receiptStoreLayer = (config: DbConfig = dbConfigFromEnv()) =>
  Layer.effect(
    ReceiptStore,
    Effect.gen(function*() {
      const db = yield* Effect.acquireRelease(
        Effect.tryPromise({
          try: () => openDb(config),
          catch: (error) =>
            new StoreUnavailable({ operation: "opening the store", message: `cannot open ${describeDb(config)}: ${errorMessage(error)}` })
        }),
        (db) => Effect.promise(() => db.close())
      )
      return yield* receiptStoreWith(db)
    })
  )
