/**
 * The Notifier the dispatcher sends through: the webhook channel (its
 * endpoints and secrets come with each leased row, set into `endpoints`
 * before the row is sent), e-mail when SMTP is configured, and VNeID, which
 * refuses until an NDXP integration exists (adapters/notify/vneid-channel.ts).
 * A channel that is off is refused as not configured, so its notifications
 * are dead-lettered with that reason rather than retried for a day.
 */
import { Effect, Layer } from "effect"
import { Notifier, notifierOf } from "../../domain/notifications/channel.ts"
import { EmailChannel } from "../../adapters/notify/email-channel.ts"
import { NotifierLayer } from "../../adapters/notify/notifier.ts"
import { VneidChannel } from "../../adapters/notify/vneid-channel.ts"
import { WebhookChannel, type WebhookEndpoint } from "../../adapters/notify/webhook-channel.ts"
import type { NotifySettings } from "./settings.ts"

export type WebhookEndpoints = Map<string, WebhookEndpoint>

export const notifierLayer = (settings: NotifySettings, endpoints: WebhookEndpoints): Layer.Layer<Notifier> => {
  const webhook = WebhookChannel.layer({ endpoint: (id) => endpoints.get(id), allowHttp: settings.allowHttp })
  const vneid = VneidChannel.layer()
  if (settings.email !== undefined) return NotifierLayer.pipe(Layer.provide(Layer.mergeAll(webhook, vneid, EmailChannel.layer(settings.email))))
  const withoutEmail = Layer.effect(Notifier, Effect.gen(function*() {
    return notifierOf([yield* WebhookChannel, yield* VneidChannel])
  }))
  return withoutEmail.pipe(Layer.provide(Layer.mergeAll(webhook, vneid)))
}
