/**
 * The officers' search index (table receipt_search): the payer's name
 * folded with the domain's `foldForSearch` and split into words, the
 * identity number and the decision number. Written whenever the edge saves
 * or changes a receipt, and backfilled at start for receipts written by
 * other programs (bulk jobs), so nothing stays unfindable.
 */
import { Result } from "effect"
import type { Receipt } from "../../domain/receipt.ts"
import { foldForSearch } from "../../domain/text.ts"
import type { Sql } from "../../store/db.ts"
import { receiptFromRow, type ReceiptRow, selectReceipt } from "../../store/receipt-rows.ts"

/** Every name the receipt is known by: the original and each annotated correction. */
export const searchNames = (r: Receipt): Array<string> => [
  r.payer.name,
  ...r.annotations.filter((a) => a.field === "payerName").map((a) => a.value)
]

export const searchEntry = (r: Receipt) => {
  const folded = searchNames(r).map(foldForSearch)
  return {
    payerFolded: folded.join(" | "),
    payerWords: [...new Set(folded.flatMap((n) => n.split(" ")).filter((w) => w !== ""))],
    idNumber: r.payer.idNumber ?? null,
    decisionNumber: r.case.decisionNumber ?? null
  }
}

// Arrays travel as JSON text: both drivers pass text parameters the same way.
const upsertSql = `
INSERT INTO receipt_search (agency, id, payer_folded, payer_words, id_number, decision_number)
VALUES ($1::text, $2::uuid, $3::text, ARRAY(SELECT jsonb_array_elements_text($4::text::jsonb)), $5::text, $6::text)
ON CONFLICT (agency, id) DO UPDATE SET payer_folded = excluded.payer_folded, payer_words = excluded.payer_words,
  id_number = excluded.id_number, decision_number = excluded.decision_number`

export const indexReceipt = async (sql: Sql, r: Receipt): Promise<void> => {
  const e = searchEntry(r)
  await sql.query(upsertSql, [r.agency, r.id, e.payerFolded, JSON.stringify(e.payerWords), e.idNumber, e.decisionNumber])
}

/** Indexes receipts that have no search entry yet; returns how many. */
export const backfillSearchIndex = async (sql: Sql, batch = 1000): Promise<number> => {
  let total = 0
  for (;;) {
    const rows = await sql.query<ReceiptRow>(
      `${selectReceipt} WHERE NOT EXISTS (SELECT 1 FROM receipt_search s WHERE s.agency = r.agency AND s.id = r.id) LIMIT ${batch}`
    )
    let indexed = 0
    for (const row of rows) {
      const r = receiptFromRow(row)
      if (Result.isSuccess(r)) {
        await indexReceipt(sql, r.success)
        indexed++
      }
    }
    total += indexed
    if (rows.length < batch || indexed === 0) return total
  }
}
