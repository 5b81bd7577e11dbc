/**
 * The receipts a batch of notifications is about, read in one statement
 * (the dispatcher signs each one's /v/ token for its link): a batch of fifty
 * costs one query, not fifty.
 */
import { Result } from "effect"
import { isIssued, type IssuedReceipt } from "../../domain/receipt.ts"
import type { Sql } from "../database/db.ts"
import { receiptFromRow, type ReceiptRow, selectReceipt } from "../receipts/receipt-rows.ts"

/** The issued receipts among `keys`, by id (a key whose receipt is missing or not issued is left out). */
export const issuedReceiptsByKey = async (
  sql: Sql,
  keys: ReadonlyArray<{ readonly agency: string; readonly id: string }>
): Promise<Map<string, IssuedReceipt>> => {
  const found = new Map<string, IssuedReceipt>()
  if (keys.length === 0) return found
  const rows = await sql.query<ReceiptRow>(
    `${selectReceipt}
      WHERE (r.agency, r.id) IN (SELECT k.agency, k.id FROM jsonb_to_recordset($1::text::jsonb) AS k(agency text, id uuid))`,
    [JSON.stringify(keys)]
  )
  for (const row of rows) {
    const decoded = receiptFromRow(row)
    if (Result.isSuccess(decoded) && isIssued(decoded.success)) found.set(decoded.success.id, decoded.success)
  }
  return found
}
