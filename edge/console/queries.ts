/**
 * What the console reads besides receipts themselves, always within one
 * agency: the scan of a draft and what OCR read from it, a receipt's audit
 * trail and the console's own audit entries. The SQL is in store/ (scans in
 * store/scans/scan-reads.ts, the trails in store/audit/); this file shapes it
 * for the pages. (The drafts of the inbox and the approval queue come from
 * store/receipts/draft-lists.ts.)
 */
import { agencyDisplayName } from "../../store/agencies/agency-names.ts"
import { edgeAuditOfTarget, recordEdgeAudit } from "../../store/audit/edge-audit.ts"
import { receiptAuditTrail } from "../../store/audit/receipt-audit-trail.ts"
import type { Sql } from "../../store/database/db.ts"
import { latestOcrResult, latestScanContent } from "../../store/scans/scan-reads.ts"
import type { ScanReading } from "./scan-reading.ts"

export type StoredExtraction = Pick<ScanReading, "documentType" | "fields" | "confidence" | "warnings"> & { readonly fileName?: string }

/** What OCR read from the draft's latest scan that was read (uploads.ocr_result, written by the OCR worker). */
export const extractionOf = async (db: Sql, agency: string, receiptId: string): Promise<StoredExtraction | undefined> => {
  const result = await latestOcrResult(db, agency, receiptId)
  if (result === undefined) return undefined
  const r = result as Partial<StoredExtraction>
  return { documentType: r.documentType ?? "unknown", fields: r.fields ?? {}, confidence: r.confidence ?? {}, warnings: r.warnings ?? [] }
}

export const scanOf = (db: Sql, agency: string, receiptId: string): Promise<{ readonly type: string; readonly bytes: Uint8Array } | undefined> =>
  latestScanContent(db, agency, receiptId)

export const recordConsoleAction = (db: Sql, agency: string, actor: string, action: string, target: string, at: string, detail: Record<string, unknown> = {}) =>
  recordEdgeAudit(db, { agency, actor, action, target, at, detail })

export interface AuditEntry {
  readonly action: string
  readonly actor: string
  readonly at: string
  readonly detail: Record<string, unknown>
}

/** The store's audit trail of the receipt and the console's own entries about it, in time order. */
export const auditTrail = async (db: Sql, agency: string, receiptId: string): Promise<ReadonlyArray<AuditEntry>> => {
  const store = await receiptAuditTrail(db, agency, receiptId)
  const edge = await edgeAuditOfTarget(db, agency, receiptId)
  return [...store, ...edge]
    .map((r) => ({ action: r.action, actor: r.actor, at: r.at, detail: r.detail as Record<string, unknown> }))
    .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0))
}

export const agencyName = (db: Sql, agency: string): Promise<string | undefined> => agencyDisplayName(db, agency)
