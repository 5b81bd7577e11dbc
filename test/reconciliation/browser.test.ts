/**
 * The ambiguous-match queue in a real browser (test/support/browser.ts,
 * 1366×768) against the app as `npm start` builds it (test/console/fixture.ts)
 * on a real server and database: an officer imports a statement with a
 * credit that two issued receipts could pay (same decision, amount and
 * payer), runs matching, sees the credit and its candidates side by side,
 * chooses one; the credit leaves the queue and the day's report counts it
 * matched. Screens are saved under test-output/reconciliation/.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { mkdirSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import type { Page } from "playwright-core"
import { registerBankAccount } from "../../store/reconciliation/accounts.ts"
import { type BrowserSession, consoleInBrowser, signInToConsole } from "../support/browser.ts"
import { type ConsoleFixture, makeConsoleFixture } from "../console/fixture.ts"
import { mt940Statement } from "./mt940-builder.ts"

const out = join(import.meta.dir, "..", "..", "test-output", "reconciliation")
const ACCOUNT = "0071000123456"
const DAY = "2025-06-20"

describe("the ambiguous-match queue in a browser", () => {
  let f: ConsoleFixture
  let session: BrowserSession
  let page: Page
  let base = ""
  let statementFile = ""
  const candidates: Array<string> = []
  const shot = (name: string) => page.screenshot({ path: join(out, `${name}.png`), fullPage: true })

  beforeAll(async () => {
    mkdirSync(out, { recursive: true })
    f = await makeConsoleFixture()
    await registerBankAccount(f.h.db.db, { agency: "HCM", account: ACCOUNT, bankBin: "970436" })
    for (let i = 0; i < 2; i++) candidates.push((await f.h.issue({ payment: { method: "bank_transfer", reference: `FT2516300000${i}` } })).receipt.id)
    // A paid receipt of another decision, matched by its bank reference, beside the ambiguous credit.
    await f.h.issue({ amount: 9_000_000n, case: { decisionNumber: "77/QĐ-CCTHADS", decisionDate: "2025-05-12" }, payment: { method: "bank_transfer", reference: "FT25171000002" } })
    statementFile = join(out, "vcb-2025-06-20.mt940")
    writeFileSync(statementFile, mt940Statement({
      id: "VCB250620",
      account: ACCOUNT,
      day: DAY,
      opening: 500_000_000n,
      entries: [
        { amount: 125_500_000n, ref: "FT25171000001", memo: "NGUYEN VAN HOA NOP TIEN THA THEO QD 1234/QD-CTHADS" },
        { amount: 9_000_000n, ref: "FT25171000002", memo: "NOP TIEN THA" }
      ]
    }))
    session = await consoleInBrowser(f.app, "recon")
    page = session.page
    base = session.base
  }, 90_000)

  afterAll(async () => {
    await session?.close()
    await f?.close()
  })

  test("import, run, see the evidence side by side, resolve; the report counts it matched", async () => {
    await signInToConsole(page, base, f.tokens.officer)
    await page.click("nav[aria-label=main] a[href='/console/reconciliation']")
    await page.waitForSelector("#statement-form")
    await shot("01-reconciliation")

    await page.setInputFiles("#statement-file", statementFile)
    await page.click("#import-statement")
    await page.waitForSelector(".flash.ok")
    expect(await page.locator(".flash.ok").textContent()).toContain("2 giao dịch mới")

    await page.click("#run-matching")
    await page.waitForURL(/\/console\/reconciliation\/queue/)
    expect(await page.locator(".flash.ok").textContent()).toContain("1 chờ cán bộ")
    await page.waitForSelector("#recon-queue .recon-item")
    await shot("02-queue")

    const item = page.locator(".recon-item[data-credit=FT25171000001]")
    expect(await page.locator(".recon-item").count()).toBe(1)
    // The credit as the bank gave it.
    expect(await item.locator(".credit-day").textContent()).toBe(DAY)
    expect(await item.locator(".credit-amount").textContent()).toBe("125.500.000 đ")
    expect(await item.locator(".credit-memo").textContent()).toBe("NGUYEN VAN HOA NOP TIEN THA THEO QD 1234/QD-CTHADS")
    expect(await item.locator(".credit-ref").textContent()).toBe("FT25171000001")
    expect(await item.locator(".credit-why").textContent()).toContain("Nhiều biên lai cùng quyết định")
    // Each candidate: number, payer, amount, decision.
    const rows = item.locator("tr.candidate")
    expect(await rows.count()).toBe(2)
    for (let i = 0; i < 2; i++) {
      const row = rows.nth(i)
      expect(candidates).toContain((await row.getAttribute("data-target")) ?? "")
      expect(await row.locator(".candidate-payer").textContent()).toBe("Nguyễn Văn Hòa")
      expect(await row.locator(".candidate-amount").textContent()).toBe("125.500.000 đ")
      expect(await row.locator(".candidate-decision").textContent()).toBe("1234/QĐ-CTHADS")
      expect(await row.locator("label").textContent()).toMatch(/AA\/25E \d{7}/)
    }
    // Side by side: the credit on the left, its candidates on the right, at the same height.
    const credit = await item.locator(".recon-credit").boundingBox()
    const cands = await item.locator(".recon-candidates").boundingBox()
    expect(credit !== null && cands !== null).toBe(true)
    expect(credit!.x + credit!.width).toBeLessThanOrEqual(cands!.x + 1)
    expect(Math.abs(credit!.y - cands!.y)).toBeLessThan(5)

    // Both candidates at once: the sums disagree, refused in Vietnamese, nothing matched.
    await rows.nth(0).locator("input[type=checkbox]").check()
    await rows.nth(1).locator("input[type=checkbox]").check()
    await item.locator("button.resolve").click()
    await page.waitForSelector(".flash.error")
    expect(await page.locator(".flash.error").textContent()).toContain("Số tiền không khớp")
    await shot("03-queue-sums-differ")

    const chosen = (await page.locator(".recon-item tr.candidate").nth(0).getAttribute("data-target")) ?? ""
    await page.locator(".recon-item tr.candidate").nth(0).locator("input[type=checkbox]").check()
    await page.locator(".recon-item button.resolve").click()
    await page.waitForSelector("#recon-queue-empty")
    expect(await page.locator(".flash.ok").textContent()).toContain("FT25171000001")
    await shot("04-queue-empty")
    const match = await f.h.db.db.query<{ target_id: string; rule: string; matched_by: string }>("SELECT target_id, rule, matched_by FROM recon_matches WHERE bank_reference = 'FT25171000001'")
    expect(match).toEqual([{ target_id: chosen, rule: "officer", matched_by: "lan.nguyen" }])

    await page.goto(`${base}/console/reconciliation/report?account=${ACCOUNT}&month=2025-06&day=${DAY}`)
    await page.waitForSelector("#day-report")
    expect(await page.locator("#day-matched").textContent()).toBe("2")
    expect(await page.locator("#day-queued").textContent()).toBe("0")
    expect(await page.locator("#day-unmatched").textContent()).toBe("0")
    // The month's chart: a bar for the 20th with both credits.
    expect(await page.locator("#chart-recon-matched g[data-label='20/06']").getAttribute("data-value")).toBe("2")
    expect(await page.locator("#chart-recon-credits g[data-label='20/06']").getAttribute("data-value")).toBe("134500000")
    await shot("05-report")
  }, 120_000)

  test("a payment request made in the form shows its VietQR image", async () => {
    await page.goto(`${base}/console/reconciliation/payment-requests`)
    await page.fill("#pr-amount", "1.250.000")
    await page.fill("#pr-payer", "Lê Văn Cường")
    await page.fill("#pr-decision", "757/QĐ-CCTHADS")
    await page.click("#create-request")
    await page.waitForSelector("#payment-request")
    const box = await page.locator("#vietqr-image svg").boundingBox()
    expect(box !== null && box.width > 100 && box.height > 100).toBe(true)
    expect(await page.locator("#vietqr-text").textContent()).toContain("A000000727")
    await shot("06-payment-request")
  }, 30_000)
})
