/**
 * Console sessions as rows: the SHA-256 of a random session id (the cookie
 * holds the id, never an API token), the officer, the token it was opened
 * with if any, when it was last used and when it ends at the latest. A
 * session counts only while it was used within the idle timeout, before its
 * absolute end, not ended (sign-out, revocation), its officer enabled and
 * its token, if it has one, neither revoked nor expired.
 */
import type { Role } from "../../domain/privileges.ts"
import type { Sql } from "../database/db.ts"

export const createSession = async (
  sql: Sql,
  s: { readonly idSha256: string; readonly officerId: string; readonly tokenSha256: string | null; readonly now: string; readonly expiresAt: string }
): Promise<void> => {
  // Sessions long over are of no further use; the audit keeps the sign-ins.
  await sql.query("DELETE FROM console_sessions WHERE officer_id = $1::text AND expires_at < $2::timestamptz - interval '30 days'", [s.officerId, s.now])
  await sql.query(
    `INSERT INTO console_sessions (id_sha256, officer_id, token_sha256, created_at, last_seen_at, expires_at)
     VALUES ($1::text, $2::text, $3::text, $4::timestamptz, $4::timestamptz, $5::timestamptz)`,
    [s.idSha256, s.officerId, s.tokenSha256, s.now, s.expiresAt]
  )
}

const alive = `
      s.ended_at IS NULL AND s.expires_at > $2::timestamptz AND s.last_seen_at > $2::timestamptz - make_interval(secs => $3::integer)
  AND o.id = s.officer_id AND o.disabled_at IS NULL
  AND (s.token_sha256 IS NULL OR EXISTS (
        SELECT 1 FROM api_tokens t WHERE t.token_sha256 = s.token_sha256 AND t.revoked_at IS NULL AND t.expires_at > $2::timestamptz))`

/** The session's officer, and the session marked as used now; undefined (and the session ended, saying why) when it no longer counts. */
export const touchSession = async (
  sql: Sql,
  idSha256: string,
  now: string,
  idleSeconds: number
): Promise<{ readonly officer: string; readonly agency: string; readonly role: Role } | undefined> => {
  const rows = await sql.query<{ officer: string; agency: string; role: Role }>(
    `UPDATE console_sessions s SET last_seen_at = $2::timestamptz
       FROM officers o
      WHERE s.id_sha256 = $1::text AND ${alive}
      RETURNING o.id AS officer, o.agency, o.role`,
    [idSha256, now, idleSeconds]
  )
  if (rows[0] !== undefined) return rows[0]
  await sql.query(
    `UPDATE console_sessions s SET ended_at = $2::timestamptz,
            end_reason = CASE WHEN s.expires_at <= $2::timestamptz THEN 'expired'
                              WHEN s.last_seen_at <= $2::timestamptz - make_interval(secs => $3::integer) THEN 'idle'
                              ELSE 'credential_withdrawn' END
      WHERE s.id_sha256 = $1::text AND s.ended_at IS NULL`,
    [idSha256, now, idleSeconds]
  )
  return undefined
}

/** Ends a session (sign-out); its officer, or undefined if it had ended already. */
export const endSession = async (sql: Sql, idSha256: string, now: string, reason: string): Promise<{ readonly officer: string; readonly agency: string } | undefined> =>
  (await sql.query<{ officer: string; agency: string }>(
    `UPDATE console_sessions s SET ended_at = $2::timestamptz, end_reason = $3::text
       FROM officers o
      WHERE s.id_sha256 = $1::text AND s.ended_at IS NULL AND o.id = s.officer_id
      RETURNING o.id AS officer, o.agency`,
    [idSha256, now, reason]
  ))[0]
