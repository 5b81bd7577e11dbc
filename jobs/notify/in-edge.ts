/**
 * The notification dispatcher as a background job of the edge's process
 * (`npm start`), as the OCR worker is (jobs/ocr-worker/in-edge.ts): started
 * when the runtime is built, stopped (after the batch in hand) when it is
 * disposed, before the database closes. It makes receipt links with the
 * edge's own Signer. BIENLAI_NOTIFY_WORKER=0 runs none (then `bienlai
 * notify-worker` elsewhere delivers).
 */
import { Effect, Layer } from "effect"
import { Notifier } from "../../domain/notifications/channel.ts"
import { type AppConfig, type BackgroundJob, Edge } from "../../edge/main.ts"
import { notifierLayer, type WebhookEndpoints } from "./channels.ts"
import { dispatcherDeps } from "./deps.ts"
import { startDispatcher } from "./dispatcher.ts"
import { linksOver } from "./links.ts"
import { describeSettings, notifySettingsFromEnv } from "./settings.ts"

export const notifyWorkerInEdge = (config: AppConfig): BackgroundJob | undefined => {
  if (config.env["BIENLAI_NOTIFY_WORKER"] === "0") return undefined
  const settings = notifySettingsFromEnv({ ...config.env, PUBLIC_URL: config.edge.publicUrl })
  const endpoints: WebhookEndpoints = new Map()
  const layer = Layer.effectDiscard(Effect.gen(function*() {
    const s = yield* Edge
    const notifier = yield* Notifier
    const deps = dispatcherDeps({
      db: s.db,
      notifier,
      endpoints,
      linksFor: linksOver(settings.publicUrl, s.db, async () => s.signer),
      settings,
      now: s.now,
      randomBytes: s.randomBytes,
      role: "edge"
    })
    yield* Effect.acquireRelease(
      Effect.sync(() =>
        startDispatcher(deps, {
          idleMs: settings.idleMs,
          onBatch: (outcomes) => {
            for (const o of outcomes) if (o.state !== "delivered") s.logger.warn(o, "notification not delivered")
          },
          onError: (e) => s.logger.warn({ err: e instanceof Error ? e.message : String(e) }, "notification dispatcher")
        })),
      (d) => Effect.promise(() => d.stop())
    )
  })).pipe(Layer.provide(notifierLayer(settings, endpoints)))
  return { layer, banner: `in this process (${describeSettings(settings)})` }
}
