/**
 * Writing prepared batches, in file order, one transaction per series and
 * batch. In issue mode each transaction reserves exactly as many numbers as
 * it writes receipts (the deferred `series_counter_filled` trigger refuses
 * anything else), so a job killed at any moment leaves whole batches or
 * nothing, and numbering without gaps. Rows whose id is already stored are
 * counted as already present; if another run stores one meanwhile, the
 * transaction fails on the primary key and is retried without it.
 */
import type { Db } from "../../store/db.ts"
import { sqlState } from "../../store/db.ts"
import { lookupCodeFromBytes } from "../../domain/ids.ts"
import { copyDrafts, copyIssued, existingIds, issueStoredDrafts } from "../../store/bulk-receipts.ts"
import { reserveNumbers } from "../../store/series-counter.ts"
import { exhausted } from "../../store/store-errors.ts"
import type { WorkPool } from "./pool.ts"
import type { AcceptedRow, Prepared } from "./work.ts"

export interface SeriesUsage {
  readonly agency: string
  readonly form: string
  readonly symbol: string
  count: number
  first: number
  last: number
}

export interface CommitCounts {
  readonly inserted: number
  readonly duplicates: number
  /** Issue mode from stored drafts: drafts that changed under the job and were left as they are. */
  readonly skipped: number
}

export interface Committer {
  readonly commit: (prepared: Prepared, worker: number) => Promise<CommitCounts>
  readonly series: () => ReadonlyArray<SeriesUsage>
}

/** Raised when the job cannot go on; what was committed before stays. */
export class CommitFailed extends Error {}

const MAX_ATTEMPTS = 5
const isUniqueViolation = (error: unknown): boolean => sqlState(error) === "23505"

const groupBySeries = (rows: ReadonlyArray<AcceptedRow>): Array<Array<AcceptedRow>> => {
  const groups = new Map<string, Array<AcceptedRow>>()
  for (const r of rows) {
    const key = `${r.agency}\u0000${r.form}\u0000${r.symbol}`
    const g = groups.get(key)
    if (g === undefined) groups.set(key, [r])
    else g.push(r)
  }
  return [...groups.values()]
}

export const makeCommitter = (opts: {
  readonly db: Db
  readonly pool: WorkPool
  /** New drafts from a file, new issued receipts from a file, or stored drafts issued. */
  readonly target: "drafts" | "issue" | "issue-stored"
  readonly randomBytes: (n: number) => Uint8Array
}): Committer => {
  const { db, pool } = opts
  const usage = new Map<string, SeriesUsage>()

  const note = (r: AcceptedRow, first: number, count: number) => {
    const key = `${r.agency}\u0000${r.form}\u0000${r.symbol}`
    const u = usage.get(key)
    if (u === undefined) usage.set(key, { agency: r.agency, form: r.form, symbol: r.symbol, count, first, last: first + count - 1 })
    else {
      u.count += count
      u.last = first + count - 1
    }
  }

  /** Issues `group` (one series) in one transaction; returns how many were written. */
  const issueGroup = async (group: ReadonlyArray<AcceptedRow>, batchId: number, worker: number): Promise<number> => {
    const head = group[0]
    if (head === undefined) return 0
    const series = { agency: head.agency, form: head.form, symbol: head.symbol }
    const first = await db.transaction(async (tx) => {
      const { first, granted } = await reserveNumbers(tx, series, group.length)
      if (granted < group.length) throw new CommitFailed(exhausted(series).message)
      const items = group.map((r, j) => ({ index: r.index, number: first + j, lookupCode: lookupCodeFromBytes(opts.randomBytes(8)) }))
      const text = await pool.sign(worker, batchId, items)
      if (opts.target === "issue-stored") {
        const updated = await issueStoredDrafts(tx, text)
        // Rolling back returns the numbers; the caller retries without the drafts that changed.
        if (updated.size !== group.length) throw new DraftsChanged(group.filter((r) => !updated.has(r.id)).map((r) => r.id))
      } else await copyIssued(tx, text)
      return first
    })
    note(head, first, group.length)
    return group.length
  }

  const commitDrafts = async (rows: ReadonlyArray<AcceptedRow>): Promise<void> => {
    if (rows.length === 0) return
    await db.transaction((tx) => copyDrafts(tx, rows.map((r) => r.copyLine ?? "").join("")))
  }

  const commit = async (prepared: Prepared, worker: number): Promise<CommitCounts> => {
    const seen = new Set<string>()
    let pending = prepared.accepted.filter((r) => (seen.has(r.id) ? false : (seen.add(r.id), true)))
    let duplicates = prepared.accepted.length - pending.length
    let skipped = 0
    let inserted = 0
    try {
      for (let attempt = 1; pending.length > 0; attempt++) {
        if (opts.target !== "issue-stored") {
          const stored = await existingIds(db, pending)
          duplicates += pending.filter((r) => stored.has(r.id)).length
          pending = pending.filter((r) => !stored.has(r.id))
        }
        try {
          if (opts.target === "drafts") {
            await commitDrafts(pending)
            inserted += pending.length
            pending = []
          } else {
            // Series by series; a finished series is not redone on a retry.
            for (const group of groupBySeries(pending)) {
              inserted += await issueGroup(group, prepared.batchId, worker)
              const done = new Set(group.map((r) => r.id))
              pending = pending.filter((r) => !done.has(r.id))
            }
          }
        } catch (error) {
          if (attempt >= MAX_ATTEMPTS) throw error
          if (error instanceof DraftsChanged) {
            const gone = new Set(error.ids)
            skipped += gone.size
            pending = pending.filter((r) => !gone.has(r.id))
          } else if (!isUniqueViolation(error)) throw error
          // A unique violation: another run stored some of these ids, or a lookup code collided; look again.
        }
      }
    } finally {
      if (opts.target !== "drafts") await pool.release(worker, prepared.batchId)
    }
    return { inserted, duplicates, skipped }
  }

  return { commit, series: () => [...usage.values()] }
}

class DraftsChanged extends Error {
  readonly ids: ReadonlyArray<string>
  constructor(ids: ReadonlyArray<string>) {
    super(`${ids.length} draft(s) changed while they were being issued`)
    this.ids = ids
  }
}
