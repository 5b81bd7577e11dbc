/**
 * The VNeID channel, honest about what it is.
 *
 * VNeID (the Ministry of Public Security's national identity app) has no
 * public API. An agency sends notices to it through the national data
 * sharing platform (NDXP) under an agreement with the Ministry of Public
 * Security (for Ho Chi Minh City's enforcement notices, since July 2025,
 * with its Police Department for Administrative Management of Social Order,
 * C06). The connection, its credentials and its message format come with
 * that agreement; they are not public and bienlai does not guess them.
 *
 * So this adapter defines the message bienlai would hand over: the
 * recipient by personal identity number (the 12-digit CCCD number the
 * platform routes by), a short text, and a link to the document with the
 * SHA-256 of its signed bytes; and it refuses to send, with a typed
 * ChannelNotConfigured naming what is missing, until an integration that
 * implements `VneidTransport` for the agency's NDXP connection is supplied.
 */
import { Context, Effect, Layer, Result } from "effect"
import { validateCccd } from "../../domain/identity.ts"
import { ChannelNotConfigured, type Delivered, DeliveryFailed, type NotificationChannel } from "../../domain/notifications/channel.ts"
import { type Notification, notificationText } from "../../domain/notifications/notification.ts"

/** The longest text sent: a notice on a phone, not a letter. */
export const VNEID_TEXT_LIMIT = 500

export interface VneidMessage {
  /** The notification id: the idempotency key, the same on every attempt. */
  readonly messageId: string
  readonly sender: { readonly agency: string }
  /** The platform's routing key. It is in the envelope only: never in the text or the link. */
  readonly recipient: { readonly personalIdentityNumber: string }
  readonly text: string
  readonly document: {
    /** The public page of the document (/v/ for a receipt, the payout notice). */
    readonly url: string
    /** "sha256:" and the base64url SHA-256 of the document's signed bytes. */
    readonly hash: string
  }
  readonly occurredAt: string
}

/** What an integration under the NDXP agreement provides: hand a message to the platform, get its reference. */
export interface VneidTransport {
  readonly send: (message: VneidMessage) => Promise<{ readonly reference: string }>
}

export interface VneidConfig {
  /** Absent until the agency has the agreement and its connection. */
  readonly transport?: VneidTransport | undefined
}

/** What an agency must obtain before this channel can send (docs/NOTIFICATIONS.md). */
export const vneidPrerequisites: ReadonlyArray<string> = [
  "an agreement with the Ministry of Public Security (C06) to send notices to citizens' VNeID accounts",
  "a connection to the national data sharing platform (NDXP) for the agency, with its credentials and certificates",
  "the platform's message format and test environment, from that agreement",
  "an implementation of VneidTransport for that connection, passed to VneidChannel.layer"
]

const notConfigured = new ChannelNotConfigured({
  channel: "vneid",
  needs: vneidPrerequisites,
  message:
    "VNeID is not configured: VNeID has no public API; notices go through the national data sharing platform (NDXP) " +
    "under an agreement with the Ministry of Public Security. Nothing was sent."
})

/** The message for a notification, or why it cannot be one (no valid CCCD number, no document hash). */
export const vneidMessage = (n: Notification): Result.Result<VneidMessage, DeliveryFailed> => {
  const refuse = (message: string) =>
    Result.fail(new DeliveryFailed({ channel: "vneid", notificationId: n.id, permanent: true, reason: "invalid_recipient", message }))
  const id = validateCccd(n.recipient)
  if (Result.isFailure(id)) return refuse(`a VNeID recipient is a 12-digit personal identity number: ${id.failure.message}`)
  if (n.subject.documentHash === undefined) return refuse("a VNeID notice carries the hash of the document; this notification has none")
  const text = notificationText(n)
  return Result.succeed({
    messageId: n.id,
    sender: { agency: n.agency },
    recipient: { personalIdentityNumber: id.success.value },
    text: text.length <= VNEID_TEXT_LIMIT ? text : `${text.slice(0, VNEID_TEXT_LIMIT - 1)}…`,
    document: { url: n.subject.link, hash: n.subject.documentHash },
    occurredAt: n.occurredAt
  })
}

export const makeVneidChannel = (config: VneidConfig): NotificationChannel => ({
  channel: "vneid",
  deliver: Effect.fn("VneidChannel.deliver")(function*(n: Notification) {
    const transport = config.transport
    if (transport === undefined) return yield* notConfigured
    const message = vneidMessage(n)
    if (Result.isFailure(message)) return yield* message.failure
    const sent = yield* Effect.tryPromise({
      try: () => transport.send(message.success),
      catch: (e) =>
        new DeliveryFailed({
          channel: "vneid",
          notificationId: n.id,
          permanent: false,
          reason: "transport",
          message: `the NDXP integration failed: ${e instanceof Error ? e.message : String(e)}`
        })
    })
    return { channel: "vneid", notificationId: n.id, response: `NDXP ${sent.reference}` } satisfies Delivered
  })
})

export class VneidChannel extends Context.Service<VneidChannel, NotificationChannel>()("bienlai/adapters/notify/VneidChannel") {
  static readonly layer = (config: VneidConfig = {}) => Layer.succeed(VneidChannel, VneidChannel.of(makeVneidChannel(config)))
}
