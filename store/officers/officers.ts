/**
 * Officers and agencies as rows. Who may change them, and how, is decided
 * above (edge/officers/privileges.ts, domain/privileges.ts); these functions
 * only read and write.
 */
import type { Role } from "../../domain/privileges.ts"
import type { Sql } from "../database/db.ts"

export interface OfficerRecord {
  readonly id: string
  readonly agency: string
  readonly name: string
  readonly role: Role
}

export interface OfficerRow extends OfficerRecord {
  readonly disabled: boolean
  /** The title (chức vụ) printed under the officer's name on the receipts they approve; null if not set. */
  readonly title: string | null
}

export const insertOfficer = async (sql: Sql, o: OfficerRecord): Promise<void> => {
  await sql.query("INSERT INTO officers (id, agency, name, role) VALUES ($1::text, $2::text, $3::text, $4::text)", [o.id, o.agency, o.name, o.role])
}

type Row = { id: string; agency: string; name: string; role: Role; disabled: boolean; title: string | null }
const columns = "id, agency, name, role, disabled_at IS NOT NULL AS disabled, title"

/** An officer of this agency; another agency's is undefined, like one that does not exist. */
export const officerInAgency = async (sql: Sql, agency: string, id: string): Promise<OfficerRow | undefined> =>
  (await sql.query<Row>(`SELECT ${columns} FROM officers WHERE id = $1::text AND agency = $2::text`, [id, agency]))[0]

export const officerIdTaken = async (sql: Sql, id: string): Promise<boolean> =>
  (await sql.query("SELECT 1 FROM officers WHERE id = $1::text", [id])).length > 0

export const listOfficers = async (sql: Sql, agency: string): Promise<Array<OfficerRow>> =>
  sql.query<Row>(`SELECT ${columns} FROM officers WHERE agency = $1::text ORDER BY id`, [agency])

export const setRole = async (sql: Sql, id: string, role: Role): Promise<void> => {
  await sql.query("UPDATE officers SET role = $2::text WHERE id = $1::text", [id, role])
}

/** Sets (or, with null, clears) the title printed under the officer's name on the receipts they approve. */
export const setTitle = async (sql: Sql, id: string, title: string | null): Promise<void> => {
  await sql.query("UPDATE officers SET title = $2::text WHERE id = $1::text", [id, title])
}

export const enableOfficer = async (sql: Sql, id: string): Promise<void> => {
  await sql.query("UPDATE officers SET disabled_at = NULL WHERE id = $1::text", [id])
}

/**
 * Disables an officer and takes away every way in: tokens revoked, console
 * sessions ended, unused enrolment codes expired. Re-enabling therefore
 * brings none of them back; the officer enrols again.
 */
export const disableOfficer = async (sql: Sql, id: string, by: string, at: string): Promise<{ readonly tokens: number; readonly sessions: number }> => {
  await sql.query("UPDATE officers SET disabled_at = coalesce(disabled_at, $2::timestamptz) WHERE id = $1::text", [id, at])
  const tokens = await sql.query("UPDATE api_tokens SET revoked_at = $2::timestamptz, revoked_by = $3::text WHERE officer_id = $1::text AND revoked_at IS NULL RETURNING 1", [id, at, by])
  const sessions = await sql.query("UPDATE console_sessions SET ended_at = $2::timestamptz, end_reason = 'officer_disabled' WHERE officer_id = $1::text AND ended_at IS NULL RETURNING 1", [id, at])
  await sql.query("UPDATE enrolment_codes SET expires_at = $2::timestamptz WHERE officer_id = $1::text AND redeemed_at IS NULL AND expires_at > $2::timestamptz", [id, at])
  return { tokens: tokens.length, sessions: sessions.length }
}

/** Holds the agency's officer list for the rest of the transaction, so two bootstraps at once cannot make a third admin. */
export const lockAgencyOfficers = async (sql: Sql, agency: string): Promise<void> => {
  await sql.query("SELECT pg_advisory_xact_lock(hashtext('bienlai.officers:' || $1::text))", [agency])
}

/** Admins who can still sign in: the operator's bootstrap command stops at two. */
export const enabledAdmins = async (sql: Sql, agency: string): Promise<Array<string>> =>
  (await sql.query<{ id: string }>("SELECT id FROM officers WHERE agency = $1::text AND role = 'admin' AND disabled_at IS NULL ORDER BY id", [agency])).map((r) => r.id)

export const agencyExists = async (sql: Sql, code: string): Promise<boolean> =>
  (await sql.query("SELECT 1 FROM agencies WHERE code = $1::text", [code])).length > 0

export const insertAgency = async (sql: Sql, code: string, name: string): Promise<void> => {
  await sql.query("INSERT INTO agencies (code, name) VALUES ($1::text, $2::text)", [code, name])
}

/** Whether the database was set up already (by a demo seed or by real agencies). */
export const hasAgencies = async (sql: Sql): Promise<boolean> =>
  Number((await sql.query<{ n: number | string }>("SELECT count(*)::int AS n FROM agencies"))[0]?.n ?? 0) > 0
