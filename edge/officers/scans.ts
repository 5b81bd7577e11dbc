/**
 * Scans attached to drafts, as the officer API and the console share them:
 * a scan is stored in `uploads` with its draft and queued for the OCR worker
 * (store/scans/scan-queue.ts); its state (queued, running, done, failed with the
 * reason) and what OCR read live in the same row, so every edge instance
 * and every restart sees the same queue.
 *
 * A scan beyond what one document may cost (too many pages, too many pixels:
 * adapters/ocr/admit.ts) is refused at once with 413, and one beyond the queue's
 * limits per officer and per agency, which the database keeps, with 429.
 */
import { uuidFromBytes } from "../../domain/ids.ts"
import { toHex } from "../../domain/signing/bytes.ts"
import type { Principal } from "../http/env.ts"
import type { ScanType } from "../http/image-upload.ts"
import type { EdgeServices } from "../services.ts"
import { refusalOf } from "../../adapters/ocr/admit.ts"
import { insertUpload, pendingScansOf, ScanQueueFull, scansAheadOf } from "../../store/scans/scan-queue.ts"
import { ApiError } from "../http/errors.ts"

export interface StoredScan {
  readonly id: string
  readonly receiptId: string
  readonly contentType: ScanType
  readonly size: number
  readonly sha256: string
  readonly ocrStatus: "queued"
}

/** Stores the scan for the draft `receiptId` (the caller checked it is the officer's draft) and queues it for OCR. */
export const queueScan = async (s: EdgeServices, p: Principal, receiptId: string, bytes: Uint8Array, type: ScanType, detail: Record<string, unknown> = {}): Promise<StoredScan> => {
  const refused = await refusalOf(bytes, type)
  if (refused !== undefined) throw new ApiError(413, refused.code, refused.message, { details: { vi: refused.vi } })
  const id = uuidFromBytes(s.randomBytes(16))
  const sha256 = toHex(new Uint8Array(await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>)))
  const at = s.now().toISOString()
  await s.db.transaction(async (tx) => {
    try {
      await insertUpload(tx, { agency: p.agency, id, receiptId, contentType: type, content: bytes, sha256, uploadedBy: p.officer, uploadedAt: at })
    } catch (e) {
      if (e instanceof ScanQueueFull) throw queueFull(e)
      throw e
    }
    await tx.query(
      "INSERT INTO edge_audit (agency, actor, action, target, at, detail) VALUES ($1::text, $2::text, 'scan_uploaded', $3::text, $4::timestamptz, $5::text::jsonb)",
      [p.agency, p.officer, receiptId, at, JSON.stringify({ ...detail, upload: id, contentType: type, size: bytes.length, sha256 })]
    )
  })
  return { id, receiptId, contentType: type, size: bytes.length, sha256, ocrStatus: "queued" }
}

const queueFull = (e: ScanQueueFull): ApiError =>
  new ApiError(
    429,
    "too_many_scans",
    e.scope === "officer"
      ? `${e.limit} of your scans are still waiting to be read; upload more when some are done (at most ${e.limit} wait at once)`
      : `${e.limit} scans of your agency are waiting to be read, the most that may wait at once; upload again in a few minutes`,
    {
      details: {
        scope: e.scope,
        limit: e.limit,
        vi: e.scope === "officer"
          ? `Đã có ${e.limit} bản quét của bạn đang chờ đọc; hãy tải thêm khi có bản xong (tối đa ${e.limit} bản cùng lúc).`
          : `Cơ quan đang có ${e.limit} bản quét chờ đọc, mức tối đa cho phép; hãy tải lên lại sau ít phút.`
      },
      headers: { "Retry-After": "60" }
    }
  )

export interface ScanState {
  readonly id: string
  readonly receiptId: string
  readonly contentType: string
  readonly size: number
  readonly sha256: string
  readonly uploadedBy: string
  readonly uploadedAt: string
  readonly status: "queued" | "running" | "done" | "failed"
  readonly attempts: number
  readonly error: string | null
  /** What OCR read (fields, confidence, warnings, and what went into the draft); null until read. */
  readonly result: unknown
  readonly finishedAt: string | null
}

interface ScanRow {
  readonly id: string
  readonly receipt_id: string
  readonly content_type: string
  readonly size: number
  readonly sha256: string
  readonly uploaded_by: string
  readonly uploaded_at: string
  readonly ocr_status: ScanState["status"]
  readonly ocr_attempts: number
  readonly ocr_error: string | null
  readonly result: string | null
  readonly finished_at: string | null
}

const columns = `id::text AS id, receipt_id::text AS receipt_id, content_type, size, sha256, uploaded_by, iso_instant(uploaded_at) AS uploaded_at,
  ocr_status, ocr_attempts, ocr_error, ocr_result::text AS result, CASE WHEN ocr_finished_at IS NULL THEN NULL ELSE iso_instant(ocr_finished_at) END AS finished_at`

const stateOf = (r: ScanRow): ScanState => ({
  id: r.id,
  receiptId: r.receipt_id,
  contentType: r.content_type,
  size: Number(r.size),
  sha256: r.sha256,
  uploadedBy: r.uploaded_by,
  uploadedAt: r.uploaded_at,
  status: r.ocr_status,
  attempts: Number(r.ocr_attempts),
  error: r.ocr_error,
  result: r.result === null ? null : JSON.parse(r.result),
  finishedAt: r.finished_at
})

/** The scans of one receipt of the agency, oldest first. */
export const scansOfReceipt = async (s: EdgeServices, agency: string, receiptId: string): Promise<ReadonlyArray<ScanState>> =>
  (await s.db.query<ScanRow>(`SELECT ${columns} FROM uploads WHERE agency = $1::text AND receipt_id = $2::uuid ORDER BY uploaded_at, id`, [agency, receiptId])).map(stateOf)

/** The officer's latest scans, newest first (the console's inbox). */
export const scansOfOfficer = async (s: EdgeServices, p: Principal, limit: number): Promise<ReadonlyArray<ScanState>> =>
  (await s.db.query<ScanRow>(
    `SELECT ${columns} FROM uploads WHERE agency = $1::text AND uploaded_by = $2::text ORDER BY uploaded_at DESC, id DESC LIMIT $3::integer`,
    [p.agency, p.officer, limit]
  )).map(stateOf)

/** How many of the officer's scans wait or are being read. */
export const pendingScans = (s: EdgeServices, p: Principal): Promise<number> => pendingScansOf(s.db, p.agency, p.officer)

/** How many scans (of every agency, in the order the workers take them: store/scans/scan-queue.ts) will be read before this one. */
export const scansAhead = (s: EdgeServices, scan: Pick<ScanState, "uploadedAt" | "id">, agency: string): Promise<number> =>
  scansAheadOf(s.db, agency, scan.id, s.now())
