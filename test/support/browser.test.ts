/**
 * The browser launcher of the browser tests: it finds a browser on a machine
 * with nothing but `npm ci`, and a machine without one fails at once with a
 * message that says how to get one (never a skip, never a wait).
 */
import { describe, expect, test } from "bun:test"
import { locateBrowser, launchBrowser, NoBrowserError } from "./browser.ts"

describe("browser launcher", () => {
  test("a browser is found (Debian's chromium, else the npm package's) and renders Vietnamese", async () => {
    const found = await locateBrowser()
    expect(["debian", "npm"]).toContain(found.source)
    const browser = await launchBrowser()
    try {
      const page = await browser.newPage()
      await page.setContent("<p id=t>Nguyễn Văn Hòa</p>")
      expect(await page.locator("#t").textContent()).toBe("Nguyễn Văn Hòa")
    } finally {
      await browser.close()
    }
  }, 60_000)

  test("no browser at all fails at once, saying how to get one", async () => {
    const started = Date.now()
    const failure = await locateBrowser("/nonexistent/chromium", async () => {
      throw new Error("Cannot find package '@sparticuz/chromium'")
    }).catch((error: unknown) => error)
    expect(failure).toBeInstanceOf(NoBrowserError)
    expect((failure as Error).message).toContain("npm ci")
    expect((failure as Error).message).toContain("apt-get install chromium")
    expect(Date.now() - started).toBeLessThan(1_000)
  })
})
