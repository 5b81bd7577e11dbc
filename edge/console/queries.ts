/**
 * What the console reads besides receipts themselves, always within one
 * agency: the scan of a draft and what OCR read from it, whether a draft
 * was submitted for approval, the drafts in the inbox and the approval
 * queue, a receipt's audit trail and the console's own audit entries.
 */
import type { Sql } from "../../store/db.ts"
import { NOT_READ } from "./draft-from-scan.ts"
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

export const submittedAt = async (db: Sql, agency: string, receiptId: string): Promise<string | undefined> => {
  const rows = await db.query<{ at: string }>(
    "SELECT iso_instant(at) AS at FROM edge_audit WHERE agency = $1::text AND target = $2::text AND action = 'draft_submitted' ORDER BY seq DESC LIMIT 1",
    [agency, receiptId]
  )
  return rows[0]?.at
}

export interface DraftRow {
  readonly id: string
  readonly maker: string
  readonly payerName: string
  readonly amount: string
  readonly createdAt: string
  readonly submittedAt: string | null
  readonly hasScan: boolean
  /** A required field still holds the unread placeholder: its maker must fill it before approval. */
  readonly unread: boolean
}

type Raw = { id: string; maker: string; payer_name: string; amount: string; created_at: string; submitted_at: string | null; has_scan: boolean; unread: boolean }

// A constant of this module, quoted as an SQL literal.
const notRead = `'${NOT_READ.replace(/'/g, "''")}'`

const draftsSql = (where: string) => `
SELECT r.id::text AS id, r.maker, r.draft -> 'payer' ->> 'name' AS payer_name, r.amount::text AS amount, iso_instant(r.created_at) AS created_at,
       (SELECT iso_instant(max(e.at)) FROM edge_audit e WHERE e.agency = r.agency AND e.target = r.id::text AND e.action = 'draft_submitted') AS submitted_at,
       EXISTS (SELECT 1 FROM uploads u WHERE u.agency = r.agency AND u.receipt_id = r.id) AS has_scan,
       (r.draft -> 'payer' ->> 'name' = ${notRead} OR r.draft ->> 'reason' = ${notRead}) AS unread
  FROM receipts r
 WHERE r.agency = $1::text AND r.status = 'draft' ${where}
 ORDER BY r.created_at DESC, r.id DESC
 LIMIT 500`

const toDraftRow = (r: Raw): DraftRow => ({
  id: r.id,
  maker: r.maker,
  payerName: r.payer_name,
  amount: r.amount,
  createdAt: r.created_at,
  submittedAt: r.submitted_at,
  hasScan: r.has_scan === true || (r.has_scan as unknown) === "t",
  unread: r.unread === true || (r.unread as unknown) === "t"
})

/** Drafts made from scans by this officer, newest first. */
export const inboxDrafts = async (db: Sql, agency: string, officer: string): Promise<ReadonlyArray<DraftRow>> =>
  (await db.query<Raw>(draftsSql("AND r.maker = $2::text AND EXISTS (SELECT 1 FROM uploads u WHERE u.agency = r.agency AND u.receipt_id = r.id)"), [agency, officer])).map(toDraftRow)

/** Every draft of the agency; the queue puts the submitted ones first. */
export const queueDrafts = async (db: Sql, agency: string): Promise<ReadonlyArray<DraftRow>> =>
  [...(await db.query<Raw>(draftsSql(""), [agency])).map(toDraftRow)].sort((a, b) => Number(b.submittedAt !== null) - Number(a.submittedAt !== null))

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
