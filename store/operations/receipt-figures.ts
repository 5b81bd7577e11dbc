/**
 * Receipts and amounts for the operations view, per agency: today, the
 * statistical period (from 1 October), and per day over the last days.
 * Every query is bounded by issued_at, so it reads one index range
 * (receipts_issued_at for one agency, receipts_operations_issued for the
 * country, migration 0540), never the whole table.
 *
 * "Collected" counts receipts still in force (status issued), as the
 * agency dashboard does: a voided receipt's money was returned and a
 * replaced one is counted through its replacement.
 */
import type { Sql } from "../database/db.ts"

export interface AgencyReceiptFigures {
  readonly agency: string
  readonly todayIssued: string
  readonly todayCollected: string
  readonly periodIssued: string
  readonly periodCollected: string
  readonly periodVoided: string
}

export interface DayCount {
  readonly day: string
  readonly issued: string
  readonly collected: string
}

const scope = `($1::text IS NULL OR agency = $1::text)`

export const receiptFigures = (sql: Sql, agency: string | null, todayStart: string, periodStart: string): Promise<Array<AgencyReceiptFigures>> =>
  sql.query<AgencyReceiptFigures>(
    `SELECT agency,
            count(*) FILTER (WHERE issued_at >= $2::timestamptz)::text AS "todayIssued",
            coalesce(sum(amount) FILTER (WHERE issued_at >= $2::timestamptz AND status = 'issued'), 0)::text AS "todayCollected",
            count(*)::text AS "periodIssued",
            coalesce(sum(amount) FILTER (WHERE status = 'issued'), 0)::text AS "periodCollected",
            count(*) FILTER (WHERE status = 'voided')::text AS "periodVoided"
       FROM receipts
      WHERE issued_at >= $3::timestamptz AND ${scope}
      GROUP BY agency ORDER BY agency`,
    [agency, todayStart, periodStart]
  )

export const receiptsPerDay = (sql: Sql, agency: string | null, since: string): Promise<Array<DayCount>> =>
  sql.query<DayCount>(
    `SELECT to_char((issued_at AT TIME ZONE 'UTC') + interval '7 hours', 'YYYY-MM-DD') AS day, count(*)::text AS issued,
            coalesce(sum(amount) FILTER (WHERE status = 'issued'), 0)::text AS collected
       FROM receipts WHERE issued_at >= $2::timestamptz AND ${scope}
      GROUP BY 1 ORDER BY 1`,
    [agency, since]
  )

/** Amounts collected in the period per regional office of one agency (the twelve largest). */
export const collectedPerOffice = (sql: Sql, agency: string, periodStart: string): Promise<Array<{ readonly office: string; readonly collected: string }>> =>
  sql.query(
    `SELECT coalesce(office, '—') AS office, coalesce(sum(amount), 0)::text AS collected
       FROM receipts WHERE agency = $1::text AND issued_at >= $2::timestamptz AND status = 'issued'
      GROUP BY 1 ORDER BY sum(amount) DESC NULLS LAST LIMIT 12`,
    [agency, periodStart]
  )
