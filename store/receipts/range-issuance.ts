/**
 * Range reservation for bulk jobs (a payout to 43,000 victims is one job):
 * reserve k consecutive numbers and write exactly k receipts in the same
 * transaction, or nothing. The deferred `series_counter_filled` trigger
 * refuses to commit a reservation that is not filled exactly, whatever the
 * caller does. Rows go in with COPY, the fastest way into PostgreSQL,
 * streamed in chunks (the server loads one chunk while the next is signed)
 * into a staging table, then into receipts with one INSERT.
 */
import { Result } from "effect"
import type { IssuedReceipt } from "../../domain/receipt.ts"
import { sameSeries } from "../../domain/series-key.ts"
import { type IssueError, type IssueRequest, RangeRejected } from "../../domain/ports/receipt-store.ts"
import type { Db, Sql, TransactionOptions } from "../database/db.ts"
import { notWritten, numberAndSign, prepareIssue, type Prepared, RequestsRejected, seriesOf, type SignFn } from "./issuance.ts"
import { issuedColumns, issuedCopyLine } from "./receipt-rows.ts"
import { searchColumns, searchCopyLine } from "./search-rows.ts"
import { reserveNumbers, type SeriesKey } from "./series-counter.ts"
import { exhausted, issueFailure } from "./store-errors.ts"

class Exhausted extends Error {}

// The rows are copied into a staging table without constraints, then moved
// into receipts by one INSERT. postgres.js 3.4.9 never settles a COPY the
// server refuses once its stream has ended (a taken id or lookup code), so a
// COPY straight into receipts would hang until the deadline; the INSERT
// fails or succeeds like any statement, and issues stored drafts too.
const createStaging = `
CREATE TEMP TABLE IF NOT EXISTS issue_staging ON COMMIT DELETE ROWS AS
  SELECT ${issuedColumns.join(", ")} FROM receipts WITH NO DATA;
CREATE TEMP TABLE IF NOT EXISTS issue_search_staging ON COMMIT DELETE ROWS AS
  SELECT ${searchColumns.join(", ")} FROM receipt_search WITH NO DATA`

// As store/receipts/issuance.ts writeIssuedRows: a staged row naming approved content issues only the stored
// submitted draft with that content (locked first); one without is a new receipt, never over a stored row.
const moveStaged = `
WITH locked AS (
  SELECT r.agency, r.id FROM issue_staging k
  CROSS JOIN LATERAL (SELECT d.agency, d.id, d.status, d.content_sha256 FROM receipts d WHERE d.agency = k.agency AND d.id = k.id OFFSET 0 FOR UPDATE) r
   WHERE k.content_sha256 IS NOT NULL AND r.status = 'submitted' AND r.content_sha256 = k.content_sha256
), written AS (
  INSERT INTO receipts (${issuedColumns.join(", ")})
  SELECT ${issuedColumns.join(", ")} FROM issue_staging x
   WHERE x.content_sha256 IS NULL OR EXISTS (SELECT 1 FROM locked l WHERE l.agency = x.agency AND l.id = x.id)
  ON CONFLICT (agency, id) DO UPDATE SET
    ${issuedColumns.filter((c) => c !== "agency" && c !== "id").map((c) => `${c} = excluded.${c}`).join(", ")},
    draft = NULL
  WHERE receipts.status = 'submitted' AND receipts.content_sha256 = excluded.content_sha256
  RETURNING agency, id
), searched AS (
  INSERT INTO receipt_search (${searchColumns.join(", ")})
  SELECT ${searchColumns.join(", ")} FROM issue_search_staging
   WHERE (agency, id) IN (SELECT agency, id FROM written)
  ON CONFLICT (agency, id) DO NOTHING
)
SELECT count(*)::integer AS written FROM written`

const refusedStaged = `
SELECT s.id::text AS id FROM issue_staging s
 WHERE NOT EXISTS (SELECT 1 FROM receipts r WHERE r.agency = s.agency AND r.id = s.id AND r.lookup_code = s.lookup_code)`


/** Receipts signed per COPY chunk: the database loads one chunk while the next is signed. */
const CHUNK = 1_000

/** A deadline that grows with the range: a minute, plus a second per thousand receipts. */
const rangeTimeoutMs = (k: number) => 60_000 + k

/**
 * COPY lines for `members` numbered from `first`, signed chunk by chunk; the
 * receipts are pushed to `out` and their search entries' COPY lines to `search`.
 */
async function* signedLines(
  members: ReadonlyArray<Prepared>,
  first: number,
  sign: SignFn,
  out: Array<IssuedReceipt>,
  search: Array<string>
): AsyncGenerator<string> {
  for (let start = 0; start < members.length; start += CHUNK) {
    const chunk = await numberAndSign(members.slice(start, start + CHUNK), first + start, sign).catch((error: unknown) => {
      throw error instanceof RequestsRejected
        ? new RequestsRejected(new Map([...error.rejected].map(([i, e]) => [start + i, e])))
        : error
    })
    out.push(...chunk.receipts)
    search.push(chunk.search.map(searchCopyLine).join(""))
    yield chunk.rows.map(issuedCopyLine).join("")
  }
}

/**
 * Reserves `k` numbers of `series` and runs `fill(tx, first)`, which must
 * write the receipts first .. first + k - 1 in `tx`. All or nothing.
 */
export const withReservedRange = <A>(
  db: Db,
  series: SeriesKey,
  k: number,
  fill: (tx: Sql, first: number) => Promise<A>,
  options: TransactionOptions = {}
): Promise<A> =>
  db.transaction(async (tx) => {
    const { first, granted } = await reserveNumbers(tx, series, k)
    if (granted < k) throw new Exhausted()
    return fill(tx, first)
  }, options)

const refuse = (failures: Array<{ index: number; message: string }>): RangeRejected =>
  new RangeRejected({
    failures,
    message: `the range was refused and nothing was issued: ${failures.length} request(s) are invalid, first #${failures[0]?.index}: ${
      failures[0]?.message
    }`
  })

/** Validates every request up front: one series, no replacements, each issuable. */
const prepareRange = (requests: ReadonlyArray<IssueRequest>): Result.Result<Array<Prepared>, IssueError | RangeRejected> => {
  const failures: Array<{ index: number; message: string }> = []
  const prepared: Array<Prepared> = []
  const head = requests[0]?.draft
  requests.forEach((request, index) => {
    const { draft } = request
    if (head !== undefined && !sameSeries(seriesOf(draft), seriesOf(head))) {
      failures.push({ index, message: `belongs to ${draft.agency} ${draft.series.form} ${draft.series.symbol}, not to the range's series ${head.agency} ${head.series.form} ${head.series.symbol}` })
      return
    }
    if (draft.replaces !== undefined) {
      failures.push({ index, message: "a replacement receipt is issued on its own, not in a bulk range" })
      return
    }
    const p = prepareIssue(request)
    if (Result.isFailure(p)) failures.push({ index, message: p.failure.message })
    else prepared.push(p.success)
  })
  return failures.length > 0 ? Result.fail(refuse(failures)) : Result.succeed(prepared)
}

export const issueRange = async (
  db: Db,
  sign: SignFn,
  requests: ReadonlyArray<IssueRequest>
): Promise<Result.Result<ReadonlyArray<IssuedReceipt>, IssueError | RangeRejected>> => {
  const prepared = prepareRange(requests)
  if (Result.isFailure(prepared)) return Result.fail(prepared.failure)
  const members = prepared.success
  const head = members[0]
  if (head === undefined) return Result.succeed([])
  const series = seriesOf(head.template)
  try {
    const receipts = await withReservedRange(db, series, members.length, async (tx, first) => {
      const signed: Array<IssuedReceipt> = []
      const search: Array<string> = []
      await tx.exec(createStaging)
      await tx.copyIn("issue_staging", issuedColumns, signedLines(members, first, sign, signed, search))
      await tx.copyIn("issue_search_staging", searchColumns, search.join(""))
      const [result] = await tx.query<{ written: number }>(moveStaged)
      if (result?.written !== members.length) {
        const refused = new Set((await tx.query<{ id: string }>(refusedStaged)).map((r) => r.id))
        throw new RequestsRejected(new Map(signed.flatMap((r, i) =>
          refused.has(r.id) ? [[i, notWritten(r, members[i]?.request.contentHash ?? null)] as const] : []
        )))
      }
      return signed
    }, { timeoutMs: rangeTimeoutMs(members.length) })
    return Result.succeed(receipts)
  } catch (error) {
    if (error instanceof Exhausted) return Result.fail(exhausted(series))
    if (error instanceof RequestsRejected) {
      return Result.fail(refuse([...error.rejected].map(([index, e]) => ({ index, message: e.message }))))
    }
    return Result.fail(issueFailure(head.template.agency, head.template.id, error))
  }
}
