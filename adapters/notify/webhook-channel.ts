/**
 * The webhook channel: a notification is POSTed as JSON (the Standard
 * Webhooks payload shape, domain/notifications webhookPayload) to the
 * subscriber's endpoint, signed per Standard Webhooks (webhook-signature.ts)
 * with the notification id as `webhook-id`, so the receiver can drop a
 * repeat.
 *
 * What the answer means (docs/NOTIFICATIONS.md):
 * - 2xx: delivered;
 * - 4xx other than 408 and 429: a permanent failure (the receiver refuses
 *   this message; trying again will not change that);
 * - anything else (3xx, 408, 429, 5xx, a timeout, a network error): try
 *   again later, not before the receiver's Retry-After.
 * Redirects are not followed: a moved endpoint is corrected in the
 * subscriber's settings.
 *
 * Endpoints are set by administrators, not by the public; plain http is
 * refused except to the loopback interface unless `allowHttp` is set.
 */
import { Clock, Context, Effect, Layer, Result } from "effect"
import { type Delivered, DeliveryFailed, type NotificationChannel } from "../../domain/notifications/channel.ts"
import { type Notification, webhookPayload } from "../../domain/notifications/notification.ts"
import { webhookHeaders } from "./webhook-signature.ts"

export interface WebhookEndpoint {
  readonly url: string
  /** The endpoint's secrets, newest first: several while one is being rotated out. */
  readonly secrets: ReadonlyArray<string>
}

export interface WebhookConfig {
  /** The endpoint of a subscriber (a notification's recipient), or undefined when there is none. */
  readonly endpoint: (subscriber: string) => WebhookEndpoint | undefined
  /** How long to wait for an answer; 15 s by default (the specification suggests 15 to 30 s). */
  readonly timeoutMs?: number | undefined
  /** Allow plain http to hosts other than loopback (never in production). */
  readonly allowHttp?: boolean | undefined
  readonly fetch?: typeof fetch | undefined
}

const loopback = new Set(["localhost", "127.0.0.1", "[::1]"])

/** Retry-After as milliseconds: delta-seconds or an HTTP date. */
export const retryAfterMs = (value: string | null, nowMs: number): number | undefined => {
  if (value === null) return undefined
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000
  const at = Date.parse(value)
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs)
}

export const makeWebhookChannel = (config: WebhookConfig): NotificationChannel => {
  const send = config.fetch ?? fetch
  const timeoutMs = config.timeoutMs ?? 15_000
  const failed = (n: Notification, permanent: boolean, reason: DeliveryFailed["reason"], message: string, extra: { status?: number; retryAfterMs?: number } = {}) =>
    new DeliveryFailed({ channel: "webhook", notificationId: n.id, permanent, reason, message, ...extra })

  const deliver = Effect.fn("WebhookChannel.deliver")(function*(n: Notification) {
    const endpoint = config.endpoint(n.recipient)
    if (endpoint === undefined) return yield* failed(n, true, "unknown_recipient", `no webhook endpoint for subscriber ${n.recipient}`)
    let url: URL
    try {
      url = new URL(endpoint.url)
    } catch {
      return yield* failed(n, true, "invalid_recipient", `the endpoint of ${n.recipient} is not a URL`)
    }
    if (url.protocol !== "https:" && !(url.protocol === "http:" && (config.allowHttp === true || loopback.has(url.hostname)))) {
      return yield* failed(n, true, "invalid_recipient", `the endpoint of ${n.recipient} must use https`)
    }

    const nowMs = yield* Clock.currentTimeMillis
    const body = JSON.stringify(webhookPayload(n))
    const headers = webhookHeaders(endpoint.secrets, { id: n.id, timestamp: Math.floor(nowMs / 1000), body })
    if (Result.isFailure(headers)) return yield* failed(n, true, "invalid_recipient", `the endpoint of ${n.recipient}: ${headers.failure.message}`)

    const response = yield* Effect.tryPromise({
      try: (signal) =>
        send(url, {
          method: "POST",
          body,
          redirect: "manual",
          signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]),
          headers: { ...headers.success, "content-type": "application/json", "user-agent": "bienlai-webhook/1" }
        }),
      catch: (e) =>
        (e as { name?: string }).name === "TimeoutError"
          ? failed(n, false, "timeout", `no answer from ${url.host} within ${timeoutMs} ms`)
          : failed(n, false, "network", `${url.host} could not be reached: ${e instanceof Error ? e.message : String(e)}`)
    })
    yield* Effect.promise(() => response.body?.cancel().catch(() => undefined) ?? Promise.resolve())

    const status = response.status
    if (status >= 200 && status < 300) return { channel: "webhook", notificationId: n.id, response: `HTTP ${status}` } satisfies Delivered
    if (status >= 400 && status < 500 && status !== 408 && status !== 429) {
      return yield* failed(n, true, "http_status", `${url.host} refused the webhook: HTTP ${status}`, { status })
    }
    const after = retryAfterMs(response.headers.get("retry-after"), nowMs)
    return yield* failed(n, false, "http_status", `${url.host} answered HTTP ${status}; will try again`, after === undefined ? { status } : { status, retryAfterMs: after })
  })

  return { channel: "webhook", deliver }
}

export class WebhookChannel extends Context.Service<WebhookChannel, NotificationChannel>()("bienlai/adapters/notify/WebhookChannel") {
  static readonly layer = (config: WebhookConfig) => Layer.succeed(WebhookChannel, WebhookChannel.of(makeWebhookChannel(config)))
}
