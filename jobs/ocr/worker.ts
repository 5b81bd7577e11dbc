/**
 * The OCR worker: claims scans queued by the officer API, reads them
 * (decode → preprocess → tesseract.js pool → extraction) and fills the drafts
 * they were uploaded to through the lifecycle and the ReceiptStore port. The
 * extraction stays with the upload (ocr_result), so the console can show each
 * field's confidence and the warnings beside the draft. Any number of these
 * may run against one database (see queue.ts).
 */
import { Effect } from "effect"
import { fillDraft, type SkippedField } from "../../domain/extraction/fill-draft.ts"
import type { FieldName } from "../../domain/extraction/extraction.ts"
import type { ReceiptStore } from "../../domain/ports/receipt-store.ts"
import { errorMessage } from "../../store/db.ts"
import type { Db } from "../../store/db.ts"
import type { OcrPool } from "./pool.ts"
import {
  claimScans,
  type ClaimedScan,
  defaultQueueOptions,
  failScan,
  finishScan,
  type QueueOptions,
  renewLease
} from "./queue.ts"
import { type DocumentResult, readBytes } from "./read-document.ts"

export interface OcrWorkerDeps {
  readonly db: Db
  readonly store: Pick<ReceiptStore["Service"], "get" | "saveDraft">
  readonly pool: OcrPool
  /** This worker's name in the queue (host and process id, say); unique among running workers. */
  readonly worker: string
  readonly now?: () => Date
  readonly queue?: QueueOptions
}

/** What the draft got from the scan, kept with the extraction. */
export interface DraftFill {
  readonly applied: ReadonlyArray<FieldName>
  readonly skipped: ReadonlyArray<SkippedField>
  /** Found on the scan but left alone: the draft already held a value (an officer typed it). */
  readonly kept?: ReadonlyArray<FieldName>
  /** Why nothing went into the draft, when nothing could. */
  readonly notFilled?: string
}

export type ScanOutcome = "done" | "failed" | "queued" | "lost"

const extractionJson = (r: DocumentResult) => ({
  documentType: r.documentType,
  fields: r.fields,
  confidence: r.confidence,
  warnings: r.warnings,
  pages: r.pages,
  ms: r.ms
})

// Another worker took the scan over: this one stops without recording anything.
class LeaseLost extends Error {}

const fill = async (deps: OcrWorkerDeps, scan: ClaimedScan, read: DocumentResult, now: Date): Promise<DraftFill> => {
  const found = await Effect.runPromise(Effect.result(deps.store.get(scan.agency, scan.receiptId)))
  if (found._tag === "Failure") {
    if (found.failure._tag === "StoreUnavailable") throw found.failure
    return { applied: [], skipped: [], notFilled: found.failure.message }
  }
  const draft = found.success
  if (draft.status !== "draft") {
    return { applied: [], skipped: [], notFilled: `receipt ${draft.id} is ${draft.status}; only a draft is filled from a scan` }
  }
  const filled = fillDraft(draft, read, { now: now.toISOString() })
  if (filled.applied.length === 0) {
    const why = filled.kept.length > 0 ? "every field found on the scan was already filled in the draft" : "no field of the draft was found on the scan"
    return { applied: [], skipped: filled.skipped, kept: filled.kept, notFilled: why }
  }
  // Save only while the scan is still ours: a worker that lost its lease must not write over the one that took over.
  if (!(await renewLease(deps.db, scan, deps.worker, now, deps.queue ?? defaultQueueOptions))) {
    throw new LeaseLost(`the lease on upload ${scan.id} was taken over`)
  }
  const saved = await Effect.runPromise(Effect.result(deps.store.saveDraft(filled.draft, { now: now.toISOString() })))
  if (saved._tag === "Failure") {
    if (saved.failure._tag === "StoreUnavailable") throw saved.failure
    return { applied: [], skipped: filled.skipped, kept: filled.kept, notFilled: saved.failure.message }
  }
  return { applied: filled.applied, skipped: filled.skipped, kept: filled.kept }
}

/** Reads one claimed scan and fills its draft; records the outcome in the queue. */
export const processScan = async (deps: OcrWorkerDeps, scan: ClaimedScan): Promise<ScanOutcome> => {
  const clock = deps.now ?? (() => new Date())
  const options = deps.queue ?? defaultQueueOptions
  // Keeps the lease alive while a long document is read.
  const heartbeat = setInterval(() => {
    renewLease(deps.db, scan, deps.worker, clock(), options).catch(() => {})
  }, Math.max(1000, options.leaseMs / 3))
  try {
    const read = await readBytes(deps.pool, `upload ${scan.id}`, scan.content, { currentYear: clock().getUTCFullYear() })
    if (read.error !== undefined) {
      return await failScan(deps.db, scan, deps.worker, {
        reason: `the scan could not be read: ${read.error}`,
        permanent: true,
        result: extractionJson(read)
      }, clock(), options)
    }
    const draft = await fill(deps, scan, read, clock())
    return (await finishScan(deps.db, scan, deps.worker, { ...extractionJson(read), draft }, clock())) ? "done" : "lost"
  } catch (e) {
    if (e instanceof LeaseLost) return "lost"
    const reason = `attempt ${scan.attempt} failed: ${errorMessage(e)}`
    return await failScan(deps.db, scan, deps.worker, { reason, permanent: false }, clock(), options).catch(() => "lost" as const)
  } finally {
    clearInterval(heartbeat)
  }
}

/** Claims one batch (as many scans as the pool has workers) and reads it; returns the outcomes. */
export const runOnce = async (deps: OcrWorkerDeps, limit = deps.pool.size): Promise<ReadonlyArray<ScanOutcome>> => {
  const clock = deps.now ?? (() => new Date())
  const scans = await claimScans(deps.db, deps.worker, limit, clock(), deps.queue ?? defaultQueueOptions)
  return Promise.all(scans.map((s) => processScan(deps, s)))
}

/**
 * Works the queue until `signal` aborts: a batch at a time, resting `idleMs`
 * when the queue is empty or the database is unreachable.
 */
export const runWorker = async (
  deps: OcrWorkerDeps,
  options: { readonly signal: AbortSignal; readonly idleMs?: number; readonly onBatch?: (outcomes: ReadonlyArray<ScanOutcome>) => void; readonly onError?: (e: unknown) => void }
): Promise<void> => {
  const idleMs = options.idleMs ?? 2000
  const rest = () =>
    new Promise<void>((resolve) => {
      const t = setTimeout(resolve, idleMs)
      options.signal.addEventListener("abort", () => {
        clearTimeout(t)
        resolve()
      }, { once: true })
    })
  while (!options.signal.aborted) {
    try {
      const outcomes = await runOnce(deps)
      if (outcomes.length > 0) options.onBatch?.(outcomes)
      else await rest()
    } catch (e) {
      options.onError?.(e)
      await rest()
    }
  }
}
