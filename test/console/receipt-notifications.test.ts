/**
 * The receipt screen of the officer console (the app as npm start builds it)
 * lists the receipt's notifications with their delivery state, showing
 * recipients masked and never a webhook's secret; a notification the
 * dispatcher dead-lettered shows as such with its error.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { ManagedRuntime, Result } from "effect"
import { Notifier } from "../../domain/notifications/channel.ts"
import { checkRecipient } from "../../domain/notifications/recipient.ts"
import { secretFromBytes } from "../../adapters/notify/webhook-signature.ts"
import { addRecipient } from "../../store/notifications/recipients.ts"
import { notifierLayer, type WebhookEndpoints } from "../../jobs/notify/channels.ts"
import { dispatcherDeps } from "../../jobs/notify/deps.ts"
import { runOnce } from "../../jobs/notify/dispatcher.ts"
import { linksOver } from "../../jobs/notify/links.ts"
import { notifySettingsFromEnv } from "../../jobs/notify/settings.ts"
import { type ConsoleFixture, makeConsoleFixture } from "./fixture.ts"

describe("the receipt screen shows its notifications", () => {
  let f: ConsoleFixture
  const secret = secretFromBytes(new Uint8Array(32).fill(9))
  beforeAll(async () => {
    f = await makeConsoleFixture()
    const db = f.h.services.db
    const add = (channel: "webhook" | "email", target: string) =>
      addRecipient(db, Result.getOrThrow(checkRecipient({ agency: "HCM", channel, target, events: ["receipt.issued", "receipt.voided"] })), {
        id: crypto.randomUUID(),
        by: "admin.hcm",
        now: "2025-06-01T00:00:00.000Z",
        secret
      })
    await add("webhook", "https://ketoan.thads.example.vn/hooks/bienlai")
    await add("email", "ketoan@thads.hcm.gov.vn")
  }, 60_000)
  afterAll(async () => {
    await f?.close()
  })

  const page = async (token: string, path: string) => {
    const r = await f.app.request("/console/sign-in", { method: "POST", body: new URLSearchParams({ token, next: "/console/queue" }) })
    const cookie = (r.headers.get("set-cookie") ?? "").split(";")[0]!
    const res = await f.app.request(path, { headers: { cookie } })
    return { status: res.status, text: await res.text() }
  }

  test("pending at first, then the state the dispatcher recorded; recipients masked, secrets never shown", async () => {
    const { receipt } = await f.h.issue()
    const before = await page(f.tokens.officer, `/console/receipts/${receipt.id}`)
    expect(before.status).toBe(200)
    const card = before.text.slice(before.text.indexOf('id="notifications"'))
    expect(card).toContain("Thông báo")
    expect((card.match(/data-state="pending"/g) ?? []).length).toBe(4) // two rows, each with its badge
    expect(card).toContain("ketoan.thads.example.vn")
    expect(card).toContain("k***@thads.hcm.gov.vn")
    expect(before.text).not.toContain("ketoan@thads.hcm.gov.vn")
    expect(before.text).not.toContain("/hooks/bienlai")
    expect(before.text).not.toContain(secret)

    // The dispatcher with e-mail off: the e-mail is dead-lettered at once, saying why.
    const endpoints: WebhookEndpoints = new Map()
    const settings = notifySettingsFromEnv({ NOTIFY_MAX_ATTEMPTS: "2" })
    const channels = ManagedRuntime.make(notifierLayer(settings, endpoints))
    try {
      await runOnce(dispatcherDeps({
        db: f.h.services.db,
        notifier: await channels.runPromise(Notifier),
        endpoints,
        linksFor: linksOver("https://tracuu.thads.example.vn", f.h.services.db, async () => f.h.services.signer),
        settings,
        now: () => new Date(Date.now() + 365 * 86_400_000),
        randomBytes: (n) => new Uint8Array(n),
        role: "test"
      }))
    } finally {
      await channels.dispose()
    }
    const after = await page(f.tokens.officer, `/console/receipts/${receipt.id}`)
    const row = /<tr data-notification="[^"]+" data-state="dead">([\s\S]*?)<\/tr>/.exec(after.text)?.[1] ?? ""
    expect(row).toContain("email")
    expect(row).toContain("Không gửi được")
    expect(row).toContain("no email channel is configured")
  })

  test("a receipt without notifications says so; another agency's officer does not see the receipt", async () => {
    const { receipt } = await f.h.issue({ agency: "HNI", office: "HNI-KV01" } as never)
    const mine = await page(f.tokens.otherAgency, `/console/receipts/${receipt.id}`)
    expect(mine.status).toBe(200)
    expect(mine.text).toContain("Chưa có thông báo nào")
    expect((await page(f.tokens.officer, `/console/receipts/${receipt.id}`)).status).toBe(404)
  })
})
