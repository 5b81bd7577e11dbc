/**
 * The reconciliation pages of the console through the app as `npm start`
 * builds it, as an officer's browser would drive them without script
 * (forms, post-redirect-get): a payment request shows its VietQR image and
 * text, which reads back; a statement upload and a run; an officer may not
 * close a day and an approver may; a cross-site form is refused; another
 * agency's officer sees none of it; the day's report downloads as CSV.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { Result } from "effect"
import { readPaymentRequestVietQr } from "../../domain/reconciliation/payment-request.ts"
import { registerBankAccount } from "../../store/reconciliation/accounts.ts"
import { consoleSessions, type ConsoleFixture, makeConsoleFixture } from "../console/fixture.ts"
import { mt940Statement } from "./mt940-builder.ts"

const ACCOUNT = "0071000123456"
const DAY = "2025-06-20"

describe("reconciliation console pages", () => {
  let f: ConsoleFixture
  const as = consoleSessions(() => f, "/console")
  const get = async (token: string, path: string) => f.app.request(path, { headers: { cookie: await as(token) } })
  const post = async (token: string, path: string, body: Record<string, string> | FormData, site = "same-origin") =>
    f.app.request(path, { method: "POST", body: body instanceof FormData ? body : new URLSearchParams(body), headers: { cookie: await as(token), "sec-fetch-site": site } })
  const flashOf = (r: Response) => new URL(r.headers.get("location") ?? "/", "http://x").searchParams

  beforeAll(async () => {
    f = await makeConsoleFixture()
    await registerBankAccount(f.h.db.db, { agency: "HCM", account: ACCOUNT, bankBin: "970436" })
  }, 60_000)
  afterAll(async () => {
    await f?.close()
  })

  test("a payment request shows its VietQR image and text, which read back to the request", async () => {
    const made = await post(f.tokens.officer, "/console/reconciliation/payment-requests", { account: ACCOUNT, amount: "1.250.000", payerName: "Lê Văn Cường", decisionNumber: "757/QĐ-CCTHADS" })
    expect(made.status).toBe(303)
    const location = made.headers.get("location") ?? ""
    const reference = new URL(location, "http://x").searchParams.get("reference") ?? ""
    expect(reference).toMatch(/^BL/)
    const page = await (await get(f.tokens.officer, location)).text()
    expect(page).toMatch(/id="vietqr-image"[^>]*><svg/)
    const text = /<code id="vietqr-text"[^>]*>([^<]+)<\/code>/.exec(page)?.[1] ?? ""
    const read = readPaymentRequestVietQr(text.replaceAll("&amp;", "&"))
    expect(Result.isSuccess(read)).toBe(true)
    if (Result.isSuccess(read)) expect([read.success.amount, read.success.reference, read.success.account]).toEqual([1_250_000n, reference, ACCOUNT])
    // A bad amount comes back to the form with the reason in Vietnamese.
    const bad = await post(f.tokens.officer, "/console/reconciliation/payment-requests", { account: ACCOUNT, amount: "abc", payerName: "X" })
    expect(flashOf(bad).get("error")).toContain("Đề nghị thanh toán không hợp lệ")
    // Another agency's officer sees no request.
    expect(await (await get(f.tokens.otherAgency, "/console/reconciliation/payment-requests")).text()).not.toContain(reference)
  })

  test("upload, run, and a day an officer may not close but an approver may; a cross-site form is refused", async () => {
    const form = new FormData()
    form.set("file", new File([mt940Statement({ id: "VCB250620", account: ACCOUNT, day: DAY, opening: 10_000_000n, entries: [{ amount: 2_000_000n, ref: "FT25171000001", memo: "LE VAN CUONG NOP TIEN THA" }] })], "vcb.mt940"))
    const crossSite = await post(f.tokens.officer, "/console/reconciliation/statements", form, "cross-site")
    expect(crossSite.status).toBe(403)
    const imported = await post(f.tokens.officer, "/console/reconciliation/statements", form)
    expect(flashOf(imported).get("ok")).toContain("1 giao dịch mới")
    const ran = await post(f.tokens.officer, "/console/reconciliation/run", {})
    expect(flashOf(ran).get("ok")).toContain("1 bản nháp biên lai mới")
    const overview = await (await get(f.tokens.officer, "/console/reconciliation")).text()
    expect(overview).toContain(`data-credit="FT25171000001"`)
    expect(overview).not.toContain(`id="recon-queue-count"`)

    const report = await (await get(f.tokens.officer, `/console/reconciliation/report?account=${ACCOUNT}&month=2025-06&day=${DAY}`)).text()
    expect(report).toContain(`id="day-matched">1<`)
    expect(report).not.toContain(`id="close-day"`)
    const byOfficer = await post(f.tokens.officer, "/console/reconciliation/days/close", { account: ACCOUNT, day: DAY })
    expect(flashOf(byOfficer).get("error")).toContain("không được phê duyệt")
    const approverPage = await (await get(f.tokens.approver, `/console/reconciliation/report?account=${ACCOUNT}&month=2025-06&day=${DAY}`)).text()
    expect(approverPage).toContain(`id="close-day"`)
    const closed = await post(f.tokens.approver, "/console/reconciliation/days/close", { account: ACCOUNT, day: DAY })
    expect(flashOf(closed).get("ok")).toContain(DAY)
    const after = await (await get(f.tokens.approver, `/console/reconciliation/report?account=${ACCOUNT}&month=2025-06&day=${DAY}`)).text()
    expect(after).not.toContain(`id="close-day"`)
    expect(after).toContain("Đã khóa sổ")

    const csv = await get(f.tokens.auditor, `/console/reconciliation/report.csv?account=${ACCOUNT}&day=${DAY}`)
    expect(csv.headers.get("content-type")).toContain("text/csv")
    const csvText = await csv.text()
    expect(csvText).toContain(ACCOUNT)
    expect(csvText).toContain("12000000")
    // Another agency: the account is not found, and its report is not shown.
    const other = await get(f.tokens.otherAgency, `/console/reconciliation/report.csv?account=${ACCOUNT}&day=${DAY}`)
    expect(other.status).toBe(404)
  }, 30_000)

  test("a memo the bank sent prints escaped beside its candidate; the page has an English switch", async () => {
    await f.h.issue({ payment: { method: "bank_transfer", reference: "FT25163000009" } })
    const memo = "<SCRIPT>ALERT(1)</SCRIPT> NOP TIEN THA THEO QD 1234/QD-CTHADS"
    const form = new FormData()
    form.set("file", new File([mt940Statement({ id: "VCB250621", account: ACCOUNT, day: "2025-06-21", opening: 12_000_000n, entries: [{ amount: 125_500_000n, ref: "FT25172000001", memo }] })], "vcb21.mt940"))
    expect(flashOf(await post(f.tokens.officer, "/console/reconciliation/statements", form)).get("ok")).toContain("1 giao dịch mới")
    expect(flashOf(await post(f.tokens.officer, "/console/reconciliation/run", {})).get("ok")).toContain("1 chờ cán bộ")
    const overview = await (await get(f.tokens.officer, "/console/reconciliation")).text()
    expect(overview).toContain("1 khoản ghi có đang chờ cán bộ quyết định")
    const queue = await (await get(f.tokens.officer, "/console/reconciliation/queue")).text()
    expect(queue).toContain("&lt;SCRIPT&gt;ALERT(1)&lt;/SCRIPT&gt;")
    expect(queue).not.toContain("<SCRIPT>")
    expect(queue).toContain("Tên người nộp khác")
    const english = await (await get(f.tokens.officer, "/console/reconciliation/queue?lang=en")).text()
    expect(english).toContain("Credits waiting for an officer")
    expect(english).toContain("Payer&#39;s name differs")
    // An auditor sees the evidence but no button to decide.
    const auditor = await (await get(f.tokens.auditor, "/console/reconciliation/queue")).text()
    expect(auditor).toContain("FT25172000001")
    expect(auditor).not.toContain(`class="resolve"`)
    const refused = await post(f.tokens.auditor, "/console/reconciliation/queue/reject", { account: ACCOUNT, bankReference: "FT25172000001" })
    expect(flashOf(refused).get("error")).toContain("Vai trò kiểm soát")
  }, 30_000)
})
