/**
 * Scans attached to drafts, as the officer API and the console share them:
 * a scan is stored in `uploads` with its draft and queued for the OCR worker
 * (jobs/ocr/queue.ts); its state (queued, running, done, failed with the
 * reason) and what OCR read live in the same row, so every edge instance
 * and every restart sees the same queue.
 */
import { uuidFromBytes } from "../../domain/ids.ts"
import { toHex } from "../../domain/signing/bytes.ts"
import type { Principal } from "../http/env.ts"
import type { ScanType } from "../http/image-upload.ts"
import type { EdgeServices } from "../services.ts"

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
  const id = uuidFromBytes(s.randomBytes(16))
  const sha256 = toHex(new Uint8Array(await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>)))
  const at = s.now().toISOString()
  await s.db.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO uploads (agency, id, receipt_id, content_type, size, sha256, content, uploaded_by, uploaded_at)
       VALUES ($1::text, $2::uuid, $3::uuid, $4::text, $5::integer, $6::text, decode($7::text, 'base64'), $8::text, $9::timestamptz)`,
      [p.agency, id, receiptId, type, bytes.length, sha256, Buffer.from(bytes).toString("base64"), p.officer, at]
    )
    await tx.query(
      "INSERT INTO edge_audit (agency, actor, action, target, at, detail) VALUES ($1::text, $2::text, 'scan_uploaded', $3::text, $4::timestamptz, $5::text::jsonb)",
      [p.agency, p.officer, receiptId, at, JSON.stringify({ ...detail, upload: id, contentType: type, size: bytes.length, sha256 })]
    )
  })
  return { id, receiptId, contentType: type, size: bytes.length, sha256, ocrStatus: "queued" }
}

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
export const pendingScans = async (s: EdgeServices, p: Principal): Promise<number> =>
  Number((await s.db.query<{ n: string }>(
    "SELECT count(*)::text AS n FROM uploads WHERE agency = $1::text AND uploaded_by = $2::text AND ocr_status IN ('queued', 'running')",
    [p.agency, p.officer]
  ))[0]?.n ?? 0)

/** How many scans (anyone's, any agency: the worker reads them in upload order) will be read before this one. */
export const scansAhead = async (s: EdgeServices, scan: Pick<ScanState, "uploadedAt" | "id">): Promise<number> =>
  Number((await s.db.query<{ n: string }>(
    "SELECT count(*)::text AS n FROM uploads WHERE ocr_status IN ('queued', 'running') AND (uploaded_at, id) < ($1::timestamptz, $2::uuid)",
    [scan.uploadedAt, scan.id]
  ))[0]?.n ?? 0)
