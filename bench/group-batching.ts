/**
 * `bun bench/group-batching.ts`: should Effect's RequestResolver replace the
 * group issuer's hand-written queue (store/receipts/group-issuer/series-queue.ts)?
 * Measured before deciding, on the workload of `bench:numbering`'s issue
 * phase: `concurrency` callers issuing into one series, each waiting for its
 * answer before asking again, full path (validation, number, Ed25519
 * signature, receipt and audit rows), on PostgreSQL.
 *
 * Three front ends over the same group runner (group-issuer/group-batch.ts,
 * predicted numbers on), interleaved in rounds so background load hits all
 * alike (after an uncounted warm-up round; the order rotates), each round
 * on fresh series:
 *
 *   queue        the hand-written queue: one group in flight per series,
 *                requests arriving meanwhile leave together as the next;
 *   resolver     RequestResolver.makeGrouped by series key with its default
 *                window (one yield) and batchN(512): the idiomatic form;
 *                a batch leaves as soon as the window closes, so several
 *                groups of a series run at once and queue on its counter;
 *   resolver-1   the same resolver whose window also waits for the series'
 *                group in flight (setDelayEffect), to get the queue's
 *                accumulation out of RequestResolver.
 *
 * Flags: --concurrency 16 --duration 6 (seconds per front end, split over
 *        the rounds) --rounds 3 --schema bench_group_batching
 * Database: DATABASE_URL or TEST_DATABASE_URL. The last line is JSON.
 */
import { Effect, Exit, Request, RequestResolver, Result } from "effect"
import { loadavg } from "node:os"
import { parseArgs } from "node:util"
import type { IssuedReceipt } from "../domain/receipt.ts"
import type { IssueError, IssueRequest } from "../domain/ports/receipt-store.ts"
import { seriesKey, seriesOf } from "../domain/series-key.ts"
import { memorySigner } from "../adapters/keys/signer.ts"
import type { Db } from "../store/database/db.ts"
import { makeGroupIssuer } from "../store/receipts/group-issuer.ts"
import { runGroup } from "../store/receipts/group-issuer/group-batch.ts"
import type { Outcome, Pending } from "../store/receipts/group-issuer/pending.ts"
import { newPrediction, type Prediction } from "../store/receipts/group-issuer/prediction.ts"
import { prepareIssue, type Prepared } from "../store/receipts/issuance.ts"
import { isClean, auditNumbering } from "../store/receipts/numbering-audit.ts"
import { now, requestFrom, template } from "./issue-workload.ts"
import { freshBenchSchema } from "./support/bench-schema.ts"

const { values: flags } = parseArgs({
  options: {
    concurrency: { type: "string", default: "16" },
    duration: { type: "string", default: "6" },
    rounds: { type: "string", default: "3" },
    schema: { type: "string", default: "bench_group_batching" }
  }
})
const concurrency = Number(flags.concurrency)
const rounds = Number(flags.rounds)
const sliceMs = (Number(flags.duration) * 1000) / rounds
const { db } = await freshBenchSchema({ bench: "bench/group-batching.ts", schema: flags.schema, max: concurrency + 4, applicationName: "bienlai-bench-batching" })

const pair = (await crypto.subtle.generateKey({ name: "Ed25519" }, false, ["sign", "verify"])) as CryptoKeyPair
const sign = (memorySigner(new Map([["HCM", { keyId: "be0c4b0e4c4b0e4c", algorithm: "Ed25519", privateKey: pair.privateKey }]]))).sign
const year = new Date().getUTCFullYear() % 100

const batchOptions = { predictNumbers: true, connectionRetries: 5, timeoutMs: 15_000 }
/** Statements run, to tell group counts apart: a group is one statement when predicted, a transaction of several otherwise. */
let statements = 0
const countingDb: Db = { ...db, query: (text, params, options) => (statements++, db.query(text, params, options)), transaction: (body, options) => db.transaction((tx) => body({ ...tx, query: (text, params, o) => (statements++, tx.query(text, params, o)) }), options) }
type Submit = (request: IssueRequest) => Promise<Outcome>

// The hand-written queue, as the store ships it.
const queueIssuer = (): Submit => makeGroupIssuer(countingDb, sign).submit

class IssueOne extends Request.Class<{ readonly prepared: Prepared; readonly key: string }, IssuedReceipt, IssueError> {}

/** RequestResolver in front of the same group runner; `waitForGroup` makes each window also wait for the series' group in flight. */
const resolverIssuer = (waitForGroup: boolean): Submit => {
  const predictions = new Map<string, Prediction>()
  const predictionOf = (key: string) => predictions.get(key) ?? (predictions.set(key, newPrediction()), predictions.get(key) as Prediction)
  // One series in this workload, so one "group in flight" gate serves.
  let inFlight: Promise<void> = Promise.resolve()
  const grouped = RequestResolver.makeGrouped<IssueOne, string>({
    key: (entry) => entry.request.key,
    resolver: (entries, key) =>
      Effect.promise(() => {
        const group: Array<Pending> = entries.map((e) => ({
          ...e.request.prepared,
          resolve: (o: Outcome) => e.completeUnsafe(Result.isSuccess(o) ? Exit.succeed(o.success) : Exit.fail(o.failure))
        }))
        const run = runGroup(countingDb, sign, batchOptions, group, predictionOf(key))
        inFlight = run
        return run
      })
  })
  const windowed = waitForGroup
    ? RequestResolver.setDelayEffect(grouped, Effect.flatMap(Effect.promise(() => inFlight), () => Effect.yieldNow))
    : grouped
  const resolver = RequestResolver.batchN(windowed, 512)
  return (request) => {
    const prepared = prepareIssue(request)
    if (Result.isFailure(prepared)) return Promise.resolve(Result.fail(prepared.failure))
    const key = seriesKey(seriesOf(prepared.success.template))
    return Effect.runPromise(Effect.result(Effect.request(new IssueOne({ prepared: prepared.success, key }), resolver)))
  }
}

interface Tally {
  count: number
  failed: number
  statements: number
  seconds: number
  cpuUs: number
}
const variants = [
  { name: "queue", make: queueIssuer },
  { name: "resolver", make: () => resolverIssuer(false) },
  { name: "resolver-1", make: () => resolverIssuer(true) }
] as const
const tallies = new Map<string, Tally>(variants.map((v) => [v.name, { count: 0, failed: 0, statements: 0, seconds: 0, cpuUs: 0 }]))

const loadBefore = loadavg()[0] ?? 0
console.error(`bench/group-batching: concurrency ${concurrency}, ${rounds} rounds of ${(sliceMs / 1000).toFixed(1)} s per front end; load average ${loadBefore.toFixed(2)}`)
let symbolIndex = 0
// Round -1 warms every front end up (JIT, prepared statements) and is not counted; later rounds rotate the order.
for (let round = -1; round < rounds; round++) {
  for (let k = 0; k < variants.length; k++) {
    const v = variants[(k + Math.max(0, round)) % variants.length] as (typeof variants)[number]
    const counted = round >= 0
    const symbol = `${String.fromCharCode(65 + Math.floor(symbolIndex / 26))}${String.fromCharCode(65 + (symbolIndex % 26))}/${year}E`
    symbolIndex++
    const draft = template(symbol)
    const issue = v.make()
    const t = counted ? tallies.get(v.name) as Tally : { count: 0, failed: 0, statements: 0, seconds: 0, cpuUs: 0 }
    const statementsBefore = statements
    const start = performance.now()
    const cpu = process.cpuUsage()
    const ms = counted ? sliceMs : Math.min(sliceMs, 500)
    await Promise.all(Array.from({ length: concurrency }, async () => {
      while (performance.now() < start + ms) {
        const outcome = await issue(requestFrom(draft))
        if (Result.isSuccess(outcome)) t.count++
        else t.failed++
      }
    }))
    t.seconds += (performance.now() - start) / 1000
    t.statements += statements - statementsBefore
    const used = process.cpuUsage(cpu)
    t.cpuUs += used.user + used.system
  }
}
const audit = await auditNumbering(db, { agency: "HCM" })
await db.close()
const perSecond = Object.fromEntries([...tallies].map(([name, t]) => [name, Math.round(t.count / t.seconds)]))
const receiptsPerStatement = Object.fromEntries([...tallies].map(([name, t]) => [name, Math.round((t.count / Math.max(1, t.statements)) * 10) / 10]))
const cpuUsPerReceipt = Object.fromEntries([...tallies].map(([name, t]) => [name, Math.round(t.cpuUs / Math.max(1, t.count))]))
for (const [name, t] of tallies) {
  console.error(`${name.padEnd(11)} ${String(perSecond[name]).padStart(6)} receipts/s  ${String(cpuUsPerReceipt[name]).padStart(5)} µs CPU each  (${t.count} issued, ${t.failed} failed, ${receiptsPerStatement[name]} receipts a statement)`)
}
console.log(JSON.stringify({
  concurrency,
  perSecond,
  cpuUsPerReceipt,
  receiptsPerStatement,
  failed: Object.fromEntries([...tallies].map(([name, t]) => [name, t.failed])),
  numberingClean: audit.every(isClean),
  load: Math.round(((loadavg()[0] ?? 0) + loadBefore) * 50) / 100
}))
