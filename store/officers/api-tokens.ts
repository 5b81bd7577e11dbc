/**
 * Officer API tokens as rows: only the SHA-256 of a token is stored, with
 * its officer, a label, when it expires and whether it was revoked. The
 * public handle of a token (to list and revoke it) is the first 16 hex
 * digits of that hash, which cannot be used to sign in.
 */
import type { Role } from "../../domain/privileges.ts"
import type { Sql } from "../database/db.ts"

export interface TokenPrincipal {
  readonly officer: string
  readonly agency: string
  readonly role: Role
}

export const insertToken = async (
  sql: Sql,
  t: { readonly sha256: string; readonly officerId: string; readonly label: string; readonly createdAt?: string | undefined; readonly expiresAt?: string | undefined; readonly days?: number }
): Promise<{ readonly tokenId: string; readonly expiresAt: string }> => {
  // Without a clock from the caller the database's is used (test set-ups, the demo).
  const rows = await sql.query<{ token_id: string; expires_at: string }>(
    `INSERT INTO api_tokens (token_sha256, officer_id, label, created_at, expires_at)
     VALUES ($1::text, $2::text, $3::text, coalesce($4::timestamptz, now()),
             coalesce($5::timestamptz, coalesce($4::timestamptz, now()) + make_interval(days => $6::integer)))
     RETURNING token_id, iso_instant(expires_at) AS expires_at`,
    [t.sha256, t.officerId, t.label, t.createdAt ?? null, t.expiresAt ?? null, t.days ?? 90]
  )
  const row = rows[0]!
  return { tokenId: row.token_id, expiresAt: row.expires_at }
}

/**
 * The officer a token hash belongs to, if the token is neither revoked nor
 * expired at `now` (the database's clock without one) and the officer is
 * enabled.
 */
export const principalOfTokenHash = async (sql: Sql, sha256: string, now?: string): Promise<(TokenPrincipal & { readonly tokenId: string; readonly expiresAt: string }) | undefined> =>
  (await sql.query<{ officer: string; agency: string; role: Role; tokenId: string; expiresAt: string }>(
    `SELECT o.id AS officer, o.agency, o.role, t.token_id AS "tokenId", iso_instant(t.expires_at) AS "expiresAt"
       FROM api_tokens t JOIN officers o ON o.id = t.officer_id
      WHERE t.token_sha256 = $1::text AND t.revoked_at IS NULL AND t.expires_at > coalesce($2::timestamptz, now()) AND o.disabled_at IS NULL`,
    [sha256, now ?? null]
  ))[0]

export interface TokenInfo {
  readonly id: string
  readonly officer: string
  readonly label: string
  readonly createdAt: string
  readonly expiresAt: string
  readonly revokedAt: string | null
  readonly revokedBy: string | null
}

const info = `t.token_id AS id, t.officer_id AS officer, t.label, iso_instant(t.created_at) AS "createdAt", iso_instant(t.expires_at) AS "expiresAt",
  iso_instant(t.revoked_at) AS "revokedAt", t.revoked_by AS "revokedBy"`

/** An officer's tokens, newest first (never the tokens themselves). */
export const tokensOf = async (sql: Sql, officerId: string): Promise<Array<TokenInfo>> =>
  sql.query<TokenInfo>(`SELECT ${info} FROM api_tokens t WHERE t.officer_id = $1::text ORDER BY t.created_at DESC, t.token_id`, [officerId])

/** One token by its public handle, with its officer's agency. */
export const tokenById = async (sql: Sql, tokenId: string): Promise<(TokenInfo & { readonly agency: string }) | undefined> =>
  (await sql.query<TokenInfo & { agency: string }>(
    `SELECT ${info}, o.agency
       FROM api_tokens t JOIN officers o ON o.id = t.officer_id WHERE t.token_id = $1::text`,
    [tokenId]
  ))[0]

/** Revokes a token and ends the console sessions opened with it; false when it was revoked already. */
export const revokeToken = async (sql: Sql, tokenId: string, by: string, at: string): Promise<boolean> => {
  const revoked = await sql.query<{ token_sha256: string }>(
    "UPDATE api_tokens SET revoked_at = $3::timestamptz, revoked_by = $2::text WHERE token_id = $1::text AND revoked_at IS NULL RETURNING token_sha256",
    [tokenId, by, at]
  )
  const hash = revoked[0]?.token_sha256
  if (hash === undefined) return false
  await sql.query("UPDATE console_sessions SET ended_at = $2::timestamptz, end_reason = 'token_revoked' WHERE token_sha256 = $1::text AND ended_at IS NULL", [hash, at])
  return true
}
