/**
 * One-time enrolment codes as rows: the SHA-256 of the code, whose officer it
 * enrols, who issued it (the approving admin, or the operator), until when it
 * may be used, and when it was. A new code for an officer voids their
 * earlier unused ones.
 */
import type { Role } from "../../domain/privileges.ts"
import type { Sql } from "../database/db.ts"

export const issueEnrolmentCode = async (
  sql: Sql,
  c: { readonly codeSha256: string; readonly officerId: string; readonly requestId: string | null; readonly issuedBy: string; readonly now: string; readonly expiresAt: string }
): Promise<void> => {
  await sql.query(
    "UPDATE enrolment_codes SET expires_at = $2::timestamptz WHERE officer_id = $1::text AND redeemed_at IS NULL AND expires_at > $2::timestamptz",
    [c.officerId, c.now]
  )
  await sql.query(
    `INSERT INTO enrolment_codes (code_sha256, officer_id, request_id, issued_by, created_at, expires_at)
     VALUES ($1::text, $2::text, $3::uuid, $4::text, $5::timestamptz, $6::timestamptz)`,
    [c.codeSha256, c.officerId, c.requestId, c.issuedBy, c.now, c.expiresAt]
  )
}

export type Redemption =
  | { readonly ok: true; readonly officer: string; readonly agency: string; readonly role: Role }
  | { readonly ok: false; readonly reason: "unknown" | "used" | "expired" | "officer_disabled"; readonly officer?: string; readonly agency?: string }

/** Uses a code up, once: the officer it enrols, or why it cannot be used. */
export const redeemEnrolmentCode = async (sql: Sql, codeSha256: string, now: string): Promise<Redemption> => {
  const rows = await sql.query<{ officer: string; agency: string; role: Role }>(
    `UPDATE enrolment_codes c SET redeemed_at = $2::timestamptz
       FROM officers o
      WHERE c.code_sha256 = $1::text AND c.redeemed_at IS NULL AND c.expires_at > $2::timestamptz
        AND o.id = c.officer_id AND o.disabled_at IS NULL
      RETURNING o.id AS officer, o.agency, o.role`,
    [codeSha256, now]
  )
  const row = rows[0]
  if (row !== undefined) return { ok: true, ...row }
  const why = (await sql.query<{ used: boolean; expired: boolean; disabled: boolean; officer: string; agency: string }>(
    `SELECT c.redeemed_at IS NOT NULL AS used, c.expires_at <= $2::timestamptz AS expired, o.disabled_at IS NOT NULL AS disabled, o.id AS officer, o.agency
       FROM enrolment_codes c JOIN officers o ON o.id = c.officer_id WHERE c.code_sha256 = $1::text`,
    [codeSha256, now]
  ))[0]
  if (why === undefined) return { ok: false, reason: "unknown" }
  return { ok: false, reason: why.used ? "used" : why.expired ? "expired" : "officer_disabled", officer: why.officer, agency: why.agency }
}
