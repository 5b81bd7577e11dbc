/**
 * What the officer API and the console read back from the uploads table:
 * a draft's scans and their OCR state, an officer's latest scans (the scan
 * inbox), the latest scan of a draft and what OCR read from it, and whether
 * any scan waits (so an idle server need not load the OCR engines). Writes
 * and the queue itself are in scan-queue.ts; together they are the only
 * code that touches `uploads`.
 */
import type { Sql } from "../database/db.ts"

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
export const scansOfReceiptRows = async (sql: Sql, agency: string, receiptId: string): Promise<ReadonlyArray<ScanState>> =>
  (await sql.query<ScanRow>(`SELECT ${columns} FROM uploads WHERE agency = $1::text AND receipt_id = $2::uuid ORDER BY uploaded_at, id`, [agency, receiptId])).map(stateOf)

/** An officer's latest scans, newest first. */
export const scansOfOfficerRows = async (sql: Sql, agency: string, officer: string, limit: number): Promise<ReadonlyArray<ScanState>> =>
  (await sql.query<ScanRow>(
    `SELECT ${columns} FROM uploads WHERE agency = $1::text AND uploaded_by = $2::text ORDER BY uploaded_at DESC, id DESC LIMIT $3::integer`,
    [agency, officer, limit]
  )).map(stateOf)

/** What OCR read from the draft's latest scan that was read (ocr_result, as the worker wrote it), parsed. */
export const latestOcrResult = async (sql: Sql, agency: string, receiptId: string): Promise<unknown> => {
  const rows = await sql.query<{ result: string }>(
    `SELECT ocr_result::text AS result FROM uploads
      WHERE agency = $1::text AND receipt_id = $2::uuid AND ocr_result IS NOT NULL
      ORDER BY uploaded_at DESC, id DESC LIMIT 1`,
    [agency, receiptId]
  )
  if (rows[0] === undefined) return undefined
  const v: unknown = rows[0].result
  return typeof v === "string" ? JSON.parse(v) : v
}

/** The draft's latest scan, its type and bytes. */
export const latestScanContent = async (sql: Sql, agency: string, receiptId: string): Promise<{ readonly type: string; readonly bytes: Uint8Array } | undefined> => {
  const rows = await sql.query<{ content_type: string; content: string }>(
    "SELECT content_type, encode(content, 'base64') AS content FROM uploads WHERE agency = $1::text AND receipt_id = $2::uuid ORDER BY uploaded_at DESC LIMIT 1",
    [agency, receiptId]
  )
  const r = rows[0]
  return r === undefined ? undefined : { type: r.content_type, bytes: new Uint8Array(Buffer.from(r.content.replace(/\s/g, ""), "base64")) }
}

export interface InboxScanRow {
  readonly id: string
  readonly receipt_id: string
  readonly uploaded_at: string
  readonly ocr_status: ScanState["status"]
  readonly ocr_error: string | null
  readonly result: string | null
  readonly file_name: string | null
}

const inboxSql = `
SELECT u.id::text AS id, u.receipt_id::text AS receipt_id, iso_instant(u.uploaded_at) AS uploaded_at, u.ocr_status, u.ocr_error,
       u.ocr_result::text AS result,
       (SELECT e.detail ->> 'fileName' FROM edge_audit e
         WHERE e.agency = u.agency AND e.action = 'scan_uploaded' AND e.target = u.receipt_id::text AND e.detail ->> 'upload' = u.id::text
         LIMIT 1) AS file_name
  FROM uploads u
 WHERE u.agency = $1::text AND u.uploaded_by = $2::text AND (u.ocr_status IN ('queued', 'running') OR u.uploaded_at > $3::timestamptz)
 ORDER BY u.uploaded_at DESC, u.id DESC
 LIMIT 100`

/** The officer's scans still waiting or being read, and those uploaded after `since` (at most 100), with the file name the upload was audited with. */
export const inboxScanRows = (sql: Sql, agency: string, officer: string, since: string): Promise<Array<InboxScanRow>> =>
  sql.query<InboxScanRow>(inboxSql, [agency, officer, since])

/** An SQL condition: the receipt under `alias` has a scan (for lists of drafts, store/receipts/draft-lists.ts). */
export const hasScanSql = (alias: string): string =>
  `EXISTS (SELECT 1 FROM uploads u WHERE u.agency = ${alias}.agency AND u.receipt_id = ${alias}.id)`

const waitingSql = `SELECT EXISTS (SELECT 1 FROM uploads WHERE ocr_status = 'queued' OR (ocr_status = 'running' AND ocr_lease_until < $1::timestamptz)) AS waiting`

/** Whether any scan waits for a worker (queued, or running with its lease run out). */
export const anyScanWaiting = async (sql: Sql, now: Date): Promise<boolean> => {
  const rows = await sql.query<{ waiting: boolean | string }>(waitingSql, [now.toISOString()])
  return rows[0]?.waiting === true || rows[0]?.waiting === "t"
}
