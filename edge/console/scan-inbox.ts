/**
 * The scan inbox: uploaded scans wait in a queue, are read one at a time
 * (OCR is CPU-heavy and the server has few cores), and each readable scan
 * becomes a draft made by the officer who uploaded it, with the scan
 * attached (uploads) and what OCR read, with confidences and warnings,
 * kept in the edge audit (action "ocr_extracted") for the review page.
 *
 * The queue lives in this process: a job's progress is what the officer
 * watches, and a scan is stored only once its draft exists (the uploads
 * table needs the draft). If the process stops, queued scans are lost and
 * the officer uploads them again; nothing half-made is stored.
 */
import { uuidFromBytes } from "../../domain/ids.ts"
import type { Series } from "../../domain/receipt.ts"
import type { Principal } from "../http/env.ts"
import { ApiError } from "../http/errors.ts"
import type { ScanType } from "../http/image-upload.ts"
import { toHex } from "../../domain/signing/bytes.ts"
import { makeActions } from "../officers/actions.ts"
import type { EdgeServices } from "../services.ts"
import { draftInputFromReading } from "./draft-from-scan.ts"
import type { ScanReader, ScanReading } from "./scan-reading.ts"

export type JobStatus = "queued" | "running" | "done" | "failed"

export interface ScanJob {
  readonly id: string
  readonly agency: string
  readonly officer: string
  readonly fileName: string
  status: JobStatus
  receiptId?: string
  error?: string
  warnings?: number
  readonly queuedAt: number
}

export interface ScanInbox {
  readonly enqueue: (p: Principal, fileName: string, bytes: Uint8Array, type: ScanType) => ScanJob
  readonly jobsOf: (p: Principal) => ReadonlyArray<ScanJob>
  /** How many scans (anyone's) will be read before this one. */
  readonly ahead: (job: ScanJob) => number
  /** Resolves when every queued scan has been read (tests, shutdown). */
  readonly idle: () => Promise<void>
}

// Finished jobs stay visible for an hour; their drafts stay in the inbox list from the database.
const KEEP_MS = 3_600_000

/** Scans one officer may have waiting at once; the bytes wait in memory, so the queue is bounded. */
export const MAX_PENDING = 20

export const makeScanInbox = (s: EdgeServices, reader: ScanReader, seriesFor: (agency: string, now: Date) => Series): ScanInbox => {
  const actions = makeActions(s)
  const jobs = new Map<string, ScanJob>()
  let tail: Promise<void> = Promise.resolve()

  const store = async (p: Principal, job: ScanJob, bytes: Uint8Array, type: ScanType, reading: ScanReading) => {
    const draft = await actions.createDraft(p, draftInputFromReading(reading, p.agency, seriesFor(p.agency, s.now())))
    const uploadId = uuidFromBytes(s.randomBytes(16))
    const sha256 = toHex(new Uint8Array(await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>)))
    const at = s.now().toISOString()
    await s.db.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO uploads (agency, id, receipt_id, content_type, size, sha256, content, uploaded_by, uploaded_at, ocr_status)
         VALUES ($1::text, $2::uuid, $3::uuid, $4::text, $5::integer, $6::text, decode($7::text, 'base64'), $8::text, $9::timestamptz, 'done')`,
        [p.agency, uploadId, draft.id, type, bytes.length, sha256, Buffer.from(bytes).toString("base64"), p.officer, at]
      )
      const audit = "INSERT INTO edge_audit (agency, actor, action, target, at, detail) VALUES ($1::text, $2::text, $3::text, $4::text, $5::timestamptz, $6::text::jsonb)"
      await tx.query(audit, [p.agency, p.officer, "scan_uploaded", draft.id, at, JSON.stringify({ upload: uploadId, contentType: type, size: bytes.length, sha256 })])
      await tx.query(audit, [p.agency, p.officer, "ocr_extracted", draft.id, at, JSON.stringify({
        upload: uploadId,
        fileName: job.fileName,
        documentType: reading.documentType,
        fields: reading.fields,
        confidence: reading.confidence,
        warnings: reading.warnings,
        ms: reading.ms
      })])
    })
    return draft.id
  }

  const run = async (p: Principal, job: ScanJob, bytes: Uint8Array, type: ScanType) => {
    job.status = "running"
    try {
      const reading = await reader.read(bytes, type, Number(s.now().toISOString().slice(0, 4)))
      if (reading.error !== undefined) throw new ApiError(422, "unreadable_scan", reading.error)
      job.receiptId = await store(p, job, bytes, type, reading)
      job.warnings = reading.warnings.length
      job.status = "done"
    } catch (e) {
      job.status = "failed"
      job.error = e instanceof Error ? e.message : String(e)
      s.logger.warn({ job: job.id, officer: p.officer, err: job.error }, "scan could not be read")
    }
  }

  const forget = () => {
    const cutoff = s.now().getTime() - KEEP_MS
    for (const [id, j] of jobs) if ((j.status === "done" || j.status === "failed") && j.queuedAt < cutoff) jobs.delete(id)
  }

  return {
    enqueue: (p, fileName, bytes, type) => {
      forget()
      const pending = [...jobs.values()].filter((j) => j.officer === p.officer && (j.status === "queued" || j.status === "running")).length
      if (pending >= MAX_PENDING) {
        throw new ApiError(429, "too_many_scans", `${pending} of your scans are still waiting to be read; upload more when some are done (at most ${MAX_PENDING} wait at once)`)
      }
      const job: ScanJob = { id: uuidFromBytes(s.randomBytes(16)), agency: p.agency, officer: p.officer, fileName: fileName.slice(0, 200), status: "queued", queuedAt: s.now().getTime() }
      jobs.set(job.id, job)
      tail = tail.then(() => run(p, job, bytes, type))
      return job
    },
    // Newest first; the map keeps the order jobs were queued in.
    jobsOf: (p) => [...jobs.values()].filter((j) => j.agency === p.agency && j.officer === p.officer).reverse(),
    ahead: (job) => {
      let n = 0
      for (const j of jobs.values()) {
        if (j === job) return n
        if (j.status === "queued" || j.status === "running") n++
      }
      return n
    },
    idle: () => tail
  }
}
