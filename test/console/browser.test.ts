/**
 * The officer console in a real browser (test/support/browser.ts: Debian's
 * chromium or the npm package's, through playwright-core, 1366×768, a fresh profile) against a real server and
 * database, with real OCR of a generated scan:
 *
 * 1. an officer uploads a scan, waits for the draft, corrects a field and submits it;
 * 2. an approver approves it (with another submitted draft, in bulk, each naming the content its row
 *    showed); it is numbered and its /v/ page says "Hợp lệ";
 * 3. an officer of another agency cannot see it;
 * 4. voiding it turns its public page to voided.
 *
 * Along the way every screen is saved under test-output/console/, with the
 * empty, loading and error states.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { mkdirSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import type { Page } from "playwright-core"
import { makeSample } from "../support/corpus/corpus.ts"
import { draftInput } from "../edge/harness.ts"
import { type BrowserSession, consoleInBrowser, signInToConsole } from "../support/browser.ts"
import { type ConsoleFixture, makeConsoleFixture } from "./fixture.ts"

const out = join(import.meta.dir, "..", "..", "test-output", "console")

describe("officer console in a browser", () => {
  let f: ConsoleFixture
  let session: BrowserSession
  let page: Page
  let base = ""
  let scanFile = ""
  let receiptId = ""
  let publicPath = ""
  const shot = (name: string) => page.screenshot({ path: join(out, `${name}.png`), fullPage: true })

  // From the keyboard alone: the token box takes the focus, Enter signs in.
  const signIn = (token: string) => signInToConsole(page, base, token, "keyboard")

  beforeAll(async () => {
    mkdirSync(out, { recursive: true })
    f = await makeConsoleFixture({ backgroundWorker: true })
    // Sample 3 of seed 8 set in Noto Serif: a payment slip.
    const sample = await makeSample(8, 3, { scan: { font: "Noto Serif" } })
    scanFile = join(out, `scan.${sample.extension}`)
    writeFileSync(scanFile, sample.image)
    session = await consoleInBrowser(f.app, "console", { acceptDownloads: true })
    page = session.page
    base = session.base
    page.setDefaultTimeout(10_000)
  }, 60_000)

  afterAll(async () => {
    await session?.close()
    await f?.close()
  })

  test("the console's stylesheet and script load under its Content-Security-Policy", async () => {
    const refused: Array<string> = []
    page.on("console", (m) => {
      if (/Content Security Policy/i.test(m.text())) refused.push(m.text())
    })
    const failed: Array<string> = []
    page.on("requestfailed", (r) => failed.push(r.url()))
    await page.goto(`${base}/console/sign-in`)
    // console.css paints the top bar the agency blue; without it the bar has no background at all.
    expect(await page.evaluate(() => getComputedStyle(document.querySelector("header.top")!).backgroundColor)).toBe("rgb(11, 61, 145)")
    // console.js ran: it is what turns the "/" key into a jump to the search box.
    const loaded = await page.evaluate(() => [...document.scripts].map((s) => s.src))
    expect(loaded).toEqual([`${base}/console/assets/console.js`])
    expect(refused).toEqual([])
    expect(failed).toEqual([])
  }, 20_000)

  test("sign-in refuses a wrong token, and the empty screens say so", async () => {
    await page.goto(`${base}/console`)
    expect(page.url()).toContain("/console/sign-in")
    await shot("01-sign-in")
    await page.fill("#token", "blk_not-a-real-token")
    await page.click("#sign-in-form button[type=submit]")
    expect(await page.locator("#sign-in-error").textContent()).toContain("Mã truy cập không đúng")
    await shot("02-sign-in-error")

    await signIn(f.tokens.officer)
    expect(await page.locator("h1").textContent()).toBe("Tổng quan cơ quan")
    expect(await page.locator("#stat-gaps").textContent()).toContain("Khoảng trống = 0")
    await shot("03-dashboard-empty")
    await page.goto(`${base}/console/inbox`)
    expect(await page.locator("#inbox-empty").isVisible()).toBe(true)
    await shot("04-inbox-empty")
    await page.goto(`${base}/console/queue`)
    expect(await page.locator("#queue-empty").isVisible()).toBe(true)
    await shot("05-queue-empty")
  }, 30_000)

  test("1. an officer uploads a scan, waits for the draft, corrects a field and submits it", async () => {
    await page.goto(`${base}/console/inbox`)
    // A file that is not a scan, dropped on the box: refused on its own row (the error state).
    await page.evaluate(() => {
      const dt = new DataTransfer()
      dt.items.add(new File(["ghi chú"], "ghi-chu.txt", { type: "text/plain" }))
      document.querySelector("#dropzone")!.dispatchEvent(new DragEvent("drop", { dataTransfer: dt, bubbles: true, cancelable: true }))
    })
    await page.waitForSelector("#jobs tr[data-status=failed]")
    expect(await page.locator("#jobs tr[data-status=failed]").textContent()).toContain("không phải PNG, JPEG, WebP hay PDF")

    await page.setInputFiles("#scan-files", scanFile)
    await page.waitForSelector("#jobs tr[data-status=queued], #jobs tr[data-status=running]")
    await shot("06-inbox-loading")
    await page.waitForSelector("#jobs tr[data-status=done]", { timeout: 40_000 })
    await shot("07-inbox-done")
    await page.click("#jobs tr[data-status=done] a")
    await page.waitForSelector("#draft-form")
    expect(await page.inputValue("#f-payerName")).toBe("Hồ Hoàng Phương")
    // Each field read shows its confidence, and exactly the fields below 0.9 are highlighted
    // (which ones depends on the OCR of the day; test/console/pages.test.ts pins a low one).
    const shown = await page.locator("[data-field]").evaluateAll((nodes) =>
      nodes.map((n) => ({ field: n.getAttribute("data-field"), low: n.classList.contains("field-low"), confidence: n.querySelector("[data-confidence]")?.getAttribute("data-confidence") ?? null }))
    )
    const read = shown.filter((x) => x.confidence !== null)
    expect(read.map((x) => x.field)).toContain("payerName")
    expect(read.map((x) => x.field)).toContain("decisionNumber")
    for (const x of read) expect({ field: x.field, low: x.low }).toEqual({ field: x.field, low: Number(x.confidence) < 0.9 })
    expect(await page.locator("[data-field=payerName]").getAttribute("class")).not.toContain("field-low")
    expect(await page.locator("img#scan-image").isVisible()).toBe(true)
    await shot("08-draft-review")

    // The officer corrects the amount; the words follow as it is typed.
    await page.fill("#f-amount", "472.500.000")
    await page.waitForFunction(() => document.querySelector("#f-words")?.textContent === "Bốn trăm bảy mươi hai triệu năm trăm nghìn đồng")
    await page.fill("#f-amount", "4x")
    await page.waitForFunction(() => document.querySelector("#f-words")?.classList.contains("bad-text") === true)
    await page.fill("#f-amount", "472.500.000")
    await page.fill("#f-office", "HCM-KV01")
    await page.click("#submit")
    await page.waitForSelector(".flash.ok")
    expect(await page.locator(".flash.ok").textContent()).toContain("Đã trình phê duyệt")
    expect(await page.locator("#inbox-drafts").textContent()).toContain("472.500.000 đ")
    await shot("09-inbox-submitted")

    // Maker-checker is visible to the maker: no approving one's own draft.
    await page.goto(`${base}/console/queue`)
    expect(await page.locator("tr[data-own=true] .own-draft").count()).toBe(0) // an officer cannot approve at all
    expect(await page.locator("main").textContent()).toContain("Vai trò của bạn không được phê duyệt")
  }, 60_000)

  test("2. an approver approves it with another draft in bulk; it is numbered and its /v/ page says Hợp lệ", async () => {
    // A second submitted draft from the officer, one of the approver's own, and one never submitted (not in the queue).
    const officer = { officer: "lan.nguyen", agency: "HCM", role: "officer" } as const
    const approver = { officer: "hung.tran", agency: "HCM", role: "approver" } as const
    await f.actions.submit(officer, (await f.actions.createDraft(officer, draftInput({ payer: { name: "Trần Văn Bảo" }, amount: 5_000_000n }))).id)
    await f.actions.submit(approver, (await f.actions.createDraft(approver, draftInput({ payer: { name: "Lê Văn Tự" }, amount: 1_000_000n }))).id)
    await f.actions.createDraft(officer, draftInput({ payer: { name: "Chưa Trình" }, amount: 2_000_000n }))
    await signIn(f.tokens.approver)
    await page.goto(`${base}/console/queue`)
    expect(await page.locator("#queue-form tbody tr").count()).toBe(3)
    expect(await page.locator("#queue-unsubmitted").textContent()).toContain("1 bản nháp khác đang chờ người lập trình phê duyệt")
    // Each row shows the short code of the content it approves.
    expect(await page.locator("#queue-form code.content-hash").first().textContent()).toMatch(/^[0-9a-f]{4} [0-9a-f]{4} [0-9a-f]{4}$/)
    const own = page.locator("tr[data-own=true]")
    expect(await own.textContent()).toContain("Bạn lập — không thể tự duyệt")
    expect(await own.locator("input[type=checkbox]").isDisabled()).toBe(true)
    await shot("10-queue")
    await page.check("#select-all")
    await page.click("#approve-selected")
    await page.waitForSelector("#queue-form[data-bulk-done=true]")
    expect(await page.locator("#bulk-results li[data-result=approved]").count()).toBe(2)
    expect(await page.locator("#bulk-count").textContent()).toBe("2 / 2")
    await shot("11-queue-bulk-approved")

    // "/" jumps to the search box; the name is typed without accents.
    await page.goto(`${base}/console/search`)
    await page.locator("h1").click()
    await page.keyboard.press("/")
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("q")
    await page.keyboard.type("ho hoang phuong")
    await page.keyboard.press("Enter")
    await page.waitForURL(/name=ho\+hoang\+phuong/)
    expect(await page.locator("#results tbody tr").count()).toBe(1)
    await shot("12-search")
    await page.click("#results tbody tr a")
    await page.waitForSelector("#receipt-fields")
    receiptId = page.url().split("/").pop() ?? ""
    expect(await page.locator("#receipt-fields").textContent()).toContain("AA/25E")
    expect(await page.locator("#receipt-fields").textContent()).toMatch(/000000[12]/)
    expect(await page.locator("#receipt-fields").textContent()).toContain("Bốn trăm bảy mươi hai triệu năm trăm nghìn đồng")
    expect(await page.locator("#qr svg").count()).toBe(1)
    expect(await page.locator("#history tr[data-action=issued]").count()).toBe(1)
    expect(await page.locator("#audit tr[data-action=ocr_extracted]").count()).toBe(1)
    await shot("13-receipt")
    publicPath = (await page.locator("#public-link").getAttribute("data-path")) ?? ""
    await page.goto(`${base}${publicPath}`)
    expect(await page.locator(".verdict strong").textContent()).toBe("Hợp lệ")
    await shot("14-public-valid")

    // The PDF and the export download.
    await page.goto(`${base}/console/search?name=ho%20hoang%20phuong`)
    const [csv] = await Promise.all([page.waitForEvent("download"), page.click("#export-csv")])
    const text = readFileSync((await csv.path())!, "utf8")
    expect(text).toContain("Hồ Hoàng Phương")
    expect(text).toContain("472500000")
  }, 40_000)

  test("3. an officer of another agency cannot see it", async () => {
    await signIn(f.tokens.otherAgency)
    await page.goto(`${base}/console/receipts/${receiptId}`)
    expect(await page.locator("#error").textContent()).toBe("Không tìm thấy.")
    await shot("15-other-agency-not-found")
    await page.goto(`${base}/console/search?name=ho%20hoang%20phuong`)
    expect(await page.locator("#no-results").isVisible()).toBe(true)
    await page.goto(`${base}/console/search?from=2025-13-01`)
    expect(await page.locator("#search-error").textContent()).toContain("không phải ngày dạng YYYY-MM-DD")
    await shot("16-search-error")
  }, 20_000)

  test("4. voiding the receipt turns its public page to voided", async () => {
    await signIn(f.tokens.approver)
    await page.goto(`${base}/console/receipts/${receiptId}`)
    await page.fill("#void-reason", "Nộp nhầm quyết định, đã hoàn trả")
    // Voiding asks first: the dialog is answered "yes".
    const asked: Array<string> = []
    page.once("dialog", (d) => {
      asked.push(d.message())
      void d.accept()
    })
    await page.click("#void-form button")
    await page.waitForSelector("#receipt-fields [data-status=voided]")
    expect(asked[0]).toContain("Hủy biên lai này?")
    expect(await page.locator("#history tr[data-action=voided]").count()).toBe(1)
    await shot("17-receipt-voided")
    await page.goto(`${base}${publicPath}`)
    expect(await page.locator(".verdict strong").textContent()).toBe("Biên lai đã bị hủy")
    await shot("18-public-voided")

    await page.goto(`${base}/console`)
    expect(await page.locator("#stat-voided .stat").textContent()).toBe("1")
    expect(await page.locator("#stat-gaps").textContent()).toContain("= 0")
    expect(await page.locator("#chart-per-day rect").count()).toBe(30)
    await shot("19-dashboard")
    await page.click("a.lang")
    expect(await page.locator("h1").textContent()).toBe("Agency dashboard")
    await shot("20-dashboard-english")
    await page.goto(`${base}/console?lang=vi`)
  }, 20_000)

  test("5. deleting a draft asks first: \"no\" keeps it, \"yes\" deletes it and its scans", async () => {
    await signIn(f.tokens.officer)
    const [unsent] = await f.h.services.db.query<{ id: string }>("SELECT id::text AS id FROM receipts WHERE status = 'draft' AND draft -> 'payer' ->> 'name' = 'Chưa Trình'")
    await page.goto(`${base}/console/drafts/${unsent!.id}`)
    page.once("dialog", (d) => void d.dismiss())
    await page.click("#delete")
    await page.waitForTimeout(300)
    expect(page.url()).toBe(`${base}/console/drafts/${unsent!.id}`)
    expect((await f.h.services.db.query("SELECT 1 FROM receipts WHERE id = $1::uuid", [unsent!.id])).length).toBe(1)
    page.once("dialog", (d) => void d.accept())
    await page.click("#delete")
    await page.waitForSelector(".flash.ok")
    expect(await page.locator(".flash.ok").textContent()).toContain("Đã xóa bản nháp của Chưa Trình, 2.000.000 đ")
    expect((await f.h.services.db.query("SELECT 1 FROM receipts WHERE id = $1::uuid", [unsent!.id])).length).toBe(0)
    await shot("21-draft-deleted")
  }, 20_000)
})
