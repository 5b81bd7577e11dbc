/**
 * GET /api/officer/drafts/:id/scans: each scan of a draft with its place in
 * the OCR queue, what was read and why a read failed, within the officer's
 * agency only; and TIFF scans, which migration 0111 lets the table hold.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { grantToken, insertOfficer } from "../../edge/officers/tokens.ts"
import { claimScans, failScan, finishScan } from "../../jobs/ocr-worker/queue.ts"
import { qrPng } from "../../adapters/qr/encode.ts"
import { targets } from "../store/databases.ts"
import { type Harness, makeHarness } from "./harness.ts"

const randomBytes = (n: number) => crypto.getRandomValues(new Uint8Array(n))

for (const target of targets) {
  describe(`the scans of a draft on ${target.name}`, () => {
    let h: Harness
    let lan: string
    let other: string
    beforeAll(async () => {
      h = await makeHarness(await target.make(), { rateLimit: null })
      await h.db.db.query("INSERT INTO agencies (code, name) VALUES ('HCM', 'Cục Thi hành án dân sự Thành phố Hồ Chí Minh'), ('HNI', 'Cục Thi hành án dân sự Thành phố Hà Nội')")
      await insertOfficer(h.db.db, { id: "lan.nguyen", agency: "HCM", name: "Nguyễn Thị Lan", role: "officer" })
      await insertOfficer(h.db.db, { id: "minh.pham", agency: "HNI", name: "Phạm Văn Minh", role: "officer" })
      lan = await grantToken(h.db.db, "lan.nguyen", "test", randomBytes)
      other = await grantToken(h.db.db, "minh.pham", "test", randomBytes)
    }, 60_000)
    afterAll(async () => {
      await h?.close()
    })

    const upload = async (draftId: string, bytes: Uint8Array, type: string) =>
      h.app.request(`/api/officer/drafts/${draftId}/scans`, {
        method: "POST",
        headers: { Authorization: `Bearer ${lan}`, "Content-Type": type },
        body: bytes as Uint8Array<ArrayBuffer>
      })
    const scans = async (draftId: string, token = lan) =>
      h.app.request(`/api/officer/drafts/${draftId}/scans`, { headers: { Authorization: `Bearer ${token}` } })

    test("each scan shows queued, then what OCR read or why it failed", async () => {
      const draft = await h.draft()
      const first = (await (await upload(draft.id, await qrPng("giấy nộp tiền 1", { scale: 4 }), "image/png")).json()) as any
      const second = (await (await upload(draft.id, await qrPng("giấy nộp tiền 2", { scale: 4 }), "image/png")).json()) as any

      // The harness's clock stands still, so both share an upload time and the order between them is by id.
      const byIdOrder = (xs: Array<any>) => [...xs].sort((a, b) => (a.id < b.id ? -1 : 1))
      const queued = (await (await scans(draft.id)).json()) as any
      expect(byIdOrder(queued.scans).map((x: any) => [x.id, x.status, x.result, x.error])).toEqual(
        byIdOrder([first, second]).map((x) => [x.id, "queued", null, null])
      )
      expect(queued.scans[0]).toMatchObject({ receiptId: draft.id, contentType: "image/png", uploadedBy: "lan.nguyen", attempts: 0 })

      const claimed = await claimScans(h.db.db, "w1", 2, new Date())
      expect(claimed.map((c) => c.id).sort()).toEqual([first.id, second.id].sort())
      const byId = new Map(claimed.map((c) => [c.id, c]))
      const reading = { documentType: "payment_slip", fields: { amount: "125500000" }, confidence: { amount: 0.93 }, warnings: [] }
      expect(await finishScan(h.db.db, byId.get(first.id)!, "w1", reading, new Date())).toBe(true)
      expect(await failScan(h.db.db, byId.get(second.id)!, "w1", { reason: "the scan could not be read: no text found", permanent: true }, new Date())).toBe("failed")

      const after = new Map(((await (await scans(draft.id)).json()) as any).scans.map((x: any) => [x.id, x]))
      expect(after.get(first.id)).toMatchObject({ status: "done", attempts: 1, error: null, result: reading })
      expect(after.get(second.id)).toMatchObject({ status: "failed", attempts: 1, error: "the scan could not be read: no text found", result: null })
      expect(typeof (after.get(second.id) as any).finishedAt).toBe("string")
    })

    test("another agency's officer gets not found, and learns nothing", async () => {
      const draft = await h.draft()
      await upload(draft.id, await qrPng("giấy nộp tiền 3", { scale: 4 }), "image/png")
      const res = await scans(draft.id, other)
      expect(res.status).toBe(404)
      expect(JSON.stringify(await res.json())).not.toContain("lan.nguyen")
      expect((await scans(draft.id, "blk_not-a-token")).status).toBe(401)
    })

    test("a TIFF scan is accepted and queued by its first bytes; an unknown file is refused with 415", async () => {
      const draft = await h.draft()
      const sharp = (await import("sharp")).default
      const tiff = new Uint8Array(await sharp({ create: { width: 64, height: 64, channels: 3, background: "white" } }).tiff().toBuffer())
      const res = await upload(draft.id, tiff, "application/octet-stream")
      expect(res.status).toBe(201)
      const listed = (await (await scans(draft.id)).json()) as any
      expect(listed.scans.map((x: any) => [x.contentType, x.status])).toEqual([["image/tiff", "queued"]])
      const refused = await upload(draft.id, new TextEncoder().encode("MZ not a scan"), "application/octet-stream")
      expect(refused.status).toBe(415)
      expect(((await refused.json()) as any).message).toContain("a TIFF or a PDF")
    })

    test("the uploads table holds TIFF scans (migration 0111) and still refuses other types", async () => {
      const draft = await h.draft()
      const insert = (type: string) =>
        h.db.db.query(
          `INSERT INTO uploads (agency, id, receipt_id, content_type, size, sha256, content, uploaded_by, uploaded_at)
           VALUES ('HCM', $1::uuid, $2::uuid, $3::text, 4, 'x', '\\x49492a00'::bytea, 'lan.nguyen', now())`,
          [crypto.randomUUID(), draft.id, type]
        )
      await insert("image/tiff")
      await insert("application/pdf")
      await expect(insert("application/x-msdownload")).rejects.toThrow()
      const listed = (await (await scans(draft.id)).json()) as any
      expect(listed.scans.map((x: any) => x.contentType).sort()).toEqual(["application/pdf", "image/tiff"])
    })
  })
}
