/**
 * The agency's notification recipients (table notify_recipients, migration
 * 0500; docs/NOTIFICATIONS.md "Recipients"). A webhook recipient gets its
 * own signing secret, made here from bytes the caller draws from the Entropy
 * port and shown once, when it is added or rotated; listing never returns secrets.
 */
import type { CheckedRecipient } from "../../domain/notifications/recipient.ts"
import type { Channel, NotificationEvent } from "../../domain/notifications/notification.ts"
import type { Sql } from "../database/db.ts"

export interface RecipientRow {
  readonly id: string
  readonly channel: Channel
  readonly target: string
  readonly person: string | null
  readonly events: ReadonlyArray<NotificationEvent>
  readonly active: boolean
  readonly createdBy: string
  readonly createdAt: string
}

const asArray = (v: unknown): Array<string> =>
  Array.isArray(v) ? (v as Array<string>) : String(v).replace(/^\{|\}$/g, "").split(",").filter((s) => s !== "")

/** Adds a recipient; `secret` (whsec_…) is required for a webhook and ignored otherwise. */
export const addRecipient = async (
  sql: Sql,
  r: CheckedRecipient,
  ctx: { readonly id: string; readonly by: string; readonly now: string; readonly secret?: string | undefined }
): Promise<void> => {
  await sql.query(
    `INSERT INTO notify_recipients (agency, id, channel, target, person_id_number, events, secrets, created_by, created_at)
     VALUES ($1::text, $2::uuid, $3::text, $4::text, $5::text, ARRAY(SELECT jsonb_array_elements_text($6::text::jsonb)), ARRAY(SELECT jsonb_array_elements_text($7::text::jsonb)), $8::text, $9::timestamptz)`,
    [r.agency, ctx.id, r.channel, r.target, r.person ?? null, JSON.stringify(r.events), JSON.stringify(r.channel === "webhook" && ctx.secret !== undefined ? [ctx.secret] : []), ctx.by, ctx.now]
  )
}

/** The agency's recipients, without their secrets. */
export const listRecipients = async (sql: Sql, agency: string): Promise<Array<RecipientRow>> => {
  const rows = await sql.query<{ id: string; channel: Channel; target: string; person_id_number: string | null; events: unknown; active: boolean; created_by: string; created_at: string }>(
    `SELECT id::text AS id, channel, target, person_id_number, events, active, created_by, created_at::text AS created_at
       FROM notify_recipients WHERE agency = $1::text ORDER BY created_at, id`,
    [agency]
  )
  return rows.map((r) => ({
    id: r.id,
    channel: r.channel,
    target: r.target,
    person: r.person_id_number,
    events: asArray(r.events) as Array<NotificationEvent>,
    active: r.active,
    createdBy: r.created_by,
    createdAt: new Date(r.created_at).toISOString()
  }))
}

/** Stops telling a recipient (its past notifications stay, pending ones are still sent). */
export const deactivateRecipient = async (sql: Sql, agency: string, id: string): Promise<boolean> =>
  (await sql.query("UPDATE notify_recipients SET active = false WHERE agency = $1::text AND id = $2::uuid AND active RETURNING id", [agency, id])).length === 1

/**
 * Rotates a webhook recipient's signing secret: `secret` becomes the newest
 * and the one before it stays, so that messages are signed with both while
 * the receiver moves to the new one (Standard Webhooks lists every
 * signature in one header); any older one goes. False when there is no
 * active webhook recipient `id` in the agency.
 */
export const rotateWebhookSecret = async (sql: Sql, agency: string, id: string, secret: string): Promise<boolean> =>
  (await sql.query(
    `UPDATE notify_recipients SET secrets = ARRAY[$3::text, secrets[1]]
      WHERE agency = $1::text AND id = $2::uuid AND active AND channel = 'webhook' RETURNING id`,
    [agency, id, secret]
  )).length === 1

/** Ends a rotation: only the newest secret signs from now on. False when there is no such webhook recipient, or nothing to retire. */
export const retireOldWebhookSecrets = async (sql: Sql, agency: string, id: string): Promise<boolean> =>
  (await sql.query(
    `UPDATE notify_recipients SET secrets = secrets[1:1]
      WHERE agency = $1::text AND id = $2::uuid AND active AND channel = 'webhook' AND cardinality(secrets) > 1 RETURNING id`,
    [agency, id]
  )).length === 1
