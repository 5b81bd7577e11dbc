/**
 * What the console reads besides receipts themselves, always within one
 * agency: the scan of a draft and what OCR read from it, a receipt's audit
 * trail and the console's own audit entries. (The drafts of the inbox and
 * the approval queue come from store/receipts/draft-lists.ts.)
 */
import type { Sql } from "../../store/database/db.ts"
import type { ScanReading } from "./scan-reading.ts"

export type StoredExtraction = Pick<ScanReading, "documentType" | "fields" | "confidence" | "warnings"> & { readonly fileName?: string }

const json = <A>(v: unknown): A => (typeof v === "string" ? JSON.parse(v) : v) as A

/** What OCR read from the draft's latest scan that was read (uploads.ocr_result, written by the OCR worker). */
export const extractionOf = async (db: Sql, agency: string, receiptId: string): Promise<StoredExtraction | undefined> => {
  const rows = await db.query<{ result: string }>(
    `SELECT ocr_result::text AS result FROM uploads
      WHERE agency = $1::text AND receipt_id = $2::uuid AND ocr_result IS NOT NULL
      ORDER BY uploaded_at DESC, id DESC LIMIT 1`,
    [agency, receiptId]
  )
  if (rows[0] === undefined) return undefined
  const r = json<Partial<StoredExtraction>>(rows[0].result)
  return { documentType: r.documentType ?? "unknown", fields: r.fields ?? {}, confidence: r.confidence ?? {}, warnings: r.warnings ?? [] }
}

export const scanOf = async (db: Sql, agency: string, receiptId: string): Promise<{ readonly type: string; readonly bytes: Uint8Array } | undefined> => {
  const rows = await db.query<{ content_type: string; content: string }>(
    "SELECT content_type, encode(content, 'base64') AS content FROM uploads WHERE agency = $1::text AND receipt_id = $2::uuid ORDER BY uploaded_at DESC LIMIT 1",
    [agency, receiptId]
  )
  const r = rows[0]
  return r === undefined ? undefined : { type: r.content_type, bytes: new Uint8Array(Buffer.from(r.content.replace(/\s/g, ""), "base64")) }
}

export const recordConsoleAction = (db: Sql, agency: string, actor: string, action: string, target: string, at: string, detail: Record<string, unknown> = {}) =>
  db.query(
    "INSERT INTO edge_audit (agency, actor, action, target, at, detail) VALUES ($1::text, $2::text, $3::text, $4::text, $5::timestamptz, $6::text::jsonb)",
    [agency, actor, action, target, at, JSON.stringify(detail)]
  )

export interface AuditEntry {
  readonly action: string
  readonly actor: string
  readonly at: string
  readonly detail: Record<string, unknown>
}

/** The store's audit trail of the receipt and the console's own entries about it, in time order. */
export const auditTrail = async (db: Sql, agency: string, receiptId: string): Promise<ReadonlyArray<AuditEntry>> => {
  const store = await db.query<{ action: string; actor: string; at: string; detail: unknown }>(
    "SELECT action, actor, iso_instant(at) AS at, detail FROM audit_log WHERE agency = $1::text AND receipt_id = $2::uuid ORDER BY seq",
    [agency, receiptId]
  )
  const edge = await db.query<{ action: string; actor: string; at: string; detail: unknown }>(
    "SELECT action, actor, iso_instant(at) AS at, detail FROM edge_audit WHERE agency = $1::text AND target = $2::text ORDER BY seq",
    [agency, receiptId]
  )
  return [...store, ...edge]
    .map((r) => ({ action: r.action, actor: r.actor, at: r.at, detail: json<Record<string, unknown>>(r.detail) }))
    .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0))
}

export const agencyName = async (db: Sql, agency: string): Promise<string | undefined> =>
  (await db.query<{ name: string }>("SELECT name FROM agencies WHERE code = $1::text", [agency]))[0]?.name
