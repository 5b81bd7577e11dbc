/**
 * The CPU work of a bulk job, run in worker threads (or inline when there
 * are none): decode and parse rows, validate them into drafts, and later
 * number, sign and render them as COPY lines. A worker keeps the drafts of a
 * batch between the two steps, so only ids and COPY text cross threads.
 */
import { Result } from "effect"
import { checkReceipt } from "../../domain/receipt-check.ts"
import type { IssuedReceipt, Receipt } from "../../domain/receipt.ts"
import type { BulkSignFn as SignFn } from "./signer-spec.ts"
import { canonicalText, issuedCopyLine, issuedRow } from "../../store/receipts/receipt-rows.ts"
import { searchCopyLine, searchRow } from "../../store/receipts/search-rows.ts"
import { draftCopyLine } from "../../store/receipts/bulk-receipts.ts"
import { contentSha256 } from "../../store/receipts/content-hash.ts"
import { type Column, fieldsOf, type RowFields } from "./columns.ts"
import { type Delimiter, parseCsvRecord } from "./csv.ts"
import { decodeUtf8, describeBadBytes } from "./encoding.ts"
import type { RecordBatch } from "./records.ts"
import { draftFromRow, type RowContext } from "./row-to-draft.ts"
import { issueTemplate } from "./issue-template.ts"
import { contentHash } from "./receipt-ids.ts"
import { fieldsOfJson } from "./ndjson.ts"
import { checkApprover } from "./officer-registry.ts"

export type Format = "csv" | "ndjson" | "xlsx"

/** What every batch of one job shares. */
export interface JobSetup {
  readonly format: Format
  /** CSV and XLSX: the column of each position; NDJSON: unused. */
  readonly mapping: ReadonlyArray<Column | undefined>
  readonly header: ReadonlyArray<string>
  readonly delimiter: Delimiter
  readonly ctx: Omit<RowContext, "now" | "issue">
  readonly mode: "drafts" | "issue"
  readonly approver?: string | undefined
}

export type BatchInput =
  | { readonly kind: "records"; readonly batch: RecordBatch }
  | { readonly kind: "cells"; readonly rows: ReadonlyArray<number>; readonly cells: ReadonlyArray<ReadonlyArray<string>> }
  /** Drafts already stored (`bienlai sign`), as their JSON. */
  | { readonly kind: "stored"; readonly rows: ReadonlyArray<number>; readonly drafts: ReadonlyArray<unknown> }

export interface RejectedRow {
  readonly row: number
  readonly reasons: ReadonlyArray<string>
  /** The row as read: the record's text, or the cells by header for XLSX. */
  readonly input: string | Readonly<Record<string, string>>
  /** The raw bytes, when they are not UTF-8. */
  readonly inputBase64?: string
}

export interface AcceptedRow {
  readonly index: number
  readonly row: number
  readonly id: string
  readonly agency: string
  readonly form: string
  readonly symbol: string
  /** Drafts mode: the COPY line of the draft. */
  readonly copyLine?: string
  /**
   * Rows with an external id: their content's fingerprint, and the row as the
   * rejects file would show it, in case the id turns out to be stored with
   * other content (jobs/ingest/content-conflicts.ts).
   */
  readonly external?: { readonly contentHash: string; readonly input: RejectedRow["input"] }
}

export interface Prepared {
  readonly batchId: number
  readonly accepted: ReadonlyArray<AcceptedRow>
  readonly rejects: ReadonlyArray<RejectedRow>
}

export interface SignItem {
  readonly index: number
  readonly number: number
  readonly lookupCode: string
}

/**
 * A receipt prepared for signing. `contentSha256`: for a stored submitted
 * draft (`bienlai sign`), the hash of the content being signed, which the
 * stored row must still have when it is issued; null for a file's rows,
 * which are new receipts.
 */
export interface Template {
  readonly receipt: IssuedReceipt
  readonly contentSha256: string | null
}

/** What a worker keeps between preparing and signing: per batch, the templates by index. */
export type Kept = Map<number, Map<number, Template>>

/** Stored drafts: decoded again (the schema may have grown stricter), checked for maker-checker, templated. */
const prepareStored = (
  setup: JobSetup,
  batchId: number,
  input: Extract<BatchInput, { kind: "stored" }>,
  clock: { readonly now: string },
  kept: Kept
): Prepared => {
  const accepted: Array<AcceptedRow> = []
  const rejects: Array<RejectedRow> = []
  const templates = new Map<number, Template>()
  const approver = setup.approver ?? ""
  input.drafts.forEach((json, i) => {
    const row = input.rows[i] as number
    const id = String((json as { id?: unknown } | null)?.id ?? "?")
    const decoded = checkReceipt(typeof json === "string" ? JSON.parse(json) : json)
    if (Result.isFailure(decoded)) return void rejects.push({ row, reasons: decoded.failure.issues.map((x) => `${x.path || "draft"}: ${x.message}`), input: id })
    const draft = decoded.success
    const refused = checkApprover(setup.ctx.officers, draft.agency, approver, draft.maker)
    if (refused.length > 0) return void rejects.push({ row, reasons: refused.map((m) => `approver: ${m}`), input: id })
    const template = issueTemplate(draft, approver, clock.now)
    if (Result.isFailure(template)) {
      return void rejects.push({ row, reasons: template.failure.map((x) => `${x.path}: ${x.message} (when issued at ${clock.now})`), input: id })
    }
    templates.set(i, { receipt: template.success, contentSha256: contentSha256(draft) })
    accepted.push({ index: i, row, id: draft.id, agency: draft.agency, form: draft.series.form, symbol: draft.series.symbol })
  })
  if (templates.size > 0) kept.set(batchId, templates)
  return { batchId, accepted, rejects }
}

/** An XLSX row as the rejects file shows it: its cells by header. */
const cellsByHeader = (cells: ReadonlyArray<string>, header: ReadonlyArray<string>): Record<string, string> =>
  Object.fromEntries(header.map((h, c) => [h, cells[c] ?? ""]))

/** Parses and validates a batch; in issue mode keeps the templates for `sign`. */
export const prepareBatch = (
  setup: JobSetup,
  batchId: number,
  input: BatchInput,
  clock: { readonly now: string },
  kept: Kept
): Prepared => {
  const ctx: RowContext = {
    ...setup.ctx,
    now: clock.now,
    issue: setup.mode === "issue" && setup.approver !== undefined ? { approver: setup.approver, now: clock.now } : undefined
  }
  const accepted: Array<AcceptedRow> = []
  const rejects: Array<RejectedRow> = []
  const templates = new Map<number, Template>()
  if (input.kind === "stored") return prepareStored(setup, batchId, input, clock, kept)
  const count = input.kind === "records" ? input.batch.rows.length : input.rows.length
  for (let i = 0; i < count; i++) {
    let fields: RowFields | undefined
    let text = ""
    const row = (input.kind === "records" ? input.batch.rows[i] : input.rows[i]) as number
    let reasons: Array<string> = []
    if (input.kind === "records") {
      const bytes = input.batch.bytes.subarray(input.batch.starts[i] as number, input.batch.ends[i] as number)
      const decoded = decodeUtf8(bytes)
      if (decoded === undefined) {
        rejects.push({ row, reasons: [describeBadBytes(bytes)], input: Buffer.from(bytes).toString("latin1"), inputBase64: Buffer.from(bytes).toString("base64") })
        continue
      }
      text = decoded
      if (setup.format === "ndjson") {
        const parsed = fieldsOfJson(decoded)
        if (Result.isFailure(parsed)) reasons = parsed.failure
        else fields = parsed.success
      } else {
        const cells = parseCsvRecord(decoded, setup.delimiter)
        if (cells.length > setup.header.length && cells.slice(setup.header.length).some((c) => c.trim() !== "")) {
          reasons.push(`row: has ${cells.length} cells but the header has ${setup.header.length}; check the delimiter and the quotes`)
        }
        fields = fieldsOf(setup.mapping, cells)
      }
    } else {
      fields = fieldsOf(setup.mapping, input.cells[i] ?? [])
    }
    if (fields !== undefined) {
      const mapped = draftFromRow(fields, ctx)
      if (Result.isFailure(mapped)) reasons.push(...mapped.failure)
      else if (reasons.length === 0) {
        const d: Receipt = mapped.success.draft
        if (mapped.success.template !== undefined) templates.set(i, { receipt: mapped.success.template, contentSha256: null })
        accepted.push({
          index: i,
          row,
          id: d.id,
          agency: d.agency,
          form: d.series.form,
          symbol: d.series.symbol,
          ...(setup.mode === "drafts" ? { copyLine: draftCopyLine(d, clock.now) } : {}),
          ...(mapped.success.externalId === undefined
            ? {}
            : { external: { contentHash: contentHash(d), input: input.kind === "cells" ? cellsByHeader(input.cells[i] ?? [], setup.header) : text } })
        })
        continue
      }
    }
    rejects.push({ row, reasons, input: input.kind === "cells" ? cellsByHeader(input.cells[i] ?? [], setup.header) : text })
  }
  if (templates.size > 0) kept.set(batchId, templates)
  return { batchId, accepted, rejects }
}

const utf8 = new TextEncoder()

/** COPY text of signed receipts (store/receipts/receipt-rows.ts columns) and of their search entries (store/receipts/search-rows.ts). */
export interface SignedText {
  readonly receipts: string
  readonly search: string
}

/** Numbers and signs kept templates; the COPY text for `receipts` and for `receipt_search`. */
export const signBatch = async (
  sign: SignFn,
  templates: ReadonlyMap<number, Template>,
  items: ReadonlyArray<SignItem>
): Promise<SignedText> => {
  const hashes: Array<string | null> = []
  const receipts = items.map((item): IssuedReceipt => {
    const template = templates.get(item.index)
    if (template === undefined) throw new Error(`no prepared receipt at index ${item.index}`)
    hashes.push(template.contentSha256)
    return { ...template.receipt, number: item.number, lookupCode: item.lookupCode }
  })
  const texts = receipts.map(canonicalText)
  const bytes = texts.map((t) => utf8.encode(t))
  const signToken = sign.token
  // The QR token is signed with the seal and stored with the receipt (store/receipts/qr-token.ts).
  const [seals, tokens] = await Promise.all([
    Promise.all(receipts.map((r, i) => sign(r.agency, bytes[i] as Uint8Array))),
    signToken === undefined ? [] : Promise.all(receipts.map((r, i) => signToken(r, bytes[i] as Uint8Array)))
  ])
  let out = ""
  let search = ""
  for (let i = 0; i < receipts.length; i++) {
    const seal = seals[i]
    const receipt = receipts[i] as IssuedReceipt
    if (seal === undefined || Result.isFailure(seal)) throw new Error(seal === undefined ? "missing seal" : seal.failure.message)
    const token = tokens[i]
    if (token !== undefined && Result.isFailure(token)) throw new Error(token.failure.message)
    out += issuedCopyLine(issuedRow(receipt, seal.success, texts[i] as string, hashes[i] ?? null, token?.success ?? null))
    search += searchCopyLine(searchRow(receipt))
  }
  return { receipts: out, search }
}
