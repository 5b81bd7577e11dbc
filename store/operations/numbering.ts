/**
 * Numbering health for the operations view: per series of the years given
 * (the symbol carries the year), the numbers the counter handed out and
 * how many of them are on stored receipts. Numbers are unique per series
 * (receipts_series_number_unique), so `handedOut - stored` is exactly the
 * count of missing numbers: the gaps, which must be 0. A stored number above
 * the counter (a row written around the store) is counted too. Each series
 * is counted over its unique index, from the index alone.
 *
 * The full audit, gap by gap, is store/receipts/numbering-audit.ts
 * (`bienlai audit`, the agency dashboard).
 */
import type { Sql } from "../database/db.ts"

export interface SeriesHealth {
  readonly agency: string
  readonly form: string
  readonly symbol: string
  readonly year: number
  readonly handedOut: number
  readonly stored: number
  /** Numbers handed out that no stored receipt carries. */
  readonly missing: number
  /** Stored numbers above the counter. */
  readonly beyond: number
}

export const numberingHealth = (sql: Sql, agency: string | null, fromYear: number): Promise<Array<SeriesHealth>> =>
  sql.query<SeriesHealth>(
    `SELECT c.agency, c.form, c.symbol, 2000 + substr(c.symbol, 4, 2)::integer AS year, c.last_number AS "handedOut",
            n.stored, c.last_number - n.within AS missing, n.stored - n.within AS beyond
       FROM series_counter c
       CROSS JOIN LATERAL (
         SELECT count(*)::integer AS stored, (count(*) FILTER (WHERE r.number <= c.last_number))::integer AS within
           FROM receipts r WHERE r.agency = c.agency AND r.form = c.form AND r.symbol = c.symbol AND r.number IS NOT NULL
       ) n
      WHERE ($1::text IS NULL OR c.agency = $1::text) AND 2000 + substr(c.symbol, 4, 2)::integer >= $2::integer
      ORDER BY c.agency, c.form, c.symbol`,
    [agency, fromYear]
  )
