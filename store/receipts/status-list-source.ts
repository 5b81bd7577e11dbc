/**
 * What a status list is built from: the series that have issued receipts,
 * how far each is numbered, and which of its receipts were voided or
 * replaced (with the replacement). Read by the edge, which signs the lists
 * (edge/verification/status-lists.ts).
 */
import type { Sql } from "../database/db.ts"

export interface SeriesRow {
  readonly agency: string
  readonly form: string
  readonly symbol: string
}

export interface ChangedReceipt {
  readonly number: number
  readonly status: "voided" | "replaced"
  /** The replacement, for a replaced receipt. */
  readonly by: { readonly form: string; readonly symbol: string; readonly number: number } | null
}

const seriesSql = `SELECT agency, form, symbol, last_number FROM series_counter WHERE last_number > 0 ORDER BY agency, form, symbol`

const sizeSql = `SELECT last_number FROM series_counter WHERE agency = $1::text AND form = $2::text AND symbol = $3::text`

const changedSql = `
SELECT r.number, r.status, rb.form AS by_form, rb.symbol AS by_symbol, rb.number AS by_number
  FROM receipts r
  LEFT JOIN receipts rb ON rb.agency = r.agency AND rb.id = r.replaced_by_id
 WHERE r.agency = $1::text AND r.form = $2::text AND r.symbol = $3::text AND r.status IN ('voided', 'replaced')`

/** Every series with issued receipts and its highest number. */
export const seriesWithReceipts = async (db: Sql): Promise<Array<SeriesRow & { readonly size: number }>> =>
  (await db.query<{ agency: string; form: string; symbol: string; last_number: number | string }>(seriesSql)).map((r) => ({
    agency: r.agency,
    form: r.form,
    symbol: r.symbol,
    size: Number(r.last_number)
  }))

/** The highest number issued in a series; 0 when it has none (or does not exist). */
export const seriesSize = async (db: Sql, s: SeriesRow): Promise<number> =>
  Number((await db.query<{ last_number: number | string }>(sizeSql, [s.agency, s.form, s.symbol]))[0]?.last_number ?? 0)

/** The series' voided and replaced receipts. */
export const changedReceipts = async (db: Sql, s: SeriesRow): Promise<Array<ChangedReceipt>> =>
  (await db.query<{ number: number | string; status: string; by_form: string | null; by_symbol: string | null; by_number: number | string | null }>(
    changedSql,
    [s.agency, s.form, s.symbol]
  )).flatMap((r): Array<ChangedReceipt> =>
    r.status === "voided"
      ? [{ number: Number(r.number), status: "voided", by: null }]
      : r.status === "replaced" && r.by_form !== null
      ? [{ number: Number(r.number), status: "replaced", by: { form: r.by_form, symbol: r.by_symbol ?? "", number: Number(r.by_number) } }]
      : []
  )
