/**
 * The append-only trail of officer administration (officer_audit, migration
 * 0220): who asked for and who approved each privilege, enrolment codes
 * issued and redeemed, tokens made and revoked, sessions started and ended,
 * and what the operator did from the command line.
 */
import type { Sql } from "../database/db.ts"

export interface OfficerAuditEntry {
  readonly agency: string
  /** An officer id, or `operator:<user>@<host>` for the command line. */
  readonly actor: string
  readonly action: string
  readonly officer?: string | undefined
  readonly request?: string | undefined
  readonly at: string
  readonly detail?: Record<string, unknown>
}

export const recordOfficerAudit = async (sql: Sql, e: OfficerAuditEntry): Promise<void> => {
  await sql.query(
    `INSERT INTO officer_audit (agency, actor, action, officer, request, at, detail)
     VALUES ($1::text, $2::text, $3::text, $4::text, $5::uuid, $6::timestamptz, $7::text::jsonb)`,
    [e.agency, e.actor, e.action, e.officer ?? null, e.request ?? null, e.at, JSON.stringify(e.detail ?? {})]
  )
}

export interface OfficerAuditRow {
  readonly seq: string
  readonly actor: string
  readonly action: string
  readonly officer: string | null
  readonly request: string | null
  readonly at: string
  readonly detail: Record<string, unknown>
}

/** An agency's trail, newest first, optionally for one officer; `before` pages back by seq. */
export const officerAuditOf = async (
  sql: Sql,
  agency: string,
  options: { readonly officer?: string | undefined; readonly before?: string | undefined; readonly limit: number }
): Promise<Array<OfficerAuditRow>> => {
  const rows = await sql.query<Omit<OfficerAuditRow, "detail"> & { detail: unknown }>(
    `SELECT seq::text AS seq, actor, action, officer, request::text AS request, iso_instant(at) AS at, detail
       FROM officer_audit
      WHERE agency = $1::text AND ($2::text IS NULL OR officer = $2::text) AND ($3::bigint IS NULL OR seq < $3::bigint)
      ORDER BY officer_audit.seq DESC LIMIT $4::integer`,
    [agency, options.officer ?? null, options.before ?? null, options.limit]
  )
  return rows.map((r) => ({ ...r, detail: (typeof r.detail === "string" ? JSON.parse(r.detail) : r.detail) as Record<string, unknown> }))
}
