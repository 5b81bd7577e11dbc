/**
 * The notification outbox on the database (PGlite, and PostgreSQL when
 * TEST_DATABASE_URL is set): events and notifications are written in the
 * transaction of the change (issuing, voiding, replacing a receipt; a payment
 * request), only for recipients that want them; the dispatcher delivers them
 * to a receiver written from docs/NOTIFICATIONS.md over real HTTP, retries
 * with backoff, dead-letters with the last error, and a stale dispatcher's
 * outcome is refused once its lease was taken over.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { Effect, Layer, ManagedRuntime, Result } from "effect"
import { Notifier } from "../../domain/notifications/channel.ts"
import { checkRecipient, type RecipientInput } from "../../domain/notifications/recipient.ts"
import { Signer } from "../../domain/ports/signer.ts"
import { secretFromBytes } from "../../adapters/notify/webhook-signature.ts"
import type { Db } from "../../store/database/db.ts"
import { leaseDue, notificationsOfReceipt, outboxCounts, recordAttempt } from "../../store/notifications/outbox.ts"
import { addRecipient } from "../../store/notifications/recipients.ts"
import { createPaymentRequest } from "../../store/reconciliation/payment-requests.ts"
import { makeReceiptStore } from "../../store/receipts/receipt-repository.ts"
import { notifierLayer, type WebhookEndpoints } from "../../jobs/notify/channels.ts"
import { dispatcherDeps } from "../../jobs/notify/deps.ts"
import { runOnce } from "../../jobs/notify/dispatcher.ts"
import { linksOver } from "../../jobs/notify/links.ts"
import { notifySettingsFromEnv } from "../../jobs/notify/settings.ts"
import { draftInput, makeDraft, newId, requestFor } from "../store/fixtures.ts"
import { draftReplacement } from "../../domain/lifecycle.ts"
import { targets, type TestDatabase } from "../store/databases.ts"
import { makeTestSigner, type TestKeys } from "../store/test-signer.ts"
import { makeReceiver, type Receiver } from "./webhook-receiver.ts"
import { storedToken } from "../../store/receipts/qr-token.ts"
import { tokenUrl } from "../../domain/signing/url.ts"

const PAYER_ID = "079085001234"
const OTHER_ID = "001203004567"
const PUBLIC_URL = "https://tracuu.thads.example.vn"

const recipient = async (db: Db, input: RecipientInput, secret?: string): Promise<string> => {
  const id = newId()
  await addRecipient(db, Result.getOrThrow(checkRecipient(input)), { id, by: "admin.hcm", now: "2025-06-01T00:00:00.000Z", secret })
  return id
}

interface Hook {
  readonly receiver: Receiver
  readonly url: string
  readonly hits: Array<string>
  answer: number
  readonly stop: () => void
}

const startHook = (secret: string, clock: () => number): Hook => {
  const receiver = makeReceiver(secret, clock)
  const hits: Array<string> = []
  const hook: { answer: number } = { answer: 0 }
  const server = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    fetch: async (request) => {
      hits.push(request.headers.get("webhook-id") ?? "")
      if (hook.answer !== 0) return new Response("busy", { status: hook.answer })
      return receiver.handle(request)
    }
  })
  return Object.assign(hook, { receiver, hits, url: `http://127.0.0.1:${server.port}/hook`, stop: () => void server.stop(true) })
}

for (const target of targets) {
  describe(`the notification outbox on ${target.name}`, () => {
    let t: TestDatabase
    let keys: TestKeys
    let signer: Signer["Service"]
    const secret = secretFromBytes(new Uint8Array(32).fill(7))
    let nowMs = Date.parse("2025-06-23T03:00:00.000Z")
    const clock = () => nowMs
    let hook: Hook
    let channels: ManagedRuntime.ManagedRuntime<Notifier, never>
    const endpoints: WebhookEndpoints = new Map()
    let webhookId: string

    beforeAll(async () => {
      t = await target.make()
      keys = await makeTestSigner(["HCM", "HNI"])
      signer = Effect.runSync(Effect.provide(Effect.gen(function*() { return yield* Signer }), keys.layer))
      hook = startHook(secret, () => Date.now())
      webhookId = await recipient(t.db, { agency: "HCM", channel: "webhook", target: hook.url, events: ["receipt.issued", "receipt.voided", "receipt.replaced", "payment_request.created"] }, secret)
      await recipient(t.db, { agency: "HCM", channel: "email", target: "an.nguyen@example.vn", person: PAYER_ID, events: ["receipt.issued", "receipt.voided"] })
      await recipient(t.db, { agency: "HCM", channel: "vneid", target: PAYER_ID, events: ["receipt.voided"] })
      const settings = notifySettingsFromEnv({ NOTIFY_MAX_ATTEMPTS: "3", NOTIFY_BASE_DELAY_MS: "1000", NOTIFY_MAX_DELAY_MS: "60000" })
      channels = ManagedRuntime.make(notifierLayer(settings, endpoints))
    }, 60_000)
    afterAll(async () => {
      hook.stop()
      await channels.dispose()
      await t.dispose()
    })

    const store = () => makeReceiptStore(t.db, keys.sign)
    const deps = async () =>
      dispatcherDeps({
        db: t.db,
        notifier: await channels.runPromise(Notifier),
        endpoints,
        linksFor: linksOver(PUBLIC_URL, t.db, async () => signer),
        settings: notifySettingsFromEnv({ NOTIFY_MAX_ATTEMPTS: "3", NOTIFY_BASE_DELAY_MS: "1000", NOTIFY_MAX_DELAY_MS: "60000", NOTIFY_LEASE_MS: "30000" }),
        now: () => new Date(clock()),
        randomBytes: (n) => new Uint8Array(n).fill(0x80),
        role: "test"
      })
    const issue = (over: Parameters<typeof makeDraft>[0] = {}) => Effect.runPromise(store().issue(requestFor(makeDraft(over))))

    test("issuing writes one event and a notification per recipient that wants it, in the issuing transaction", async () => {
      const theirs = await issue({ payer: { name: "Nguyễn Văn An", idNumber: PAYER_ID, address: "12 Lý Tự Trọng, TP. Hồ Chí Minh" } })
      const someoneElse = await issue({ payer: { name: "Trần Thị Bích", idNumber: OTHER_ID, address: "5 Lê Lợi, TP. Hồ Chí Minh" } })
      const mine = await notificationsOfReceipt(t.db, "HCM", theirs.id)
      expect(mine.map((n) => `${n.event}/${n.channel}/${n.state}`).sort()).toEqual(["receipt.issued/email/pending", "receipt.issued/webhook/pending"])
      // The e-mail recipient asked about their own receipts only.
      expect((await notificationsOfReceipt(t.db, "HCM", someoneElse.id)).map((n) => n.channel)).toEqual(["webhook"])
      // The event keeps the printed reference, the lookup code and the hash, never the payer's identity number.
      const [event] = await t.db.query<Record<string, string>>("SELECT * FROM notify_events WHERE subject_id = $1::text", [theirs.id])
      expect(event?.["reference"]).toBe(`AA/25E số ${String(theirs.number).padStart(7, "0")}`)
      expect(event?.["lookup_code"]).toBe(theirs.lookupCode)
      expect(event?.["document_hash"]).toMatch(/^sha256:[A-Za-z0-9_-]{43}$/)
      expect(JSON.stringify(event)).not.toContain(PAYER_ID)
    })

    test("an agency without recipients writes nothing; an issuance rolled back writes nothing", async () => {
      const count = async () => (await t.db.query<{ n: number }>("SELECT count(*)::int AS n FROM notify_events"))[0]!.n
      const before = await count()
      await Effect.runPromise(store().issue(requestFor(makeDraft({ agency: "HNI", office: "HNI-KV01" }))))
      expect(await count()).toBe(before)
      // A replacement whose original was voided meanwhile: its row is written (and the insert trigger
      // writes its event) before the original is found voided, and the whole transaction rolls back.
      const original = await issue()
      const replacement = Result.getOrThrow(draftReplacement(original, draftInput({ amount: original.amount + 1000n }), { id: newId(), maker: "lan.nguyen", now: "2025-06-23T03:30:00.000Z" }))
      await Effect.runPromise(store().voidReceipt("HCM", original.id, { by: "hung.tran", reason: "Sai", now: "2025-06-23T03:35:00.000Z" }))
      const afterVoid = await count()
      expect(afterVoid).toBe(before + 2) // issued and voided
      const refused = await Effect.runPromise(Effect.result(store().issue(requestFor(replacement, { now: "2025-06-23T03:40:00.000Z" }))))
      expect(Result.isFailure(refused)).toBe(true)
      expect(await count()).toBe(afterVoid)
      expect(await t.db.query("SELECT 1 FROM notify_events WHERE subject_id = $1::text", [replacement.id])).toEqual([])
    })

    test("voiding and replacing write their events in their transactions", async () => {
      const r = await issue({ payer: { name: "Nguyễn Văn An", idNumber: PAYER_ID, address: "12 Lý Tự Trọng, TP. Hồ Chí Minh" } })
      await Effect.runPromise(store().voidReceipt("HCM", r.id, { by: "hung.tran", reason: "Sai số tiền", now: "2025-06-23T04:00:00.000Z" }))
      const voided = (await notificationsOfReceipt(t.db, "HCM", r.id)).filter((n) => n.event === "receipt.voided")
      expect(voided.map((n) => n.channel).sort()).toEqual(["email", "vneid", "webhook"])
      const original = await issue()
      const replacement = Result.getOrThrow(draftReplacement(original, draftInput({ amount: original.amount + 1000n }), { id: newId(), maker: "lan.nguyen", now: "2025-06-23T03:30:00.000Z" }))
      await Effect.runPromise(store().issue(requestFor(replacement, { now: "2025-06-23T03:40:00.000Z" })))
      const replaced = (await notificationsOfReceipt(t.db, "HCM", original.id)).filter((n) => n.event === "receipt.replaced")
      expect(replaced.map((n) => n.channel)).toEqual(["webhook"])
    })

    test("events never change and recipients are never deleted (deactivated instead), so notifications keep naming them", async () => {
      const refused = (sql: string) => t.db.query(sql).then(() => "done", (e: Error) => e.message)
      expect(await refused("UPDATE notify_events SET reference = 'x'")).toContain("append-only")
      expect(await refused("DELETE FROM notify_events")).toContain("append-only")
      expect(await refused("DELETE FROM notify_recipients")).toContain("append-only")
    })

    test("a payment request writes its event in its transaction", async () => {
      await t.db.query("INSERT INTO bank_accounts (agency, account, bank_bin, name) VALUES ('HCM', '0071001234567', '970436', 'Cục THADS TP.HCM')")
      await createPaymentRequest(t.db, { agency: "HCM", bankBin: "970436", account: "0071001234567", amount: 1_250_000n, payerName: "Nguyễn Văn An", reference: "BL0000000000A" }, "lan.nguyen", "2025-06-23T03:00:00.000Z")
      const rows = await t.db.query<{ event: string; channel: string }>(
        "SELECT e.event, n.channel FROM notify_events e JOIN notifications n ON n.agency = e.agency AND n.event_id = e.id WHERE e.subject_kind = 'payment_request'"
      )
      expect(rows).toEqual([{ event: "payment_request.created", channel: "webhook" }])
    })

    test("the dispatcher delivers: webhooks verified by the documented receiver, with the /v/ link; VNeID refused as not configured", async () => {
      nowMs = Date.now()
      const d = await deps()
      let outcomes = await runOnce(d)
      while (outcomes.length > 0) outcomes = await runOnce(d)
      const counts = await outboxCounts(t.db, "HCM")
      const webhookRows = await t.db.query<{ state: string }>("SELECT state FROM notifications WHERE channel = 'webhook'")
      expect(webhookRows.every((r) => r.state === "delivered")).toBe(true)
      expect(hook.receiver.refused).toEqual([])
      expect(hook.receiver.processed.length).toBe(webhookRows.length)
      for (const p of hook.receiver.processed) {
        const payload = p.payload as { data: { document: { link: string; kind: string; hash?: string } } }
        if (payload.data.document.kind === "receipt") {
          expect(payload.data.document.link.startsWith(`${PUBLIC_URL}/v/`)).toBe(true)
          expect(payload.data.document.hash).toMatch(/^sha256:/)
        } else if (payload.data.document.kind === "payout") expect(payload.data.document.link).toBe(`${PUBLIC_URL}/tra-cuu-chi-tra`)
        else expect(payload.data.document.link).toBe(`${PUBLIC_URL}/tra-cuu`)
        expect(JSON.stringify(p.payload)).not.toContain(PAYER_ID)
      }
      // The link is the receipt's stored token (kept at this first use), the same for every message about it.
      const byReference = new Map<string, Set<string>>()
      for (const p of hook.receiver.processed) {
        const doc = (p.payload as { data: { document: { kind: string; reference: string; link: string } } }).data.document
        if (doc.kind === "receipt") byReference.set(doc.reference, (byReference.get(doc.reference) ?? new Set()).add(doc.link))
      }
      expect([...byReference.values()].every((links) => links.size === 1)).toBe(true)
      const [voided] = await t.db.query<{ id: string }>("SELECT subject_id AS id FROM notify_events WHERE event = 'receipt.voided' LIMIT 1")
      const token = await storedToken(t.db, "HCM", voided!.id)
      expect(token).toBeDefined()
      expect(hook.receiver.processed.some((p) => (p.payload as { data: { document: { link: string } } }).data.document.link === tokenUrl(PUBLIC_URL, token!))).toBe(true)
      // E-mail is off in these settings, VNeID has no integration: dead at once, saying why.
      const dead = await t.db.query<{ channel: string; attempts: number; last_error: string }>("SELECT channel, attempts, last_error FROM notifications WHERE state = 'dead' ORDER BY channel")
      expect(dead.some((r) => r.channel === "vneid" && r.attempts === 1 && r.last_error.includes("VNeID has no public API"))).toBe(true)
      expect(dead.some((r) => r.channel === "email" && r.last_error.includes("no email channel"))).toBe(true)
      expect(counts.pending + counts.leased).toBe(0)
    })

    test("a failing receiver is retried with backoff, then dead-lettered with the last error", async () => {
      await issue()
      hook.answer = 503
      const d = await deps()
      nowMs = Date.now()
      const first = await runOnce(d)
      expect(first.map((o) => o.state)).toEqual(["pending"])
      const [row] = await t.db.query<{ next: string; attempts: number; last_error: string }>(
        "SELECT next_attempt_at::text AS next, attempts, last_error FROM notifications WHERE state = 'pending'"
      )
      // The first retry waits within [base/2, base] (jitter 0.5 here: 750 ms).
      const wait = Date.parse(row!.next) - nowMs
      expect(wait).toBeGreaterThanOrEqual(500)
      expect(wait).toBeLessThanOrEqual(1000)
      expect(row!.last_error).toContain("503")
      expect(await runOnce(d)).toEqual([]) // not due yet
      nowMs += 1000
      expect((await runOnce(d)).map((o) => o.state)).toEqual(["pending"])
      nowMs += 2000
      const last = await runOnce(d)
      expect(last.map((o) => o.state)).toEqual(["dead"])
      expect(last[0]!.attempts).toBe(3)
      hook.answer = 0
    })

    test("a dispatcher whose lease expired cannot record its outcome after another took the row over", async () => {
      await issue()
      const now = Date.now()
      const at = (ms: number) => new Date(now + ms).toISOString()
      const [mine] = await leaseDue(t.db, { owner: "a", now: at(0), until: at(1000), limit: 1 })
      expect(mine).toBeDefined()
      expect(await leaseDue(t.db, { owner: "b", now: at(500), until: at(1500), limit: 1 })).toEqual([])
      const [theirs] = await leaseDue(t.db, { owner: "b", now: at(1001), until: at(5000), limit: 1 })
      expect(theirs?.id).toBe(mine!.id)
      expect(theirs?.attempts).toBe(2)
      expect(await recordAttempt(t.db, mine!, { state: "delivered", at: at(1100), response: "HTTP 204" })).toBe(false)
      expect(await recordAttempt(t.db, theirs!, { state: "delivered", at: at(1200), response: "HTTP 204" })).toBe(true)
      expect(webhookId).toMatch(/^[0-9a-f-]{36}$/)
    })
  })
}
