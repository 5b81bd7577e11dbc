/**
 * The operations view in a real browser (test/support/browser.ts) against
 * the app as `npm start` builds it (test/console/fixture.ts) on a real
 * server: at 1366×768 the page shows the agency's figures without sideways
 * scrolling; a receipt approved through the officer API while the page is
 * open appears on it over server-sent events, without a reload; the
 * wall-screen layout (?wall=1) fills a 1920×1080 screen. Screenshots go to
 * test-output/operations/.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { mkdirSync } from "node:fs"
import { join } from "node:path"
import type { Page } from "playwright-core"
import { type BrowserSession, consoleInBrowser, signInToConsole } from "../support/browser.ts"
import { type ConsoleFixture, makeConsoleFixture } from "../console/fixture.ts"

const out = join(import.meta.dir, "..", "..", "test-output", "operations")

describe("the operations view in a browser", () => {
  let f: ConsoleFixture
  let session: BrowserSession
  let page: Page
  let base = ""

  const statOf = (id: string) => page.locator(`#${id} .stat`).getAttribute("data-value")

  // Approved through the officer API, as an approver does it: the approval names the content it read.
  const approveThroughApi = async (amount: bigint) => {
    const draft = await f.h.draft({ amount }, "lan.nguyen", { submitted: true })
    const auth = { authorization: `Bearer ${f.tokens.approver}`, "content-type": "application/json" }
    const read = (await (await fetch(`${base}/api/officer/receipts/${draft.id}`, { headers: auth })).json()) as { contentHash: string }
    const approved = await fetch(`${base}/api/officer/drafts/${draft.id}/approve`, { method: "POST", headers: auth, body: JSON.stringify({ contentHash: read.contentHash }) })
    expect(approved.status).toBe(201)
  }

  beforeAll(async () => {
    mkdirSync(out, { recursive: true })
    f = await makeConsoleFixture()
    await f.h.issue({ amount: 4_000_000n })
    // Bun's defaults, as npm start serves (its 10 s idle limit included: the stream writes more often than that).
    session = await consoleInBrowser(f.app, "ioc")
    page = session.page
    base = session.base
    await signInToConsole(page, base, f.tokens.officer, "keyboard")
  }, 60_000)

  afterAll(async () => {
    await session?.close()
    await f?.close()
  })

  test("at 1366×768 the page shows the agency's figures, and fits the screen", async () => {
    await page.goto(`${base}/console/ioc`)
    expect(await page.locator("h1").textContent()).toContain("Điều hành")
    expect(await page.locator("#ioc").getAttribute("data-scope")).toBe("HCM")
    expect(await statOf("ioc-today-issued")).toBe("1")
    expect(await statOf("ioc-today-collected")).toBe("4.000.000 đ")
    expect(await statOf("ioc-period-issued")).toBe("1")
    expect(await page.locator("#ioc-period-issued .muted").textContent()).toContain("01/10/2024")
    expect(await statOf("ioc-gaps")).toBe("0")
    expect(await page.locator("#ioc-numbering h2").textContent()).toContain("liên tục")
    expect(await page.locator("#ioc-recon").textContent()).toContain("chưa cấu hình")
    expect(await page.locator("#chart-ioc-per-day svg").isVisible()).toBe(true)
    // The live stream connects.
    await page.waitForSelector("#ioc-dot[data-state=live]")
    // Nothing scrolls sideways, and the five headline figures are on the first screen.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1366)
    const box = await page.locator("#ioc-gaps").boundingBox()
    expect(box).not.toBeNull()
    expect(box!.x + box!.width).toBeLessThanOrEqual(1366)
    expect(box!.y + box!.height).toBeLessThanOrEqual(768)
    await page.screenshot({ path: join(out, "ioc-1366x768.png") })
  }, 30_000)

  test("a receipt issued while the page is open appears without a reload", async () => {
    await page.goto(`${base}/console/ioc`)
    await page.waitForSelector("#ioc-dot[data-state=live]")
    // A mark on this page's window: a reload or a navigation would lose it.
    await page.evaluate(() => {
      (window as unknown as { stillHere: boolean }).stillHere = true
    })
    const navigations: Array<string> = []
    page.on("framenavigated", (frame) => {
      if (frame === page.mainFrame()) navigations.push(frame.url())
    })
    await approveThroughApi(2_500_000n)
    await page.waitForFunction(() => document.querySelector("#ioc-today-issued .stat")?.getAttribute("data-value") === "2")
    expect(await statOf("ioc-today-collected")).toBe("6.500.000 đ")
    expect(await statOf("ioc-period-issued")).toBe("2")
    expect(await page.evaluate(() => (window as unknown as { stillHere?: boolean }).stillHere)).toBe(true)
    expect(navigations).toEqual([])
    expect(Number(await page.locator("#ioc").getAttribute("data-updates"))).toBeGreaterThanOrEqual(1)
    await page.screenshot({ path: join(out, "ioc-after-issue.png") })
  }, 30_000)

  test("the wall-screen layout fills a large screen with large figures", async () => {
    await page.setViewportSize({ width: 1920, height: 1080 })
    await page.goto(`${base}/console/ioc?wall=1`)
    expect(await page.locator("body").getAttribute("class")).toBe("wall")
    await page.waitForSelector("#ioc-dot[data-state=live]")
    const size = await page.evaluate(() => parseFloat(getComputedStyle(document.querySelector("#ioc-today-issued .stat")!).fontSize))
    expect(size).toBeGreaterThanOrEqual(48)
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1920)
    const main = await page.locator("main").boundingBox()
    expect(main!.width).toBeGreaterThan(1800)
    await page.screenshot({ path: join(out, "ioc-wall-1920x1080.png") })
    await page.setViewportSize({ width: 1366, height: 768 })
  }, 30_000)
})
