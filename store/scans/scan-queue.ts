/**
 * The uploads table as the OCR queue (migrations 0100_edge, 0110_ocr_queue,
 * 0260_scan_queue_limits): storing a scan, claiming scans for a worker,
 * leases, results, and the bounds on what may wait.
 *
 * - Adding a scan goes through the database's limits: at most so many of an
 *   officer's and of an agency's scans wait at once (a trigger counts them
 *   under a per-agency lock, so racing uploads cannot overshoot); past them
 *   the insert fails as ScanQueueFull.
 * - A claim takes queued scans, and running ones whose lease has expired
 *   (their worker crashed), with FOR UPDATE SKIP LOCKED, so several workers
 *   never take the same scan. It is fair between agencies: scans are ranked
 *   within their agency by age, and the claim takes every agency's oldest
 *   before anyone's second, so one officer's twenty uploads do not hold up
 *   another agency's one.
 * - Every claim bumps `ocr_attempts`; the worker and attempt together fence
 *   a stale worker out: once its lease was taken over, its finish is refused.
 */
import type { Db, Sql } from "../database/db.ts"
import { sqlState } from "../database/db.ts"

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

// Claimable: queued, or running with an expired lease and attempts left. Checked again on the
// locked row itself, since another worker may have claimed it between the ranking and the lock.
const claimable = (t: string) =>
  `(${t}.ocr_status = 'queued' OR (${t}.ocr_status = 'running' AND ${t}.ocr_lease_until < $3::timestamptz AND ${t}.ocr_attempts < $4::integer))`

// Each claimable scan's turn within its agency (1 for the agency's oldest): the claim takes turns in order.
const rankedSql = `
SELECT agency, id, uploaded_at, row_number() OVER (PARTITION BY agency ORDER BY uploaded_at, id) AS turn
  FROM uploads w
 WHERE ${claimable("w")}`

const claimSql = `
UPDATE uploads u
   SET ocr_status = 'running', ocr_attempts = u.ocr_attempts + 1, ocr_worker = $1::text, ocr_lease_until = $2::timestamptz
  FROM (SELECT c.agency, c.id
          FROM uploads c
          JOIN (${rankedSql}) r ON r.agency = c.agency AND r.id = c.id
         WHERE ${claimable("c")}
         ORDER BY r.turn, r.uploaded_at, r.id
         LIMIT $5::integer
           FOR UPDATE OF c SKIP LOCKED) picked
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

/** Claims up to `limit` scans for `worker`: every agency's oldest first, then every agency's next. */
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

/** A scan to store and queue. */
export interface NewUpload {
  readonly agency: string
  readonly id: string
  readonly receiptId: string
  readonly contentType: string
  readonly content: Uint8Array
  readonly sha256: string
  readonly uploadedBy: string
  readonly uploadedAt: string
}

/** The queue is full for this officer or this agency: nothing was stored. */
export class ScanQueueFull extends Error {
  readonly scope: "officer" | "agency"
  readonly limit: number
  constructor(scope: "officer" | "agency", limit: number, message: string) {
    super(message)
    this.name = "ScanQueueFull"
    this.scope = scope
    this.limit = limit
  }
}

/** Stores and queues a scan, within the queue's limits (else ScanQueueFull). */
export const insertUpload = async (sql: Sql, u: NewUpload): Promise<void> => {
  try {
    await sql.query(
      `INSERT INTO uploads (agency, id, receipt_id, content_type, size, sha256, content, uploaded_by, uploaded_at)
       VALUES ($1::text, $2::uuid, $3::uuid, $4::text, $5::integer, $6::text, decode($7::text, 'base64'), $8::text, $9::timestamptz)`,
      [u.agency, u.id, u.receiptId, u.contentType, u.content.length, u.sha256, Buffer.from(u.content).toString("base64"), u.uploadedBy, u.uploadedAt]
    )
  } catch (e) {
    if (sqlState(e) !== "BL429") throw e
    const { detail, hint, message } = e as { detail?: string; hint?: string; message: string }
    throw new ScanQueueFull(detail === "agency" ? "agency" : "officer", Number(hint ?? 0), message)
  }
}

export interface ScanQueueLimits {
  readonly perOfficer: number
  readonly perAgency: number
}

export const scanQueueLimits = async (db: Sql): Promise<ScanQueueLimits> => {
  const row = (await db.query<{ per_officer: number; per_agency: number }>("SELECT per_officer, per_agency FROM scan_queue_limits"))[0]
  return { perOfficer: Number(row?.per_officer ?? 0), perAgency: Number(row?.per_agency ?? 0) }
}

export const setScanQueueLimits = async (db: Sql, limits: ScanQueueLimits): Promise<void> => {
  await db.query("UPDATE scan_queue_limits SET per_officer = $1::integer, per_agency = $2::integer", [limits.perOfficer, limits.perAgency])
}

/** How many of the officer's scans wait or are being read. */
export const pendingScansOf = async (db: Sql, agency: string, officer: string): Promise<number> =>
  Number((await db.query<{ n: string }>(
    "SELECT count(*)::text AS n FROM uploads WHERE agency = $1::text AND uploaded_by = $2::text AND ocr_status IN ('queued', 'running')",
    [agency, officer]
  ))[0]?.n ?? 0)

/**
 * How many scans the workers will take before this one, in the claim's order
 * (turn within the agency, then age): of its own agency those uploaded
 * earlier, of every other agency as many as come before its turn.
 */
export const scansAheadOf = async (db: Sql, agency: string, id: string, now: Date): Promise<number> =>
  Number((await db.query<{ n: string }>(
    `WITH ranked AS (${rankedSql}),
          mine AS (SELECT turn, uploaded_at, id FROM ranked WHERE agency = $1::text AND id = $2::uuid)
     SELECT count(*)::text AS n FROM ranked r, mine m
      WHERE (r.turn, r.uploaded_at, r.id) < (m.turn, m.uploaded_at, m.id)`,
    [agency, id, now.toISOString(), defaultQueueOptions.maxAttempts]
  ))[0]?.n ?? 0)
