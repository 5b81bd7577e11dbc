/**
 * The database's floor for writing issued receipts, shared by bench:numbering
 * and bench:ingest: receipts already stored, signed, written again by one
 * statement under new ids (in a symbol of their own, "ZZ" and the year, with
 * new lookup codes) with their search entries, through every index and
 * trigger of the schema, then rolled back. No JavaScript runs while it is
 * timed, so no writer of these rows can be faster.
 */
import type { Db } from "../store/database/db.ts"
import { issuedColumns } from "../store/receipts/receipt-rows.ts"

/** Carries the figures out of the transaction, whose rollback it forces. */
class Measured extends Error {
  readonly rows: number
  readonly seconds: number
  constructor(rows: number, seconds: number) {
    super("measured")
    this.rows = rows
    this.seconds = seconds
  }
}

const rewrite = (where: string) => `
WITH src AS (
  SELECT r.*, gen_random_uuid() AS new_id FROM receipts r WHERE r.status = 'issued' AND ${where}
), entries AS (
  INSERT INTO receipt_search (agency, id, payer_folded, payer_words, id_number, decision_number)
  SELECT s.agency, src.new_id, s.payer_folded, s.payer_words, s.id_number, s.decision_number
    FROM src JOIN receipt_search s ON s.agency = src.agency AND s.id = src.id
), written AS (
  INSERT INTO receipts (${issuedColumns.join(", ")})
  SELECT ${issuedColumns.map((c) =>
    c === "id" ? "new_id" : c === "symbol" ? "'ZZ' || substr(symbol, 3)" : c === "lookup_code" ? "upper(substr(md5(new_id::text), 1, 12))" : c
  ).join(", ")} FROM src
  RETURNING 1
)
SELECT count(*)::integer AS n FROM written`

/**
 * Writes again the issued receipts of agency `agency` (and symbol `symbol`,
 * at most `limit` of them, when given), times it and rolls it back.
 */
export const databaseFloor = async (
  db: Db,
  select: { readonly agency: string; readonly symbol?: string; readonly limit: number }
): Promise<{ readonly rows: number; readonly seconds: number }> => {
  const where = `r.agency = $1::text AND ($2::text IS NULL OR r.symbol = $2::text) LIMIT $3::integer`
  try {
    await db.transaction(async (tx) => {
      const started = performance.now()
      const [written] = await tx.query<{ n: number }>(rewrite(where), [select.agency, select.symbol ?? null, select.limit])
      throw new Measured(written?.n ?? 0, (performance.now() - started) / 1000)
    }, { timeoutMs: 60_000 + select.limit })
  } catch (error) {
    if (error instanceof Measured) return { rows: error.rows, seconds: error.seconds }
    throw error
  }
  throw new Error("the floor's transaction ended without its figures")
}
