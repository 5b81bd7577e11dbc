/**
 * The edge's own audit trail (edge_audit, migration 0100_edge): what the
 * store's audit_log does not see, such as scans uploaded, what OCR read,
 * searches (which filters, never their values) and the console's actions.
 * Every writer goes through `recordEdgeAudit`, so a route never writes an
 * audit row by hand.
 */
import type { Sql } from "../database/db.ts"

export interface EdgeAuditEntry {
  readonly agency: string
  readonly actor: string
  readonly action: string
  /** What the entry is about (a receipt id); absent for searches. */
  readonly target?: string | undefined
  readonly at: string
  readonly detail?: Record<string, unknown>
}

export const recordEdgeAudit = async (sql: Sql, e: EdgeAuditEntry): Promise<void> => {
  await sql.query(
    "INSERT INTO edge_audit (agency, actor, action, target, at, detail) VALUES ($1::text, $2::text, $3::text, $4::text, $5::timestamptz, $6::text::jsonb)",
    [e.agency, e.actor, e.action, e.target ?? null, e.at, JSON.stringify(e.detail ?? {})]
  )
}

export interface EdgeAuditRow {
  readonly action: string
  readonly actor: string
  readonly at: string
  readonly detail: Record<string, unknown>
}

const json = <A>(v: unknown): A => (typeof v === "string" ? JSON.parse(v) : v) as A

/** The agency's entries about one target (a receipt id), oldest first. */
export const edgeAuditOfTarget = async (sql: Sql, agency: string, target: string): Promise<Array<EdgeAuditRow>> =>
  (await sql.query<{ action: string; actor: string; at: string; detail: unknown }>(
    "SELECT action, actor, iso_instant(at) AS at, detail FROM edge_audit WHERE agency = $1::text AND target = $2::text ORDER BY seq",
    [agency, target]
  )).map((r) => ({ action: r.action, actor: r.actor, at: r.at, detail: json<Record<string, unknown>>(r.detail) }))
