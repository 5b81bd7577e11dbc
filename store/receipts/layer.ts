/**
 * The ReceiptStore port (domain/ports/receipt-store.ts) over the Database,
 * signing through the Signer in context (the seal and the QR token): how the
 * edge and the command line get their store.
 */
import { Effect, Layer } from "effect"
import { ReceiptStore } from "../../domain/ports/receipt-store.ts"
import { Signer } from "../../domain/ports/signer.ts"
import { Database } from "../database/database.ts"
import type { GroupIssuerOptions } from "./group-issuer.ts"
import { signToken } from "../../domain/signing/issue-token.ts"
import { withTokens } from "./qr-token.ts"
import { makeReceiptStore } from "./receipt-repository.ts"

export const receiptStoreLayer = (options: GroupIssuerOptions = {}): Layer.Layer<ReceiptStore, never, Database | Signer> =>
  Layer.effect(
    ReceiptStore,
    Effect.gen(function*() {
      const db = yield* Database
      const signer = yield* Signer
      // The QR token is signed at issuance beside the seal and stored with the receipt (qr-token.ts).
      const sign = withTokens(signer.sign, (r) => Effect.provideService(signToken(r), Signer, signer))
      return ReceiptStore.of(makeReceiptStore(db, sign, options))
    })
  )
