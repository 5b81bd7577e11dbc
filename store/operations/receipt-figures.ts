/**
 * Receipts and amounts for the operations view, per agency, over a range of
 * issued_at: the snapshot asks for today (live) and for the period from
 * 1 October to the start of today (which changes rarely, so it may be held
 * for a while: snapshot.ts), and per day. Every query is bounded by
 * issued_at, so it reads one index range (receipts_issued_at for one agency,
 * receipts_operations_issued for the country, migration 0540), never the
 * whole table.
 *
 * "Collected" counts receipts still in force (status issued), as the
 * agency dashboard does: a voided receipt's money was returned and a
 * replaced one is counted through its replacement.
 */
import type { Sql } from "../database/db.ts"

export interface AgencyReceiptFigures {
  readonly agency: string
  readonly issued: string
  readonly collected: string
  readonly voided: string
}

export interface DayCount {
  readonly day: string
  readonly issued: string
  readonly collected: string
}

export interface OfficeCollected {
  readonly office: string
  readonly collected: string
}

// $1 the agency or null (every agency), $2 from, $3 until or null (open).
const range = `issued_at >= $2::timestamptz AND ($3::timestamptz IS NULL OR issued_at < $3::timestamptz) AND ($1::text IS NULL OR agency = $1::text)`

export const receiptFigures = (sql: Sql, agency: string | null, from: string, until: string | null): Promise<Array<AgencyReceiptFigures>> =>
  sql.query<AgencyReceiptFigures>(
    `SELECT agency, count(*)::text AS issued, coalesce(sum(amount) FILTER (WHERE status = 'issued'), 0)::text AS collected,
            count(*) FILTER (WHERE status = 'voided')::text AS voided
       FROM receipts WHERE ${range} GROUP BY agency ORDER BY agency`,
    [agency, from, until]
  )

export const receiptsPerDay = (sql: Sql, agency: string | null, from: string, until: string | null): Promise<Array<DayCount>> =>
  sql.query<DayCount>(
    `SELECT to_char((issued_at AT TIME ZONE 'UTC') + interval '7 hours', 'YYYY-MM-DD') AS day, count(*)::text AS issued,
            coalesce(sum(amount) FILTER (WHERE status = 'issued'), 0)::text AS collected
       FROM receipts WHERE ${range} GROUP BY 1 ORDER BY 1`,
    [agency, from, until]
  )

/** Amounts collected per regional office of one agency over the range. */
export const collectedPerOffice = (sql: Sql, agency: string, from: string, until: string | null): Promise<Array<OfficeCollected>> =>
  sql.query<OfficeCollected>(
    `SELECT coalesce(office, '—') AS office, coalesce(sum(amount), 0)::text AS collected
       FROM receipts WHERE ${range} AND status = 'issued' GROUP BY 1`,
    [agency, from, until]
  )
