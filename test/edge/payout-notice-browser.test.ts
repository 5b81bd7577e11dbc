/**
 * A creditor in a real browser (test/support/browser.ts), on a phone-sized
 * screen: the portal form with a wrong number says so in Vietnamese; with
 * the right one it shows the payout and the notice's QR code; that QR,
 * photographed off the screen, holds the notice's token and opens the
 * verification page, which says "valid payout notice". Screenshots go to
 * test-output/edge/.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { mkdirSync } from "node:fs"
import { join } from "node:path"
import type { Page } from "playwright-core"
import { scanReceiptQr } from "../../adapters/qr/decode.ts"
import { makeClaim, makeTerms } from "../payout/fixtures.ts"
import { approveStored, importCase, planStored } from "../payout-store/harness.ts"
import { freshPglite } from "../store/databases.ts"
import { type BrowserSession, phoneInBrowser } from "../support/browser.ts"
import { type Harness, makeCitizenHarness } from "./harness.ts"

const out = join(import.meta.dir, "..", "..", "test-output", "edge")
const CASE = "3699/QĐ-CTHADS"

describe("creditor in a browser", () => {
  let h: Harness
  let session: BrowserSession
  let page: Page
  let base = ""
  let code = ""
  let idNumber = ""
  let wrongId = ""

  beforeAll(async () => {
    mkdirSync(out, { recursive: true })
    h = await makeCitizenHarness(await freshPglite())
    const claims = Array.from({ length: 5 }, (_, i) => makeClaim(i + 1, { owed: BigInt(20_000_000 + i * 3_000_001) }))
    await importCase(h.db.db, claims, "HCM", CASE)
    const stored = await planStored(h.db.db, makeTerms({ caseDecision: CASE, available: 12_345_678n }))
    await approveStored(h.db.db, h.services.signer.sign, stored)
    const [row] = await h.db.db.query<{ claim_id: string; lookup_code: string }>(
      "SELECT claim_id, lookup_code FROM payout_lines WHERE round_id = $1::uuid AND lookup_code IS NOT NULL ORDER BY line_no LIMIT 1", [stored.plan.id])
    code = row!.lookup_code
    idNumber = claims.find((c) => c.id === row!.claim_id)!.creditor.identityNumber
    wrongId = claims.find((c) => c.id !== row!.claim_id)!.creditor.identityNumber
    session = await phoneInBrowser(h.app)
    page = session.page
    base = session.base
  }, 60_000)

  afterAll(async () => {
    await session?.close()
    await h?.close()
  })

  test("wrong number refused; right number shows the payout and a QR that verifies as a payout notice", async () => {
    await page.goto(`${base}/tra-cuu-chi-tra`)
    await page.fill("input[name=code]", code.toLowerCase())
    await page.fill("input[name=idNumber]", wrongId)
    await page.click("#notice-form button[type=submit]")
    expect(await page.locator(".verdict").getAttribute("data-error")).toBe("identity_mismatch")
    expect(await page.locator(".verdict").textContent()).toContain("Số định danh không khớp")
    // What was typed is kept; correct the number.
    expect(await page.inputValue("input[name=code]")).toBe(code.toLowerCase())
    await page.fill("input[name=idNumber]", idNumber)
    await page.click("#notice-form button[type=submit]")
    expect(await page.locator(".verdict").getAttribute("data-state")).toBe("approved")
    expect(await page.locator("#notice-result").textContent()).toContain(CASE)
    expect(await page.locator("#notice-result").textContent()).toContain("Cục Thi hành án dân sự Thành phố Hồ Chí Minh")
    await page.screenshot({ path: join(out, "payout-notice.png"), fullPage: true })

    // The QR on the screen holds the notice's verification URL.
    const shot = await page.locator("#notice-qr").screenshot()
    const scan = await scanReceiptQr(new Uint8Array(shot))
    expect(scan._tag).toBe("Token")
    const href = (await page.locator("#notice-verify").getAttribute("href"))!
    if (scan._tag === "Token") expect(decodeURIComponent(href.split("/v/")[1]!)).toBe(scan.token)

    // Following it (on this server) says what the document is, and that it is valid.
    await page.goto(`${base}/v/${href.split("/v/")[1]}`)
    expect(await page.locator(".verdict").getAttribute("data-kind")).toBe("payout-notice")
    expect(await page.locator(".verdict strong").textContent()).toBe("Giấy báo nhận tiền hợp lệ")
    expect(await page.locator("#notice-summary").textContent()).toContain(CASE)
    await page.screenshot({ path: join(out, "payout-notice-verify.png"), fullPage: true })
    await page.click("text=English")
    expect(await page.locator(".verdict strong").textContent()).toBe("Valid payout notice")
  }, 60_000)
})
