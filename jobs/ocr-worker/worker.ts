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
import { errorMessage } from "../../store/database/db.ts"
import type { Db } from "../../store/database/db.ts"
import { recordEdgeAudit } from "../../store/audit/edge-audit.ts"
import { anyScanWaiting } from "../../store/scans/scan-reads.ts"
import type { OcrPool } from "../../adapters/ocr/pool.ts"
import {
  claimScans,
  type ClaimedScan,
  defaultQueueOptions,
  failScan,
  finishScan,
  type QueueOptions,
  renewLease
} from "./queue.ts"
import { type DocumentResult, readBytes } from "../../adapters/ocr/read-document.ts"

export interface OcrWorkerDeps {
  readonly db: Db
  readonly store: Pick<ReceiptStore["Service"], "get" | "saveDraft">
  readonly pool: OcrPool
  /** This worker's name in the queue (host and process id, say); unique among running workers. */
  readonly worker: string
  readonly now?: () => Date
  readonly queue?: QueueOptions
  /** How a scan is read; the pool's engines by default (tests put a known reading here). */
  readonly read?: (content: Uint8Array, label: string, options: { readonly currentYear: number }) => Promise<DocumentResult>
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
  // As the uploader (only the draft's maker may upload: the API and the database refuse anyone else).
  const filled = fillDraft(draft, read, { by: scan.uploadedBy, now: now.toISOString() })
  if (filled.applied.length === 0) {
    const why = filled.kept.length > 0 ? "every field found on the scan was already filled in the draft" : "no field of the draft was found on the scan"
    return { applied: [], skipped: filled.skipped, kept: filled.kept, notFilled: why }
  }
  // Save only while the scan is still ours: a worker that lost its lease must not write over the one that took over.
  if (!(await renewLease(deps.db, scan, deps.worker, now, deps.queue ?? defaultQueueOptions))) {
    throw new LeaseLost(`the lease on upload ${scan.id} was taken over`)
  }
  // The audit log says who caused the change: OCR, on behalf of the scan's uploader, from this scan.
  const auditDetail = { via: "ocr", onBehalfOf: scan.uploadedBy, upload: scan.id }
  const saved = await Effect.runPromise(Effect.result(deps.store.saveDraft(filled.draft, { now: now.toISOString(), auditDetail })))
  if (saved._tag === "Failure") {
    if (saved.failure._tag === "StoreUnavailable") throw saved.failure
    return { applied: [], skipped: filled.skipped, kept: filled.kept, notFilled: saved.failure.message }
  }
  return { applied: filled.applied, skipped: filled.skipped, kept: filled.kept }
}

// What OCR read, from which scan, for whom: the console's audit trail shows it beside the store's entry.
const auditReading = (deps: OcrWorkerDeps, scan: ClaimedScan, read: DocumentResult, draft: DraftFill, now: Date) =>
  recordEdgeAudit(deps.db, {
    agency: scan.agency,
    actor: scan.uploadedBy,
    action: "ocr_extracted",
    target: scan.receiptId,
    at: now.toISOString(),
    detail: {
      upload: scan.id,
      worker: deps.worker,
      documentType: read.documentType,
      applied: draft.applied,
      kept: draft.kept ?? [],
      skipped: draft.skipped.map((x) => x.field),
      warnings: read.warnings.length,
      ms: read.ms
    }
  })

/** Reads one claimed scan and fills its draft; records the outcome in the queue. */
export const processScan = async (deps: OcrWorkerDeps, scan: ClaimedScan): Promise<ScanOutcome> => {
  const clock = deps.now ?? (() => new Date())
  const options = deps.queue ?? defaultQueueOptions
  // Keeps the lease alive while a long document is read.
  const heartbeat = setInterval(() => {
    renewLease(deps.db, scan, deps.worker, clock(), options).catch(() => {})
  }, Math.max(1000, options.leaseMs / 3))
  try {
    const label = `upload ${scan.id}`
    const options_ = { currentYear: clock().getUTCFullYear() }
    const read = await (deps.read === undefined ? readBytes(deps.pool, label, scan.content, options_) : deps.read(scan.content, label, options_))
    if (read.error !== undefined) {
      return await failScan(deps.db, scan, deps.worker, {
        reason: `the scan could not be read: ${read.error}`,
        permanent: true,
        result: extractionJson(read)
      }, clock(), options)
    }
    const draft = await fill(deps, scan, read, clock())
    if (!(await finishScan(deps.db, scan, deps.worker, { ...extractionJson(read), draft }, clock()))) return "lost"
    await auditReading(deps, scan, read, draft, clock()).catch(() => {})
    return "done"
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

export interface InProcessWorker {
  readonly size: number
  /** Stops claiming, lets the batch in hand finish, and closes the engines. */
  readonly stop: () => Promise<void>
}

/**
 * A worker inside another process (the edge's `npm start`). The engines load
 * only once a scan waits, so a server nobody uploads to costs nothing and
 * starts and stops at once. An engine that cannot load is reported and
 * tried again later; the scans stay queued meanwhile (or for a worker
 * elsewhere).
 */
export const startInProcessWorker = (
  deps: Omit<OcrWorkerDeps, "pool"> & { readonly size: number; readonly createPool: (size: number) => Promise<OcrPool>; readonly onError: (e: unknown) => void; readonly idleMs?: number }
): InProcessWorker => {
  const abort = new AbortController()
  const idleMs = deps.idleMs ?? 1000
  const clock = deps.now ?? (() => new Date())
  let pool: OcrPool | undefined
  const rest = () =>
    new Promise<void>((resolve) => {
      const t = setTimeout(resolve, idleMs)
      abort.signal.addEventListener("abort", () => {
        clearTimeout(t)
        resolve()
      }, { once: true })
    })
  const loop = (async () => {
    while (!abort.signal.aborted && pool === undefined) {
      try {
        const waiting = await anyScanWaiting(deps.db, clock())
        if (waiting && !abort.signal.aborted) pool = await deps.createPool(deps.size)
        else await rest()
      } catch (e) {
        deps.onError(e)
        await rest()
      }
    }
    if (pool !== undefined) await runWorker({ ...deps, pool }, { signal: abort.signal, idleMs, onError: deps.onError })
  })()
  return {
    size: deps.size,
    stop: async () => {
      abort.abort()
      await loop
      await pool?.close()
    }
  }
}
