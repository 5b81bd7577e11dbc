/**
 * The officers' search entry of a receipt (`receipt_search`), built in
 * JavaScript by the writers that load many rows at once.
 *
 * The database can build the entry itself (the triggers of migrations
 * 0102–0104, with `fold_for_search`), but parsing each row's JSON and folding
 * its name in SQL cost about 70 µs a row, more than half of an issued
 * receipt's insert. So the fast writers (group issuance, bulk ranges,
 * ingestion) send the entries along with the rows, folded by the domain's
 * own `foldForSearch`, and the insert trigger indexes only the rows that
 * arrived without one (migration 0105).
 */
import { foldForSearch } from "../../domain/text.ts"
import type { Receipt } from "../../domain/receipt.ts"
import { copyLine } from "../database/db.ts"

/** Columns of `receipt_search`, in this order (JSON and COPY). */
export const searchColumns = ["agency", "id", "payer_folded", "payer_words", "id_number", "decision_number"] as const

/** `json_to_recordset` column definitions of `searchColumns`. */
export const searchRecordsetDefinition =
  "agency text, id uuid, payer_folded text, payer_words text[], id_number text, decision_number text"

export interface SearchRow {
  readonly agency: string
  readonly id: string
  readonly payer_folded: string
  readonly payer_words: ReadonlyArray<string>
  readonly id_number: string | null
  readonly decision_number: string | null
}

/** The distinct words of a folded name, as the GIN index holds them. */
export const searchWords = (folded: string): Array<string> => [...new Set(folded.split(" ").filter((w) => w !== ""))].sort()

/** What the insert trigger would store for this receipt (a new one: no annotations yet). */
export const searchRow = (r: Receipt): SearchRow => {
  const folded = foldForSearch(r.payer.name)
  return {
    agency: r.agency,
    id: r.id,
    payer_folded: folded,
    payer_words: searchWords(folded),
    id_number: r.payer.idNumber?.normalize("NFC") ?? null,
    decision_number: r.case.decisionNumber?.normalize("NFC") ?? null
  }
}

const arrayElement = (w: string): string => `"${w.replace(/["\\]/g, (c) => `\\${c}`)}"`

/** One COPY line of `searchColumns`. */
export const searchCopyLine = (s: SearchRow): string =>
  copyLine([s.agency, s.id, s.payer_folded, `{${s.payer_words.map(arrayElement).join(",")}}`, s.id_number, s.decision_number])

/**
 * A data-modifying CTE body: the entries in JSON parameter `param` of the
 * receipts a sibling CTE `written` (RETURNING agency, id) wrote. Stored
 * drafts that were issued keep their entry; the update trigger refreshes it
 * if their content changed.
 */
export const insertSearchEntries = (param: string): string => `
  INSERT INTO receipt_search (${searchColumns.join(", ")})
  SELECT x.* FROM json_to_recordset(${param}::text::json) AS x(${searchRecordsetDefinition})
   WHERE (x.agency, x.id) IN (SELECT agency, id FROM written)
  ON CONFLICT (agency, id) DO NOTHING`
