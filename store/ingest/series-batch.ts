/**
 * One bulk batch's rows of one series, issued in one transaction (jobs/ingest
 * writes a batch series by series with it). The transaction locks the series
 * counter, leaves out the rows already stored (a rerun, a resumed job,
 * another run of the same file), reserves exactly as many numbers as it
 * writes receipts (the deferred `series_counter_filled` trigger refuses
 * anything else), has the rows signed, COPYs them and commits. A job killed
 * at any moment therefore leaves whole batches or nothing, and numbering
 * without gaps.
 *
 * Ids and lookup codes are checked under the lock rather than left to the
 * unique constraints: a COPY refused by PostgreSQL would not end before the
 * transaction's deadline (store/receipts/bulk-receipts.ts).
 *
 * What the job knows and the store does not (which stored rows conflict with
 * the file, how rows are signed) comes in as `steps`. The outcomes that are
 * not errors of the database come back as a Result: a series with no numbers
 * left, or stored drafts that changed under the job (rolled back, so their
 * numbers return; the caller retries without them).
 */
import { Result, Schema } from "effect"
import type { SeriesExhausted } from "../../domain/ports/receipt-store.ts"
import type { SeriesId } from "../../domain/series-key.ts"
import type { Db, Sql } from "../database/db.ts"
import { transactionResult } from "../database/transaction-result.ts"
import { copyIssued, copySearchEntries, ensureSeries, existingIds, issueStoredDrafts, lockSeries, type ReceiptKey } from "../receipts/bulk-receipts.ts"
import { reserveNumbers } from "../receipts/series-counter.ts"
import { exhausted } from "../receipts/store-errors.ts"

/** Stored drafts that changed (edited, withdrawn, deleted, issued) while they were being issued in bulk. */
export class DraftsChanged extends Schema.TaggedError<DraftsChanged>()("DraftsChanged", {
  ids: Schema.Array(Schema.String),
  message: Schema.String
}) {}

/** COPY text of signed receipts (store/receipts/receipt-rows.ts columns) and of their search entries (store/receipts/search-rows.ts). */
export interface CopyText {
  readonly receipts: string
  readonly search: string
}

export interface SeriesBatchSteps<R extends ReceiptKey, C> {
  /** Among `stored` (rows whose id is already in the database), those whose stored content is not theirs. */
  readonly conflicts: (tx: Sql, stored: ReadonlyArray<R>) => Promise<ReadonlyArray<C>>
  /** The COPY text of `fresh` numbered from `first` in this order, with lookup codes unused by the agency (checked on `tx`). */
  readonly sign: (tx: Sql, first: number, fresh: ReadonlyArray<R>) => Promise<CopyText>
}

export interface SeriesBatchWritten<R, C> {
  /** The first number used (0 when nothing was written). */
  readonly first: number
  /** The rows written, numbered first, first + 1, ... */
  readonly fresh: ReadonlyArray<R>
  /** Rows already stored with the same content. */
  readonly duplicates: number
  readonly conflicts: ReadonlyArray<C>
}

/**
 * Issues `rows` (one series, `series`) in one transaction: new receipts from
 * a file (`issue`), or stored submitted drafts (`issue-stored`, whose rows
 * are all stored already and are updated only while unchanged).
 */
export const writeSeriesBatch = async <R extends ReceiptKey, C>(
  db: Db,
  series: SeriesId,
  rows: ReadonlyArray<R>,
  target: "issue" | "issue-stored",
  steps: SeriesBatchSteps<R, C>
): Promise<Result.Result<SeriesBatchWritten<R, C>, SeriesExhausted | DraftsChanged>> => {
  if (rows.length === 0) return Result.succeed({ first: 0, fresh: [], duplicates: 0, conflicts: [] })
  await ensureSeries(db, series)
  return transactionResult(db, async (tx): Promise<Result.Result<SeriesBatchWritten<R, C>, SeriesExhausted | DraftsChanged>> => {
    await lockSeries(tx, series)
    const stored = target === "issue" ? await existingIds(tx, rows) : new Set<string>()
    const fresh = rows.filter((r) => !stored.has(r.id))
    const conflicts = await steps.conflicts(tx, rows.filter((r) => stored.has(r.id)))
    const duplicates = stored.size - conflicts.length
    if (fresh.length === 0) return Result.succeed({ first: 0, fresh, duplicates, conflicts })
    const { first, granted } = await reserveNumbers(tx, series, fresh.length)
    if (granted < fresh.length) return Result.fail(exhausted(series))
    const signed = await steps.sign(tx, first, fresh)
    if (target === "issue-stored") {
      // Stored drafts keep their search entries; issuing does not change what they are found by.
      const updated = await issueStoredDrafts(tx, signed.receipts)
      if (updated.size !== fresh.length) {
        const changed = fresh.filter((r) => !updated.has(r.id)).map((r) => r.id)
        return Result.fail(new DraftsChanged({ ids: changed, message: `${changed.length} draft(s) changed while they were being issued` }))
      }
    } else {
      // Entries first: the insert trigger then finds them and builds none (migration 0105).
      await copySearchEntries(tx, signed.search)
      await copyIssued(tx, signed.receipts)
    }
    return Result.succeed({ first, fresh, duplicates, conflicts })
  })
}
