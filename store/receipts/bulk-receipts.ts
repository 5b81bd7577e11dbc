/**
 * Bulk persistence for jobs/ingest: which of a batch's ids are already
 * stored, drafts and issued receipts by COPY, pending drafts page by page,
 * and issuing stored drafts from COPY text through a temporary table.
 *
 * A COPY that breaks a unique constraint must not happen on PostgreSQL:
 * postgres.js never settles the COPY's promise when the server refuses the
 * data, so the transaction would only end at its deadline. So drafts go
 * through a staging table and `ON CONFLICT DO NOTHING`, and issued receipts
 * are written only after the series counter is locked and the batch's ids
 * and lookup codes are known to be free.
 */
import type { Receipt } from "../../domain/receipt.ts"
import { copyLine, type Sql } from "../database/db.ts"
import { contentSha256 } from "./content-hash.ts"
import { draftJson, issuedColumns, recordsetDefinition } from "./receipt-rows.ts"
import { searchColumns } from "./search-rows.ts"

export const draftColumns = [
  "agency", "id", "office", "form", "symbol", "status", "amount", "maker", "created_at", "draft", "status_by", "status_at", "content_sha256"
] as const

/**
 * The COPY line of a draft or a submitted draft; a submitted one carries
 * the hash of its content, which its approval must name.
 */
export const draftCopyLine = (d: Receipt, now: string): string =>
  copyLine([
    d.agency, d.id, d.office ?? null, d.series.form, d.series.symbol, d.status, d.amount.toString(10), d.maker, d.createdAt, draftJson(d), d.maker, now,
    d.status === "submitted" ? contentSha256(d) : null
  ])

export interface ReceiptKey {
  readonly agency: string
  readonly id: string
}

/** The ids among `keys` that are already stored (any status). */
export const existingIds = async (sql: Sql, keys: ReadonlyArray<ReceiptKey>): Promise<Set<string>> => {
  if (keys.length === 0) return new Set()
  const rows = await sql.query<{ id: string }>(
    `SELECT r.id::text AS id FROM jsonb_to_recordset($1::text::jsonb) AS x(agency text, id uuid)
       JOIN receipts r ON r.agency = x.agency AND r.id = x.id`,
    [JSON.stringify(keys)]
  )
  return new Set(rows.map((r) => r.id))
}

/** The stored content of `keys` (a draft's JSON or an issued receipt's canonical JSON), by id. */
export const storedContents = async (sql: Sql, keys: ReadonlyArray<ReceiptKey>): Promise<Map<string, unknown>> => {
  if (keys.length === 0) return new Map()
  const rows = await sql.query<{ id: string; content: string }>(
    `SELECT r.id::text AS id, coalesce(r.draft::text, r.canonical) AS content
       FROM json_to_recordset($1::text::json) AS x(agency text, id uuid)
       JOIN receipts r ON r.agency = x.agency AND r.id = x.id`,
    [JSON.stringify(keys.map((k) => ({ agency: k.agency, id: k.id })))]
  )
  return new Map(rows.map((r) => [r.id, JSON.parse(r.content) as unknown]))
}

const draftStaging = `CREATE TEMP TABLE IF NOT EXISTS bulk_draft_staging (
  agency text, id uuid, office text, form text, symbol text, status text, amount bigint, maker text,
  created_at timestamptz, draft jsonb, status_by text, status_at timestamptz, content_sha256 text) ON COMMIT DELETE ROWS`

/** Stores the drafts in `text` (COPY lines in `draftColumns` order) whose ids are free; returns the ids stored. */
export const copyDrafts = async (tx: Sql, text: string): Promise<Set<string>> => {
  await tx.exec(draftStaging)
  await tx.copyIn("bulk_draft_staging", draftColumns, text)
  const rows = await tx.query<{ id: string }>(
    `INSERT INTO receipts (${draftColumns.join(", ")}) SELECT ${draftColumns.join(", ")} FROM bulk_draft_staging
     ON CONFLICT (agency, id) DO NOTHING RETURNING id::text AS id`
  )
  return new Set(rows.map((r) => r.id))
}

/**
 * Makes sure the series has its counter row, in a statement of its own, so
 * that `lockSeries` always has a row to lock (the first reservation would
 * otherwise create it, and two jobs could both find nothing to wait for).
 */
export const ensureSeries = async (sql: Sql, series: { agency: string; form: string; symbol: string }): Promise<void> => {
  await sql.query(
    "INSERT INTO series_counter (agency, form, symbol) VALUES ($1::text, $2::text, $3::text) ON CONFLICT (agency, form, symbol) DO NOTHING",
    [series.agency, series.form, series.symbol]
  )
}

/** Takes the series counter's row lock, which every issuer of the series queues on (store/receipts/series-counter.ts). */
export const lockSeries = async (tx: Sql, series: { agency: string; form: string; symbol: string }): Promise<void> => {
  await tx.query(
    "SELECT last_number FROM series_counter WHERE agency = $1::text AND form = $2::text AND symbol = $3::text FOR UPDATE",
    [series.agency, series.form, series.symbol]
  )
}

/** The lookup codes among `codes` already used by the agency. */
export const takenLookupCodes = async (sql: Sql, agency: string, codes: ReadonlyArray<string>): Promise<Set<string>> => {
  if (codes.length === 0) return new Set()
  const rows = await sql.query<{ code: string }>(
    `SELECT r.lookup_code AS code FROM jsonb_array_elements_text($2::text::jsonb) AS c(code)
       JOIN receipts r ON r.lookup_code = c.code AND r.agency = $1::text`,
    [agency, JSON.stringify(codes)]
  )
  return new Set(rows.map((r) => r.code))
}

export const copyIssued = (tx: Sql, text: string): Promise<void> => tx.copyIn("receipts", issuedColumns, text)

/**
 * The search entries of receipts about to be COPYed (store/receipts/search-rows.ts),
 * written first so the insert trigger builds none. Their ids were checked
 * free under the series lock, like the receipts' own.
 */
export const copySearchEntries = (tx: Sql, text: string): Promise<void> => tx.copyIn("receipt_search", searchColumns, text)

export interface OfficerRow {
  readonly id: string
  readonly agency: string
  readonly role: string
  readonly active: boolean
}

/** Every officer, or none when the officers table (edge migration) is absent. */
export const loadOfficers = async (sql: Sql): Promise<Array<OfficerRow>> => {
  const [exists] = await sql.query<{ present: boolean }>("SELECT to_regclass('officers') IS NOT NULL AS present")
  if (!exists?.present) return []
  return sql.query<OfficerRow>("SELECT id, agency, role, disabled_at IS NULL AS active FROM officers")
}

export interface PendingDraft {
  readonly id: string
  readonly created_at: string
  /** The draft's JSON, with its status as the row says (submitted). */
  readonly draft: unknown
}

/**
 * The next page of an agency's submitted drafts created before `until`,
 * after the cursor, oldest first. Drafts their makers have not submitted
 * are never signed in bulk.
 */
export const pendingDrafts = (
  sql: Sql,
  agency: string,
  until: string | null,
  after: { readonly createdAt: string; readonly id: string } | null,
  limit: number
): Promise<Array<PendingDraft>> =>
  sql.query<PendingDraft>(
    `SELECT id::text AS id, iso_instant(created_at) AS created_at, draft || jsonb_build_object('status', status) AS draft FROM receipts
      WHERE agency = $1::text AND status = 'submitted'
        AND ($2::timestamptz IS NULL OR created_at < $2::timestamptz)
        AND ($3::timestamptz IS NULL OR (created_at, id) > ($3::timestamptz, $4::uuid))
      ORDER BY created_at, id LIMIT $5::integer`,
    [agency, until, after?.createdAt ?? null, after?.id ?? null, limit]
  )

export const countPendingDrafts = async (sql: Sql, agency: string, until: string | null): Promise<number> => {
  const [row] = await sql.query<{ n: number }>(
    `SELECT count(*)::integer AS n FROM receipts WHERE agency = $1::text AND status = 'submitted'
        AND ($2::timestamptz IS NULL OR created_at < $2::timestamptz)`,
    [agency, until]
  )
  return row?.n ?? 0
}

// Only while the draft is still submitted with the content that was signed (its hash).
const issueFromStaging = `
UPDATE receipts r SET
  ${issuedColumns.filter((c) => c !== "agency" && c !== "id").map((c) => `${c} = s.${c}`).join(", ")},
  draft = NULL
  FROM bulk_issue_staging s
 WHERE r.agency = s.agency AND r.id = s.id AND r.status = 'submitted' AND r.maker = s.maker AND r.content_sha256 = s.content_sha256
RETURNING r.id::text AS id`

/**
 * Turns stored submitted drafts into the issued rows in `text` (COPY lines
 * in `issuedColumns` order, each with the hash of the content it signs).
 * Returns the ids updated: a draft deleted, edited, withdrawn or issued
 * meanwhile is not among them.
 */
export const issueStoredDrafts = async (tx: Sql, text: string): Promise<Set<string>> => {
  await tx.exec(`CREATE TEMP TABLE IF NOT EXISTS bulk_issue_staging (${recordsetDefinition}) ON COMMIT DELETE ROWS`)
  await tx.copyIn("bulk_issue_staging", issuedColumns, text)
  return new Set((await tx.query<{ id: string }>(issueFromStaging)).map((r) => r.id))
}

export interface RunRecord {
  readonly kind: "ingest" | "sign"
  readonly agency: string | null
  readonly source: string
  readonly mode: "drafts" | "issue"
  /** `bienlai ingest`: the officer of the maker's token; null for `bienlai sign`. */
  readonly maker?: string | null | undefined
  readonly approver: string | null
  readonly startedAt: string
  readonly finishedAt: string
  readonly summary: unknown
}

export const recordRun = async (sql: Sql, run: RunRecord): Promise<void> => {
  await sql.query(
    `INSERT INTO ingest_runs (kind, agency, source, mode, maker, approver, started_at, finished_at, summary)
     VALUES ($1::text, $2::text, $3::text, $4::text, $5::text, $6::text, $7::timestamptz, $8::timestamptz, $9::text::jsonb)`,
    [run.kind, run.agency, run.source, run.mode, run.maker ?? null, run.approver, run.startedAt, run.finishedAt, JSON.stringify(run.summary)]
  )
}
