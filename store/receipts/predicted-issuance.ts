/**
 * Issuance with the numbers signed before the counter is locked.
 *
 * The number is inside the signed bytes, so a receipt can only be signed once
 * its number is known, and the counter row stays locked from the reservation
 * to the COMMIT. Signing under that lock makes the lock hold time grow with
 * the group. But within one process the next numbers of a series are
 * usually known: they follow the previous group. So the group issuer signs
 * with the predicted numbers first, outside any transaction. It then sends one
 * statement, which is its own transaction:
 * - it takes exactly those numbers (`last_number = first - 1`, or nothing);
 * - it writes the signed rows and the new ones' search entries;
 * - it commits, all in one round trip.
 *
 * If the prediction was wrong (another process or group took numbers, or the
 * series is new or nearly exhausted), nothing is taken and nothing written,
 * and the group goes the careful way (store/receipts/issuance.ts: reserve, then sign,
 * in one transaction). If a row is refused (already issued), fewer rows than
 * numbers are written, and the deferred `series_counter_filled` trigger fails
 * the COMMIT, so a wrong guess can never leave a gap. Replacements are not
 * sent this way, because marking the original must succeed as well.
 */
import type { IssuedReceipt } from "../../domain/receipt.ts"
import { MAX_RECEIPT_NUMBER } from "../../domain/receipt.ts"
import type { Sql } from "../database/db.ts"
import { approvedKeys, lockApprovedDrafts, writeIssuedRows } from "./issuance.ts"
import type { IssuedRow } from "./receipt-rows.ts"
import { insertSearchEntries, type SearchRow } from "./search-rows.ts"
import type { SeriesKey } from "./series-counter.ts"

// Approvals of stored drafts lock them first (`locked`), as the careful way does (store/receipts/issuance.ts).
const predictedStatement = `
WITH taken AS (
  UPDATE series_counter SET last_number = last_number + $4::integer, last_block = $4::integer
   WHERE agency = $1::text AND form = $2::text AND symbol = $3::text
     AND last_number = $5::integer - 1 AND last_number + $4::integer <= ${MAX_RECEIPT_NUMBER}
  RETURNING 1
), ${lockApprovedDrafts("$8")}, ${writeIssuedRows("$6", "EXISTS (SELECT 1 FROM taken)")}, searched AS (
  ${insertSearchEntries("$7")}
)
SELECT (SELECT count(*) FROM taken)::integer AS taken, (SELECT count(*) FROM written)::integer AS written`

/** Whether a group can go this way: not empty, and no replacements. */
export const predictable = (receipts: ReadonlyArray<IssuedReceipt>): boolean =>
  receipts.length > 0 && receipts.every((r) => r.replaces === undefined)

/**
 * Runs the statement outside any transaction (`sql` in autocommit). `true`:
 * all rows are written and committed with numbers first .. first + k - 1.
 * `false`: the prediction missed and nothing changed. Throws when the
 * database refused the group (nothing changed) or the connection was lost
 * (the outcome is unknown).
 */
export const issuePredicted = async (
  sql: Sql,
  series: SeriesKey,
  first: number,
  rows: ReadonlyArray<IssuedRow>,
  search: ReadonlyArray<SearchRow>
): Promise<boolean> => {
  const [result] = await sql.query<{ taken: number; written: number }>(predictedStatement, [
    series.agency,
    series.form,
    series.symbol,
    rows.length,
    first,
    JSON.stringify(rows),
    JSON.stringify(search),
    approvedKeys(rows)
  ], { prepare: true })
  // Fewer rows than numbers cannot commit (series_counter_filled), so reaching here with a take means all were written.
  return result?.taken === 1 && result.written === rows.length
}
