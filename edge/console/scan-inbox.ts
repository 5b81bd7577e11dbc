/**
 * The scan inbox: each uploaded scan becomes at once a draft of the officer
 * who uploaded it (required fields hold the "[chưa đọc được]" placeholder)
 * and waits in the OCR queue of the uploads table, exactly as a scan sent
 * to POST /api/officer/drafts/:id/scans (edge/officers/scans.ts). An OCR
 * worker (in the edge process by default, see edge/boot.ts, or `bienlai
 * ocr-worker`) reads it and fills the fields still empty; what it read
 * (fields, confidences, warnings) stays with the upload (ocr_result).
 *
 * Everything the officer watches comes from the database, so several edge
 * instances share one queue and a restart loses nothing.
 */
import type { Series } from "../../domain/receipt.ts"
import type { Principal } from "../http/env.ts"
import { ApiError } from "../http/errors.ts"
import type { ScanType } from "../http/image-upload.ts"
import { makeActions } from "../officers/actions.ts"
import { refusalOf } from "../../adapters/ocr/admit.ts"
import { pendingScans, queueScan, scansAhead } from "../officers/scans.ts"
import type { EdgeServices } from "../services.ts"
import { inboxScanRows } from "../../store/scans/scan-reads.ts"
import { draftInputFromReading } from "./draft-from-scan.ts"

export type JobStatus = "queued" | "running" | "done" | "failed"

export interface ScanJob {
  /** The upload's id. */
  readonly id: string
  readonly fileName: string
  readonly status: JobStatus
  /** The draft the scan belongs to (made at upload). */
  readonly receiptId: string
  readonly error: string | null
  readonly warnings: number
  /** How many scans (anyone's) will be read before this one; 0 unless queued. */
  readonly ahead: number
}

export interface ScanInbox {
  readonly enqueue: (p: Principal, fileName: string, bytes: Uint8Array, type: ScanType) => Promise<ScanJob>
  /** The officer's scans still waiting or read within the hour, newest first. */
  readonly jobsOf: (p: Principal) => Promise<ReadonlyArray<ScanJob>>
}

// Finished scans stay in the list for an hour; their drafts stay in the inbox list.
const KEEP_MS = 3_600_000

/** Scans one officer may have waiting at once; the queue is shared by everyone, so one officer cannot fill it. */
export const MAX_PENDING = 20

const noReading = { documentType: "unknown", fields: {}, confidence: {}, warnings: [], ms: 0 } as const

const warningsOf = (result: string | null): number => {
  if (result === null) return 0
  const w = (JSON.parse(result) as { warnings?: unknown }).warnings
  return Array.isArray(w) ? w.length : 0
}

export const makeScanInbox = (s: EdgeServices, seriesFor: (agency: string, now: Date) => Series): ScanInbox => {
  const actions = makeActions(s)
  return {
    enqueue: async (p, fileName, bytes, type) => {
      const pending = await pendingScans(s, p)
      if (pending >= MAX_PENDING) {
        throw new ApiError(429, "too_many_scans", `${pending} of your scans are still waiting to be read; upload more when some are done (at most ${MAX_PENDING} wait at once)`)
      }
      const name = (fileName || "scan").slice(0, 200)
      // A scan beyond the limits is refused before a draft is made for it.
      const refused = await refusalOf(bytes, type)
      if (refused !== undefined) throw new ApiError(413, refused.code, refused.message, { details: { vi: refused.vi } })
      const draft = await actions.createDraft(p, draftInputFromReading(noReading, p.agency, seriesFor(p.agency, s.now())))
      let stored: Awaited<ReturnType<typeof queueScan>>
      try {
        stored = await queueScan(s, p, draft.id, bytes, type, { fileName: name })
      } catch (e) {
        // The queue was full after all (a race, or the agency's limit): the empty draft made for the scan goes too.
        await actions.deleteDraft(p, draft.id).catch(() => {})
        throw e
      }
      const ahead = await scansAhead(s, { id: stored.id, uploadedAt: s.now().toISOString() }, p.agency)
      return { id: stored.id, fileName: name, status: "queued", receiptId: draft.id, error: null, warnings: 0, ahead }
    },
    jobsOf: async (p) => {
      const since = new Date(s.now().getTime() - KEEP_MS).toISOString()
      const rows = await inboxScanRows(s.db, p.agency, p.officer, since)
      return Promise.all(rows.map(async (r): Promise<ScanJob> => ({
        id: r.id,
        fileName: r.file_name ?? "scan",
        status: r.ocr_status,
        receiptId: r.receipt_id,
        error: r.ocr_error,
        warnings: warningsOf(r.result),
        ahead: r.ocr_status === "queued" ? await scansAhead(s, { id: r.id, uploadedAt: r.uploaded_at }, p.agency) : 0
      })))
    }
  }
}
