/**
 * Maker-checker attacked through the app as `npm start` builds it (buildApp,
 * officer API and console, the OCR worker over the queue with a scripted
 * reading): issue #12 items 1, 3, 4 and 6, each as the issue reproduced it.
 *
 * 1. The approver uploads a payment slip to an officer's placeholder draft,
 *    so OCR fills it in the officer's name and the approver approves it.
 * 3. The maker changes the amount after the approver has read the draft,
 *    and the approval issues the new content.
 * 4. A draft its maker never submitted, or one still holding
 *    "[chưa đọc được]" and 0 đồng, is approved and issued.
 * 6. Any officer deletes a colleague's draft and its scans.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { NOT_READ } from "../../domain/submission.ts"
import type { ScanReading } from "../../edge/console/scan-reading.ts"
import type { DocumentResult } from "../../adapters/ocr/read-document.ts"
import type { OcrWorkerDeps } from "../../jobs/ocr-worker/worker.ts"
import { shortContentHash } from "../../store/receipts/content-hash.ts"
import { type ConsoleFixture, makeConsoleFixture } from "../console/fixture.ts"

const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0])

// A payment slip of 85,800,000,000 đồng, as OCR would read it.
const bigSlip: ScanReading = {
  documentType: "payment_slip",
  fields: { payerName: "Công ty TNHH Đầu tư Sao Mai", amount: "85800000000", reason: "Nộp tiền thi hành án theo Quyết định số 757/QĐ-CTHADS" },
  confidence: { payerName: 0.97, amount: 0.99, reason: 0.95 },
  warnings: [],
  ms: 3
}

const placeholderDraft = {
  series: { form: "01-BLTHADS", symbol: "AA/25E" },
  payer: { name: NOT_READ },
  reason: NOT_READ,
  amount: "0",
  payment: { method: "cash" }
}

const readyDraft = (amount: string, name = "Nguyễn Văn Hòa") => ({
  office: "HCM-KV01",
  series: { form: "01-BLTHADS", symbol: "AA/25E" },
  payer: { name, idNumber: "079085001234" },
  case: { decisionNumber: "1234/QĐ-CTHADS", decisionDate: "2025-05-12" },
  reason: "Nộp tiền thi hành án theo Quyết định số 1234/QĐ-CTHADS",
  amount,
  payment: { method: "bank_transfer", reference: "FT25163123456" }
})

describe("maker-checker through the shipped app", () => {
  let f: ConsoleFixture
  const script: Array<ScanReading> = []
  const read: NonNullable<OcrWorkerDeps["read"]> = async (_content, label) =>
    ({ file: label, pages: 1, ...(script.shift() ?? { documentType: "unknown", fields: {}, confidence: {}, warnings: [], error: "nothing scripted", ms: 1 }) }) as DocumentResult
  type Who = keyof ConsoleFixture["tokens"]

  const api = async (who: Who, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await f.app.request(`/api/officer${path}`, {
      method,
      headers: { Authorization: `Bearer ${f.tokens[who]}`, ...(body === undefined ? {} : { "Content-Type": "application/json" }), ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) })
    })
    const text = await res.text()
    return { status: res.status, body: (text === "" ? null : JSON.parse(text)) as any }
  }
  const uploadScan = (who: Who, id: string) => {
    const form = new FormData()
    form.append("scan", new File([png], "giay-nop-tien.png", { type: "image/png" }))
    return f.app.request(`/api/officer/drafts/${id}/scans`, { method: "POST", body: form, headers: { Authorization: `Bearer ${f.tokens[who]}` } })
  }
  const auditOf = async (id: string) =>
    (await api("approver", "GET", `/receipts/${id}/audit`)).body.entries as Array<{ action: string; actor: string; detail: Record<string, unknown> }>
  const issuedCount = async () =>
    Number((await f.h.services.db.query<{ n: string }>("SELECT count(*)::text AS n FROM receipts WHERE status <> 'draft' AND status <> 'submitted'"))[0]?.n)
  const cookies = new Map<string, string>()
  const consoleAs = async (who: Who): Promise<string> => {
    const known = cookies.get(who)
    if (known !== undefined) return known
    const r = await f.app.request("/console/sign-in", { method: "POST", body: new URLSearchParams({ token: f.tokens[who], next: "/console" }) })
    const cookie = (r.headers.get("set-cookie") ?? "").split(";")[0]!
    cookies.set(who, cookie)
    return cookie
  }
  const consolePost = async (who: Who, path: string, body: Record<string, string>) =>
    f.app.request(path, { method: "POST", body: new URLSearchParams(body), headers: { cookie: await consoleAs(who), "sec-fetch-site": "same-origin" } })

  beforeAll(async () => {
    f = await makeConsoleFixture({ read })
  }, 60_000)
  afterAll(async () => {
    await f?.close()
  })

  describe("item 1: only a draft's maker adds scans, and OCR's changes are attributed", () => {
    test("the approver uploads an 85,800,000,000 đ slip to the officer's placeholder draft: refused, and nothing changes", async () => {
      const draft = await api("officer", "POST", "/drafts", placeholderDraft)
      expect(draft.status).toBe(201)
      const id = draft.body.id as string
      const before = (await api("officer", "GET", `/receipts/${id}`)).body
      const issuedBefore = await issuedCount()

      script.push(bigSlip)
      const refused = await uploadScan("approver", id)
      expect(refused.status).toBe(409)
      const answer = (await refused.json()) as { error: string; reason: string; message: string }
      expect(answer.reason).toBe("only_maker_can_add_scans")
      expect(answer.message).toContain("Chỉ người lập (lan.nguyen) được thêm bản quét")
      // The OCR worker finds nothing of the approver's to read.
      expect(await f.ocr()).toEqual([])
      script.length = 0

      expect((await api("officer", "GET", `/drafts/${id}/scans`)).body.scans).toEqual([])
      expect((await api("officer", "GET", `/receipts/${id}`)).body).toEqual(before)
      const approve = await api("approver", "POST", `/drafts/${id}/approve`, { contentHash: before.contentHash })
      expect(approve.status).toBe(409)
      expect(await issuedCount()).toBe(issuedBefore)
      expect((await auditOf(id)).map((e) => e.action)).toEqual(["draft_created"])
    })

    test("the database itself refuses a scan from anyone but the maker", async () => {
      const draft = await api("officer", "POST", "/drafts", placeholderDraft)
      const error = await f.h.services.db.query(
        `INSERT INTO uploads (agency, id, receipt_id, content_type, size, sha256, content, uploaded_by, uploaded_at)
         VALUES ('HCM', gen_random_uuid(), $1::uuid, 'image/png', 12, 'x', '\\x00'::bytea, 'hung.tran', now())`,
        [draft.body.id]
      ).then(() => undefined, (e: unknown) => String(e))
      expect(error).toContain("only they may add scans to it, not hung.tran")
    })

    test("the maker's scan is read into the draft, and the audit log says OCR did it on the maker's behalf", async () => {
      const draft = await api("officer", "POST", "/drafts", placeholderDraft)
      const id = draft.body.id as string
      script.push(bigSlip)
      const uploaded = await uploadScan("officer", id)
      expect(uploaded.status).toBe(201)
      const upload = ((await uploaded.json()) as { id: string }).id
      expect(await f.ocr()).toEqual(["done"])
      const filled = (await api("officer", "GET", `/receipts/${id}`)).body
      expect(filled).toMatchObject({ status: "draft", amount: "85800000000", payer: { name: "Công ty TNHH Đầu tư Sao Mai" } })
      const edit = (await auditOf(id)).find((e) => e.action === "draft_edited")
      expect(edit).toMatchObject({ actor: "lan.nguyen", detail: { via: "ocr", onBehalfOf: "lan.nguyen", upload } })
      // Issued, the receipt's history in the console shows who caused the change.
      await api("officer", "POST", `/drafts/${id}/submit`)
      const hash = (await api("approver", "GET", `/receipts/${id}`)).body.contentHash
      expect((await api("approver", "POST", `/drafts/${id}/approve`, { contentHash: hash })).status).toBe(201)
      const page = await (await f.app.request(`/console/receipts/${id}`, { headers: { cookie: await consoleAs("approver") } })).text()
      expect(page).toMatch(/<tr data-action="draft_edited" data-via="ocr">.*<td>OCR, thay mặt lan\.nguyen<\/td>/)
    })

    test("a scan added after submission makes the draft a draft again, so an approval of what was submitted fails", async () => {
      const draft = await api("officer", "POST", "/drafts", readyDraft("2000000"))
      const id = draft.body.id as string
      const sent = await api("officer", "POST", `/drafts/${id}/submit`)
      expect(sent.body.status).toBe("submitted")
      const seen = (await api("approver", "GET", `/receipts/${id}`)).body.contentHash
      expect((await uploadScan("officer", id)).status).toBe(201)
      expect((await api("officer", "GET", `/receipts/${id}`)).body.status).toBe("draft")
      const approve = await api("approver", "POST", `/drafts/${id}/approve`, { contentHash: seen })
      expect(approve.status).toBe(409)
      const back = (await auditOf(id)).at(-1)
      expect(back).toMatchObject({ action: "draft_withdrawn", detail: { why: "scan_added", returnedToDraft: true } })
      await f.ocr()
    })
  })

  describe("item 4: submitted for approval is a state", () => {
    test("a draft its maker never submitted is not in the queue and cannot be approved, by the API or the console", async () => {
      const draft = await api("officer", "POST", "/drafts", readyDraft("15000000", "Chưa Trình"))
      const id = draft.body.id as string
      const hash = (await api("approver", "GET", `/receipts/${id}`)).body.contentHash
      const viaApi = await api("approver", "POST", `/drafts/${id}/approve`, { contentHash: hash })
      expect(viaApi.status).toBe(409)
      expect(viaApi.body).toMatchObject({ error: "invalid_transition", reason: "not_submitted" })
      expect(viaApi.body.message).toBe("Bản nháp của Chưa Trình, 15.000.000 đ chưa được trình phê duyệt; người lập (lan.nguyen) phải trình trước.")
      const queue = await (await f.app.request("/console/queue", { headers: { cookie: await consoleAs("approver") } })).text()
      expect(queue).not.toContain(`data-draft="${id}"`)
      const viaConsole = await consolePost("approver", `/console/queue/${id}/approve`, { contentHash: hash })
      expect(viaConsole.status).toBe(303)
      expect(new URL(viaConsole.headers.get("location")!, "http://x").searchParams.get("error")).toContain("chưa được trình phê duyệt")
      expect((await api("officer", "GET", `/receipts/${id}`)).body.status).toBe("draft")
    })

    test("the API refuses to submit a draft holding [chưa đọc được] and 0 đồng, so it is never issued", async () => {
      const draft = await api("officer", "POST", "/drafts", placeholderDraft)
      const id = draft.body.id as string
      const submit = await api("officer", "POST", `/drafts/${id}/submit`)
      expect(submit.status).toBe(409)
      expect(submit.body.reason).toBe("not_ready")
      expect(submit.body.problems).toEqual([
        { field: "payer.name", rule: "not_read" },
        { field: "reason", rule: "not_read" },
        { field: "amount", rule: "zero_amount" }
      ])
      expect(submit.body.message).toContain("số tiền đang là 0 đồng")
      const approve = await api("approver", "POST", `/drafts/${id}/approve`, { contentHash: draft.body.contentHash })
      expect(approve.status).toBe(409)
      expect((await api("officer", "GET", `/receipts/${id}`)).body.status).toBe("draft")
    })

    test("only the maker submits and withdraws", async () => {
      const draft = await api("officer", "POST", "/drafts", readyDraft("3000000"))
      const id = draft.body.id as string
      expect((await api("colleague", "POST", `/drafts/${id}/submit`)).body.reason).toBe("only_maker_can_submit")
      expect((await api("officer", "POST", `/drafts/${id}/submit`)).status).toBe(200)
      expect((await api("colleague", "POST", `/drafts/${id}/withdraw`)).body.reason).toBe("only_maker_can_withdraw")
      expect((await api("officer", "POST", `/drafts/${id}/withdraw`)).body.status).toBe("draft")
    })
  })

  describe("item 3: an approval names the content it approves", () => {
    test("the maker raises the amount after the approver read the draft: 409, nothing issued; the new content needs its own approval", async () => {
      const draft = await api("officer", "POST", "/drafts", readyDraft("1000000", "Trần Văn Khải"))
      const id = draft.body.id as string
      await api("officer", "POST", `/drafts/${id}/submit`)
      // The approver reads the draft: 1,000,000 đ, and the hash of exactly that; the console shows it in short.
      const read = (await api("approver", "GET", `/receipts/${id}`)).body
      expect(read.amount).toBe("1000000")
      const review = await (await f.app.request(`/console/drafts/${id}`, { headers: { cookie: await consoleAs("approver") } })).text()
      expect(review).toContain(`<code id="content-hash" title="${read.contentHash}">${shortContentHash(read.contentHash)}</code>`)
      expect(review).toContain(`name="contentHash" value="${read.contentHash}"`)
      const issuedBefore = await issuedCount()

      // Meanwhile the maker changes the amount to 100,000,000 đ and submits again.
      const edited = await api("officer", "PATCH", `/drafts/${id}`, { amount: "100000000" })
      expect(edited.body.status).toBe("draft")
      const resent = await api("officer", "POST", `/drafts/${id}/submit`)
      expect(resent.body.contentHash).not.toBe(read.contentHash)

      // The approval of what was read is refused, through the API and through the console.
      const stale = await api("approver", "POST", `/drafts/${id}/approve`, { contentHash: read.contentHash })
      expect(stale.status).toBe(409)
      expect(stale.body).toMatchObject({ error: "conflict", reason: "content_changed" })
      expect(stale.body.message).toBe(
        "Bản nháp của Trần Văn Khải, 100.000.000 đ đã thay đổi sau khi bạn mở để duyệt (đã sửa, rút lại, xóa hoặc trình lại); chưa có gì được phát hành. Hãy mở lại, kiểm tra nội dung hiện tại rồi phê duyệt."
      )
      expect(JSON.stringify(stale.body)).not.toContain(resent.body.contentHash)
      const inEnglish = await api("approver", "POST", `/drafts/${id}/approve`, { contentHash: read.contentHash }, { "Accept-Language": "en-US,en;q=0.9" })
      expect(inEnglish.body.message).toStartWith("The draft for Trần Văn Khải, 100.000.000 đ changed after you opened it for approval")
      const viaConsole = await consolePost("approver", `/console/queue/${id}/approve`, { contentHash: read.contentHash })
      expect(new URL(viaConsole.headers.get("location")!, "http://x").searchParams.get("error")).toContain("đã thay đổi sau khi bạn mở để duyệt")
      expect(await issuedCount()).toBe(issuedBefore)
      expect((await api("officer", "GET", `/receipts/${id}`)).body).toMatchObject({ status: "submitted", amount: "100000000" })

      // Read again and approved knowingly: issued with the content approved.
      const again = (await api("approver", "GET", `/receipts/${id}`)).body
      const ok = await api("approver", "POST", `/drafts/${id}/approve`, { contentHash: again.contentHash })
      expect(ok.status).toBe(201)
      expect(ok.body.receipt.amount).toBe("100000000")
      const issued = (await auditOf(id)).find((e) => e.action === "issued")
      expect(issued?.detail["contentSha256"]).toBe(again.contentHash)
    })

    test("an approval that names no content is refused", async () => {
      const draft = await api("officer", "POST", "/drafts", readyDraft("4000000"))
      await api("officer", "POST", `/drafts/${draft.body.id}/submit`)
      for (const body of [{}, { contentHash: "abc" }, { contentHash: draft.body.contentHash.toUpperCase() }]) {
        const r = await api("approver", "POST", `/drafts/${draft.body.id}/approve`, body)
        expect(r.status).toBe(422)
        expect(r.body.error).toBe("content_hash_required")
      }
    })
  })

  describe("item 6: only a draft's maker deletes it", () => {
    test("a colleague or the approver is refused; an admin deletes with a reason, audited; the scans go with the draft", async () => {
      const draft = await api("officer", "POST", "/drafts", placeholderDraft)
      const id = draft.body.id as string
      script.push(bigSlip)
      expect((await uploadScan("officer", id)).status).toBe(201)
      await f.ocr()
      for (const who of ["colleague", "approver"] as const) {
        const r = await api(who, "DELETE", `/drafts/${id}`)
        expect(r.status).toBe(409)
        expect(r.body.reason).toBe("only_maker_can_delete")
        expect(r.body.message).toContain("Chỉ người lập (lan.nguyen) được xóa")
      }
      // The console's delete button, confirmed, is refused the same way.
      const viaConsole = await consolePost("approver", `/console/drafts/${id}/delete`, { confirm: "1" })
      expect(new URL(viaConsole.headers.get("location")!, "http://x").searchParams.get("error")).toContain("Chỉ người lập (lan.nguyen) được xóa")
      expect((await api("officer", "GET", `/receipts/${id}`)).status).toBe(200)
      expect((await api("officer", "GET", `/drafts/${id}/scans`)).body.scans).toHaveLength(1)

      const noReason = await api("admin", "DELETE", `/drafts/${id}`)
      expect(noReason.status).toBe(422)
      expect(noReason.body.error).toBe("reason_required")
      expect((await api("admin", "DELETE", `/drafts/${id}`, { reason: "Cán bộ lập đã chuyển công tác" })).status).toBe(204)
      expect((await api("officer", "GET", `/receipts/${id}`)).status).toBe(404)
      const scans = await f.h.services.db.query<{ n: string }>("SELECT count(*)::text AS n FROM uploads WHERE receipt_id = $1::uuid", [id])
      expect(scans[0]?.n).toBe("0")
      const [deleted] = await f.h.services.db.query<{ actor: string; detail: unknown }>(
        "SELECT actor, detail FROM audit_log WHERE receipt_id = $1::uuid AND action = 'draft_deleted'",
        [id]
      )
      expect(deleted?.actor).toBe("admin.hcm")
      expect(typeof deleted?.detail === "string" ? JSON.parse(deleted.detail) : deleted?.detail).toMatchObject({ reason: "Cán bộ lập đã chuyển công tác", maker: "lan.nguyen" })
    })

    test("the maker deletes their own draft after confirming, and its scans with it", async () => {
      const draft = await api("officer", "POST", "/drafts", placeholderDraft)
      const id = draft.body.id as string
      expect((await uploadScan("officer", id)).status).toBe(201)
      await f.ocr()
      // Without script, the button leads to a page that asks first; nothing is deleted yet.
      const asked = await consolePost("officer", `/console/drafts/${id}/delete`, {})
      expect(asked.status).toBe(200)
      const page = await asked.text()
      expect(page).toContain('id="confirm-delete"')
      expect(page).toContain("Xóa bản nháp của (chưa đọc được tên), 0 đ cùng các bản quét của nó?")
      expect((await api("officer", "GET", `/receipts/${id}`)).status).toBe(200)
      const done = await consolePost("officer", `/console/drafts/${id}/delete`, { confirm: "1" })
      expect(done.status).toBe(303)
      expect((await api("officer", "GET", `/receipts/${id}`)).status).toBe(404)
      const scans = await f.h.services.db.query<{ n: string }>("SELECT count(*)::text AS n FROM uploads WHERE receipt_id = $1::uuid", [id])
      expect(scans[0]?.n).toBe("0")
    })
  })
})
