/**
 * `bun bench/notify-outbox.ts`: what the notification outbox costs and how
 * fast it drains, on PostgreSQL, each measured beside its baseline in the
 * same run.
 *
 *   issuance   `concurrency` approvers issuing through the store's group
 *              issuer (full path: validation, number, ECDSA signature, rows,
 *              audit), with no recipient (the triggers stop at one probe:
 *              the baseline) and with an agency-wide webhook recipient (one
 *              event and one notification per receipt, written in the
 *              issuing transaction); interleaved rounds on fresh series.
 *              Goal: the outbox costs at most 15 % of issuance throughput.
 *   dispatch   the notifications just written, delivered by the dispatcher
 *              (lease, link with a signed /v/ token, Standard Webhooks
 *              signature, POST, record) to a local receiver answering 204,
 *              beside the floor: the same number of signed POSTs sent
 *              straight, as many at a time as the dispatcher's batch (no
 *              database, no token: what the wire alone allows).
 *              Goal: one dispatcher keeps up with issuance, i.e. delivers
 *              at least as many per second as the same run issues with the
 *              outbox on.
 *
 * Flags: --concurrency 16 --receipts 1500 --rounds 3 --batch 50 --lanes 4 --schema bench_notify_outbox
 * Database: DATABASE_URL or TEST_DATABASE_URL. The last line is JSON.
 */
import { Effect, ManagedRuntime, Result } from "effect"
import { cpus, loadavg } from "node:os"
import { parseArgs } from "node:util"
import { Notifier } from "../domain/notifications/channel.ts"
import { memorySigner } from "../adapters/keys/signer.ts"
import { secretFromBytes, webhookHeaders } from "../adapters/notify/webhook-signature.ts"
import { makeReceiptStore } from "../store/receipts/receipt-repository.ts"
import { notifierLayer, type WebhookEndpoints } from "../jobs/notify/channels.ts"
import { dispatcherDeps } from "../jobs/notify/deps.ts"
import { drain } from "../jobs/notify/dispatcher.ts"
import { linksOver } from "../jobs/notify/links.ts"
import { notifySettingsFromEnv } from "../jobs/notify/settings.ts"
import { random, requestFrom, template } from "./issue-workload.ts"
import { dropBenchSchema, freshBenchSchema } from "./support/bench-schema.ts"

const { values: flags } = parseArgs({
  options: {
    concurrency: { type: "string", default: "16" },
    receipts: { type: "string", default: "1500" },
    rounds: { type: "string", default: "3" },
    batch: { type: "string", default: "50" },
    lanes: { type: "string", default: "4" },
    schema: { type: "string", default: "bench_notify_outbox" }
  }
})
const concurrency = Number(flags.concurrency)
const perRound = Math.ceil(Number(flags.receipts) / Number(flags.rounds))
const rounds = Number(flags.rounds)
const batch = Number(flags.batch)
const schema = flags.schema
const { url, db } = await freshBenchSchema({ bench: "bench/notify-outbox.ts", schema, max: concurrency + 4, applicationName: "bienlai-bench-notify" })

const pair = (await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, false, ["sign", "verify"])) as CryptoKeyPair
const signer = memorySigner(new Map([["HCM", { keyId: "be0c4b0e4c4b0e4c", algorithm: "ECDSA-P256", privateKey: pair.privateKey }]]))
const store = makeReceiptStore(db, signer.sign)
const year = new Date().getUTCFullYear() % 100

// The receiver: answers 204 at once, so the figures are bienlai's side.
let received = 0
const server = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: async (r) => (await r.arrayBuffer(), received++, new Response(null, { status: 204 })) })
const hookUrl = `http://127.0.0.1:${server.port}/hook`
const secret = secretFromBytes(random(32))
await db.query(
  `INSERT INTO notify_recipients (agency, id, channel, target, events, secrets, active, created_by, created_at)
   VALUES ('HCM', gen_random_uuid(), 'webhook', $1::text, ARRAY['receipt.issued'], ARRAY[$2::text], false, 'bench', now())`,
  [hookUrl, secret]
)

let symbolNo = 0
const issueRound = async (): Promise<number> => {
  const symbol = `${["A", "B", "C", "D", "E", "G", "H", "K"][Math.floor(symbolNo / 26) % 8]}${String.fromCharCode(65 + (symbolNo++ % 26))}/${year}E`
  const draft = template(symbol)
  let left = perRound
  const started = performance.now()
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (left > 0) {
      left--
      await Effect.runPromise(store.issue(requestFrom(draft)))
    }
  }))
  return perRound / ((performance.now() - started) / 1000)
}

const setRecipients = (active: boolean) => db.query("UPDATE notify_recipients SET active = $1::boolean", [active])
const median = (xs: ReadonlyArray<number>) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number

// Warm-up (uncounted), then rounds alternating which goes first.
await setRecipients(false)
await issueRound()
const without: Array<number> = []
const withOutbox: Array<number> = []
for (let r = 0; r < rounds; r++) {
  const order = r % 2 === 0 ? [false, true] : [true, false]
  for (const on of order) {
    await setRecipients(on)
    ;(on ? withOutbox : without).push(await issueRound())
  }
}
await setRecipients(true)
const [pending] = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM notifications WHERE state = 'pending'")
const toSend = pending!.n

// The floor: the same number of signed POSTs, `batch` at a time.
const body = JSON.stringify({ type: "receipt.issued", timestamp: new Date().toISOString(), data: { text: "Biên lai điện tử AA/25E số 0000042 đã được phát hành." } })
const floorStarted = performance.now()
for (let sent = 0; sent < toSend; sent += batch) {
  await Promise.all(Array.from({ length: Math.min(batch, toSend - sent) }, async (_, i) => {
    const id = `msg_${sent + i}`
    const headers = webhookHeaders([secret], { id, timestamp: Math.floor(Date.now() / 1000), body })
    if (Result.isFailure(headers)) throw headers.failure
    const res = await fetch(hookUrl, { method: "POST", body, headers: { ...headers.success, "content-type": "application/json" } })
    await res.arrayBuffer()
  }))
}
const floorRate = toSend / ((performance.now() - floorStarted) / 1000)

// The dispatcher draining the outbox.
const endpoints: WebhookEndpoints = new Map()
const settings = notifySettingsFromEnv({ NOTIFY_BATCH: String(batch), NOTIFY_LANES: flags.lanes })
const channels = ManagedRuntime.make(notifierLayer(settings, endpoints))
const deps = dispatcherDeps({
  db,
  notifier: await channels.runPromise(Notifier),
  endpoints,
  linksFor: linksOver("https://tracuu.thads.example.vn", db, async () => signer),
  settings,
  now: () => new Date(),
  randomBytes: random,
  role: "bench"
})
const before = received
const dispatchStarted = performance.now()
let delivered = 0
await drain(deps, (outcomes) => {
  delivered += outcomes.filter((o) => o.state === "delivered").length
})
const dispatchRate = toSend / ((performance.now() - dispatchStarted) / 1000)
await channels.dispose()
server.stop(true)

const withoutRate = median(without)
const withRate = median(withOutbox)
const result = {
  bench: "notify-outbox",
  loadAverage: loadavg()[0],
  concurrency,
  receiptsPerRound: perRound,
  rounds,
  issuance: { withoutRecipientsPerSec: Math.round(withoutRate), withOutboxPerSec: Math.round(withRate), ratio: Number((withRate / withoutRate).toFixed(3)), goal: "≥ 0.85" },
  dispatch: { notifications: toSend, delivered, receivedAtWire: received - before, dispatcherPerSec: Math.round(dispatchRate), floorPerSec: Math.round(floorRate), ratio: Number((dispatchRate / floorRate).toFixed(3)), batch, lanes: settings.lanes, keepsUpWithIssuance: dispatchRate >= withRate, goal: "dispatcherPerSec ≥ issuance.withOutboxPerSec" }
}
console.log(`load average ${loadavg().map((l) => l.toFixed(1)).join(" ")} on ${cpus().length} cores`)
console.log(`issuance  without recipients ${result.issuance.withoutRecipientsPerSec}/s, with the outbox ${result.issuance.withOutboxPerSec}/s (ratio ${result.issuance.ratio})`)
console.log(`dispatch  ${toSend} webhooks: dispatcher ${result.dispatch.dispatcherPerSec}/s, signed POSTs alone ${result.dispatch.floorPerSec}/s (ratio ${result.dispatch.ratio})`)
await db.close()
await dropBenchSchema(url, schema)
console.log(JSON.stringify(result))
