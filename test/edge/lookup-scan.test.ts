/**
 * Public lookup by code (masked summary; full receipt only with the
 * matching identity number), verification of an uploaded QR photo, and
 * scans uploaded to drafts by officers.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import sharp from "sharp"
import { qrContent } from "../../domain/signing/url.ts"
import { grantToken, insertOfficer } from "../../edge/officers/tokens.ts"
import { qrPng } from "../../adapters/qr/encode.ts"
import { targets } from "../store/databases.ts"
import { type Harness, makeCitizenHarness } from "./harness.ts"

for (const target of targets) {
  describe(`lookup and photo verification on ${target.name}`, () => {
    let h: Harness
    beforeAll(async () => {
      h = await makeCitizenHarness(await target.make())
    }, 60_000)
    afterAll(async () => {
      await h?.close()
    })

    const post = (path: string, body: unknown) =>
      h.app.request(path, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) })

    test("a lookup code alone gives a summary that names nobody; with the matching identity number, the full receipt", async () => {
      const { receipt } = await h.issue()
      const masked = await post("/api/lookup", { lookupCode: receipt.lookupCode })
      expect(masked.status).toBe(200)
      const m = (await masked.json()) as any
      expect(m.identityMatched).toBe(false)
      expect(m.receipt).toBeNull()
      expect(m.printable).toBe(false)
      expect(m.summary).toMatchObject({ status: "issued", amount: "125500000", agencyName: "Cục Thi hành án dân sự Thành phố Hồ Chí Minh", printedNumber: expect.any(String) })
      // No digit of the identity number, no part of the name, no purpose text (it quotes the case).
      const text = JSON.stringify(m)
      for (const leak of ["234", "Nguyễn", "Hòa", "V. H.", "Lê Lợi", "1234/QĐ-CTHADS"]) expect(text).not.toContain(leak)
      expect(Object.keys(m.summary).sort()).toEqual(["agency", "agencyName", "amount", "corrections", "issuedAt", "lookupCode", "number", "printedNumber", "replacedBy", "replaces", "series", "status", "voidedAt"])
      // Approved corrections appear here only as which field and when (test/edge/corrections.test.ts), never their text.
      expect(m.summary.corrections).toEqual([])

      const wrong = (await (await post("/api/lookup", { lookupCode: receipt.lookupCode, idNumber: "079085001235" })).json()) as any
      expect(wrong.identityMatched).toBe(false)
      expect(wrong.receipt).toBeNull()

      // Typed the way people type: lower case, spaces and dashes, dots in the number.
      const typed = receipt.lookupCode.toLowerCase().replace(/(....)(....)(....)/, "$1-$2 $3")
      const full = (await (await post("/api/lookup", { lookupCode: typed, idNumber: "079.085.001.234" })).json()) as any
      expect(full.identityMatched).toBe(true)
      expect(full.printable).toBe(true)
      expect(full.receipt.payer).toEqual(receipt.payer)
      expect(full.receipt.id).toBe(receipt.id)

      // The code never travels in a URL: there is no GET lookup.
      const get = await h.app.request(`/api/lookup/${receipt.lookupCode}`)
      expect(get.status).toBe(404)
      expect(await get.text()).not.toContain("summary")
    })

    test("unknown and malformed codes get 404 and 400 JSON; the form page shows the message", async () => {
      const unknown = await post("/api/lookup", { lookupCode: "0000000000AA" })
      expect(unknown.status).toBe(404)
      expect(((await unknown.json()) as any).error).toBe("not_found")
      const bad = await post("/api/lookup", { lookupCode: "xyz" })
      expect(bad.status).toBe(400)
      expect(((await bad.json()) as any).error).toBe("invalid_lookup_code")
      const wrongShape = await post("/api/lookup", { code: 5 })
      expect(wrongShape.status).toBe(400)
      const page = await h.app.request("/tra-cuu", { method: "POST", body: new URLSearchParams({ code: "xyz" }) })
      expect(page.status).toBe(400)
      expect(await page.text()).toContain("&quot;xyz&quot; không phải là mã tra cứu")
    })

    test("the lookup form page works in both languages", async () => {
      const { receipt } = await h.issue()
      const form = await (await h.app.request("/tra-cuu")).text()
      expect(form).toContain("Mã tra cứu")
      expect(form).toContain('action="/kiem-tra-anh"')
      const res = await h.app.request("/tra-cuu", { method: "POST", body: new URLSearchParams({ code: receipt.lookupCode, idNumber: "079085001234" }) })
      const html = await res.text()
      expect(res.status).toBe(200)
      expect(html).toContain('data-full="true"')
      expect(html).toContain("Nguyễn Văn Hòa")
      expect(html).toContain("Đang có hiệu lực")
      expect(html).toContain('id="pdf-form"')
      const en = await (await h.app.request("/tra-cuu?lang=en", { method: "POST", body: new URLSearchParams({ code: receipt.lookupCode }) })).text()
      expect(en).toContain("In force")
      expect(en).toContain('data-full="false"')
      expect(en).not.toContain("Nguyễn")
      expect(en).not.toContain('id="pdf-form"')
    })

    test("an uploaded photo of the QR is verified; other pictures and files are refused clearly", async () => {
      const { token, receipt } = await h.issue()
      const png = await qrPng(qrContent(h.services.config.publicUrl, token), { scale: 6 })
      const form = new FormData()
      form.set("photo", new File([png as Uint8Array<ArrayBuffer>], "bien-lai.png", { type: "image/png" }))
      const res = await h.app.request("/api/scan", { method: "POST", body: form })
      expect(res.status).toBe(200)
      const body = (await res.json()) as any
      expect(body.result).toBe("Valid")
      expect(body.receipt.number).toBe(receipt.number)
      const raw = await h.app.request("/api/scan", { method: "POST", headers: { "Content-Type": "image/png" }, body: png as Uint8Array<ArrayBuffer> })
      expect(((await raw.json()) as any).result).toBe("Valid")

      const pageForm = new FormData()
      pageForm.set("photo", new File([png as Uint8Array<ArrayBuffer>], "bien-lai.png", { type: "image/png" }))
      const page = await (await h.app.request("/kiem-tra-anh", { method: "POST", body: pageForm })).text()
      expect(page).toContain("<strong>Hợp lệ</strong>")

      const other = await qrPng("https://example.com/menu", { scale: 6 })
      const notOurs = await h.app.request("/api/scan", { method: "POST", headers: { "Content-Type": "image/png" }, body: other as Uint8Array<ArrayBuffer> })
      expect(notOurs.status).toBe(422)
      expect(((await notOurs.json()) as any).error).toBe("not_bienlai")
      const blank = await sharp({ create: { width: 200, height: 200, channels: 3, background: "#ffffff" } }).png().toBuffer()
      const noQr = await h.app.request("/api/scan", { method: "POST", headers: { "Content-Type": "image/png" }, body: new Uint8Array(blank) })
      expect(noQr.status).toBe(422)
      expect(((await noQr.json()) as any).error).toBe("no_qr")
      const text = await h.app.request("/api/scan", { method: "POST", headers: { "Content-Type": "image/png" }, body: "this is not an image" })
      expect(text.status).toBe(415)
      expect(((await text.json()) as any).error).toBe("not_an_image")
      const json = await h.app.request("/api/scan", { method: "POST", headers: { "Content-Type": "application/json" }, body: "{}" })
      expect(json.status).toBe(415)
      const huge = await h.app.request("/api/scan", {
        method: "POST",
        headers: { "Content-Type": "image/png", "Content-Length": String(h.services.config.uploadLimitBytes + 1) },
        body: new Uint8Array(h.services.config.uploadLimitBytes + 1)
      })
      expect(huge.status).toBe(413)
    })

    test("an officer uploads a scan to a draft; it is stored, queued for OCR and audited", async () => {
      await insertOfficer(h.db.db, { id: "lan.nguyen", agency: "HCM", name: "Nguyễn Thị Lan", role: "officer" })
      const token = await grantToken(h.db.db, "lan.nguyen", "test", (n) => crypto.getRandomValues(new Uint8Array(n)))
      const draft = await h.draft()
      const png = await qrPng("giấy nộp tiền", { scale: 4 })
      const form = new FormData()
      form.set("scan", new File([png as Uint8Array<ArrayBuffer>], "giay-nop-tien.png", { type: "image/png" }))
      const res = await h.app.request(`/api/officer/drafts/${draft.id}/scans`, { method: "POST", headers: { Authorization: `Bearer ${token}` }, body: form })
      expect(res.status).toBe(201)
      const body = (await res.json()) as any
      expect(body).toMatchObject({ receiptId: draft.id, contentType: "image/png", size: png.length, ocrStatus: "queued" })
      const stored = await h.db.db.query<{ size: number; ocr_status: string; same: boolean }>(
        "SELECT size, ocr_status, sha256 = encode(sha256(content), 'hex') AS same FROM uploads WHERE id = $1::uuid",
        [body.id]
      )
      expect(stored[0]).toEqual({ size: png.length, ocr_status: "queued", same: true })
      const audit = await h.db.db.query<{ action: string }>("SELECT action FROM edge_audit WHERE target = $1::text", [draft.id])
      expect(audit.map((a) => a.action)).toEqual(["scan_uploaded"])
      const pdf = await h.app.request(`/api/officer/drafts/${draft.id}/scans`, {
        method: "POST",
        headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/pdf" },
        body: "%PDF-1.4\n%âãÏÓ\n"
      })
      expect(pdf.status).toBe(201)
      const exe = await h.app.request(`/api/officer/drafts/${draft.id}/scans`, {
        method: "POST",
        headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/octet-stream" },
        body: "MZ\x90\x00"
      })
      expect(exe.status).toBe(415)
    })
  })
}
