/**
 * Sending a dead-lettered notification again, once what made it fail is
 * mended (an e-mail server configured, a receiver's endpoint back up). The
 * row goes back to pending, due now, with its attempts counted afresh so the
 * delivery policy gives it a whole new series of retries; its last error is
 * kept until the next attempt replaces it. Only dead rows move: a pending or
 * delivered one is never sent twice by this, and another agency's rows are
 * out of reach (every statement is keyed by agency).
 */
import type { Sql } from "../database/db.ts"

/** A notification put back in the queue, with what it had come to, for the audit. */
export interface Resent {
  readonly id: string
  readonly channel: string
  readonly attempts: number
  readonly lastError: string | null
  /** What the notification is about (a receipt id, a payout line…), where the audit files it. */
  readonly subjectKind: string
  readonly subjectId: string
}

/** A dead-lettered notification as the operator lists it (recipient not shown: it may be personal). */
export interface DeadNotification extends Resent {
  readonly event: string
  readonly diedAt: string
}

interface ResentRow {
  id: string
  channel: string
  attempts: number
  last_error: string | null
  subject_kind: string
  subject_id: string
}

// The old values come from the row as it was before the update (the FROM's copy), for the audit.
const resendSql = (where: string) => `
UPDATE notifications n
   SET state = 'pending', attempts = 0, next_attempt_at = $2::timestamptz, finished_at = NULL
  FROM notifications old
  JOIN notify_events e ON e.agency = old.agency AND e.id = old.event_id
 WHERE old.agency = $1::text AND old.state = 'dead' AND n.agency = old.agency AND n.id = old.id AND ${where}
RETURNING n.id::text AS id, n.channel, old.attempts, old.last_error, e.subject_kind, e.subject_id`

const rows = (r: ReadonlyArray<ResentRow>): Array<Resent> =>
  r.map((x) => ({ id: x.id, channel: x.channel, attempts: Number(x.attempts), lastError: x.last_error, subjectKind: x.subject_kind, subjectId: x.subject_id }))

const selection = "($2::timestamptz IS NULL OR n.finished_at >= $2::timestamptz) AND ($3::text IS NULL OR n.channel = $3::text)"

/** An agency's dead notifications (since `since`, of one channel when given), newest first, at most `limit`. */
export const deadNotifications = async (
  sql: Sql,
  input: { readonly agency: string; readonly since?: string | undefined; readonly channel?: string | undefined; readonly limit: number }
): Promise<Array<DeadNotification>> =>
  (await sql.query<ResentRow & { event: string; died_at: string }>(
    `SELECT n.id::text AS id, n.channel, n.attempts, n.last_error, e.subject_kind, e.subject_id, e.event, iso_instant(n.finished_at) AS died_at
       FROM notifications n JOIN notify_events e ON e.agency = n.agency AND e.id = n.event_id
      WHERE n.agency = $1::text AND n.state = 'dead' AND ${selection}
      ORDER BY n.finished_at DESC, n.id LIMIT $4::integer`,
    [input.agency, input.since ?? null, input.channel ?? null, input.limit]
  )).map((x) => ({ ...rows([x])[0]!, event: x.event, diedAt: x.died_at }))

/** Puts one dead notification about receipt `receiptId` back in the queue; undefined when there is no such dead one. */
export const resendDeadOfReceipt = async (
  sql: Sql,
  input: { readonly agency: string; readonly receiptId: string; readonly notificationId: string; readonly now: string }
): Promise<Resent | undefined> =>
  rows(await sql.query<ResentRow>(
    resendSql("e.subject_kind = 'receipt' AND e.subject_id = $3::text AND old.id = $4::uuid"),
    [input.agency, input.now, input.receiptId, input.notificationId]
  ))[0]

/**
 * Puts an agency's dead notifications back in the queue: those that died at
 * or after `since` (all when absent), of one channel, or the one `id`, when given.
 */
export const resendDead = async (
  sql: Sql,
  input: {
    readonly agency: string
    readonly now: string
    readonly since?: string | undefined
    readonly channel?: string | undefined
    readonly id?: string | undefined
  }
): Promise<Array<Resent>> =>
  rows(await sql.query<ResentRow>(
    resendSql("($3::timestamptz IS NULL OR old.finished_at >= $3::timestamptz) AND ($4::text IS NULL OR old.channel = $4::text) AND ($5::uuid IS NULL OR old.id = $5::uuid)"),
    [input.agency, input.now, input.since ?? null, input.channel ?? null, input.id ?? null]
  ))
