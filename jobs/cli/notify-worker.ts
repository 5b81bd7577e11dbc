/**
 * `bienlai notify-worker [--once] [--idle MS]`: delivers the notification
 * outbox (webhooks, e-mail, VNeID when configured) with retries, backoff and
 * a dead-letter state; any number may run against one database, each leasing
 * rows (jobs/notify/dispatcher.ts). Stops cleanly on SIGINT or SIGTERM after
 * the batch in hand. Receipt links carry the receipt's stored QR token; for
 * a receipt stored without one it signs it with the agency's key, reading
 * the key store as the edge does (BIENLAI_KEYS_DIR, BIENLAI_KEY_PASSPHRASE),
 * only then.
 */
import { Clock, ManagedRuntime } from "effect"
import { Notifier } from "../../domain/notifications/channel.ts"
import { Entropy } from "../../domain/ports/entropy.ts"
import { Signer } from "../../domain/ports/signer.ts"
import { defaultKeysDir } from "../../adapters/keys/keystore.ts"
import { keyPassphrase } from "../../adapters/keys/passphrase.ts"
import { KeyStoreSigner } from "../../adapters/keys/signer.ts"
import { errorMessage } from "../../store/database/db.ts"
import { dbConfigFromEnv, describeDb } from "../../store/database/open-db.ts"
import type { Db } from "../../store/database/db.ts"
import { notifierLayer, type WebhookEndpoints } from "../notify/channels.ts"
import { dispatcherDeps } from "../notify/deps.ts"
import { type DispatchOutcome, drain, runDispatcher } from "../notify/dispatcher.ts"
import { type LinksFor, linksOver } from "../notify/links.ts"
import { describeSettings, type NotifySettings, notifySettingsFromEnv } from "../notify/settings.ts"
import { type CliRuntime, databaseOf } from "../program/cli-runtime.ts"

export const summary = "deliver the notification outbox (webhooks, e-mail, VNeID); several may run at once"

const usage = `usage: bienlai notify-worker [--once] [--idle MS]

Delivers the notifications that receipts, payouts and payment requests put in
the outbox (docs/NOTIFICATIONS.md): leases due rows, sends each through its
channel, retries with exponential backoff and jitter, dead-letters after
NOTIFY_MAX_ATTEMPTS with the last error. --once sends what is due now and
exits; otherwise it polls every --idle milliseconds (default NOTIFY_IDLE_MS
or 1000). Environment: DATABASE_URL (else PGlite in BIENLAI_DATA),
PUBLIC_URL, BIENLAI_KEYS_DIR and BIENLAI_KEY_PASSPHRASE (receipt links),
NOTIFY_SMTP_HOST/PORT/USER/PASSWORD/FROM/SECURE/REQUIRE_TLS,
NOTIFY_MESSAGE_ID_DOMAIN, NOTIFY_WEBHOOK_ALLOW_HTTP, NOTIFY_MAX_ATTEMPTS,
NOTIFY_BASE_DELAY_MS, NOTIFY_MAX_DELAY_MS, NOTIFY_LEASE_MS, NOTIFY_BATCH, NOTIFY_LANES.`

const numberArg = (args: ReadonlyArray<string>, name: string): number | undefined => {
  const i = args.indexOf(name)
  const v = i >= 0 ? Number(args[i + 1]) : NaN
  return Number.isFinite(v) && v > 0 ? v : undefined
}

/** Receipt links signed with the key store, opened on first use (a worker that sends only payouts never opens it). */
const keyStoreLinks = (settings: NotifySettings, db: Db): { linksFor: LinksFor; close: () => Promise<void> } => {
  const env = process.env
  const passphrase = keyPassphrase(env, (line) => console.error(line))
  const signerRuntime = typeof passphrase === "string"
    ? ManagedRuntime.make(KeyStoreSigner.layer({ dir: defaultKeysDir(env), passphrase }))
    : undefined
  const signerOf = async () => {
    if (signerRuntime === undefined) throw new Error(typeof passphrase === "string" ? "no key store" : passphrase.message)
    return signerRuntime.runPromise(Signer)
  }
  return { linksFor: linksOver(settings.publicUrl, db, signerOf), close: () => signerRuntime?.dispose() ?? Promise.resolve() }
}

export const run = async (args: ReadonlyArray<string>, runtime: CliRuntime): Promise<number> => {
  if (args.includes("--help") || args.includes("-h")) {
    console.log(usage)
    return 0
  }
  let settings: NotifySettings
  try {
    settings = notifySettingsFromEnv(process.env)
  } catch (e) {
    console.error(`bienlai notify-worker: ${errorMessage(e)}`)
    return 1
  }
  const config = dbConfigFromEnv()
  let db
  try {
    db = await databaseOf(runtime)
  } catch (e) {
    console.error(`bienlai notify-worker: cannot open ${describeDb(config)}: ${errorMessage(e)}`)
    return 1
  }
  const entropy = await runtime.runPromise(Entropy)
  const endpoints: WebhookEndpoints = new Map()
  const channels = ManagedRuntime.make(notifierLayer(settings, endpoints))
  const links = keyStoreLinks(settings, db)
  try {
    const notifier = await channels.runPromise(Notifier)
    const deps = dispatcherDeps({
      db,
      notifier,
      endpoints,
      linksFor: links.linksFor,
      settings,
      now: () => new Date(runtime.runSync(Clock.currentTimeMillis)),
      randomBytes: (n) => runtime.runSync(entropy.bytes(n)),
      role: "notify-worker"
    })
    const log = (outcomes: ReadonlyArray<DispatchOutcome>) =>
      console.log(JSON.stringify({ at: deps.now().toISOString(), worker: deps.owner, sent: outcomes.length, outcomes }))
    if (args.includes("--once")) {
      await drain(deps, log)
      return 0
    }
    const stop = new AbortController()
    const onSignal = () => stop.abort()
    process.once("SIGINT", onSignal)
    process.once("SIGTERM", onSignal)
    console.error(`bienlai notify-worker ${deps.owner}: ${describeSettings(settings)}, on ${describeDb(config)}`)
    await runDispatcher(deps, {
      signal: stop.signal,
      idleMs: numberArg(args, "--idle") ?? settings.idleMs,
      onBatch: log,
      onError: (e) => console.error(`bienlai notify-worker: ${errorMessage(e)}`)
    })
    return 0
  } finally {
    await channels.dispose()
    await links.close()
  }
}
