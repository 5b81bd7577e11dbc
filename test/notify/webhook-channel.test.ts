import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { Effect, Exit, Layer } from "effect"
import { WebhookChannel, type WebhookConfig } from "../../adapters/notify/webhook-channel.ts"
import { secretFromBytes } from "../../adapters/notify/webhook-signature.ts"
import { type Delivered, type DeliveryError, Notifier } from "../../domain/notifications/channel.ts"
import type { Notification } from "../../domain/notifications/notification.ts"
import { NotifierLayer } from "../../adapters/notify/notifier.ts"
import { EmailChannel } from "../../adapters/notify/email-channel.ts"
import { VneidChannel } from "../../adapters/notify/vneid-channel.ts"
import { LINK, notificationFor, PAYER_ID } from "./notification.fixtures.ts"
import { makeReceiver, type Receiver } from "./webhook-receiver.ts"

const secret = secretFromBytes(new Uint8Array(32).map((_, i) => (i * 37 + 11) % 256))
let receiver: Receiver
let server: ReturnType<typeof Bun.serve>
let base: string
const hits = new Map<string, number>()
let closedPort: number

beforeAll(() => {
  receiver = makeReceiver(secret)
  server = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    fetch: async (req) => {
      const path = new URL(req.url).pathname
      hits.set(path, (hits.get(path) ?? 0) + 1)
      if (path === "/hook") return receiver.handle(req)
      const status = /^\/status\/(\d{3})$/.exec(path)
      if (status) {
        const code = Number(status[1])
        return new Response(`status ${code}`, { status: code, headers: code === 429 || code === 503 ? { "retry-after": "7" } : {} })
      }
      if (path === "/redirect") return new Response(null, { status: 302, headers: { location: `${base}/hook` } })
      if (path === "/slow") return new Promise<Response>(() => {})
      return new Response("no", { status: 404 })
    }
  })
  base = `http://127.0.0.1:${server.port}`
  const probe = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: () => new Response() })
  closedPort = probe.port!
  probe.stop(true)
})

afterAll(() => {
  server.stop(true)
})

const endpoints: Record<string, string> = {
  "bank-a": "/hook",
  gone: "/status/410",
  missing: "/status/404",
  unauthorized: "/status/401",
  broken: "/status/500",
  busy: "/status/429",
  "request-timeout": "/status/408",
  unavailable: "/status/503",
  moved: "/redirect",
  slow: "/slow"
}

const config = (extra: Partial<WebhookConfig> = {}): WebhookConfig => ({
  endpoint: (subscriber) => {
    if (subscriber === "refused") return { url: `http://127.0.0.1:${closedPort}/hook`, secrets: [secret] }
    if (subscriber === "plain-http") return { url: "http://example.invalid/hook", secrets: [secret] }
    if (subscriber === "bad-secret") return { url: `${base}/hook`, secrets: ["whsec_short"] }
    const path = endpoints[subscriber]
    return path === undefined ? undefined : { url: `${base}${path}`, secrets: [secret] }
  },
  timeoutMs: 300,
  ...extra
})

const deliver = (n: Notification, extra: Partial<WebhookConfig> = {}): Promise<Exit.Exit<Delivered, DeliveryError>> =>
  Effect.runPromiseExit(Effect.provide(WebhookChannel.use((c) => c.deliver(n)), WebhookChannel.layer(config(extra))))

const failure = (exit: Exit.Exit<Delivered, DeliveryError>) => {
  if (Exit.isSuccess(exit)) throw new Error(`expected a failure, got ${exit.value.response}`)
  const error = exit.cause.reasons.find((r) => r._tag === "Fail")
  if (error === undefined || error._tag !== "Fail") throw new Error(`expected a typed failure: ${String(exit.cause)}`)
  return error.error
}

describe("webhook delivery to a real HTTP server", () => {
  test("the receiver written from the documentation verifies it and processes each notification once", async () => {
    const first = notificationFor("webhook", "bank-a")
    const second = notificationFor("webhook", "bank-a")
    // A dispatcher that lost the answer sends the same notification again: the receiver drops the repeats.
    const exits = [await deliver(first), await deliver(first), await deliver(second), await deliver(first)]
    for (const e of exits) expect(Exit.isSuccess(e) && e.value.response).toMatch(/^HTTP 20[04]$/)
    expect(receiver.processed.map((p) => p.id)).toEqual([first.id, second.id])
    expect(receiver.duplicates).toEqual([first.id, first.id])
    expect(receiver.refused).toEqual([])
    const payload = receiver.processed[0]!.payload as { type: string; data: { document: { link: string; lookupCode: string } } }
    expect(payload.type).toBe("receipt.issued")
    expect(payload.data.document).toMatchObject({ link: LINK, lookupCode: "7KQ2M9XH4T8P" })
    expect(JSON.stringify(payload)).not.toContain(PAYER_ID)
  })

  test("a body changed on the way fails verification and is a permanent failure", async () => {
    const tamper: typeof fetch = Object.assign(
      (url: string | URL | Request, init?: RequestInit) => fetch(url, { ...init, body: String(init?.body).replace("7KQ2M9XH4T8P", "7KQ2M9XH4T8Q") }),
      { preconnect: fetch.preconnect }
    )
    const refusedBefore = receiver.refused.length
    const e = failure(await deliver(notificationFor("webhook", "bank-a"), { fetch: tamper }))
    expect(e).toMatchObject({ _tag: "DeliveryFailed", permanent: true, reason: "http_status", status: 401 })
    expect(receiver.refused.slice(refusedBefore)).toEqual(["bad signature"])
  })

  test("a captured request replayed after the window is refused by the receiver", async () => {
    let captured: Request | undefined
    const capture: typeof fetch = Object.assign(
      async (url: string | URL | Request, init?: RequestInit) => {
        captured = new Request(url, init)
        return fetch(url, init)
      },
      { preconnect: fetch.preconnect }
    )
    expect(Exit.isSuccess(await deliver(notificationFor("webhook", "bank-a"), { fetch: capture }))).toBe(true)
    const later = makeReceiver(secret, () => Date.now() + 6 * 60_000)
    const replay = await later.handle(captured!)
    expect(replay.status).toBe(401)
    expect(later.refused).toEqual(["outside the replay window"])
    expect(later.processed).toEqual([])
  })

  test("4xx other than 408 and 429 is permanent", async () => {
    for (const [subscriber, status] of [["gone", 410], ["missing", 404], ["unauthorized", 401]] as const) {
      expect(failure(await deliver(notificationFor("webhook", subscriber)))).toMatchObject({ permanent: true, reason: "http_status", status })
    }
  })

  test("5xx, 408, 429 and 3xx are tried again, with Retry-After when given; redirects are not followed", async () => {
    expect(failure(await deliver(notificationFor("webhook", "broken")))).toMatchObject({ permanent: false, status: 500 })
    expect(failure(await deliver(notificationFor("webhook", "request-timeout")))).toMatchObject({ permanent: false, status: 408 })
    expect(failure(await deliver(notificationFor("webhook", "busy")))).toMatchObject({ permanent: false, status: 429, retryAfterMs: 7000 })
    expect(failure(await deliver(notificationFor("webhook", "unavailable")))).toMatchObject({ permanent: false, status: 503, retryAfterMs: 7000 })
    const hookHits = hits.get("/hook") ?? 0
    expect(failure(await deliver(notificationFor("webhook", "moved")))).toMatchObject({ permanent: false, status: 302 })
    expect(hits.get("/hook") ?? 0).toBe(hookHits)
  })

  test("a timeout and a refused connection are tried again", async () => {
    const started = Date.now()
    expect(failure(await deliver(notificationFor("webhook", "slow")))).toMatchObject({ permanent: false, reason: "timeout" })
    expect(Date.now() - started).toBeLessThan(5_000)
    expect(failure(await deliver(notificationFor("webhook", "refused")))).toMatchObject({ permanent: false, reason: "network" })
  })

  test("no endpoint, plain http to another host, or a bad secret: permanent, and nothing is sent", async () => {
    let sent = 0
    const counting: typeof fetch = Object.assign(
      (url: string | URL | Request, init?: RequestInit) => {
        sent++
        return fetch(url, init)
      },
      { preconnect: fetch.preconnect }
    )
    expect(failure(await deliver(notificationFor("webhook", "nobody"), { fetch: counting }))).toMatchObject({ permanent: true, reason: "unknown_recipient" })
    expect(failure(await deliver(notificationFor("webhook", "plain-http"), { fetch: counting }))).toMatchObject({ permanent: true, reason: "invalid_recipient" })
    expect(failure(await deliver(notificationFor("webhook", "bad-secret"), { fetch: counting }))).toMatchObject({ permanent: true, reason: "invalid_recipient" })
    expect(sent).toBe(0)
  })
})

describe("the Notifier", () => {
  test("routes by channel; VNeID without its integration is refused as not configured", async () => {
    const all = NotifierLayer.pipe(
      Layer.provide(WebhookChannel.layer(config())),
      Layer.provide(EmailChannel.layer({ host: "127.0.0.1", port: closedPort, from: "THADS <tb@example.vn>", messageIdDomain: "example.vn", timeoutMs: 500 })),
      Layer.provide(VneidChannel.layer())
    )
    const run = (n: Notification) => Effect.runPromiseExit(Effect.provide(Notifier.use((x) => x.deliver(n)), all))
    const ok = await run(notificationFor("webhook", "bank-a"))
    expect(Exit.isSuccess(ok)).toBe(true)
    expect(failure(await run(notificationFor("vneid", PAYER_ID)))).toMatchObject({ _tag: "ChannelNotConfigured", channel: "vneid" })
    expect(failure(await run(notificationFor("email", "an@example.vn")))).toMatchObject({ _tag: "DeliveryFailed", channel: "email", permanent: false })
  })
})
