/**
 * `bienlai ocr-worker [--once] [--idle MS]`: reads the scans officers upload
 * to drafts and fills those drafts. Any number may run against one database;
 * each claims scans with a lease (see jobs/ocr-worker/queue.ts). Stops cleanly on
 * SIGINT or SIGTERM after the batch in hand.
 */
import { hostname } from "node:os"
import { Clock, Effect } from "effect"
import { SigningError } from "../../domain/ports/signer.ts"
import { errorMessage } from "../../store/database/db.ts"
import { dbConfigFromEnv, describeDb } from "../../store/database/open-db.ts"
import { makeReceiptStore } from "../../store/receipts/receipt-repository.ts"
import { OcrEngine } from "../../adapters/ocr/engine.ts"
import { defaultPoolSize } from "../../adapters/ocr/pool.ts"
import { type CliRuntime, databaseOf } from "../program/cli-runtime.ts"
import { defaultQueueOptions } from "../ocr-worker/queue.ts"
import { type OcrWorkerDeps, runOnce, runWorker } from "../ocr-worker/worker.ts"

export const summary = "read uploaded scans (the OCR queue) into their drafts; several may run at once"

const usage = `usage: bienlai ocr-worker [--once] [--idle MS]

Claims scans queued by the officer API (POST /api/officer/drafts/:id/scans),
reads them with OCR and fills their drafts; the extraction (fields,
confidences, warnings) is kept with the upload. --once reads what is queued
now and exits; otherwise it polls every --idle milliseconds (default 2000).
Environment: DATABASE_URL (else PGlite in BIENLAI_DATA), OCR_WORKERS (pool
size), OCR_LEASE_MS (default ${defaultQueueOptions.leaseMs}), OCR_MAX_ATTEMPTS (default ${defaultQueueOptions.maxAttempts}).`

// The worker only fills drafts; issuing, the one thing that signs, is never its business.
const neverSigns = (agency: string) =>
  Effect.fail(new SigningError({ agency, reason: "no_key", message: "the OCR worker does not sign receipts" }))

const numberArg = (args: ReadonlyArray<string>, name: string): number | undefined => {
  const i = args.indexOf(name)
  const v = i >= 0 ? Number(args[i + 1]) : NaN
  return Number.isFinite(v) && v > 0 ? v : undefined
}

export const run = async (args: ReadonlyArray<string>, runtime: CliRuntime): Promise<number> => {
  if (args.includes("--help") || args.includes("-h")) {
    console.log(usage)
    return 0
  }
  const config = dbConfigFromEnv()
  let db
  try {
    db = await databaseOf(runtime)
  } catch (e) {
    console.error(`bienlai ocr-worker: cannot open ${describeDb(config)}: ${errorMessage(e)}`)
    return 1
  }
  let pool
  try {
    const size = Number(process.env["OCR_WORKERS"] ?? "") || undefined
    pool = await (await runtime.runPromise(OcrEngine)).openPool(size ?? defaultPoolSize())
  } catch (e) {
    console.error(`bienlai ocr-worker: ${errorMessage(e)}`)
    return 1
  }
  const deps: OcrWorkerDeps = {
    db,
    store: makeReceiptStore(db, neverSigns),
    pool,
    worker: `${hostname()}:${process.pid}`,
    now: () => new Date(runtime.runSync(Clock.currentTimeMillis)),
    queue: {
      leaseMs: Number(process.env["OCR_LEASE_MS"] ?? "") || defaultQueueOptions.leaseMs,
      maxAttempts: Number(process.env["OCR_MAX_ATTEMPTS"] ?? "") || defaultQueueOptions.maxAttempts
    }
  }
  const log = (outcomes: ReadonlyArray<string>) =>
    console.log(JSON.stringify({ at: new Date().toISOString(), worker: deps.worker, scans: outcomes.length, outcomes }))
  try {
    if (args.includes("--once")) {
      for (;;) {
        const outcomes = await runOnce(deps)
        if (outcomes.length === 0) break
        log(outcomes)
      }
      return 0
    }
    const stop = new AbortController()
    const onSignal = () => stop.abort()
    process.once("SIGINT", onSignal)
    process.once("SIGTERM", onSignal)
    console.error(`bienlai ocr-worker ${deps.worker}: ${pool.size} OCR workers on ${describeDb(config)}`)
    await runWorker(deps, {
      signal: stop.signal,
      idleMs: numberArg(args, "--idle") ?? 2000,
      onBatch: log,
      onError: (e) => console.error(`bienlai ocr-worker: ${errorMessage(e)}`)
    })
    return 0
  } finally {
    await pool.close()
  }
}
