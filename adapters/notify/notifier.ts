/**
 * The Notifier (domain/notifications/channel.ts) over the three channels:
 * provide WebhookChannel, EmailChannel and VneidChannel layers and get one
 * service that sends each notification through the channel it names.
 */
import { Effect, Layer } from "effect"
import { Notifier, notifierOf } from "../../domain/notifications/channel.ts"
import { EmailChannel } from "./email-channel.ts"
import { VneidChannel } from "./vneid-channel.ts"
import { WebhookChannel } from "./webhook-channel.ts"

export const NotifierLayer = Layer.effect(
  Notifier,
  Effect.gen(function*() {
    return notifierOf([yield* WebhookChannel, yield* EmailChannel, yield* VneidChannel])
  })
)
