/**
 * Idempotency keys as rows (migration 0223): per officer, a key, the hash of
 * the request it was first used with, and once answered the answer. A key
 * lives 24 hours; a claim never answered (the process died mid-request) may
 * be taken over once it is older than any request can run.
 */
import type { Sql } from "../database/db.ts"

export type Claim =
  | { readonly state: "claimed" }
  | { readonly state: "replay"; readonly status: number; readonly contentType: string | null; readonly body: string }
  | { readonly state: "mismatch" }
  | { readonly state: "in_flight" }

export const claimIdempotencyKey = async (
  sql: Sql,
  k: { readonly officerId: string; readonly key: string; readonly requestSha256: string; readonly now: string; readonly expiresAt: string; readonly abandonedBefore: string }
): Promise<Claim> => {
  // This officer's expired keys go, and this key's claim if it was abandoned.
  await sql.query(
    `DELETE FROM idempotency_keys
      WHERE officer_id = $1::text AND (expires_at <= $3::timestamptz OR (key = $2::text AND status IS NULL AND created_at <= $4::timestamptz))`,
    [k.officerId, k.key, k.now, k.abandonedBefore]
  )
  const inserted = await sql.query(
    `INSERT INTO idempotency_keys (officer_id, key, request_sha256, created_at, expires_at)
     VALUES ($1::text, $2::text, $3::text, $4::timestamptz, $5::timestamptz)
     ON CONFLICT (officer_id, key) DO NOTHING RETURNING 1`,
    [k.officerId, k.key, k.requestSha256, k.now, k.expiresAt]
  )
  if (inserted.length === 1) return { state: "claimed" }
  const row = (await sql.query<{ request_sha256: string; status: number | null; content_type: string | null; body: string | null }>(
    "SELECT request_sha256, status, content_type, body FROM idempotency_keys WHERE officer_id = $1::text AND key = $2::text",
    [k.officerId, k.key]
  ))[0]
  // Gone between the two statements (expired and purged by a concurrent call): claim it again.
  if (row === undefined) return claimIdempotencyKey(sql, k)
  if (row.request_sha256 !== k.requestSha256) return { state: "mismatch" }
  if (row.status === null) return { state: "in_flight" }
  return { state: "replay", status: row.status, contentType: row.content_type, body: row.body ?? "" }
}

export const completeIdempotencyKey = async (
  sql: Sql,
  officerId: string,
  key: string,
  answer: { readonly status: number; readonly contentType: string | null; readonly body: string }
): Promise<void> => {
  await sql.query(
    "UPDATE idempotency_keys SET status = $3::integer, content_type = $4::text, body = $5::text WHERE officer_id = $1::text AND key = $2::text AND status IS NULL",
    [officerId, key, answer.status, answer.contentType, answer.body]
  )
}

/** Lets the key go after a failure nobody should have to replay (5xx), so a retry runs again. */
export const releaseIdempotencyKey = async (sql: Sql, officerId: string, key: string): Promise<void> => {
  await sql.query("DELETE FROM idempotency_keys WHERE officer_id = $1::text AND key = $2::text AND status IS NULL", [officerId, key])
}
