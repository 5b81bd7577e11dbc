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
 * transaction's deadline (store/receipts/bulk-receipts.ts).
 */
import type { Db, Sql } from "../../store/database/db.ts"
import { sqlState } from "../../store/database/db.ts"
import { lookupCodeFromBytes } from "../../domain/ids.ts"
import { MAX_RECEIPT_NUMBER } from "../../domain/receipt.ts"
import { copyDrafts, copyIssued, copySearchEntries, ensureSeries, existingIds, issueStoredDrafts, lockSeries, takenLookupCodes } from "../../store/receipts/bulk-receipts.ts"
import { reserveNumbers } from "../../store/receipts/series-counter.ts"
import { exhausted } from "../../store/receipts/store-errors.ts"
import type { Part } from "./parts.ts"
import type { WorkPool } from "./pool.ts"
import { repeatConflicts, storedConflicts } from "./content-conflicts.ts"
import type { AcceptedRow, RejectedRow, SignedText, SignItem } from "./work.ts"

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
  /** Rows whose external id is stored (or earlier in the batch) with other content: rejected, nothing written. */
  readonly conflicts: ReadonlyArray<RejectedRow>
  /** Issue mode from stored drafts: drafts that changed under the job and were left as they are. */
  readonly skipped: number
}

export interface Committer {
  /**
   * Writes the parts of one batch (in file order); releases them on their
   * workers. `next`, the following batch when it is already prepared, is
   * signed speculatively while this one is written (see `Speculation`).
   */
  readonly commit: (parts: ReadonlyArray<Part>, next?: ReadonlyArray<Part>) => Promise<CommitCounts>
  readonly series: () => ReadonlyArray<SeriesUsage>
  /** Waits for signing still under way for a batch that will not be written (before the pool closes). */
  readonly settled: () => Promise<void>
}

/**
 * The next batch, signed with the numbers and lookup codes it will most
 * likely get, while the current batch is COPYed and committed. It is used
 * only if, under the series lock, the reservation starts at `first`, the rows
 * to write are exactly `ids` (none stored meanwhile) and `codes` are all
 * still unused: then its text is byte for byte what signing there would give
 * (the issue time was fixed when the batch was prepared). Otherwise it is
 * dropped and the batch is signed as usual.
 */
interface Speculation {
  readonly seriesKey: string
  readonly first: number
  readonly ids: ReadonlyArray<string>
  readonly codes: ReadonlyArray<string>
  readonly text: Promise<SignedText | undefined>
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

const seriesKeyOf = (r: { agency: string; form: string; symbol: string }): string => `${r.agency}\u0000${r.form}\u0000${r.symbol}`

/** A batch's rows with their part, those left once repeats within the batch are dropped, and the repeats. */
const rowsOf = (parts: ReadonlyArray<Part>): { all: Array<Held>; pending: Array<Held>; first: Map<string, Held>; repeats: Array<Held> } => {
  const first = new Map<string, Held>()
  const repeats: Array<Held> = []
  const all: Array<Held> = parts.flatMap((p, part) => p.prepared.accepted.map((r) => ({ ...r, part })))
  const pending = all.filter((r) => (first.has(r.id) ? (repeats.push(r), false) : (first.set(r.id, r), true)))
  return { all, pending, first, repeats }
}

const sameIds = (a: ReadonlyArray<string>, b: ReadonlyArray<{ id: string }>): boolean =>
  a.length === b.length && a.every((id, i) => b[i]?.id === id)

const groupBySeries = (rows: ReadonlyArray<Held>): Array<Array<Held>> => {
  const groups = new Map<string, Array<Held>>()
  for (const r of rows) {
    const key = seriesKeyOf(r)
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

  /** Codes not in `codes` and distinct, until there are `n` in all. */
  const drawCodes = (codes: ReadonlySet<string>, n: number): Array<string> => {
    const drawn = new Set<string>()
    while (codes.size + drawn.size < n) {
      const code = lookupCodeFromBytes(opts.randomBytes(8))
      if (!codes.has(code)) drawn.add(code)
    }
    return [...drawn]
  }

  /** `n` lookup codes, distinct and unused by the agency. */
  const freshCodes = async (tx: Sql, agency: string, n: number): Promise<Array<string>> => {
    const codes = new Set<string>()
    while (codes.size < n) {
      const drawn = drawCodes(codes, n)
      const taken = await takenLookupCodes(tx, agency, drawn)
      for (const c of drawn) if (!taken.has(c)) codes.add(c)
    }
    return [...codes]
  }

  /** Signs `fresh` (numbered in this order) on the workers holding them, all at once; the COPY texts in the same order. */
  const signOnWorkers = async (parts: ReadonlyArray<Part>, fresh: ReadonlyArray<Held>, items: ReadonlyArray<SignItem>): Promise<SignedText> => {
    const perPart = parts.map((): Array<SignItem> => [])
    fresh.forEach((r, j) => perPart[r.part]?.push(items[j] as SignItem))
    // Parts are contiguous runs of the file, so part order is numbering order.
    const texts = await Promise.all(parts.map((p, k) => {
      const mine = perPart[k] ?? []
      return mine.length === 0 ? Promise.resolve({ receipts: "", search: "" }) : pool.sign(p.worker, p.prepared.batchId, mine)
    }))
    return { receipts: texts.map((t) => t.receipts).join(""), search: texts.map((t) => t.search).join("") }
  }

  let speculation: Speculation | undefined
  const running = new Set<Promise<unknown>>()

  /** Starts signing `next` as if its rows were numbered from `first` in `series`; only a batch of that one series. */
  const speculate = (next: ReadonlyArray<Part> | undefined, seriesKey: string, first: number) => {
    speculation = undefined
    if (next === undefined || opts.target !== "issue") return
    const { pending } = rowsOf(next)
    if (pending.length === 0 || pending.some((r) => seriesKeyOf(r) !== seriesKey)) return
    if (first + pending.length - 1 > MAX_RECEIPT_NUMBER) return
    const codes = drawCodes(new Set(), pending.length)
    const items: Array<SignItem> = pending.map((r, j) => ({ index: r.index, number: first + j, lookupCode: codes[j] as string }))
    // A failed speculation is only a lost head start: the batch is then signed as usual.
    const text = signOnWorkers(next, pending, items).catch(() => undefined)
    running.add(text)
    void text.then(() => running.delete(text))
    speculation = { seriesKey, first, ids: pending.map((r) => r.id), codes, text }
  }

  /** The speculative text for `fresh` numbered from `first`, if it is exactly what signing now would give. */
  const speculated = async (
    tx: Sql,
    seriesKey: string,
    agency: string,
    first: number,
    fresh: ReadonlyArray<Held>
  ): Promise<{ readonly text: Promise<SignedText | undefined> } | undefined> => {
    const spec = speculation
    speculation = undefined
    if (spec === undefined || spec.seriesKey !== seriesKey || spec.first !== first || !sameIds(spec.ids, fresh)) return undefined
    if ((await takenLookupCodes(tx, agency, spec.codes)).size > 0) return undefined
    return { text: spec.text }
  }

  /** Issues the new rows of `group` (one series) in one transaction. */
  const issueGroup = async (
    group: ReadonlyArray<Held>,
    parts: ReadonlyArray<Part>,
    next: ReadonlyArray<Part> | undefined
  ): Promise<{ inserted: number; duplicates: number; conflicts: Array<RejectedRow> }> => {
    const head = group[0]
    if (head === undefined) return { inserted: 0, duplicates: 0, conflicts: [] }
    const series = { agency: head.agency, form: head.form, symbol: head.symbol }
    await ensureSeries(db, series)
    const done = await db.transaction(async (tx) => {
      await lockSeries(tx, series)
      const stored = opts.target === "issue" ? await existingIds(tx, group) : new Set<string>()
      const fresh = group.filter((r) => !stored.has(r.id))
      const conflicts = await storedConflicts(tx, group.filter((r) => stored.has(r.id)))
      const duplicates = stored.size - conflicts.length
      if (fresh.length === 0) return { first: 0, fresh, duplicates, conflicts }
      const { first, granted } = await reserveNumbers(tx, series, fresh.length)
      if (granted < fresh.length) throw new CommitFailed(exhausted(series).message)
      const key = seriesKeyOf(series)
      const signFresh = async () => {
        const codes = await freshCodes(tx, series.agency, fresh.length)
        return signOnWorkers(parts, fresh, fresh.map((r, j) => ({ index: r.index, number: first + j, lookupCode: codes[j] as string })))
      }
      const spec = await speculated(tx, key, series.agency, first, fresh)
      let signing: Promise<SignedText | undefined>
      if (spec !== undefined) signing = spec.text
      else {
        const codes = await freshCodes(tx, series.agency, fresh.length)
        signing = signOnWorkers(parts, fresh, fresh.map((r, j) => ({ index: r.index, number: first + j, lookupCode: codes[j] as string })))
      }
      // Queued on the workers behind this batch's signing, so it runs while this batch is written.
      speculate(next, key, first + fresh.length)
      const signed = (await signing) ?? (await signFresh())
      if (opts.target === "issue-stored") {
        // Stored drafts keep their search entries; issuing does not change what they are found by.
        const updated = await issueStoredDrafts(tx, signed.receipts)
        // Rolling back returns the numbers; the caller retries without the drafts that changed.
        if (updated.size !== fresh.length) throw new DraftsChanged(fresh.filter((r) => !updated.has(r.id)).map((r) => r.id))
      } else {
        // Entries first: the insert trigger then finds them and builds none (migration 0105).
        await copySearchEntries(tx, signed.search)
        await copyIssued(tx, signed.receipts)
      }
      return { first, fresh, duplicates, conflicts }
    })
    if (done.fresh.length > 0) note(head, done.first, done.fresh.length)
    return { inserted: done.fresh.length, duplicates: done.duplicates, conflicts: done.conflicts }
  }

  const commit = async (parts: ReadonlyArray<Part>, next?: ReadonlyArray<Part>): Promise<CommitCounts> => {
    const { all, pending: unique, first, repeats } = rowsOf(parts)
    let pending = unique
    const conflicts = repeatConflicts(first, repeats)
    let duplicates = all.length - pending.length - conflicts.length
    let skipped = 0
    let inserted = 0
    try {
      for (let attempt = 1; pending.length > 0; attempt++) {
        try {
          if (opts.target === "drafts") {
            const text = pending.map((r) => r.copyLine ?? "").join("")
            const stored = await db.transaction((tx) => copyDrafts(tx, text))
            const found = await storedConflicts(db, pending.filter((r) => !stored.has(r.id)))
            conflicts.push(...found)
            inserted += stored.size
            duplicates += pending.length - stored.size - found.length
            pending = []
          } else {
            // Series by series; a finished series is not redone on a retry.
            const groups = groupBySeries(pending)
            for (const [g, group] of groups.entries()) {
              // Only the last series of this batch can continue into the next batch.
              const c = await issueGroup(group, parts, g === groups.length - 1 ? next : undefined)
              inserted += c.inserted
              duplicates += c.duplicates
              conflicts.push(...c.conflicts)
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
    return { inserted, duplicates, skipped, conflicts: conflicts.sort((a, b) => a.row - b.row) }
  }

  const settled = async () => {
    speculation = undefined
    await Promise.all(running)
  }

  return { commit, series: () => [...usage.values()], settled }
}
