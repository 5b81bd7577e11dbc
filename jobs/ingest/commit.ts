/**
 * Writing prepared batches, in file order, one transaction per series and
 * batch. In issue mode each transaction locks the series counter, leaves out
 * the rows already stored (a rerun, a resumed job, another run of the same
 * file), reserves exactly as many numbers as it writes receipts (the
 * deferred `series_counter_filled` trigger refuses anything else), signs,
 * COPYs and commits. A job killed at any moment therefore leaves whole
 * batches or nothing, and numbering without gaps.
 *
 * Ids and lookup codes are checked under the lock rather than left to the
 * unique constraints: a COPY refused by PostgreSQL would not end before the
 * transaction's deadline (store/bulk-receipts.ts).
 */
import type { Db, Sql } from "../../store/db.ts"
import { sqlState } from "../../store/db.ts"
import { lookupCodeFromBytes } from "../../domain/ids.ts"
import { copyDrafts, copyIssued, ensureSeries, existingIds, issueStoredDrafts, lockSeries, takenLookupCodes } from "../../store/bulk-receipts.ts"
import { reserveNumbers } from "../../store/series-counter.ts"
import { exhausted } from "../../store/store-errors.ts"
import type { Part } from "./parts.ts"
import type { WorkPool } from "./pool.ts"
import type { AcceptedRow, SignItem } from "./work.ts"

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
  /** Writes the parts of one batch (in file order); releases them on their workers. */
  readonly commit: (parts: ReadonlyArray<Part>) => Promise<CommitCounts>
  readonly series: () => ReadonlyArray<SeriesUsage>
}

/** Raised when the job cannot go on; what was committed before stays. */
export class CommitFailed extends Error {}

class DraftsChanged extends Error {
  readonly ids: ReadonlyArray<string>
  constructor(ids: ReadonlyArray<string>) {
    super(`${ids.length} draft(s) changed while they were being issued`)
    this.ids = ids
  }
}

const MAX_ATTEMPTS = 5
const isUniqueViolation = (error: unknown): boolean => sqlState(error) === "23505"

/** An accepted row and the part (worker) that holds its draft. */
interface Held extends AcceptedRow {
  readonly part: number
}

const groupBySeries = (rows: ReadonlyArray<Held>): Array<Array<Held>> => {
  const groups = new Map<string, Array<Held>>()
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

  /** `n` lookup codes, distinct and unused by the agency. */
  const freshCodes = async (tx: Sql, agency: string, n: number): Promise<Array<string>> => {
    const codes = new Set<string>()
    while (codes.size < n) {
      const drawn: Array<string> = []
      while (codes.size + drawn.length < n) {
        const code = lookupCodeFromBytes(opts.randomBytes(8))
        if (!codes.has(code) && !drawn.includes(code)) drawn.push(code)
      }
      const taken = await takenLookupCodes(tx, agency, drawn)
      for (const c of drawn) if (!taken.has(c)) codes.add(c)
    }
    return [...codes]
  }

  /** Signs `fresh` (numbered in this order) on the workers holding them, all at once; the COPY text in the same order. */
  const signOnWorkers = async (parts: ReadonlyArray<Part>, fresh: ReadonlyArray<Held>, items: ReadonlyArray<SignItem>): Promise<string> => {
    const perPart = parts.map((): Array<SignItem> => [])
    fresh.forEach((r, j) => perPart[r.part]?.push(items[j] as SignItem))
    // Parts are contiguous runs of the file, so part order is numbering order.
    const texts = await Promise.all(parts.map((p, k) => {
      const mine = perPart[k] ?? []
      return mine.length === 0 ? Promise.resolve("") : pool.sign(p.worker, p.prepared.batchId, mine)
    }))
    return texts.join("")
  }

  /** Issues the new rows of `group` (one series) in one transaction. */
  const issueGroup = async (group: ReadonlyArray<Held>, parts: ReadonlyArray<Part>): Promise<{ inserted: number; duplicates: number }> => {
    const head = group[0]
    if (head === undefined) return { inserted: 0, duplicates: 0 }
    const series = { agency: head.agency, form: head.form, symbol: head.symbol }
    await ensureSeries(db, series)
    const done = await db.transaction(async (tx) => {
      await lockSeries(tx, series)
      const stored = opts.target === "issue" ? await existingIds(tx, group) : new Set<string>()
      const fresh = group.filter((r) => !stored.has(r.id))
      if (fresh.length === 0) return { first: 0, fresh, duplicates: stored.size }
      const { first, granted } = await reserveNumbers(tx, series, fresh.length)
      if (granted < fresh.length) throw new CommitFailed(exhausted(series).message)
      const codes = await freshCodes(tx, series.agency, fresh.length)
      const items: Array<SignItem> = fresh.map((r, j) => ({ index: r.index, number: first + j, lookupCode: codes[j] as string }))
      const text = await signOnWorkers(parts, fresh, items)
      if (opts.target === "issue-stored") {
        const updated = await issueStoredDrafts(tx, text)
        // Rolling back returns the numbers; the caller retries without the drafts that changed.
        if (updated.size !== fresh.length) throw new DraftsChanged(fresh.filter((r) => !updated.has(r.id)).map((r) => r.id))
      } else await copyIssued(tx, text)
      return { first, fresh, duplicates: stored.size }
    })
    if (done.fresh.length > 0) note(head, done.first, done.fresh.length)
    return { inserted: done.fresh.length, duplicates: done.duplicates }
  }

  const commit = async (parts: ReadonlyArray<Part>): Promise<CommitCounts> => {
    const seen = new Set<string>()
    const all: Array<Held> = parts.flatMap((p, part) => p.prepared.accepted.map((r) => ({ ...r, part })))
    let pending = all.filter((r) => (seen.has(r.id) ? false : (seen.add(r.id), true)))
    let duplicates = all.length - pending.length
    let skipped = 0
    let inserted = 0
    try {
      for (let attempt = 1; pending.length > 0; attempt++) {
        try {
          if (opts.target === "drafts") {
            const text = pending.map((r) => r.copyLine ?? "").join("")
            const stored = await db.transaction((tx) => copyDrafts(tx, text))
            inserted += stored.size
            duplicates += pending.length - stored.size
            pending = []
          } else {
            // Series by series; a finished series is not redone on a retry.
            for (const group of groupBySeries(pending)) {
              const c = await issueGroup(group, parts)
              inserted += c.inserted
              duplicates += c.duplicates
              const finished = new Set(group.map((r) => r.id))
              pending = pending.filter((r) => !finished.has(r.id))
            }
          }
        } catch (error) {
          if (attempt >= MAX_ATTEMPTS) throw error
          if (error instanceof DraftsChanged) {
            const gone = new Set(error.ids)
            skipped += gone.size
            pending = pending.filter((r) => !gone.has(r.id))
          } else if (!isUniqueViolation(error)) throw error
          // A unique violation (an id stored in another series meanwhile, say): look again.
        }
      }
    } finally {
      if (opts.target !== "drafts") await Promise.all(parts.map((p) => pool.release(p.worker, p.prepared.batchId)))
    }
    return { inserted, duplicates, skipped }
  }

  return { commit, series: () => [...usage.values()] }
}
