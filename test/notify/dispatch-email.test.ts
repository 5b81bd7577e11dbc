/**
 * From issuance to a mailbox: a payer's own e-mail recipient, a receipt
 * issued in the store, the dispatcher (configured from the environment the
 * way `bienlai notify-worker` and `npm start` configure it) sending through a
 * real SMTP server started here (smtp-server, with login). The mail is the
 * payer's, its Message-ID is the notification id, it links to the /v/ page
 * with the lookup code and holds no identity number; a mailbox the server
 * refuses is dead-lettered at once with the server's answer (PGlite).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { Effect, ManagedRuntime, Result } from "effect"
import type { AddressInfo } from "node:net"
import { SMTPServer } from "smtp-server"
import { Notifier } from "../../domain/notifications/channel.ts"
import { checkRecipient } from "../../domain/notifications/recipient.ts"
import { Signer } from "../../domain/ports/signer.ts"
import { addRecipient } from "../../store/notifications/recipients.ts"
import { makeReceiptStore } from "../../store/receipts/receipt-repository.ts"
import { notifierLayer } from "../../jobs/notify/channels.ts"
import { dispatcherDeps } from "../../jobs/notify/deps.ts"
import { drain } from "../../jobs/notify/dispatcher.ts"
import { linksOver } from "../../jobs/notify/links.ts"
import { notifySettingsFromEnv } from "../../jobs/notify/settings.ts"
import { freshPglite, type TestDatabase } from "../store/databases.ts"
import { makeDraft, newId, requestFor } from "../store/fixtures.ts"
import { makeTestSigner } from "../store/test-signer.ts"
import { parseMail } from "./mail-decode.ts"

const PAYER = "079085001234"
const OTHER = "001203004567"
const PUBLIC_URL = "https://tracuu.thads.example.vn"

describe("the dispatcher delivers e-mail to a real SMTP server", () => {
  let t: TestDatabase
  let server: SMTPServer
  let port = 0
  const received: Array<{ to: Array<string>; raw: string; user: string | undefined }> = []

  beforeAll(async () => {
    t = await freshPglite()
    server = new SMTPServer({
      disabledCommands: ["STARTTLS"],
      allowInsecureAuth: true,
      logger: false,
      onAuth(auth, _session, callback) {
        if (auth.username === "thongbao" && auth.password === "mat-khau-smtp") return callback(null, { user: auth.username })
        callback(new Error("535 authentication failed"))
      },
      onRcptTo(address, _session, callback) {
        if (address.address.startsWith("nobody@")) return callback(Object.assign(new Error("5.1.1 No such user here"), { responseCode: 550 }))
        callback()
      },
      onData(stream, session, callback) {
        const chunks: Array<Buffer> = []
        stream.on("data", (c: Buffer) => chunks.push(c))
        stream.on("end", () => {
          received.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString("utf8"), user: session.user as string | undefined })
          callback()
        })
      }
    })
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
    port = (server.server.address() as AddressInfo).port
  }, 60_000)
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()))
    await t?.dispose()
  })

  test("the payer's mail arrives once, keyed by the notification id; a refused mailbox is dead-lettered", async () => {
    const add = (target: string, person: string) =>
      addRecipient(t.db, Result.getOrThrow(checkRecipient({ agency: "HCM", channel: "email", target, person, events: ["receipt.issued"] })), { id: newId(), by: "admin.hcm", now: "2025-06-01T00:00:00.000Z" })
    await add("an.nguyen@example.vn", PAYER)
    await add("nobody@example.vn", OTHER)
    const keys = await makeTestSigner(["HCM"])
    const store = makeReceiptStore(t.db, keys.sign)
    const mine = await Effect.runPromise(store.issue(requestFor(makeDraft({ payer: { name: "Nguyễn Văn An", idNumber: PAYER, address: "12 Lý Tự Trọng" } }))))
    await Effect.runPromise(store.issue(requestFor(makeDraft({ payer: { name: "Trần Thị Bích", idNumber: OTHER, address: "5 Lê Lợi" } }))))

    const settings = notifySettingsFromEnv({
      NOTIFY_SMTP_HOST: "127.0.0.1",
      NOTIFY_SMTP_PORT: String(port),
      NOTIFY_SMTP_USER: "thongbao",
      NOTIFY_SMTP_PASSWORD: "mat-khau-smtp",
      NOTIFY_SMTP_FROM: "THADS TP. Hồ Chí Minh <thongbao@thads.example.vn>"
    })
    const channels = ManagedRuntime.make(notifierLayer(settings, new Map()))
    try {
      const signer = Effect.runSync(Effect.provide(Effect.gen(function*() { return yield* Signer }), keys.layer))
      await drain(dispatcherDeps({
        db: t.db,
        notifier: await channels.runPromise(Notifier),
        endpoints: new Map(),
        linksFor: linksOver(PUBLIC_URL, t.db, async () => signer),
        settings,
        now: () => new Date(),
        randomBytes: (n) => crypto.getRandomValues(new Uint8Array(n)),
        role: "test"
      }))
    } finally {
      await channels.dispose()
    }
    const rows = await t.db.query<{ id: string; recipient: string; state: string; last_error: string | null; response: string | null }>(
      "SELECT id::text AS id, recipient, state, last_error, response FROM notifications ORDER BY recipient"
    )
    expect(rows.map((r) => `${r.recipient}:${r.state}`)).toEqual(["an.nguyen@example.vn:delivered", "nobody@example.vn:dead"])
    expect(rows[1]!.last_error).toContain("550")
    expect(received.length).toBe(1)
    const mail = received[0]!
    expect(mail.to).toEqual(["an.nguyen@example.vn"])
    expect(mail.user).toBe("thongbao")
    const parsed = parseMail(mail.raw)
    expect(parsed.headers.get("message-id")).toBe(`<${rows[0]!.id}@thads.example.vn>`)
    expect(parsed.text).toContain(`${PUBLIC_URL}/v/`)
    expect(parsed.text).toContain(mine.lookupCode)
    expect(mail.raw).not.toContain(PAYER)
  }, 60_000)
})
