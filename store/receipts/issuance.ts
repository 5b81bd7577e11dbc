/**
 * One issuance transaction for a group of requests in one series: reserve a
 * block of numbers, sign each receipt (after numbering, since the number is
 * inside the signed bytes), write every row, mark replaced originals, commit
 * once. Requests are validated before any number is reserved; a request the
 * database still refuses aborts the transaction with `RequestsRejected`, and
 * the caller retries the others, so the numbers stay gap-free.
 */
import { Effect, Result, Schema } from "effect"
import { issue, issuedShape } from "../../domain/lifecycle.ts"
import { IsoInstant, vietnamDateOf } from "../../domain/dates.ts"
import type { IssuedReceipt, Receipt } from "../../domain/receipt.ts"
import { LookupCode, OfficerId, symbolYear } from "../../domain/receipt.ts"
import { type IssueError, type IssueRequest, StoreConflict, SymbolYearMismatch } from "../../domain/ports/receipt-store.ts"
import type { Sql } from "../database/db.ts"
import { contentSha256 } from "./content-hash.ts"
import { canonicalText, issuedColumns, issuedRow, type IssuedRow, recordsetDefinition } from "./receipt-rows.ts"
import type { SignWithToken } from "./qr-token.ts"
import { insertSearchEntries, searchRow, type SearchRow } from "./search-rows.ts"
import { reserveNumbers, type SeriesKey } from "./series-counter.ts"

/** The Signer port's `sign`, as is: a group's signatures run as one Effect (numberAndSign); with `token`, the QR tokens are signed and stored too (qr-token.ts). */
export type SignFn = SignWithToken

/** A validated request: the issued receipt as it will be, with a placeholder number. */
export interface Prepared {
  readonly request: IssueRequest
  readonly template: IssuedReceipt
}

/** The series of a request's template (domain/series-key.ts). */
export { seriesOf } from "../../domain/series-key.ts"

const isOfficerId = Schema.is(OfficerId)
const isLookupCode = Schema.is(LookupCode)
const isIsoInstant = Schema.is(IsoInstant)

/**
 * `lifecycle.issue` without decoding the whole receipt again, which costs
 * about 60–90 µs a receipt, most of the issuance path's CPU. A `Receipt`
 * value is valid by construction: createDraft and editDraft validate it, and
 * the store decodes every row it reads. So only what issuing adds is checked
 * here, by the same schemas and rules as `lifecycle.issue`. `undefined` means
 * "not sure": the caller then asks `lifecycle.issue`, which names the
 * problem. test/store/issuance.test.ts checks both agree.
 */
export const issueChecked = (
  draft: Receipt,
  ctx: { readonly approver: string; readonly number: number; readonly lookupCode: string; readonly now: string }
): IssuedReceipt | undefined => {
  if (draft.status !== "submitted" || draft.number !== undefined || ctx.approver === draft.maker) return undefined
  if (!isOfficerId(ctx.approver) || !isLookupCode(ctx.lookupCode) || !isIsoInstant(ctx.now) || ctx.now < draft.createdAt) {
    return undefined
  }
  if (!Number.isInteger(ctx.number) || ctx.number < 1 || ctx.number > 9_999_999) return undefined
  const day = vietnamDateOf(ctx.now)
  if (symbolYear(draft.series.symbol) !== Number(day.slice(0, 4))) return undefined
  const decided = draft.case.decisionDate
  if (decided !== undefined && decided > day) return undefined
  return issuedShape(draft, ctx)
}

/** The refusal when a draft is not (or no longer) the content its approver approved. */
export const contentChanged = (draft: Receipt): StoreConflict =>
  new StoreConflict({
    agency: draft.agency,
    id: draft.id,
    reason: "content_changed",
    message: `the draft for ${draft.payer.name} changed after it was approved (edited, withdrawn, deleted or submitted again): ` +
      "nothing was issued; open it again, check what it says now and approve that"
  })

/** Everything that can be checked without the database, before a number is taken. */
export const prepareIssue = (request: IssueRequest): Result.Result<Prepared, IssueError> => {
  const { draft } = request
  // The approval names content: the request must carry exactly that content (the store then checks the stored row has it too).
  if (request.contentHash !== undefined && (draft.status !== "submitted" || contentSha256(draft) !== request.contentHash)) {
    return Result.fail(draft.status === "submitted" ? contentChanged(draft) : notSubmittedYet(draft))
  }
  const issueYear = Number(vietnamDateOf(request.now).slice(0, 4))
  const year = symbolYear(draft.series.symbol)
  if (year !== issueYear) {
    return Result.fail(
      new SymbolYearMismatch({
        agency: draft.agency,
        symbol: draft.series.symbol,
        symbolYear: year,
        issueYear,
        message: `series ${draft.series.symbol} belongs to ${year} and cannot take receipts issued in ${issueYear}; ` +
          `issue into a symbol of ${issueYear} such as ${draft.series.symbol.slice(0, 3)}${String(issueYear).slice(2)}E, ` +
          "whose numbering starts at 1"
      })
    )
  }
  // The placeholder number is valid; the real one (also 1..9,999,999) replaces it after reservation.
  const ctx = { approver: request.approver, number: 1, lookupCode: request.lookupCode, now: request.now }
  const checked = issueChecked(draft, ctx)
  if (checked !== undefined) return Result.succeed({ request, template: checked })
  return Result.map(issue(draft, ctx), (template) => ({ request, template }))
}

// A request naming content, for a draft that is not submitted: the lifecycle's own refusal.
const notSubmittedYet = (draft: Receipt): IssueError => {
  const refused = issue(draft, { approver: "x.checker", number: 1, lookupCode: "000000000000", now: draft.createdAt })
  return Result.isFailure(refused) ? refused.failure : contentChanged(draft)
}

/** Per-request refusals found inside a transaction, keyed by position in the group. */
export class RequestsRejected extends Error {
  readonly rejected: ReadonlyMap<number, IssueError>
  constructor(rejected: ReadonlyMap<number, IssueError>) {
    super(`${rejected.size} request(s) refused by the database`)
    this.rejected = rejected
  }
}

/**
 * The rows of `$1` (recordset JSON of `issuedColumns`) written into
 * receipts, as a sibling CTE `written`, given a CTE `locked` of the stored
 * drafts that may be issued. A row with a content hash (an approval of a
 * stored draft) only updates the draft it names, and only while that draft
 * is submitted with exactly that content: `locked` holds it under FOR
 * UPDATE, so it cannot change or vanish before the update, and the INSERT
 * never creates a receipt the approver did not see stored. A row without
 * one (a bulk file issued directly) is a new receipt and never overwrites a
 * stored row.
 */
export const writeIssuedRows = (rowsParam: string, alsoWhen = "true"): string => `
written AS (
  INSERT INTO receipts (${issuedColumns.join(", ")})
  SELECT ${issuedColumns.join(", ")} FROM json_to_recordset(${rowsParam}::text::json) AS x(${recordsetDefinition})
   WHERE ${alsoWhen} AND (x.content_sha256 IS NULL OR EXISTS (SELECT 1 FROM locked l WHERE l.agency = x.agency AND l.id = x.id))
  ON CONFLICT (agency, id) DO UPDATE SET
    ${issuedColumns.filter((c) => c !== "agency" && c !== "id").map((c) => `${c} = excluded.${c}`).join(", ")},
    draft = NULL
  WHERE receipts.status = 'submitted' AND receipts.content_sha256 = excluded.content_sha256
  RETURNING agency, id
)`

/** The CTE `locked`: the submitted drafts named by `$keysParam` ([{agency, id, content_sha256}]) that still hold that content. */
// One primary-key lookup per key (LATERAL), never a scan of the agency's submitted drafts: with the
// status in the lookup the planner walked the partial index of submitted drafts (agency, created_at, id)
// for every key (OFFSET 0 keeps the status out of the lookup). The row is locked by its key alone; its
// status and hash are checked on the locked,
// latest version.
export const lockApprovedDrafts = (keysParam: string): string => `
locked AS (
  SELECT r.agency, r.id FROM jsonb_to_recordset(${keysParam}::text::jsonb) AS k(agency text, id uuid, content_sha256 text)
  CROSS JOIN LATERAL (SELECT d.agency, d.id, d.status, d.content_sha256 FROM receipts d WHERE d.agency = k.agency AND d.id = k.id OFFSET 0 FOR UPDATE) r
   WHERE r.status = 'submitted' AND r.content_sha256 = k.content_sha256
)`

/** `lockApprovedDrafts`'s parameter for these rows: only those that name approved content. */
export const approvedKeys = (rows: ReadonlyArray<IssuedRow>): string =>
  JSON.stringify(rows.filter((r) => r.content_sha256 !== null).map((r) => ({ agency: r.agency, id: r.id, content_sha256: r.content_sha256 })))

const upsertIssued = `
WITH ${lockApprovedDrafts("$3")}, ${writeIssuedRows("$1")}, searched AS (
  ${insertSearchEntries("$2")}
)
SELECT id::text AS id FROM written`

const markReplaced = `
UPDATE receipts o
   SET status = 'replaced', replaced_by_id = x.replacement_id, status_by = x.by, status_at = x.at
  FROM jsonb_to_recordset($1::text::jsonb)
       AS x(agency text, original_id uuid, form text, symbol text, number integer, replacement_id uuid, by text, at timestamptz)
 WHERE o.agency = x.agency AND o.id = x.original_id AND o.status = 'issued'
   AND o.form = x.form AND o.symbol = x.symbol AND o.number = x.number
RETURNING x.replacement_id::text AS id`

const utf8 = new TextEncoder()

/** What one transaction produced; `built` is filled before COMMIT so a lost connection can be resolved. */
export interface GroupOutcome {
  readonly issued: ReadonlyArray<IssuedReceipt>
  /** Members from this index on got no number: the series is exhausted. */
  readonly exhaustedFrom: number
}

/** Numbers, signs and builds the rows for `members`; throws RequestsRejected on signing failures. */
export const numberAndSign = async (
  members: ReadonlyArray<Prepared>,
  first: number,
  sign: SignFn
): Promise<{ receipts: Array<IssuedReceipt>; rows: Array<IssuedRow>; search: Array<SearchRow> }> => {
  const unsigned = members.map((p, i): IssuedReceipt => ({ ...p.template, number: first + i }))
  const texts = unsigned.map(canonicalText)
  // The whole group's signatures are one Effect, run once here where the driver's transaction callback
  // (a Promise) needs them: not one runtime entry per receipt.
  const signToken = sign.token
  const [seals, tokens] = await Promise.all([
    Effect.runPromise(Effect.forEach(unsigned, (r, i) => Effect.result(sign(r.agency, utf8.encode(texts[i]))), { concurrency: "unbounded" })),
    signToken === undefined ? [] : Effect.runPromise(Effect.forEach(unsigned, (r) => Effect.result(signToken(r)), { concurrency: "unbounded" }))
  ])
  const rejected = new Map<number, IssueError>()
  const receipts: Array<IssuedReceipt> = []
  const rows: Array<IssuedRow> = []
  const search: Array<SearchRow> = []
  seals.forEach((seal, i) => {
    const receipt = unsigned[i] as IssuedReceipt
    if (Result.isFailure(seal)) return void rejected.set(i, seal.failure)
    const token = tokens[i]
    if (token !== undefined && Result.isFailure(token)) return void rejected.set(i, token.failure)
    receipts.push({ ...receipt, seal: seal.success })
    rows.push(issuedRow(receipt, seal.success, texts[i] as string, members[i]?.request.contentHash ?? null, token?.success ?? null))
    search.push(searchRow(receipt))
  })
  if (rejected.size > 0) throw new RequestsRejected(rejected)
  return { receipts, rows, search }
}

/** Why a row was not written: its draft changed since approval, or (no approval named) the id is taken. */
export const notWritten = (r: IssuedReceipt, contentHash: string | null): StoreConflict =>
  contentHash !== null
    ? contentChanged(r)
    : new StoreConflict({
      agency: r.agency,
      id: r.id,
      reason: "already_issued",
      message: `receipt ${r.id} of agency ${r.agency} is already stored (issued, or a stored draft, which only an approval of its content issues); it was not issued again`
    })

export const issueGroup = async (
  tx: Sql,
  series: SeriesKey,
  members: ReadonlyArray<Prepared>,
  sign: SignFn,
  built: Array<IssuedReceipt>
): Promise<GroupOutcome> => {
  const { first, granted } = await reserveNumbers(tx, series, members.length)
  if (granted === 0) return { issued: [], exhaustedFrom: 0 }
  const numbered = members.slice(0, granted)
  const { receipts, rows, search } = await numberAndSign(numbered, first, sign)

  const rejected = new Map<number, IssueError>()
  const written = new Set(
    (await tx.query<{ id: string }>(upsertIssued, [JSON.stringify(rows), JSON.stringify(search), approvedKeys(rows)], { prepare: true })).map((r) => r.id)
  )
  receipts.forEach((r, i) => {
    if (!written.has(r.id)) rejected.set(i, notWritten(r, (rows[i]?.content_sha256 ?? null) as string | null))
  })
  if (rejected.size > 0) throw new RequestsRejected(rejected)

  const replacements = receipts.flatMap((r) =>
    r.replaces === undefined ? [] : [{
      agency: r.agency,
      original_id: r.replaces.id,
      form: r.replaces.series.form,
      symbol: r.replaces.series.symbol,
      number: r.replaces.number,
      replacement_id: r.id,
      by: r.approver,
      at: r.issuedAt
    }]
  )
  if (replacements.length > 0) {
    const marked = new Set((await tx.query<{ id: string }>(markReplaced, [JSON.stringify(replacements)])).map((r) => r.id))
    receipts.forEach((r, i) => {
      if (r.replaces !== undefined && !marked.has(r.id)) {
        rejected.set(i, new StoreConflict({
          agency: r.agency,
          id: r.id,
          reason: "original_not_issued",
          message: `the receipt it replaces (${r.replaces.series.symbol} ${r.replaces.number}) is not issued any more ` +
            "(voided or replaced meanwhile, or replaced twice in one go); only an issued receipt can be replaced"
        }))
      }
    })
    if (rejected.size > 0) throw new RequestsRejected(rejected)
  }
  built.push(...receipts)
  return { issued: receipts, exhaustedFrom: granted }
}
