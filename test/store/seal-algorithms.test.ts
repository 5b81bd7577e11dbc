/**
 * The store keeps seals of every algorithm bienlai signs with: ECDSA P-256
 * (the default), RSA-PSS (migration 0280) and Ed25519 (receipts issued
 * before). A receipt issued through the store with an RSA-PSS seal key is
 * stored, read back with its seal, and the seal verifies over the stored
 * canonical bytes; on PGlite and, with TEST_DATABASE_URL, PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { Effect } from "effect"
import { fromBase64Url } from "../../domain/signing/bytes.ts"
import { canonicalBytes } from "../../domain/canonical.ts"
import type { IssuedReceipt } from "../../domain/receipt.ts"
import { makeReceiptStore } from "../../store/receipts/receipt-repository.ts"
import { memorySigner } from "../../adapters/keys/signer.ts"
import { importNodePublicKey } from "../../adapters/verify/node-crypto.ts"
import { makePki, signingKeyOf } from "../signing/fixtures.ts"
import { targets, type TestDatabase } from "./databases.ts"
import { approvalFor, makeDraft, submitted } from "./fixtures.ts"

for (const target of targets) {
  describe(`seal algorithms on ${target.name}`, () => {
    let db: TestDatabase
    beforeAll(async () => {
      db = await target.make()
    })
    afterAll(async () => {
      await db.dispose()
    })

    for (const keyType of ["RSA-PSS-2048", "ECDSA-P256", "Ed25519"] as const) {
      test(`a ${keyType} seal is stored, read back and verifies over the stored canonical bytes`, async () => {
        const pki = await makePki(keyType)
        const store = makeReceiptStore(db.db, memorySigner(new Map([["HCM", [signingKeyOf(pki.hcm), signingKeyOf(pki.hcmToken)]]])).sign)
        // Stored and submitted by its maker, then approved naming its content, as the officer API does.
        const draft = await Effect.runPromise(store.saveDraft(submitted(makeDraft()), { now: "2025-06-23T02:00:00.000Z" }))
        const issued = await Effect.runPromise(store.issue(approvalFor(draft)))
        const again = (await Effect.runPromise(store.get("HCM", issued.id))) as IssuedReceipt
        expect(again.seal).toEqual(issued.seal)
        expect(again.seal?.algorithm).toBe(pki.hcm.algorithm)
        const check = await importNodePublicKey(new Uint8Array(pki.hcm.certificate.publicKey.rawData), pki.hcm.algorithm)
        expect(await check.verify(fromBase64Url(again.seal!.signature)!, canonicalBytes(again))).toBe(true)
      })
    }
  })
}
