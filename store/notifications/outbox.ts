/**
 * The notification outbox as the dispatcher and the console see it
 * (migration 0500; events and notifications are written by triggers in the
 * transaction of the change they report). A dispatcher leases due rows with
 * FOR UPDATE SKIP LOCKED, so several share the queue without taking the same
 * row; a lease expires, so the rows of a dispatcher that died come back. A
 * lease has its own id: a dispatcher whose lease expired and was taken over
 * cannot record an outcome any more.
 */
import type { Channel, NotificationEvent } from "../../domain/notifications/notification.ts"
import type { Sql } from "../database/db.ts"

export type OutboxState = "pending" | "leased" | "delivered" | "dead"

/** A leased notification with what is needed to send it (its event, and a webhook's endpoint and secrets). */
export interface LeasedNotification {
  readonly agency: string
  readonly id: string
  readonly leaseId: string
  readonly channel: Channel
  readonly recipient: string
  /** Attempts started, this one included. */
  readonly attempts: number
  readonly event: NotificationEvent
  readonly subjectKind: "receipt" | "payout" | "payment_request"
  readonly subjectId: string
  readonly reference: string
  readonly lookupCode: string | null
  readonly documentHash: string | null
  readonly occurredAt: string
  /** The webhook endpoint (the recipient's target) and its secrets; never logged. */
  readonly endpoint: { readonly url: string; readonly secrets: ReadonlyArray<string> } | null
}

interface LeasedRow {
  agency: string
  id: string
  lease_id: string
  channel: Channel
  recipient: string
  attempts: number
  event: NotificationEvent
  subject_kind: LeasedNotification["subjectKind"]
  subject_id: string
  reference: string
  lookup_code: string | null
  document_hash: string | null
  occurred_at: string
  target: string
  secrets: Array<string> | string
}

const iso = (text: string): string => new Date(text).toISOString()

// Postgres arrays come back as arrays from postgres.js and PGlite alike; a text form is parsed as a fallback.
const textArray = (v: Array<string> | string): ReadonlyArray<string> =>
  Array.isArray(v) ? v : v.replace(/^\{|\}$/g, "").split(",").filter((s) => s !== "").map((s) => s.replace(/^"|"$/g, ""))

// Expired leases first (their dispatcher died), then pending rows by due time: each arm walks its
// partial index in order and locks only what the LIMIT takes. The leased rows are joined to their
// event and recipient after the update, by primary key.
const leaseSql = `
WITH picked AS (
  SELECT * FROM (SELECT agency, id FROM notifications WHERE state = 'leased' AND lease_expires_at <= $2::timestamptz
                  ORDER BY lease_expires_at LIMIT $4::integer FOR UPDATE SKIP LOCKED) expired
  UNION ALL
  SELECT * FROM (SELECT agency, id FROM notifications WHERE state = 'pending' AND next_attempt_at <= $2::timestamptz
                  ORDER BY next_attempt_at LIMIT $4::integer FOR UPDATE SKIP LOCKED) due
  LIMIT $4::integer
), leased AS (
  UPDATE notifications n
     SET state = 'leased', attempts = n.attempts + 1, lease_owner = $1::text, lease_id = gen_random_uuid(),
         lease_expires_at = $3::timestamptz
    FROM picked
   WHERE n.agency = picked.agency AND n.id = picked.id
  RETURNING n.agency, n.id, n.lease_id, n.channel, n.recipient, n.attempts, n.event_id, n.recipient_id
)
SELECT l.agency, l.id::text AS id, l.lease_id::text AS lease_id, l.channel, l.recipient, l.attempts,
       e.event, e.subject_kind, e.subject_id, e.reference, e.lookup_code, e.document_hash, e.occurred_at::text AS occurred_at,
       r.target, r.secrets
  FROM leased l
  JOIN notify_events e ON e.agency = l.agency AND e.id = l.event_id
  JOIN notify_recipients r ON r.agency = l.agency AND r.id = l.recipient_id`

/** Leases up to `limit` due notifications (pending and due, or leased with an expired lease) until `until`. */
export const leaseDue = async (
  sql: Sql,
  input: { readonly owner: string; readonly now: string; readonly until: string; readonly limit: number }
): Promise<Array<LeasedNotification>> => {
  const rows = await sql.query<LeasedRow>(leaseSql, [input.owner, input.now, input.until, input.limit])
  return rows.map((r) => ({
    agency: r.agency,
    id: r.id,
    leaseId: r.lease_id,
    channel: r.channel,
    recipient: r.recipient,
    attempts: Number(r.attempts),
    event: r.event,
    subjectKind: r.subject_kind,
    subjectId: r.subject_id,
    reference: r.reference,
    lookupCode: r.lookup_code,
    documentHash: r.document_hash,
    occurredAt: iso(r.occurred_at),
    endpoint: r.channel === "webhook" ? { url: r.target, secrets: textArray(r.secrets) } : null
  }))
}

/** What an attempt came to, as the delivery policy decided (domain/notifications/delivery-policy.ts). */
export type AttemptRecord =
  | { readonly state: "delivered"; readonly at: string; readonly response: string }
  | { readonly state: "pending"; readonly nextAttemptAt: string; readonly error: string }
  | { readonly state: "dead"; readonly at: string; readonly error: string }

const finishManySql = `
UPDATE notifications n
   SET state = x.state, lease_owner = NULL, lease_id = NULL, lease_expires_at = NULL,
       next_attempt_at = coalesce(x.next_attempt_at, n.next_attempt_at),
       last_error = coalesce(x.error, n.last_error), response = coalesce(x.response, n.response), finished_at = x.finished_at
  FROM jsonb_to_recordset($1::text::jsonb)
       AS x(agency text, id uuid, lease_id uuid, state text, next_attempt_at timestamptz, error text, response text, finished_at timestamptz)
 WHERE n.agency = x.agency AND n.id = x.id AND n.state = 'leased' AND n.lease_id = x.lease_id
RETURNING n.id::text AS id`

/** Records a batch's outcomes in one statement; the ids recorded (the others' leases were taken over). */
export const recordAttempts = async (
  sql: Sql,
  items: ReadonlyArray<{ readonly n: { readonly agency: string; readonly id: string; readonly leaseId: string }; readonly outcome: AttemptRecord }>
): Promise<Set<string>> => {
  if (items.length === 0) return new Set()
  const rows = items.map(({ n, outcome }) => ({
    agency: n.agency,
    id: n.id,
    lease_id: n.leaseId,
    state: outcome.state,
    next_attempt_at: outcome.state === "pending" ? outcome.nextAttemptAt : null,
    error: outcome.state === "delivered" ? null : outcome.error,
    response: outcome.state === "delivered" ? outcome.response : null,
    finished_at: outcome.state === "pending" ? null : outcome.at
  }))
  return new Set((await sql.query<{ id: string }>(finishManySql, [JSON.stringify(rows)])).map((r) => r.id))
}

/** Records one attempt's outcome; false when the lease is no longer this one (it expired and another dispatcher took it). */
export const recordAttempt = async (sql: Sql, n: { readonly agency: string; readonly id: string; readonly leaseId: string }, outcome: AttemptRecord): Promise<boolean> =>
  (await recordAttempts(sql, [{ n, outcome }])).has(n.id)

/** One notification as the officer console shows it (never a webhook's secret; an identity number is masked there). */
export interface NotificationView {
  readonly id: string
  readonly event: NotificationEvent
  readonly channel: Channel
  readonly recipient: string
  readonly state: OutboxState
  readonly attempts: number
  readonly nextAttemptAt: string
  readonly lastError: string | null
  readonly finishedAt: string | null
  readonly createdAt: string
}

interface ViewRow {
  id: string
  event: NotificationEvent
  channel: Channel
  recipient: string
  state: OutboxState
  attempts: number
  next_attempt_at: string
  last_error: string | null
  finished_at: string | null
  created_at: string
}

/** The notifications about one receipt of an agency, oldest first. */
export const notificationsOfReceipt = async (sql: Sql, agency: string, receiptId: string): Promise<Array<NotificationView>> => {
  const rows = await sql.query<ViewRow>(
    `SELECT n.id::text AS id, e.event, n.channel,
            CASE WHEN n.channel = 'webhook' THEN r.target ELSE n.recipient END AS recipient,
            n.state, n.attempts, n.next_attempt_at::text AS next_attempt_at, n.last_error,
            n.finished_at::text AS finished_at, n.created_at::text AS created_at
       FROM notify_events e
       JOIN notifications n ON n.agency = e.agency AND n.event_id = e.id
       JOIN notify_recipients r ON r.agency = n.agency AND r.id = n.recipient_id
      WHERE e.agency = $1::text AND e.subject_kind = 'receipt' AND e.subject_id = $2::text
      ORDER BY e.occurred_at, n.created_at, n.id`,
    [agency, receiptId]
  )
  return rows.map((r) => ({
    id: r.id,
    event: r.event,
    channel: r.channel,
    recipient: r.recipient,
    state: r.state,
    attempts: Number(r.attempts),
    nextAttemptAt: iso(r.next_attempt_at),
    lastError: r.last_error,
    finishedAt: r.finished_at === null ? null : iso(r.finished_at),
    createdAt: iso(r.created_at)
  }))
}

/** How many notifications are in each state (all agencies, or one). */
export const outboxCounts = async (sql: Sql, agency?: string): Promise<Record<OutboxState, number>> => {
  const rows = await sql.query<{ state: OutboxState; n: number }>(
    "SELECT state, count(*)::int AS n FROM notifications WHERE $1::text IS NULL OR agency = $1::text GROUP BY state",
    [agency ?? null]
  )
  const counts: Record<OutboxState, number> = { pending: 0, leased: 0, delivered: 0, dead: 0 }
  for (const r of rows) counts[r.state] = Number(r.n)
  return counts
}
