/**
 * The receipts a batch of notifications is about, read in one statement with
 * their stored QR token (migration 0390: the one written at issuance, else
 * the one kept at a first view), so a message links to exactly the address
 * the receipt's QR holds: a batch of fifty costs one query, not fifty.
 */
import { Result } from "effect"
import { isIssued, type IssuedReceipt } from "../../domain/receipt.ts"
import type { Sql } from "../database/db.ts"
import { receiptFromRow, type ReceiptRow, selectReceipt } from "../receipts/receipt-rows.ts"

export interface Subject {
  readonly receipt: IssuedReceipt
  /** The stored QR token, when the receipt has one yet. */
  readonly token: string | undefined
}

/** The issued receipts among `keys`, by id, with their stored tokens (a key whose receipt is missing or not issued is left out). */
export const issuedReceiptsByKey = async (
  sql: Sql,
  keys: ReadonlyArray<{ readonly agency: string; readonly id: string }>
): Promise<Map<string, Subject>> => {
  const found = new Map<string, Subject>()
  if (keys.length === 0) return found
  const param = [JSON.stringify(keys)]
  const wanted = "(r.agency, r.id) IN (SELECT k.agency, k.id FROM jsonb_to_recordset($1::text::jsonb) AS k(agency text, id uuid))"
  const [rows, tokens] = await Promise.all([
    sql.query<ReceiptRow>(`${selectReceipt} WHERE ${wanted}`, param),
    sql.query<{ id: string; token: string | null }>(
      `SELECT r.id::text AS id, coalesce(r.qr_token, f.token) AS token
         FROM receipts r LEFT JOIN receipt_first_view_tokens f ON f.agency = r.agency AND f.receipt_id = r.id
        WHERE ${wanted}`,
      param
    )
  ])
  const tokenOf = new Map(tokens.map((t) => [t.id, t.token ?? undefined]))
  for (const row of rows) {
    const decoded = receiptFromRow(row)
    if (Result.isSuccess(decoded) && isIssued(decoded.success)) {
      found.set(decoded.success.id, { receipt: decoded.success, token: tokenOf.get(decoded.success.id) })
    }
  }
  return found
}
