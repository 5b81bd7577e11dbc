/**
 * Requests for privileges as rows (migration 0221): made by one admin,
 * decided once by another. The database itself refuses an approval by the
 * requester and a second open request for the same officer id.
 */
import type { PrivilegeRequest, RequestKind, Role } from "../../domain/privileges.ts"
import { sqlState } from "../database/db.ts"
import type { Sql } from "../database/db.ts"

export interface NewRequest {
  readonly id: string
  readonly agency: string
  readonly kind: RequestKind
  readonly officer: string
  readonly name: string
  readonly role: Role
  /** A title request's title (null: clear it); null for other kinds. */
  readonly title?: string | null
  readonly requestedBy: string
  readonly now: string
  readonly expiresAt: string
}

/** Records a request; "open_request_exists" when the officer id already has an open one. */
export const createRequest = async (sql: Sql, r: NewRequest): Promise<"created" | "open_request_exists"> => {
  // An open request past its time closes first, so it does not block a new one.
  await sql.query(
    "UPDATE officer_requests SET decision = 'expired', decided_at = $2::timestamptz WHERE officer_id = $1::text AND decision IS NULL AND expires_at <= $2::timestamptz",
    [r.officer, r.now]
  )
  try {
    await sql.query(
      `INSERT INTO officer_requests (id, agency, kind, officer_id, name, role, requested_by, requested_at, expires_at, title)
       VALUES ($1::uuid, $2::text, $3::text, $4::text, $5::text, $6::text, $7::text, $8::timestamptz, $9::timestamptz, $10::text)`,
      [r.id, r.agency, r.kind, r.officer, r.name, r.role, r.requestedBy, r.now, r.expiresAt, r.title ?? null]
    )
    return "created"
  } catch (error) {
    if (sqlState(error) === "23505") return "open_request_exists"
    throw error
  }
}

type Row = {
  id: string
  agency: string
  kind: RequestKind
  officer: string
  name: string
  role: Role
  title: string | null
  requestedBy: string
  requestedAt: string
  expiresAt: string
  decision: PrivilegeRequest["decision"]
  decidedBy: string | null
  decidedAt: string | null
}

const columns = `id::text AS id, agency, kind, officer_id AS officer, name, role, title, requested_by AS "requestedBy",
  iso_instant(requested_at) AS "requestedAt", iso_instant(expires_at) AS "expiresAt", decision, decided_by AS "decidedBy", iso_instant(decided_at) AS "decidedAt"`

export type StoredRequest = Row

/** One request of the agency; `lock` holds it for the rest of the transaction. */
export const requestInAgency = async (sql: Sql, agency: string, id: string, lock = false): Promise<StoredRequest | undefined> =>
  (await sql.query<Row>(`SELECT ${columns} FROM officer_requests WHERE id = $1::uuid AND agency = $2::text${lock ? " FOR UPDATE" : ""}`, [id, agency]))[0]

/** The agency's requests still waiting for a second admin, oldest first. */
export const openRequests = async (sql: Sql, agency: string, now: string): Promise<Array<StoredRequest>> =>
  sql.query<Row>(
    `SELECT ${columns} FROM officer_requests WHERE agency = $1::text AND decision IS NULL AND expires_at > $2::timestamptz ORDER BY requested_at, id`,
    [agency, now]
  )

/** Records the decision, once; false if the request was decided meanwhile. */
export const decideRequest = async (
  sql: Sql,
  id: string,
  decision: "approved" | "rejected" | "withdrawn",
  by: string,
  at: string
): Promise<boolean> =>
  (await sql.query(
    "UPDATE officer_requests SET decision = $2::text, decided_by = $3::text, decided_at = $4::timestamptz WHERE id = $1::uuid AND decision IS NULL RETURNING 1",
    [id, decision, by, at]
  )).length === 1
