/**
 * Issue #12 item 14 (the officer side): every message an officer reads in
 * the console and the officer API comes in the page's language,
 * Vietnamese first, English with Accept-Language: en (the console: its
 * language switch); the machine code stays in `error`.
 *
 * Properties check that every rule an officer can break (identity numbers,
 * text lengths, amounts) has its Vietnamese wording, over generated inputs;
 * then the shipped app is asked for each kind of refusal the issue listed.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { Result } from "effect"
import fc from "fast-check"
import { validateIdentityNumber } from "../../domain/identity.ts"
import { parseVnd } from "../../domain/money.ts"
import { decodeReceipt } from "../../domain/receipt.ts"
import { langOf } from "../../edge/http/language.ts"
import { sizeText } from "../../edge/http/too-large.ts"
import { amountProblemText, issueText, reasonVi } from "../../edge/officers/field-messages.ts"
import { warningText } from "../../edge/console/ocr-messages.ts"
import { correctionWarning, notPartOfReason } from "../../domain/extraction/gazetteer/correction.ts"
import { SECOND_OPINIONS_SOURCE } from "../../adapters/ocr/reread.ts"
import { readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import type { ScanReading } from "../../edge/console/scan-reading.ts"
import type { DocumentResult } from "../../adapters/ocr/read-document.ts"
import { type ConsoleFixture, makeConsoleFixture } from "../console/fixture.ts"
import { draftJson } from "../domain/receipt.fixtures.ts"

const identityLike = fc.oneof(
  fc.stringMatching(/^[0-9]{0,14}$/),
  fc.stringMatching(/^[0-9 .-]{1,16}$/),
  fc.stringMatching(/^[A-Za-z][0-9]{5,9}$/),
  fc.stringMatching(/^[0-9]{10}-[0-9]{3}$/),
  fc.string({ maxLength: 14 })
)

describe("every rule an officer can break has its Vietnamese wording", () => {
  test("identity numbers: each failure of validateIdentityNumber, whatever the input", () => {
    fc.assert(
      fc.property(identityLike, (input) => {
        const r = validateIdentityNumber(input, { currentYear: 2025 })
        if (Result.isSuccess(r)) return
        const vi = reasonVi(r.failure.message)
        expect({ message: r.failure.message, vi }).toEqual({ message: r.failure.message, vi: expect.any(String) })
        // The number the officer typed is named, and nothing of it is left in English.
        expect(vi).not.toMatch(/\b(digits?|character|expected|has)\b/)
      }),
      { numRuns: 2000 }
    )
  })

  test("the receipt's field rules: every issue of a broken draft is worded in Vietnamese", () => {
    const broken = fc.record({
      name: fc.oneof(fc.constant(""), fc.constant(" Nguyễn Văn An"), fc.string({ minLength: 201, maxLength: 230 }).map((s) => `x${s}x`)),
      amount: fc.oneof(fc.constant("-5"), fc.constant("1.5"), fc.constant("1000000000000000"), fc.constant("12a")),
      words: fc.constant("Một trăm đồng"),
      decisionDate: fc.oneof(fc.constant("2025-02-30"), fc.constant("23/06/2025"), fc.constant("2025-13-01")),
      decisionNumber: fc.oneof(fc.constant("abc"), fc.constant("")),
      idNumber: identityLike.filter((s) => Result.isFailure(validateIdentityNumber(s)))
    })
    fc.assert(
      fc.property(broken, (b) => {
        const r = decodeReceipt({
          ...draftJson,
          payer: { ...draftJson.payer, name: b.name, idNumber: b.idNumber },
          amount: b.amount,
          amountInWords: b.words,
          case: { ...draftJson.case, decisionDate: b.decisionDate, decisionNumber: b.decisionNumber }
        })
        expect(Result.isFailure(r)).toBe(true)
        if (Result.isSuccess(r)) return
        for (const issue of r.failure.issues) {
          const text = issueText(issue).vi
          expect({ issue, text }).toEqual({ issue, text: expect.not.stringContaining("không hợp lệ (") })
        }
      }),
      { numRuns: 300 }
    )
  })

  test("amounts typed in the console: every parseVnd refusal has both wordings", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 20 }), fc.stringMatching(/^[0-9.,\- ]{0,20}$/)), (typed) => {
        const r = parseVnd(typed)
        if (Result.isSuccess(r)) return
        const t = amountProblemText(r.failure)
        expect(t.vi).not.toBe(t.en)
        expect(t.vi).toMatch(/số tiền|không phải số tiền/)
      }),
      { numRuns: 1000 }
    )
  })

  test("the OCR warnings are worded in Vietnamese, with their figures", () => {
    expect(warningText("vi", { code: "empty_page", message: "Page 1 is empty" })).toBe("Trang 1 trống")
    expect(warningText("vi", { code: "amount_words_mismatch", message: "The amount in figures (1.000.000 đ) disagrees with the amount in words (10.000.000 đ)" }))
      .toBe("Số tiền bằng số (1.000.000 đ) không khớp số tiền bằng chữ (10.000.000 đ)")
    expect(warningText("vi", { code: "invalid_identity_number", message: "The identity number 999190004567 breaks its rules: CCCD 999190004567: province code \"999\" is not on the official list" }))
      .toBe("Số giấy tờ đọc được (999190004567) không hợp lệ: Số CCCD 999190004567: mã tỉnh \"999\" (3 chữ số đầu) không có trong danh mục chính thức")
    expect(warningText("en", { code: "empty_page", message: "Page 1 is empty" })).toBe("Page 1 is empty")
  })

  test("every vocabulary a correction is checked against is named in Vietnamese, and a cut says what it cut", () => {
    // Every source the extractor names, as its code writes it (a new one without Vietnamese words fails here).
    const files = ["domain/extraction", "domain/extraction/fields", "domain/extraction/gazetteer", "adapters/ocr"].flatMap((d) =>
      readdirSync(d).filter((f) => f.endsWith(".ts")).map((f) => readFileSync(join(d, f), "utf8"))
    )
    const sources = new Set(files.flatMap((text) => [...text.matchAll(/(?:AGAINST|MEMO|FAMILY|NAMES|against)(?: =|:) *"([^"]+)"/g)].map((m) => m[1] as string)))
    sources.add(SECOND_OPINIONS_SOURCE)
    expect(sources.size).toBeGreaterThanOrEqual(15)
    for (const against of sources) {
      const vi = warningText("vi", correctionWarning("reason", { from: "Nộp liền", to: "Nộp tiền", against }))
      expect({ against, vi }).toEqual({ against, vi: expect.stringMatching(/^Đã sửa "Nộp liền" thành "Nộp tiền" \(gần nhất trong [^A-Za-z]*\p{Ll}/u) })
      expect(vi).not.toContain(against)
    }
    const cut = correctionWarning("reason", { from: "Nộp tiền án phí KẾ TOÁN", to: "Nộp tiền án phí", against: notPartOfReason("KẾ TOÁN") })
    expect(cut.message).toBe('Corrected "Nộp tiền án phí KẾ TOÁN" to "Nộp tiền án phí" (no part of a reason: "KẾ TOÁN")')
    expect(warningText("vi", cut)).toBe('Đã sửa "Nộp tiền án phí KẾ TOÁN" thành "Nộp tiền án phí" (bỏ "KẾ TOÁN": không thuộc nội dung nộp tiền)')
  })

  test("Accept-Language: Vietnamese unless English ranks higher", () => {
    expect(langOf(undefined)).toBe("vi")
    expect(langOf("en")).toBe("en")
    expect(langOf("en-US,en;q=0.9")).toBe("en")
    expect(langOf("vi-VN,vi;q=0.9,en;q=0.8")).toBe("vi")
    expect(langOf("fr, en;q=0.5")).toBe("en")
    expect(langOf("en;q=0.5, vi")).toBe("vi")
    expect(langOf("*")).toBe("vi")
    expect(langOf("en;q=abc")).toBe("vi")
    fc.assert(fc.property(fc.string(), (h) => expect(["vi", "en"]).toContain(langOf(h))))
    expect(sizeText(8 * 1024 * 1024)).toBe("8 MB")
    expect(sizeText(64 * 1024)).toBe("64 KB")
  })
})

describe("the refusals the issue listed, through the shipped app", () => {
  let f: ConsoleFixture
  const script: Array<ScanReading> = []
  const read = async (_content: Uint8Array, label: string) =>
    ({ file: label, pages: 2, ...(script.shift() ?? { documentType: "unknown", fields: {}, confidence: {}, warnings: [], ms: 1 }) }) as DocumentResult
  type Who = keyof ConsoleFixture["tokens"]
  const api = async (who: Who, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await f.app.request(`/api/officer${path}`, {
      method,
      headers: { Authorization: `Bearer ${f.tokens[who]}`, ...(body === undefined ? {} : { "Content-Type": "application/json" }), ...headers },
      ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) })
    })
    return { status: res.status, body: (await res.json()) as any }
  }
  const draft = (over: Record<string, unknown> = {}) => ({
    series: { form: "01-BLTHADS", symbol: "AA/25E" },
    payer: { name: "Nguyễn Văn Hòa", idNumber: "079085001234" },
    reason: "Nộp tiền thi hành án",
    amount: "1500000",
    payment: { method: "cash" },
    ...over
  })
  let cookie = ""

  beforeAll(async () => {
    f = await makeConsoleFixture({ read })
    const r = await f.app.request("/console/sign-in", { method: "POST", body: new URLSearchParams({ token: f.tokens.officer, next: "/console" }) })
    cookie = (r.headers.get("set-cookie") ?? "").split(";")[0]!
  }, 60_000)
  afterAll(async () => {
    await f?.close()
  })

  test("the identity-number, name-length and amount rules: Vietnamese by default, English on request, the code unchanged", async () => {
    const bad = draft({ payer: { name: `Nguyễn ${"Văn ".repeat(60)}Hòa`, idNumber: "999190004567" } })
    const vi = await api("officer", "POST", "/drafts", bad)
    expect(vi.status).toBe(422)
    expect(vi.body.error).toBe("invalid_receipt")
    expect(vi.body.message).toStartWith("Chưa lưu được, vì các trường sau chưa hợp lệ: ")
    expect(vi.body.message).toContain("Họ tên người nộp — dài quá 200 ký tự")
    expect(vi.body.message).toContain("Số CCCD/CMND — Số CCCD 999190004567: mã tỉnh \"999\" (3 chữ số đầu) không có trong danh mục chính thức")
    const amount = await api("officer", "POST", "/drafts", draft({ amount: "-5" }))
    expect(amount.body.message).toContain("Số tiền (đồng) — số tiền phải là chuỗi chữ số đồng nguyên")
    const en = await api("officer", "POST", "/drafts", bad, { "Accept-Language": "en" })
    expect(en.body.error).toBe("invalid_receipt")
    expect(en.body.message).toContain("Identity number — CCCD 999190004567: province code \"999\" is not on the official list")
    expect(en.body.issues).toEqual(vi.body.issues)
  })

  test("the maker-checker refusal names the draft by payer and amount, never by its id, in both languages", async () => {
    const own = (await api("approver", "POST", "/drafts", draft({ payer: { name: "Trịnh Văn Sơn" }, amount: "2750000" }))).body
    await api("approver", "POST", `/drafts/${own.id}/submit`)
    const vi = await api("approver", "POST", `/drafts/${own.id}/approve`, { contentHash: own.contentHash })
    expect(vi.body.error).toBe("invalid_transition")
    expect(vi.body.message).toBe("Người lập không được tự phê duyệt: hung.tran đã lập bản nháp của Trịnh Văn Sơn, 2.750.000 đ; cần một lãnh đạo khác phê duyệt (nguyên tắc hai người).")
    const en = await api("approver", "POST", `/drafts/${own.id}/approve`, { contentHash: own.contentHash }, { "Accept-Language": "en-GB" })
    expect(en.body.message).toBe("The maker may not approve: hung.tran prepared the draft for Trịnh Văn Sơn, 2.750.000 đ; another approver must approve it (maker-checker).")
    for (const m of [vi.body.message, en.body.message]) expect(m).not.toContain(own.id)
  })

  test("an OCR warning (\"Page 1 is empty\") is shown in Vietnamese on the draft, in English with the switch", async () => {
    script.push({ documentType: "payment_slip", fields: { amount: "1500000" }, confidence: { amount: 0.9 }, warnings: [{ code: "empty_page", message: "Page 1 is empty" }], ms: 1 } as unknown as ScanReading)
    const form = new FormData()
    form.append("scan", new File([new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0])], "hai-trang.png", { type: "image/png" }))
    const up = await f.app.request("/console/inbox/scans", { method: "POST", body: form, headers: { cookie, accept: "application/json", "sec-fetch-site": "same-origin" } })
    const id = ((await up.json()) as { jobs: Array<{ receiptId: string }> }).jobs[0]!.receiptId
    expect(await f.ocr()).toEqual(["done"])
    const vi = await (await f.app.request(`/console/drafts/${id}`, { headers: { cookie } })).text()
    expect(vi).toContain('<li data-code="empty_page">Trang 1 trống</li>')
    const en = await (await f.app.request(`/console/drafts/${id}?lang=en`, { headers: { cookie } })).text()
    expect(en).toContain('<li data-code="empty_page">Page 1 is empty</li>')
  })

  test("a body too large: the API says so in the client's language; a console form goes back to its page with the message", async () => {
    const huge = JSON.stringify(draft({ reason: "x".repeat(70_000) }))
    const vi = await api("officer", "POST", "/drafts", huge)
    expect(vi.status).toBe(413)
    expect(vi.body.error).toBe("body_too_large")
    expect(vi.body.message).toStartWith("Nội dung gửi lên quá lớn: tối đa 64 KB.")
    const en = await api("officer", "POST", "/drafts", huge, { "Accept-Language": "en" })
    expect(en.body.message).toStartWith("The request body is too large: at most 64 KB (65536 bytes).")
    const d = (await api("officer", "POST", "/drafts", draft())).body
    const page = `http://localhost/console/drafts/${d.id}`
    const r = await f.app.request(`/console/drafts/${d.id}`, {
      method: "POST",
      body: new URLSearchParams({ reason: "x".repeat(70_000) }),
      headers: { cookie, referer: page, "sec-fetch-site": "same-origin" }
    })
    expect(r.status).toBe(303)
    const to = new URL(r.headers.get("location")!, "http://localhost")
    expect(to.pathname).toBe(`/console/drafts/${d.id}`)
    expect(to.searchParams.get("error")).toStartWith("Nội dung gửi lên quá lớn: tối đa 64 KB.")
  })

  test("other refusals of the officer API are worded in Vietnamese too", async () => {
    expect((await api("officer", "POST", "/drafts", "{\"payer\":")).body.message).toStartWith("Nội dung gửi lên không phải JSON hợp lệ")
    expect((await api("officer", "GET", "/receipts/12345")).body.message).toBe("\"12345\" không phải mã biên lai (UUID).")
    expect((await api("auditor", "POST", "/drafts", draft())).body.message).toBe("Vai trò kiểm soát không được lập bản nháp.")
    expect((await api("officer", "GET", "/receipts?minAmount=abc")).body.message).toStartWith("Bộ lọc tìm kiếm chưa đúng: Số tiền từ: \"abc\" không phải số tiền")
    expect((await api("officer", "GET", "/nowhere")).body).toEqual({ error: "not_found", message: "Không có địa chỉ GET /api/officer/nowhere." })
  })
})
