/**
 * The ReceiptStore port (domain/ports/receipt-store.ts) over the Database,
 * signing through the Signer in context: how the edge and the command line
 * get their store.
 */
import { Effect, Layer } from "effect"
import { ReceiptStore } from "../../domain/ports/receipt-store.ts"
import { Signer } from "../../domain/ports/signer.ts"
import { Database } from "../database/database.ts"
import type { GroupIssuerOptions } from "./group-issuer.ts"
import { makeReceiptStore } from "./receipt-repository.ts"

export const receiptStoreLayer = (options: GroupIssuerOptions = {}): Layer.Layer<ReceiptStore, never, Database | Signer> =>
  Layer.effect(
    ReceiptStore,
    Effect.gen(function*() {
      const db = yield* Database
      const signer = yield* Signer
      return ReceiptStore.of(makeReceiptStore(db, signer.sign, options))
    })
  )
