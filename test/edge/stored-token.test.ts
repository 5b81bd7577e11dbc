/**
 * The QR token is stored at issuance and served as stored (migration 0390,
 * edge/verification/served-token.ts): an ECDSA signature differs at every
 * signing, so a token signed again at each view would change from one view
 * to the next. Driven through the app as `npm start` builds it.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { Effect, Result } from "effect"
import { lookupCodeFromBytes } from "../../domain/ids.ts"
import type { IssuedReceipt } from "../../domain/receipt.ts"
import { Signer } from "../../domain/ports/signer.ts"
import { signToken } from "../../domain/signing/issue-token.ts"
import { decodeToken } from "../../domain/signing/token.ts"
import { tokenToPathSegment } from "../../domain/signing/url.ts"
import { memorySigner } from "../../adapters/keys/signer.ts"
import { grantToken, insertOfficer } from "../../edge/officers/tokens.ts"
import { contentSha256 } from "../../store/receipts/content-hash.ts"
import { makeReceiptStore } from "../../store/receipts/receipt-repository.ts"
import { targets } from "../store/databases.ts"
import { type Harness, makeHarness } from "./harness.ts"

const draftBody = {
  office: "HCM-KV01",
  series: { form: "01-BLTHADS", symbol: "AA/25E" },
  payer: { name: "Nguyễn Văn Hòa", idNumber: "079085001234", address: "12 Lê Lợi, phường Bến Thành, TP. Hồ Chí Minh" },
  case: { decisionNumber: "1234/QĐ-CTHADS", decisionDate: "2025-05-12" },
  reason: "Nộp tiền thi hành án theo Quyết định số 1234/QĐ-CTHADS",
  amount: "125500000",
  payment: { method: "bank_transfer", reference: "FT25163123456" }
}

for (const target of targets) {
  describe(`QR tokens stored at issuance, on ${target.name}`, () => {
    let h: Harness
    const bearer: Record<string, string> = {}

    beforeAll(async () => {
      h = await makeHarness(await target.make(), { rateLimit: null }, undefined, { legacyEd25519: true })
      await h.db.db.query("INSERT INTO agencies (code, name) VALUES ('HCM', 'Cục THADS HCM')")
      for (const [id, role] of [["lan.nguyen", "officer"], ["hung.tran", "approver"]] as const) {
        await insertOfficer(h.db.db, { id, agency: "HCM", name: id, role })
        bearer[id] = await grantToken(h.db.db, id, "test", (n) => crypto.getRandomValues(new Uint8Array(n)))
      }
    }, 60_000)
    afterAll(async () => {
      await h?.close()
    })

    const call = async (who: string, method: string, path: string, body?: unknown) => {
      const res = await h.app.request(`/api/officer${path}`, {
        method,
        headers: { Authorization: `Bearer ${bearer[who]}`, ...(body === undefined ? {} : { "Content-Type": "application/json" }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) })
      })
      return { status: res.status, body: (await res.json()) as any }
    }
    const verifyResult = async (token: string) =>
      ((await (await h.app.request(`/api/verify/${tokenToPathSegment(token)}`)).json()) as { result: string }).result
    const column = async (id: string) =>
      (await h.db.db.query<{ qr_token: string | null }>("SELECT qr_token FROM receipts WHERE id = $1::uuid", [id]))[0]?.qr_token

    test("the token returned at approval is the one stored, served byte for byte at every view, and it verifies", async () => {
      const draft = await call("lan.nguyen", "POST", "/drafts", draftBody)
      expect(draft.status).toBe(201)
      expect((await call("lan.nguyen", "POST", `/drafts/${draft.body.id}/submit`)).status).toBe(200)
      const read = await call("hung.tran", "GET", `/receipts/${draft.body.id}`)
      const approved = await call("hung.tran", "POST", `/drafts/${draft.body.id}/approve`, { contentHash: read.body.contentHash })
      expect(approved.status).toBe(201)
      const token = approved.body.token as string
      // Stored in the receipt's own row, in the issuance transaction.
      expect(await column(draft.body.id)).toBe(token)
      const first = await call("hung.tran", "GET", `/receipts/${draft.body.id}/qr`)
      const second = await call("lan.nguyen", "GET", `/receipts/${draft.body.id}/qr`)
      expect(first.body.token).toBe(token)
      expect(second.body.token).toBe(token)
      expect(second.body.url).toBe(approved.body.url)
      // ECDSA: a token signed now would differ, so equality means it was served as stored.
      const issued = await h.services.run(h.services.store.get("HCM", draft.body.id))
      expect(await h.tokenOf(issued as IssuedReceipt)).not.toBe(token)
      expect(Result.getOrThrow(decodeToken(token)).algorithm).toBe("ECDSA-P256")
      expect(await verifyResult(token)).toBe("Valid")
    })

    test("a receipt stored without a token (an older Ed25519 one) keeps verifying, and gets one token, kept at its first view", async () => {
      // Issued as before migration 0390: the seal by the older Ed25519 key, no token stored.
      const legacy = memorySigner(new Map([["HCM", { keyId: h.legacyHcm.keyId, algorithm: h.legacyHcm.algorithm, privateKey: h.legacyHcm.keys.privateKey }]]))
      const oldStore = makeReceiptStore(h.db.db, legacy.sign)
      const d = await h.draft({ amount: 7_000_000n }, "lan.nguyen", { submitted: true })
      const old = await h.services.run(oldStore.issue({
        draft: d, approver: "hung.tran", lookupCode: lookupCodeFromBytes(crypto.getRandomValues(new Uint8Array(8))), now: h.services.now().toISOString(), contentHash: contentSha256(d)
      }))
      h.services.statusLists.invalidate({ agency: "HCM", ...old.series })
      expect(old.seal?.algorithm).toBe("Ed25519")
      expect(await column(old.id)).toBeNull()
      // The token printed on it back then (Ed25519) still verifies.
      const printed = await Effect.runPromise(Effect.provideService(signToken(old), Signer, legacy))
      expect(Result.getOrThrow(decodeToken(printed)).algorithm).toBe("Ed25519")
      expect(await verifyResult(printed)).toBe("Valid")
      // Viewed now: one token, signed at the first view and kept, whatever the number of views (even concurrent ones).
      const views = await Promise.all([1, 2, 3, 4].map(() => call("hung.tran", "GET", `/receipts/${old.id}/qr`)))
      const served = views.map((v) => v.body.token as string)
      expect(new Set(served).size).toBe(1)
      expect((await call("lan.nguyen", "GET", `/receipts/${old.id}/qr`)).body.token).toBe(served[0])
      const kept = await h.db.db.query<{ token: string }>("SELECT token FROM receipt_first_view_tokens WHERE receipt_id = $1::uuid", [old.id])
      expect(kept.map((k) => k.token)).toEqual([served[0] as string])
      expect(await verifyResult(served[0] as string)).toBe("Valid")
      // Still immutable: the issued row refuses a token written into it afterwards.
      const refused = await h.db.db.query("UPDATE receipts SET qr_token = 'X' WHERE id = $1::uuid", [old.id]).then(() => "updated", (e: unknown) => String(e))
      expect(refused).toContain("immutable")
    })
  })
}
