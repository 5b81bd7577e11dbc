/**
 * Reserving numbers from a series counter. The UPDATE takes the counter
 * row's lock, which every issuer of the series (in any process) queues on
 * until this transaction ends; that lock is what makes numbering strictly
 * sequential. Reserving a block of k costs the same single UPDATE as one.
 */
import { MAX_RECEIPT_NUMBER } from "../../domain/receipt.ts"
import type { SeriesId } from "../../domain/series-key.ts"
import type { Sql } from "../database/db.ts"

/** The series a counter counts (domain/series-key.ts). */
export type SeriesKey = SeriesId

/** Numbers first .. first + granted - 1; granted < wanted only at the end of the series. */
export interface Reservation {
  readonly first: number
  readonly granted: number
}

const update = `
UPDATE series_counter
   SET last_number = last_number + LEAST($4::integer, ${MAX_RECEIPT_NUMBER} - last_number),
       last_block = LEAST($4::integer, ${MAX_RECEIPT_NUMBER} - last_number)
 WHERE agency = $1::text AND form = $2::text AND symbol = $3::text
RETURNING last_number, last_block`

// The first reservation of a series opens it.
const open = `
INSERT INTO series_counter (agency, form, symbol, last_number, last_block)
VALUES ($1::text, $2::text, $3::text, LEAST($4::integer, ${MAX_RECEIPT_NUMBER}), LEAST($4::integer, ${MAX_RECEIPT_NUMBER}))
ON CONFLICT (agency, form, symbol) DO NOTHING
RETURNING last_number, last_block`

type CounterRow = { last_number: number; last_block: number }

/** Takes up to `wanted` consecutive numbers; must run inside the transaction that writes their receipts. */
export const reserveNumbers = async (tx: Sql, series: SeriesKey, wanted: number): Promise<Reservation> => {
  const params = [series.agency, series.form, series.symbol, wanted]
  const row = (await tx.query<CounterRow>(update, params))[0] ??
    (await tx.query<CounterRow>(open, params))[0] ??
    // Another process opened the series between the two statements.
    (await tx.query<CounterRow>(update, params))[0]
  if (row === undefined) throw new Error(`series counter ${series.agency} ${series.form} ${series.symbol} vanished`)
  return { first: row.last_number - row.last_block + 1, granted: row.last_block }
}

/** A helpful name for the next series: AA/25E → AB/25E, AZ/25E → BA/25E. */
export const nextSymbol = (symbol: string): string => {
  const letters = symbol.slice(0, 2)
  const code = (letters.charCodeAt(0) - 65) * 26 + (letters.charCodeAt(1) - 65) + 1
  const next = code >= 26 * 26 ? "AA" : String.fromCharCode(65 + Math.floor(code / 26), 65 + (code % 26))
  return `${next}${symbol.slice(2)}`
}
