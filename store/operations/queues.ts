/**
 * The queues the operations view watches, per agency: scans waiting for OCR
 * (store/scans/queue-depth.ts) and, when
 * the notification outbox is installed, notifications not yet delivered.
 */
import type { Sql } from "../database/db.ts"
import { scanQueueDepth } from "../scans/queue-depth.ts"

export interface QueueFigures {
  readonly agency: string
  /** Waiting to be taken. */
  readonly waiting: string
  /** Taken by a worker (OCR running; a notification leased). */
  readonly working: string
  /** Given up on (notifications in the dead-letter state); "0" for OCR's failed scans are not waiting. */
  readonly dead: string
  /** When the oldest item still waiting or being worked on arrived, or null. */
  readonly oldest: string | null
}

const scope = `($1::text IS NULL OR agency = $1::text)`

/** Scans waiting for OCR (the SQL is store/scans/'s, which alone reads uploads). */
export const ocrQueue = (sql: Sql, agency: string | null): Promise<Array<QueueFigures>> => scanQueueDepth(sql, agency)

/**
 * Whether the notification outbox (its own migration, by the notifications
 * work) is in this database, with the columns read below. Until it is, the
 * view says "not configured" rather than showing an empty queue as healthy.
 */
export const outboxInstalled = async (sql: Sql): Promise<boolean> => {
  const rows = await sql.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM information_schema.columns
      WHERE table_schema = current_schema() AND table_name = 'notifications' AND column_name IN ('agency', 'state', 'created_at')`
  )
  return Number(rows[0]?.n ?? 0) === 3
}

export const notificationBacklog = (sql: Sql, agency: string | null): Promise<Array<QueueFigures>> =>
  sql.query<QueueFigures>(
    `SELECT agency, count(*) FILTER (WHERE state = 'pending')::text AS waiting,
            count(*) FILTER (WHERE state = 'leased')::text AS working,
            count(*) FILTER (WHERE state = 'dead')::text AS dead,
            iso_instant(min(created_at) FILTER (WHERE state IN ('pending', 'leased'))) AS oldest
       FROM notifications WHERE state IN ('pending', 'leased', 'dead') AND ${scope}
      GROUP BY agency ORDER BY agency`,
    [agency]
  )
