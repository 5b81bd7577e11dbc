/**
 * A row whose external id is already stored, with other content.
 *
 * The receipt id of a row with an external id is derived from the id alone
 * (receipt-ids.ts), so a rerun finds its rows already stored and skips them.
 * If the legacy system reused an external id for another payment, or the
 * row was edited after it was ingested, skipping it silently would hide the
 * difference: the row would be counted as "already present" while the stored
 * receipt says something else. Such a row is rejected instead, naming the
 * stored receipt, which is left as it is (an issued receipt is corrected
 * through its lifecycle: annotation, replacement).
 */
import type { Sql } from "../../store/database/db.ts"
import { storedContents } from "../../store/receipts/bulk-receipts.ts"
import { type ContentFields, contentHash } from "./receipt-ids.ts"
import type { AcceptedRow, RejectedRow } from "./work.ts"

const conflict = (row: AcceptedRow & { readonly external: NonNullable<AcceptedRow["external"]> }, what: string): RejectedRow => ({
  row: row.row,
  reasons: [`external_id: ${what} (receipt ${row.id}), with other content; the stored receipt was left as it is: correct it through its lifecycle (annotation, replacement), or give this payment its own external_id`],
  input: row.external.input
})

/** Among `rows` already stored, those whose stored content is not theirs. */
export const storedConflicts = async (sql: Sql, rows: ReadonlyArray<AcceptedRow>): Promise<Array<RejectedRow>> => {
  const checked = rows.filter((r) => r.external !== undefined)
  if (checked.length === 0) return []
  const stored = await storedContents(sql, checked)
  return checked.flatMap((r) => {
    const content = stored.get(r.id)
    if (r.external === undefined || content === undefined) return []
    return contentHash(content as ContentFields) === r.external.contentHash ? [] : [conflict({ ...r, external: r.external }, "is already stored")]
  })
}

/** Rows repeating the id of an earlier row of the same batch, with other content. */
export const repeatConflicts = (first: ReadonlyMap<string, AcceptedRow>, repeats: ReadonlyArray<AcceptedRow>): Array<RejectedRow> =>
  repeats.flatMap((r) => {
    const earlier = first.get(r.id)
    if (r.external === undefined || earlier?.external === undefined || earlier.external.contentHash === r.external.contentHash) return []
    return [conflict({ ...r, external: r.external }, `was given to row ${earlier.row} of this file`)]
  })
