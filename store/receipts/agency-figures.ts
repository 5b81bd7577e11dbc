/**
 * The dashboard's figures for one agency: receipts issued and amounts
 * collected per Vietnam calendar day since an instant, per office, and
 * counts by status. "Collected" counts receipts still in force (status
 * issued): a voided receipt's money was returned and a replaced one is
 * counted through its replacement.
 */
import type { Sql } from "../database/db.ts"

export interface DayFigures {
  /** YYYY-MM-DD in Vietnam (UTC+7). */
  readonly day: string
  readonly n: string
  readonly collected: string
}

export interface OfficeFigures {
  readonly office: string
  readonly n: string
  readonly collected: string
}

export interface StatusCount {
  readonly status: string
  readonly n: string
}

export const figuresPerDay = (sql: Sql, agency: string, since: string): Promise<Array<DayFigures>> =>
  sql.query<DayFigures>(
    `SELECT to_char((issued_at AT TIME ZONE 'UTC') + interval '7 hours', 'YYYY-MM-DD') AS day, count(*)::text AS n,
            coalesce(sum(amount) FILTER (WHERE status = 'issued'), 0)::text AS collected
       FROM receipts WHERE agency = $1::text AND issued_at >= $2::timestamptz GROUP BY 1 ORDER BY 1`,
    [agency, since]
  )

/** The twelve offices that collected most. */
export const figuresPerOffice = (sql: Sql, agency: string): Promise<Array<OfficeFigures>> =>
  sql.query<OfficeFigures>(
    `SELECT coalesce(office, '—') AS office, count(*)::text AS n, coalesce(sum(amount), 0)::text AS collected
       FROM receipts WHERE agency = $1::text AND status = 'issued' GROUP BY 1 ORDER BY sum(amount) DESC NULLS LAST LIMIT 12`,
    [agency]
  )

export const countsByStatus = (sql: Sql, agency: string): Promise<Array<StatusCount>> =>
  sql.query<StatusCount>("SELECT status, count(*)::text AS n FROM receipts WHERE agency = $1::text GROUP BY status", [agency])
