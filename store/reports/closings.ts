/**
 * The rows of report_closings (migration 0520): closing requests, their
 * figures as text with its SHA-256, and the decision of the second officer.
 * The rules are domain/reports/closing.ts; the database refuses a change to
 * a decided closing and any event dated inside a closed period.
 */
import type { ClosingRequest } from "../../domain/reports/closing.ts"
import type { StatisticalPeriod } from "../../domain/reports/period.ts"
import type { Sql } from "../database/db.ts"
import { isUuid } from "../../domain/ids.ts"

interface Row {
  readonly id: string
  readonly agency: string
  readonly year: number
  readonly months: number
  readonly cutoff: string
  readonly snapshot_sha256: string
  readonly requested_by: string
  readonly requested_at: string
  readonly decision: "closed" | "rejected" | "withdrawn" | null
  readonly decided_by: string | null
  readonly decided_at: string | null
}

const columns = `id::text AS id, agency, year, months, iso_instant(cutoff) AS cutoff, snapshot_sha256, requested_by,
  iso_instant(requested_at) AS requested_at, decision, decided_by, iso_instant(decided_at) AS decided_at`

const requestOf = (r: Row): ClosingRequest => ({
  id: r.id,
  agency: r.agency,
  year: r.year,
  months: r.months,
  cutoff: r.cutoff,
  snapshotSha256: r.snapshot_sha256,
  requestedBy: r.requested_by,
  requestedAt: r.requested_at,
  decision: r.decision ?? undefined,
  decidedBy: r.decided_by ?? undefined,
  decidedAt: r.decided_at ?? undefined
})

/** The closing requests of these agencies (every agency when absent), of one statistical year or all, oldest first. */
export const closingRequests = async (db: Sql, agencies: ReadonlyArray<string> | undefined, year?: number): Promise<Array<ClosingRequest>> =>
  (await db.query<Row>(
    `SELECT ${columns} FROM report_closings
      WHERE ($1::text IS NULL OR agency IN (SELECT jsonb_array_elements_text($1::text::jsonb)))
        AND ($2::integer IS NULL OR year = $2::integer)
      ORDER BY requested_at, id`,
    [agencies === undefined ? null : JSON.stringify(agencies), year ?? null]
  )).map(requestOf)

/** One request, locked for a decision when `forUpdate`. */
export const closingRequest = async (db: Sql, agency: string, id: string, forUpdate = false): Promise<ClosingRequest | undefined> => {
  if (!isUuid(id)) return undefined
  const row = (await db.query<Row>(
    `SELECT ${columns} FROM report_closings WHERE agency = $1::text AND id = $2::uuid${forUpdate ? " FOR UPDATE" : ""}`,
    [agency, id]
  ))[0]
  return row === undefined ? undefined : requestOf(row)
}

/** The figures a closed period was closed with, as recorded. */
export const closedSnapshot = async (db: Sql, agency: string, period: StatisticalPeriod): Promise<{ readonly snapshot: string; readonly sha256: string } | undefined> => {
  const row = (await db.query<{ snapshot: string; snapshot_sha256: string }>(
    "SELECT snapshot, snapshot_sha256 FROM report_closings WHERE agency = $1::text AND year = $2::integer AND months = $3::integer AND decision = 'closed'",
    [agency, period.year, period.months]
  ))[0]
  return row === undefined ? undefined : { snapshot: row.snapshot, sha256: row.snapshot_sha256 }
}

export interface NewClosingRequest extends StatisticalPeriod {
  readonly id: string
  readonly agency: string
  readonly periodStartsAt: string
  readonly periodEndsAt: string
  readonly cutoff: string
  readonly snapshot: string
  readonly snapshotSha256: string
  readonly by: string
}

export const insertClosingRequest = async (db: Sql, r: NewClosingRequest): Promise<void> => {
  await db.query(
    `INSERT INTO report_closings (agency, id, year, months, period_starts_at, period_ends_at, cutoff, snapshot, snapshot_sha256, requested_by, requested_at)
     VALUES ($1::text, $2::uuid, $3::integer, $4::integer, $5::timestamptz, $6::timestamptz, $7::timestamptz, $8::text, $9::text, $10::text, $7::timestamptz)`,
    [r.agency, r.id, r.year, r.months, r.periodStartsAt, r.periodEndsAt, r.cutoff, r.snapshot, r.snapshotSha256, r.by]
  )
}

export const recordClosingDecision = async (
  db: Sql,
  d: {
    readonly agency: string
    readonly id: string
    readonly decision: "closed" | "rejected" | "withdrawn"
    readonly by: string
    readonly at: string
    readonly note?: string | undefined
    /** The closed report's official header as JSON, kept so it prints the same for good. */
    readonly header?: string | undefined
  }
): Promise<void> => {
  await db.query(
    `UPDATE report_closings SET decision = $3::text, decided_by = $4::text, decided_at = $5::timestamptz, decision_note = $6::text, header = $7::text
      WHERE agency = $1::text AND id = $2::uuid AND decision IS NULL`,
    [d.agency, d.id, d.decision, d.by, d.at, d.note ?? null, d.header ?? null]
  )
}

/** The header (JSON) a closed period was closed with. */
export const closedHeader = async (db: Sql, agency: string, period: StatisticalPeriod): Promise<string | undefined> =>
  (await db.query<{ header: string | null }>(
    "SELECT header FROM report_closings WHERE agency = $1::text AND year = $2::integer AND months = $3::integer AND decision = 'closed'",
    [agency, period.year, period.months]
  ))[0]?.header ?? undefined
