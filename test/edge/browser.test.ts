/**
 * A citizen in a real browser (test/support/browser.ts: Debian's chromium or
 * the npm package's, through playwright-core),
 * on a phone-sized screen: a valid receipt says "Hợp lệ", a voided one says
 * so, the lookup form works, an uploaded QR photo is verified, and the
 * English switch works. Screenshots go to test-output/.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { mkdirSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { Effect } from "effect"
import type { Page } from "playwright-core"
import { qrContent, tokenToPathSegment } from "../../domain/signing/url.ts"
import { qrPng } from "../../adapters/qr/encode.ts"
import { freshPglite } from "../store/databases.ts"
import { type BrowserSession, phoneInBrowser } from "../support/browser.ts"
import { type Harness, makeCitizenHarness } from "./harness.ts"

const out = join(import.meta.dir, "..", "..", "test-output", "edge")

describe("citizen in a browser", () => {
  let h: Harness
  let session: BrowserSession
  let page: Page
  let base = ""

  beforeAll(async () => {
    mkdirSync(out, { recursive: true })
    h = await makeCitizenHarness(await freshPglite())
    session = await phoneInBrowser(h.app)
    page = session.page
    base = session.base
  }, 60_000)

  afterAll(async () => {
    await session?.close()
    await h?.close()
  })

  test("a valid receipt shows Hợp lệ, and the English switch shows Valid", async () => {
    const { token } = await h.issue()
    await page.goto(`${base}/v/${tokenToPathSegment(token)}`)
    expect(await page.locator(".verdict strong").textContent()).toBe("Hợp lệ")
    expect(await page.locator("table").textContent()).toContain("Nguyễn V. H.")
    await page.screenshot({ path: join(out, "valid.png"), fullPage: true })
    await page.click("text=English")
    expect(await page.locator(".verdict strong").textContent()).toBe("Valid")
  }, 30_000)

  test("a voided receipt shows as voided", async () => {
    const { receipt, token } = await h.issue()
    await Effect.runPromise(h.services.store.voidReceipt("HCM", receipt.id, { by: "hung.tran", reason: "Nộp trùng", now: h.services.now().toISOString() }))
    h.services.statusLists.invalidate({ agency: "HCM", ...receipt.series })
    await page.goto(`${base}/v/${tokenToPathSegment(token)}`)
    expect(await page.locator(".verdict strong").textContent()).toBe("Biên lai đã bị hủy")
    await page.screenshot({ path: join(out, "voided.png"), fullPage: true })
  }, 30_000)

  test("the lookup form shows the full receipt for the matching identity number", async () => {
    const { receipt } = await h.issue()
    await page.goto(`${base}/tra-cuu`)
    await page.fill("#lookup-form input[name=code]", receipt.lookupCode.toLowerCase())
    await page.fill("#lookup-form input[name=idNumber]", "079085001234")
    await page.click("#lookup-form button")
    await page.waitForSelector("#lookup-result")
    expect(await page.locator("#lookup-result").getAttribute("data-full")).toBe("true")
    expect(await page.locator("#lookup-result").textContent()).toContain("Nguyễn Văn Hòa")
    expect(await page.locator(".verdict strong").textContent()).toBe("Đang có hiệu lực")
    await page.screenshot({ path: join(out, "lookup.png"), fullPage: true })
  }, 30_000)

  test("an uploaded photo of the QR is verified", async () => {
    const { token } = await h.issue()
    const photo = join(out, "qr-photo.png")
    // A QR of the agency's published service (a QR of any other host would be flagged first).
    writeFileSync(photo, await qrPng(qrContent(h.services.config.publicUrl, token), { scale: 6 }))
    await page.goto(`${base}/tra-cuu`)
    await page.setInputFiles("#photo-form input[type=file]", photo)
    await page.click("#photo-form button")
    await page.waitForSelector("[data-result]")
    expect(await page.locator("[data-result] strong").textContent()).toBe("Hợp lệ")
    await page.screenshot({ path: join(out, "photo.png"), fullPage: true })
  }, 30_000)
})
