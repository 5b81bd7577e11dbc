/**
 * Writing prepared batches, in file order, one transaction per series and
 * batch (store/ingest/series-batch.ts: lock the counter, leave out rows
 * already stored, reserve exactly as many numbers as receipts written, sign,
 * COPY, commit). A job killed at any moment therefore leaves whole batches
 * or nothing, and numbering without gaps.
 *
 * The pieces, one job each under commit/: the batch's rows, repeats set
 * aside and grouped by series (batch-rows.ts; conflicts with stored content
 * in content-conflicts.ts), lookup codes (lookup-codes.ts), signing on the
 * workers (worker-signing.ts) and ahead of time (sign-ahead.ts), and the
 * numbers used per series (series-usage.ts). This file only runs them in
 * order and retries what may be retried.
 */
import { Result } from "effect"
import type { Db } from "../../store/database/db.ts"
import { sqlState } from "../../store/database/db.ts"
import { copyDrafts } from "../../store/receipts/bulk-receipts.ts"
import { DraftsChanged, type SeriesBatchSteps, writeSeriesBatch } from "../../store/ingest/series-batch.ts"
import type { Part } from "./parts.ts"
import type { WorkPool } from "./pool.ts"
import { repeatConflicts, storedConflicts } from "./content-conflicts.ts"
import type { RejectedRow } from "./work.ts"
import { batchRows, groupBySeries, type Held } from "./commit/batch-rows.ts"
import { freshCodes, type RandomBytes } from "./commit/lookup-codes.ts"
import { makeSignAhead } from "./commit/sign-ahead.ts"
import { makeSeriesTally, type SeriesUsage } from "./commit/series-usage.ts"
import { signItems, signOnWorkers } from "./commit/worker-signing.ts"

export type { SeriesUsage } from "./commit/series-usage.ts"

export interface CommitCounts {
  readonly inserted: number
  readonly duplicates: number
  /** Rows whose external id is stored (or earlier in the batch) with other content: rejected, nothing written. */
  readonly conflicts: ReadonlyArray<RejectedRow>
  /** Issue mode from stored drafts: drafts that changed under the job and were left as they are. */
  readonly skipped: number
}

export interface Committer {
  /**
   * Writes the parts of one batch (in file order); releases them on their
   * workers. `next`, the following batch when it is already prepared, is
   * signed ahead while this one is written (commit/sign-ahead.ts).
   */
  readonly commit: (parts: ReadonlyArray<Part>, next?: ReadonlyArray<Part>) => Promise<CommitCounts>
  readonly series: () => ReadonlyArray<SeriesUsage>
  /** Waits for signing still under way for a batch that will not be written (before the pool closes). */
  readonly settled: () => Promise<void>
}

/** Raised when the job cannot go on; what was committed before stays. */
export class CommitFailed extends Error {}

const MAX_ATTEMPTS = 5
const isUniqueViolation = (error: unknown): boolean => sqlState(error) === "23505"

/** What one series of a batch added up to; `skipped`: stored drafts that changed and were left out. */
interface SeriesCounts {
  readonly inserted: number
  readonly duplicates: number
  readonly conflicts: ReadonlyArray<RejectedRow>
  readonly skipped: ReadonlyArray<string>
}

export const makeCommitter = (opts: {
  readonly db: Db
  readonly pool: WorkPool
  /** New drafts from a file, new issued receipts from a file, or stored drafts issued. */
  readonly target: "drafts" | "issue" | "issue-stored"
  readonly randomBytes: RandomBytes
}): Committer => {
  const { db, pool } = opts
  const tally = makeSeriesTally()
  const ahead = makeSignAhead(pool, opts.randomBytes)

  /** Drafts mode: every pending row by one COPY; the ids already stored are duplicates or conflicts. */
  const writeDrafts = async (pending: ReadonlyArray<Held>): Promise<SeriesCounts> => {
    const text = pending.map((r) => r.copyLine ?? "").join("")
    const stored = await db.transaction((tx) => copyDrafts(tx, text))
    const conflicts = await storedConflicts(db, pending.filter((r) => !stored.has(r.id)))
    return { inserted: stored.size, duplicates: pending.length - stored.size - conflicts.length, conflicts, skipped: [] }
  }

  /** Issue modes: the rows of one series in one transaction; `next` is signed ahead when this series may continue into it. */
  const writeSeries = async (group: ReadonlyArray<Held>, parts: ReadonlyArray<Part>, next: ReadonlyArray<Part> | undefined): Promise<SeriesCounts> => {
    const head = group[0]
    if (head === undefined) return { inserted: 0, duplicates: 0, conflicts: [], skipped: [] }
    const series = { agency: head.agency, form: head.form, symbol: head.symbol }
    const steps: SeriesBatchSteps<Held, RejectedRow> = {
      conflicts: storedConflicts,
      sign: async (tx, first, fresh) => {
        const signFresh = async () => signOnWorkers(pool, parts, fresh, signItems(fresh, first, await freshCodes(tx, opts.randomBytes, series.agency, fresh.length)))
        const headStart = await ahead.claim(tx, series, first, fresh)
        const signing = headStart !== undefined ? headStart.text : signFresh()
        // Queued on the workers behind this batch's signing, so it runs while this batch is written.
        ahead.start(opts.target === "issue" ? next : undefined, series, first + fresh.length)
        return (await signing) ?? (await signFresh())
      }
    }
    const written = await writeSeriesBatch(db, series, group, opts.target === "issue-stored" ? "issue-stored" : "issue", steps)
    if (Result.isFailure(written)) {
      const failure = written.failure
      // Rolled back, so their numbers returned: the caller retries without the drafts that changed.
      if (failure instanceof DraftsChanged) return { inserted: 0, duplicates: 0, conflicts: [], skipped: failure.ids }
      throw new CommitFailed(failure.message)
    }
    const done = written.success
    if (done.fresh.length > 0) tally.note(series, done.first, done.fresh.length)
    return { inserted: done.fresh.length, duplicates: done.duplicates, conflicts: done.conflicts, skipped: [] }
  }

  const commit = async (parts: ReadonlyArray<Part>, next?: ReadonlyArray<Part>): Promise<CommitCounts> => {
    const { all, pending: unique, first, repeats } = batchRows(parts)
    let pending = unique
    const conflicts = repeatConflicts(first, repeats)
    let duplicates = all.length - pending.length - conflicts.length
    let skipped = 0
    let inserted = 0
    const add = (c: SeriesCounts) => {
      inserted += c.inserted
      duplicates += c.duplicates
      skipped += c.skipped.length
      conflicts.push(...c.conflicts)
    }
    try {
      for (let attempt = 1; pending.length > 0; attempt++) {
        try {
          if (opts.target === "drafts") {
            add(await writeDrafts(pending))
            pending = []
            continue
          }
          // Series by series; a finished series is not redone on a retry.
          const groups = groupBySeries(pending)
          for (const [g, group] of groups.entries()) {
            // Only the last series of this batch can continue into the next batch.
            const c = await writeSeries(group, parts, g === groups.length - 1 ? next : undefined)
            add(c)
            const gone = new Set(c.skipped)
            // Drafts that changed are left out; the rest of their series is written on the next attempt.
            const finished = gone.size > 0 ? gone : new Set(group.map((r) => r.id))
            pending = pending.filter((r) => !finished.has(r.id))
            if (gone.size > 0) {
              if (attempt >= MAX_ATTEMPTS) throw new CommitFailed(`drafts kept changing while they were being issued (${attempt} attempts)`)
              break
            }
          }
        } catch (error) {
          // A unique violation (an id stored in another series meanwhile, say): look again.
          if (attempt >= MAX_ATTEMPTS || !isUniqueViolation(error)) throw error
        }
      }
    } finally {
      if (opts.target !== "drafts") await Promise.all(parts.map((p) => pool.release(p.worker, p.prepared.batchId)))
    }
    return { inserted, duplicates, skipped, conflicts: conflicts.sort((a, b) => a.row - b.row) }
  }

  return { commit, series: tally.usage, settled: ahead.settled }
}
