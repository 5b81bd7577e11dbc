/**
 * The port every notification channel implements (webhook, e-mail, VNeID:
 * adapters/notify/), and the Notifier that sends a notification through
 * the channel it names. A delivery ends in one of three ways:
 *
 * - `Delivered`: the receiver accepted it;
 * - `DeliveryFailed` with `permanent: false`: try again later (a timeout, a
 *   5xx, a 429, a greylisting mail server…), possibly not before
 *   `retryAfterMs`;
 * - `DeliveryFailed` with `permanent: true`, or `ChannelNotConfigured`:
 *   trying again will not help until a person changes something; the
 *   notification is dead-lettered with this error (delivery-policy.ts).
 */
import { Context, Effect, Schema } from "effect"
import { Channel, type Notification } from "./notification.ts"

export const FailureReason = Schema.Literals([
  "http_status",
  "timeout",
  "network",
  "rejected_recipient",
  "invalid_recipient",
  "smtp_status",
  "unknown_recipient",
  "transport"
])
export type FailureReason = typeof FailureReason.Type

export class DeliveryFailed extends Schema.TaggedError<DeliveryFailed>()("DeliveryFailed", {
  channel: Channel,
  notificationId: Schema.String,
  permanent: Schema.Boolean,
  reason: FailureReason,
  /** The receiver's status code (HTTP or SMTP), when it answered. */
  status: Schema.optionalKey(Schema.Number),
  /** The receiver asked not to be tried again before this many milliseconds (Retry-After). */
  retryAfterMs: Schema.optionalKey(Schema.Number),
  message: Schema.String
}) {}

export class ChannelNotConfigured extends Schema.TaggedError<ChannelNotConfigured>()("ChannelNotConfigured", {
  channel: Channel,
  /** What must be obtained or set before the channel can send. */
  needs: Schema.Array(Schema.String),
  message: Schema.String
}) {}

export type DeliveryError = DeliveryFailed | ChannelNotConfigured

export interface Delivered {
  readonly channel: Channel
  readonly notificationId: string
  /** What the receiver answered: "HTTP 204", "250 2.0.0 OK queued as …". */
  readonly response: string
}

/** The port: one channel's way of delivering a notification. */
export interface NotificationChannel {
  readonly channel: Channel
  readonly deliver: (n: Notification) => Effect.Effect<Delivered, DeliveryError>
}

/** Sends a notification through the channel it names. */
export class Notifier extends Context.Service<Notifier, {
  readonly deliver: (n: Notification) => Effect.Effect<Delivered, DeliveryError>
}>()("bienlai/domain/notifications/Notifier") {}

/** A Notifier over the given channels; a notification for a channel not among them is refused as not configured. */
export const notifierOf = (channels: ReadonlyArray<NotificationChannel>): Notifier["Service"] => {
  const byName = new Map(channels.map((c) => [c.channel, c]))
  return Notifier.of({
    deliver: (n) => {
      const channel = byName.get(n.channel)
      return channel === undefined
        ? Effect.fail(new ChannelNotConfigured({ channel: n.channel, needs: [`a ${n.channel} channel`], message: `no ${n.channel} channel is configured` }))
        : channel.deliver(n)
    }
  })
}
