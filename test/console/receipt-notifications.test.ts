/**
 * The receipt screen of the officer console (the app as npm start builds it)
 * lists the receipt's notifications with their delivery state, showing
 * recipients masked and never a webhook's secret; a notification the
 * dispatcher dead-lettered shows as such with its error, and officers may
 * send it again (back to pending, attempts afresh, audited), while an
 * auditor, another agency, or a row that is not dead cannot.
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

  const cookieOf = async (token: string) => {
    const r = await f.app.request("/console/sign-in", { method: "POST", body: new URLSearchParams({ token, next: "/console/queue" }) })
    return (r.headers.get("set-cookie") ?? "").split(";")[0]!
  }
  const page = async (token: string, path: string) => {
    const res = await f.app.request(path, { headers: { cookie: await cookieOf(token) } })
    return { status: res.status, text: await res.text() }
  }
  const post = async (token: string, path: string) =>
    f.app.request(path, { method: "POST", body: new URLSearchParams({}), headers: { cookie: await cookieOf(token), "sec-fetch-site": "same-origin" } })
  const flash = (r: Response) => new URL(r.headers.get("location") ?? "/", "http://x").searchParams

  // The dispatcher with e-mail off (a year on, so every retry is due): the e-mail is dead-lettered at once, saying why.
  const dispatch = async () => {
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
  }
  const rowsOf = (text: string) =>
    [...text.matchAll(/<tr data-notification="([^"]+)" data-state="([a-z]+)">([\s\S]*?)<\/tr>/g)].map((m) => ({ id: m[1]!, state: m[2]!, cells: m[3]! }))

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

    await dispatch()
    const after = await page(f.tokens.officer, `/console/receipts/${receipt.id}`)
    const row = /<tr data-notification="[^"]+" data-state="dead">([\s\S]*?)<\/tr>/.exec(after.text)?.[1] ?? ""
    expect(row).toContain("email")
    expect(row).toContain("Không gửi được")
    expect(row).toContain("no email channel is configured")
  })

  test("a dead-lettered notification is sent again by an officer of the agency, never by an auditor, another agency or twice", async () => {
    const { receipt } = await f.h.issue()
    const path = `/console/receipts/${receipt.id}`
    await dispatch()
    const before = rowsOf((await page(f.tokens.officer, path)).text)
    const dead = before.find((r) => r.state === "dead")!
    const alive = before.find((r) => r.state !== "dead")!
    expect(dead.cells).toContain("no email channel is configured")
    expect(dead.cells).toContain(`action="${path}/notifications/${dead.id}/resend"`)
    expect(alive.cells).not.toContain("/resend")
    const resend = (id: string) => `${path}/notifications/${id}/resend`

    // An auditor sees no form and is refused; another agency's officer does not find the receipt.
    expect((await page(f.tokens.auditor, path)).text).not.toContain("/resend")
    expect((await post(f.tokens.auditor, resend(dead.id))).status).toBe(403)
    expect((await post(f.tokens.otherAgency, resend(dead.id))).status).toBe(404)
    // A row that is not dead, or no row at all: refused with a reason, nothing moves.
    for (const id of [alive.id, crypto.randomUUID(), "not-an-id"]) {
      const r = await post(f.tokens.officer, resend(id))
      expect(r.status).toBe(303)
      expect(flash(r).get("error")).toContain("không ở trạng thái không gửi được")
    }
    expect(rowsOf((await page(f.tokens.officer, path)).text).find((r) => r.id === dead.id)!.state).toBe("dead")

    // The officer sends it again: pending, its attempts counted afresh, the audit says who and what it had failed with.
    const done = await post(f.tokens.officer, resend(dead.id))
    expect(done.status).toBe(303)
    expect(flash(done).get("ok")).toContain("trở lại hàng đợi")
    const again = rowsOf((await page(f.tokens.officer, path)).text).find((r) => r.id === dead.id)!
    expect(again.state).toBe("pending")
    expect(again.cells).toMatch(/<td>0<\/td>/)
    const audit = await f.h.services.db.query<{ actor: string; detail: unknown }>(
      "SELECT actor, detail FROM edge_audit WHERE agency = 'HCM' AND target = $1::text AND action = 'notification_resent'",
      [receipt.id]
    )
    expect(audit.map((a) => a.actor)).toEqual(["lan.nguyen"])
    const detail = (typeof audit[0]!.detail === "string" ? JSON.parse(audit[0]!.detail) : audit[0]!.detail) as Record<string, unknown>
    expect(detail).toMatchObject({ notification: dead.id, channel: "email", attempts: 1 })
    expect(String(detail["lastError"])).toContain("no email channel is configured")
    expect((await page(f.tokens.approver, path)).text).toContain("Gửi lại thông báo")
    // Twice is refused: it is no longer dead.
    expect(flash(await post(f.tokens.officer, resend(dead.id))).get("error")).toContain("không ở trạng thái không gửi được")

    // The dispatcher really tries it again (e-mail still off: dead once more, after one new attempt).
    await dispatch()
    const retried = rowsOf((await page(f.tokens.officer, path)).text).find((r) => r.id === dead.id)!
    expect(retried.state).toBe("dead")
    expect(retried.cells).toMatch(/<td>1<\/td>/)
  })

  test("a receipt without notifications says so; another agency's officer does not see the receipt", async () => {
    const { receipt } = await f.h.issue({ agency: "HNI", office: "HNI-KV01" } as never)
    const mine = await page(f.tokens.otherAgency, `/console/receipts/${receipt.id}`)
    expect(mine.status).toBe(200)
    expect(mine.text).toContain("Chưa có thông báo nào")
    expect((await page(f.tokens.officer, `/console/receipts/${receipt.id}`)).status).toBe(404)
  })
})
