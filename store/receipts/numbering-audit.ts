/**
 * The numbering audit: for each series, how many numbers were issued, the
 * first and last, and every gap or duplicate. Reads the receipts themselves
 * (not only the counter), so it also catches rows written around the store.
 */
import type { NumberGap, NumberingFilter, SeriesAudit } from "../../domain/ports/receipt-store.ts"
import { seriesKey } from "../../domain/series-key.ts"
import type { Sql } from "../database/db.ts"

const filter = `($1::text IS NULL OR agency = $1::text) AND ($2::integer IS NULL OR 2000 + substr(symbol, 4, 2)::integer = $2::integer)`

const seriesQuery = `
WITH numbered AS (
  SELECT agency, form, symbol, number FROM receipts WHERE number IS NOT NULL AND ${filter}
), keys AS (
  SELECT agency, form, symbol FROM series_counter WHERE ${filter}
  UNION SELECT DISTINCT agency, form, symbol FROM numbered
)
SELECT k.agency, k.form, k.symbol,
       coalesce(c.last_number, 0) AS counter,
       (SELECT count(*) FROM numbered n WHERE (n.agency, n.form, n.symbol) = (k.agency, k.form, k.symbol))::integer AS count,
       (SELECT min(number) FROM numbered n WHERE (n.agency, n.form, n.symbol) = (k.agency, k.form, k.symbol)) AS first,
       (SELECT max(number) FROM numbered n WHERE (n.agency, n.form, n.symbol) = (k.agency, k.form, k.symbol)) AS last
  FROM keys k LEFT JOIN series_counter c USING (agency, form, symbol)
 ORDER BY k.agency, k.form, k.symbol`

// Gaps between consecutive issued numbers, from 0 (numbering starts at 1).
const gapsQuery = `
SELECT agency, form, symbol, previous + 1 AS "from", number - 1 AS "to" FROM (
  SELECT agency, form, symbol, number,
         lag(number, 1, 0) OVER (PARTITION BY agency, form, symbol ORDER BY number) AS previous
    FROM receipts WHERE number IS NOT NULL AND ${filter}
) t WHERE number > previous + 1
ORDER BY agency, form, symbol, "from" LIMIT 10000`

const duplicatesQuery = `
SELECT agency, form, symbol, number FROM receipts WHERE number IS NOT NULL AND ${filter}
 GROUP BY agency, form, symbol, number HAVING count(*) > 1
 ORDER BY agency, form, symbol, number LIMIT 10000`

type SeriesRow = { agency: string; form: string; symbol: string; counter: number; count: number; first: number | null; last: number | null }
type Keyed = { agency: string; form: string; symbol: string }


export const auditNumbering = async (sql: Sql, f: NumberingFilter): Promise<Array<SeriesAudit>> => {
  const params = [f.agency ?? null, f.year ?? null]
  const [series, gaps, duplicates] = [
    await sql.query<SeriesRow>(seriesQuery, params),
    await sql.query<Keyed & NumberGap>(gapsQuery, params),
    await sql.query<Keyed & { number: number }>(duplicatesQuery, params)
  ]
  return series.map((s) => {
    const key = seriesKey(s)
    const found: Array<NumberGap> = gaps.filter((g) => seriesKey(g) === key).map((g) => ({ from: g.from, to: g.to }))
    // Numbers the counter handed out after the last stored receipt are missing too.
    const last = s.last ?? 0
    if (s.counter > last) found.push({ from: last + 1, to: s.counter })
    return {
      agency: s.agency,
      form: s.form,
      symbol: s.symbol,
      count: s.count,
      first: s.first,
      last: s.last,
      counter: s.counter,
      gaps: found,
      duplicates: duplicates.filter((d) => seriesKey(d) === key).map((d) => d.number)
    }
  })
}

export const isClean = (a: SeriesAudit): boolean => a.gaps.length === 0 && a.duplicates.length === 0
