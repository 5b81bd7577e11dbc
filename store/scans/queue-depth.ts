/**
 * How deep the OCR queue is, per agency: scans waiting, scans being read,
 * and when the oldest of them arrived (the operations view and the
 * queue-depth metric). Read through the partial index
 * uploads_queue_by_agency, which holds only queued and running scans.
 */
import type { Sql } from "../database/db.ts"

export interface ScanQueueDepth {
  readonly agency: string
  readonly waiting: string
  readonly working: string
  readonly dead: string
  readonly oldest: string | null
}

export const scanQueueDepth = (sql: Sql, agency: string | null): Promise<Array<ScanQueueDepth>> =>
  sql.query<ScanQueueDepth>(
    `SELECT agency, count(*) FILTER (WHERE ocr_status = 'queued')::text AS waiting,
            count(*) FILTER (WHERE ocr_status = 'running')::text AS working, '0' AS dead,
            iso_instant(min(uploaded_at)) AS oldest
       FROM uploads WHERE ocr_status IN ('queued', 'running') AND ($1::text IS NULL OR agency = $1::text)
      GROUP BY agency ORDER BY agency`,
    [agency]
  )
