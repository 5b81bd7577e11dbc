/**
 * A payout round from import to paid, in a real browser (test/support/browser.ts)
 * against the app as `npm start` builds it (buildApp over the real store):
 *
 * 1. officer A (lan.nguyen) uploads a creditor list with a bad row (refused,
 *    every reason shown, nothing stored), then the good list, and plans a round;
 *    the approval form is not theirs to see;
 * 2. officer B (hung.tran, approver) reads the round's SHA-256 and approves it;
 * 3. officer A downloads the pain.001 batch;
 * 4. a camt.054 built from the downloaded file's end-to-end ids and amounts is
 *    uploaded, and the round's page shows the lines paid: the table and the
 *    chart by state change, the sums still add up; a creditor's history
 *    shows their line paid.
 *
 * Screens are saved under test-output/payout-console/.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { mkdirSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import type { Page } from "playwright-core"
import { formatVndDigits } from "../../domain/money.ts"
import { debitNotificationFor } from "../bank/iso-writers.ts"
import { cccdFor } from "../payout/fixtures.ts"
import { type BrowserSession, consoleInBrowser, signInToConsole } from "../support/browser.ts"
import { type ConsoleFixture, makeConsoleFixture } from "./fixture.ts"

const out = join(import.meta.dir, "..", "..", "test-output", "payout-console")
const CASE = "3699/QĐ-CTHADS"
const header = "Mã khoản,Số CCCD,Họ tên,Hạng,Số tiền được thi hành án,Ngày yêu cầu,Mã ngân hàng,Số tài khoản"
const row = (n: number, owed = formatVndDigits(BigInt(n) * 1_000_000n)) =>
  [`C${String(n).padStart(4, "0")}`, cccdFor(n), `Trần Thị ${n}`, n <= 3 ? "a" : "c", owed, "16/06/2025", n % 4 === 0 ? "" : "970436", n % 4 === 0 ? "" : String(2_000_000_000 + n)].join(",")

describe("a payout round in the console, in a browser", () => {
  let f: ConsoleFixture
  let session: BrowserSession
  let page: Page
  let base = ""
  let roundPath = ""
  let pain001 = ""
  const shot = (name: string) => page.screenshot({ path: join(out, `${name}.png`), fullPage: true })

  const signIn = (token: string) => signInToConsole(page, base, token)
  // A state no line is in has no row in the table (0), but always its bar in the chart.
  const stateRow = async (state: string) => ({
    lines: (await page.locator(`#by-state tr[data-key=${state}]`).count()) === 0 ? 0 : Number(await page.locator(`#by-state tr[data-key=${state}]`).getAttribute("data-lines")),
    chart: Number(await page.locator(`#chart-lines-by-state g[data-label="${state === "paid" ? "Đã chi" : "Đã gửi ngân hàng"}"]`).getAttribute("data-value"))
  })

  beforeAll(async () => {
    mkdirSync(out, { recursive: true })
    f = await makeConsoleFixture()
    writeFileSync(join(out, "bad.csv"), [header, row(1), row(2, "-5.000")].join("\n"))
    writeFileSync(join(out, "creditors.csv"), [header, ...Array.from({ length: 12 }, (_, i) => row(i + 1))].join("\n"))
    session = await consoleInBrowser(f.app, "payout", { acceptDownloads: true })
    page = session.page
    base = session.base
  }, 60_000)

  afterAll(async () => {
    await session?.close()
    await f?.close()
  })

  test("1. officer A imports the creditors (a bad list refused row by row) and plans a round", async () => {
    await signIn(f.tokens.officer)
    await page.click("nav a[href='/console/payout']")
    expect(await page.locator("h1").textContent()).toBe("Chi trả tiền thi hành án")
    await shot("01-payout-empty")
    await page.fill("#uc-case", CASE)
    await page.setInputFiles("#uc-file", join(out, "bad.csv"))
    await page.click("#uc-submit")
    await page.waitForSelector("#rejects")
    expect(await page.locator("#error").textContent()).toContain("1 trong 2 dòng bị từ chối; chưa nhập dòng nào")
    expect(await page.locator("#rejects tr[data-row='3']").textContent()).toContain("negative")
    await shot("02-rejects")

    await page.goto(`${base}/console/payout`)
    await page.fill("#uc-case", CASE)
    await page.setInputFiles("#uc-file", join(out, "creditors.csv"))
    await page.click("#uc-submit")
    await page.waitForSelector(".flash.ok")
    expect(await page.locator(".flash.ok").textContent()).toContain("Đã nhập 12 người được thi hành án, tổng 78.000.000")
    expect(await page.locator(`#cases tr[data-case='${CASE}']`).textContent()).toContain("12")

    await page.fill("#pr-case", CASE)
    await page.fill("#pr-date", "2025-07-01")
    await page.fill("#pr-available", "50.000.000")
    await page.click("#pr-submit")
    await page.waitForSelector("#round-summary")
    roundPath = new URL(page.url()).pathname
    expect(await page.locator(".flash.ok").textContent()).toContain("Đã lập đợt 1")
    expect(await page.locator("#round-status").textContent()).toBe("Chờ phê duyệt")
    expect(await page.locator("#round-paid").textContent()).toBe("50.000.000 đ")
    expect(await page.locator("#adds-up").getAttribute("data-adds-up")).toBe("true")
    // Ranks in order: rank a (claims 1-3, 6,000,000 đồng) is paid in full before rank c shares the rest.
    expect(await page.locator("#by-rank tr[data-key=a]").getAttribute("data-amount")).toBe("6000000")
    expect(await page.locator("#by-rank tr[data-key=c]").getAttribute("data-amount")).toBe("44000000")
    expect(await page.locator("#by-rank tr[data-key=total]").getAttribute("data-amount")).toBe("50000000")
    // The planner is an officer: no approval form for them.
    expect(await page.locator("#approve").count()).toBe(0)
    await shot("03-round-planned")
  }, 60_000)

  test("2. officer B approves the exact plan whose SHA-256 the page shows", async () => {
    await signIn(f.tokens.approver)
    await page.goto(`${base}${roundPath}`)
    const sha = await page.locator("#plan-sha256").textContent()
    const apiView = await (await f.app.request(`/api/officer/payout/rounds/${roundPath.split("/").pop()}`, { headers: { authorization: `Bearer ${f.tokens.auditor}` } })).json() as { planSha256: string }
    expect(sha).toBe(apiView.planSha256)
    await shot("04-approve")
    await page.click("#approve-submit")
    await page.waitForSelector(".flash.ok")
    expect(await page.locator(".flash.ok").textContent()).toContain("Đã phê duyệt và ký số đợt 1")
    expect(await page.locator("#round-status").textContent()).toBe("Đã phê duyệt")
    expect(await page.locator("#round-summary").textContent()).toContain("hung.tran")
  }, 60_000)

  test("3. officer A exports the pain.001 batch", async () => {
    await signIn(f.tokens.officer)
    await page.goto(`${base}${roundPath}`)
    await page.fill("#ex-name", "Cục THADS TP. Hồ Chí Minh")
    await page.fill("#ex-bin", "970436")
    await page.fill("#ex-account", "0071000123456")
    const [download] = await Promise.all([page.waitForEvent("download"), page.click("#ex-submit")])
    pain001 = readFileSync((await download.path())!, "utf8")
    expect(download.suggestedFilename()).toMatch(/\.xml$/)
    expect(pain001).toContain("urn:iso:std:iso:20022:tech:xsd:pain.001.001.09")
    await page.goto(`${base}${roundPath}`)
    const sent = await stateRow("sent")
    expect(sent.lines).toBe(9) // 12 creditors, 3 without an account
    expect(sent.chart).toBe(9)
    expect(await page.locator("#batches").textContent()).toContain("lan.nguyen")
    await shot("05-round-sent")
  }, 60_000)

  test("4. the bank's camt.054 marks the lines paid: the table, the chart and the history change", async () => {
    const ids = [...pain001.matchAll(/<EndToEndId>([^<]+)<\/EndToEndId>/g)].map((m) => m[1]!)
    const amounts = [...pain001.matchAll(/<InstdAmt Ccy="VND">(\d+)<\/InstdAmt>/g)].map((m) => BigInt(m[1]!))
    expect(ids.length).toBe(9)
    expect(amounts.length).toBe(9)
    const camt = debitNotificationFor("0071000123456", "2025-07-02", ids.map((id, i) => ({
      endToEndId: id, amount: amounts[i]!, creditorName: "Trần Thị", creditorAccount: "2000000001", creditorBankBin: "970436", remittance: "CHI TRA"
    })))
    const camtFile = join(out, "camt054.xml")
    writeFileSync(camtFile, camt)
    expect((await stateRow("paid")).chart).toBe(0)
    await page.setInputFiles("#an-file", camtFile)
    await page.click("#an-submit")
    await page.waitForSelector(".flash.ok")
    expect(await page.locator(".flash.ok").textContent()).toContain("Ngân hàng: 9 dòng đã chi, 0 dòng bị trả lại")
    const paid = await stateRow("paid")
    expect(paid.lines).toBe(9)
    expect(paid.chart).toBe(9)
    expect((await stateRow("sent")).chart).toBe(0)
    expect(await page.locator("#by-state tr[data-key=paid]").getAttribute("data-amount")).toBe(String(amounts.reduce((a, b) => a + b, 0n)))
    expect(await page.locator("#adds-up").getAttribute("data-adds-up")).toBe("true")
    await shot("06-round-paid")

    await page.goto(`${base}/console/payout?case=${encodeURIComponent(CASE)}`)
    await page.click("#creditors tr[data-claim=C0001] a")
    await page.waitForSelector("#history")
    expect(await page.locator("#history tr").nth(1).getAttribute("data-state")).toBe("paid")
    expect(await page.locator("h1").textContent()).toBe("Lịch sử chi trả · Trần Thị 1")
    await shot("07-creditor-history")
  }, 60_000)
})
