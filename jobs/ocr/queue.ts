/**
 * The OCR queue: uploaded scans (table `uploads`, migrations 0100_edge and
 * 0110_ocr_queue) claimed by workers in PostgreSQL. A claim takes queued
 * scans, and running ones whose lease has expired (their worker crashed),
 * with FOR UPDATE SKIP LOCKED, so several workers never take the same scan.
 * Every claim bumps `ocr_attempts`; the worker and attempt together fence a
 * stale worker out: once its lease was taken over, its finish is refused.
 */
import type { Db } from "../../store/db.ts"

export interface ClaimedScan {
  readonly agency: string
  readonly id: string
  readonly receiptId: string
  readonly contentType: string
  readonly content: Uint8Array
  readonly uploadedBy: string
  /** 1 on the first claim; the fence together with the worker's id. */
  readonly attempt: number
}

export interface QueueOptions {
  /** How long a claim holds before another worker may take the scan over. */
  readonly leaseMs: number
  /** Claims after which a scan whose worker keeps dying is given up as failed. */
  readonly maxAttempts: number
}

export const defaultQueueOptions: QueueOptions = { leaseMs: 5 * 60_000, maxAttempts: 3 }

const leaseEnd = (now: Date, options: QueueOptions): string => new Date(now.getTime() + options.leaseMs).toISOString()

// A scan whose lease ran out after its last allowed attempt failed for good.
const giveUpSql = `
UPDATE uploads SET ocr_status = 'failed', ocr_lease_until = NULL, ocr_finished_at = $1::timestamptz,
       ocr_error = 'the OCR worker stopped (crashed or timed out) on each of ' || ocr_attempts || ' attempts'
 WHERE ocr_status = 'running' AND ocr_lease_until < $1::timestamptz AND ocr_attempts >= $2::integer`

const claimSql = `
UPDATE uploads u
   SET ocr_status = 'running', ocr_attempts = u.ocr_attempts + 1, ocr_worker = $1::text, ocr_lease_until = $2::timestamptz
  FROM (SELECT agency, id FROM uploads
         WHERE ocr_status = 'queued'
            OR (ocr_status = 'running' AND ocr_lease_until < $3::timestamptz AND ocr_attempts < $4::integer)
         ORDER BY uploaded_at, id
         LIMIT $5::integer
           FOR UPDATE SKIP LOCKED) picked
 WHERE u.agency = picked.agency AND u.id = picked.id
RETURNING u.agency, u.id::text AS id, u.receipt_id::text AS receipt_id, u.content_type, encode(u.content, 'base64') AS content,
          u.uploaded_by, u.ocr_attempts`

interface ClaimRow {
  readonly agency: string
  readonly id: string
  readonly receipt_id: string
  readonly content_type: string
  readonly content: string
  readonly uploaded_by: string
  readonly ocr_attempts: number
}

/** Claims up to `limit` scans for `worker`, oldest first. */
export const claimScans = async (
  db: Db,
  worker: string,
  limit: number,
  now: Date,
  options: QueueOptions = defaultQueueOptions
): Promise<ReadonlyArray<ClaimedScan>> =>
  db.transaction(async (tx) => {
    await tx.query(giveUpSql, [now.toISOString(), options.maxAttempts])
    const rows = await tx.query<ClaimRow>(claimSql, [worker, leaseEnd(now, options), now.toISOString(), options.maxAttempts, limit])
    return rows.map((r) => ({
      agency: r.agency,
      id: r.id,
      receiptId: r.receipt_id,
      contentType: r.content_type,
      content: new Uint8Array(Buffer.from(r.content, "base64")),
      uploadedBy: r.uploaded_by,
      attempt: Number(r.ocr_attempts)
    }))
  })

const fence = `agency = $1::text AND id = $2::uuid AND ocr_status = 'running' AND ocr_worker = $3::text AND ocr_attempts = $4::integer`
const fenceParams = (scan: ClaimedScan, worker: string) => [scan.agency, scan.id, worker, scan.attempt]

/** Extends the lease of a scan still held; false when it was taken over meanwhile. */
export const renewLease = async (db: Db, scan: ClaimedScan, worker: string, now: Date, options: QueueOptions = defaultQueueOptions): Promise<boolean> =>
  (await db.query(`UPDATE uploads SET ocr_lease_until = $5::timestamptz WHERE ${fence} RETURNING id`, [
    ...fenceParams(scan, worker),
    leaseEnd(now, options)
  ])).length === 1

/** Records the result (the extraction and what went into the draft); false when the lease was lost. */
export const finishScan = async (db: Db, scan: ClaimedScan, worker: string, result: unknown, now: Date): Promise<boolean> =>
  (await db.query(
    `UPDATE uploads SET ocr_status = 'done', ocr_result = $5::text::jsonb, ocr_error = NULL, ocr_lease_until = NULL,
            ocr_finished_at = $6::timestamptz WHERE ${fence} RETURNING id`,
    [...fenceParams(scan, worker), JSON.stringify(result), now.toISOString()]
  )).length === 1

/**
 * Records a failure. A permanent one (the file cannot be read) or the last
 * allowed attempt ends the scan as 'failed'; otherwise it goes back to the
 * queue for another try. `result` keeps whatever was read, for the console.
 */
export const failScan = async (
  db: Db,
  scan: ClaimedScan,
  worker: string,
  failure: { readonly reason: string; readonly permanent: boolean; readonly result?: unknown },
  now: Date,
  options: QueueOptions = defaultQueueOptions
): Promise<"failed" | "queued" | "lost"> => {
  const status = failure.permanent || scan.attempt >= options.maxAttempts ? "failed" : "queued"
  const rows = await db.query(
    `UPDATE uploads SET ocr_status = $5::text, ocr_error = $6::text, ocr_result = $7::text::jsonb, ocr_lease_until = NULL,
            ocr_finished_at = CASE WHEN $5::text = 'failed' THEN $8::timestamptz END WHERE ${fence} RETURNING id`,
    [...fenceParams(scan, worker), status, failure.reason, failure.result === undefined ? null : JSON.stringify(failure.result), now.toISOString()]
  )
  return rows.length === 1 ? status : "lost"
}

export interface ScanStatus {
  readonly status: "queued" | "running" | "done" | "failed"
  readonly attempts: number
  readonly error: string | null
  readonly result: unknown
}

/** A scan's place in the queue and, once read, its extraction (what the console shows). */
export const scanStatus = async (db: Db, agency: string, id: string): Promise<ScanStatus | undefined> => {
  const rows = await db.query<{ ocr_status: ScanStatus["status"]; ocr_attempts: number; ocr_error: string | null; result: string | null }>(
    "SELECT ocr_status, ocr_attempts, ocr_error, ocr_result::text AS result FROM uploads WHERE agency = $1::text AND id = $2::uuid",
    [agency, id]
  )
  const row = rows[0]
  if (row === undefined) return undefined
  return {
    status: row.ocr_status,
    attempts: Number(row.ocr_attempts),
    error: row.ocr_error,
    result: row.result === null ? null : JSON.parse(row.result)
  }
}
