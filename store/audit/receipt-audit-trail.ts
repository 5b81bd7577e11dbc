/**
 * A receipt's trail in the store's audit_log (migration 0001_receipts): each
 * draft saved, submission, issuance, void and correction, in the order the
 * store wrote them.
 */
import type { Sql } from "../database/db.ts"

export interface ReceiptAuditRow {
  readonly seq: string
  readonly action: string
  readonly actor: string
  readonly at: string
  readonly detail: unknown
}

/** The receipt's entries, oldest first; `detail` parsed from JSON. */
export const receiptAuditTrail = async (sql: Sql, agency: string, receiptId: string): Promise<Array<ReceiptAuditRow>> =>
  (await sql.query<ReceiptAuditRow>(
    // Ordered by the number, not by its text (the alias): "10" would come before "9".
    "SELECT seq::text AS seq, action, actor, iso_instant(at) AS at, detail FROM audit_log WHERE agency = $1::text AND receipt_id = $2::uuid ORDER BY audit_log.seq",
    [agency, receiptId]
  )).map((r) => ({ ...r, detail: typeof r.detail === "string" ? JSON.parse(r.detail) : r.detail }))
