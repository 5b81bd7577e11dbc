/**
 * How a receipt becomes a row and back. An issued receipt is stored as its
 * canonical JSON (the exact signed bytes) plus the columns that change after
 * issuance; a draft is stored as its JSON. Reading rebuilds the domain value
 * and checks it against the schema, so a row that no longer decodes is
 * reported, not served.
 */
import { Result } from "effect"
import { canonicalJson, canonicalReceipt } from "../../domain/canonical.ts"
import type { InvalidReceipt, IssuedReceipt, Receipt, Seal } from "../../domain/receipt.ts"
import { decodeReceipt, encodeReceipt } from "../../domain/receipt.ts"
import { copyLine } from "../database/db.ts"

/** The canonical bytes (canonicalBytes is this text in UTF-8) as stored in `receipts.canonical`. */
export const canonicalText = (r: IssuedReceipt): string => canonicalJson(canonicalReceipt(r))

/** Columns written when a receipt is issued, in this order (multi-row JSON and COPY). */
export const issuedColumns = [
  "agency", "id", "office", "form", "symbol", "number", "lookup_code", "status", "amount", "maker", "approver",
  "created_at", "issued_at", "canonical", "seal_algorithm", "seal_key_id", "seal_signature", "replaces_id",
  "status_by", "status_at", "content_sha256", "qr_token"
] as const

/** SQL types of `issuedColumns`, for json_to_recordset and jsonb_to_recordset. */
export const issuedColumnTypes = [
  "text", "uuid", "text", "text", "text", "integer", "text", "text", "bigint", "text", "text",
  "timestamptz", "timestamptz", "text", "text", "text", "text", "uuid", "text", "timestamptz", "text", "text"
] as const

export type IssuedRow = Record<(typeof issuedColumns)[number], string | number | null>

/**
 * The row of an issued receipt. `contentSha256`: the hash of the content its
 * approver approved, when it is issued from a stored submitted draft (the
 * database then requires it to be the draft's); null when a bulk file issues
 * it directly. `qrToken`: the QR token signed at issuance, stored and served
 * as is (null when the writer signed none: it is then signed at its first
 * view, store/receipts/qr-token.ts).
 */
export const issuedRow = (r: IssuedReceipt, seal: Seal, canonical: string, contentSha256: string | null = null, qrToken: string | null = null): IssuedRow => ({
  agency: r.agency,
  id: r.id,
  office: r.office ?? null,
  form: r.series.form,
  symbol: r.series.symbol,
  number: r.number,
  lookup_code: r.lookupCode,
  status: "issued",
  amount: r.amount.toString(10),
  maker: r.maker,
  approver: r.approver,
  created_at: r.createdAt,
  issued_at: r.issuedAt,
  canonical,
  seal_algorithm: seal.algorithm,
  seal_key_id: seal.keyId,
  seal_signature: seal.signature,
  replaces_id: r.replaces?.id ?? null,
  status_by: r.approver,
  status_at: r.issuedAt,
  content_sha256: contentSha256,
  qr_token: qrToken
})

export const issuedCopyLine = (row: IssuedRow): string => copyLine(issuedColumns.map((c) => row[c]))

/** `SELECT ... FROM json_to_recordset($1::json) AS x(...)` column definitions. */
export const recordsetDefinition = issuedColumns.map((c, i) => `${c} ${issuedColumnTypes[i]}`).join(", ")

export const draftJson = (draft: Receipt): string => JSON.stringify(encodeReceipt(draft))

/** What `selectReceipt` returns per row. */
export interface ReceiptRow {
  readonly status: string
  readonly draft: unknown
  readonly canonical: string | null
  readonly created_at: string
  readonly seal_algorithm: string | null
  readonly seal_key_id: string | null
  readonly seal_signature: string | null
  readonly voided_reason: string | null
  readonly voided_by: string | null
  readonly voided_at: string | null
  readonly replaced_by: unknown
  readonly annotations: unknown
}

/** Selects `ReceiptRow`s; append a WHERE on `r`. */
export const selectReceipt = `
SELECT r.status, r.draft, r.canonical, iso_instant(r.created_at) AS created_at,
       r.seal_algorithm, r.seal_key_id, r.seal_signature,
       r.voided_reason, r.voided_by, iso_instant(r.voided_at) AS voided_at,
       CASE WHEN rb.id IS NULL THEN NULL ELSE
         jsonb_build_object('id', rb.id, 'series', jsonb_build_object('form', rb.form, 'symbol', rb.symbol), 'number', rb.number)
       END AS replaced_by,
       coalesce((SELECT jsonb_agg(jsonb_strip_nulls(jsonb_build_object('field', a.field, 'value', a.value, 'note', a.note,
                  'by', a.by, 'at', iso_instant(a.at), 'approvedBy', a.approved_by)) ORDER BY a.seq)
                   FROM receipt_annotations a WHERE a.agency = r.agency AND a.receipt_id = r.id), '[]'::jsonb) AS annotations
  FROM receipts r
  LEFT JOIN receipts rb ON rb.agency = r.agency AND rb.id = r.replaced_by_id`

const parseJson = (value: unknown): unknown => (typeof value === "string" ? JSON.parse(value) : value)

/** Rebuilds the domain receipt from its row. */
export const receiptFromRow = (row: ReceiptRow): Result.Result<Receipt, InvalidReceipt> => {
  // The status column is the truth (the database changes it, e.g. a scan sends a submitted draft back).
  if (row.status === "draft" || row.status === "submitted") return decodeReceipt({ ...(parseJson(row.draft) as object), status: row.status })
  const { v: _version, ...signed } = JSON.parse(row.canonical ?? "{}") as Record<string, unknown>
  const json: Record<string, unknown> = {
    ...signed,
    createdAt: row.created_at,
    status: row.status,
    seal: { algorithm: row.seal_algorithm, keyId: row.seal_key_id, signature: row.seal_signature },
    annotations: parseJson(row.annotations)
  }
  if (row.voided_at !== null) json["voided"] = { reason: row.voided_reason, by: row.voided_by, at: row.voided_at }
  if (row.replaced_by !== null) json["replacedBy"] = parseJson(row.replaced_by)
  return decodeReceipt(json)
}
