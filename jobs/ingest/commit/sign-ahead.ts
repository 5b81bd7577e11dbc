/**
 * Signing ahead: the next batch, signed with the numbers and lookup codes it
 * will most likely get, while the current batch is COPYed and committed.
 * The signature covers the number, so signing otherwise waits for the
 * reservation, under the series lock.
 *
 * It is used only if, under the series lock, the reservation starts at
 * `first`, the rows to write are exactly `ids` (none stored meanwhile) and
 * `codes` are all still unused: then its text is byte for byte what signing
 * there would give (the issue time was fixed when the batch was prepared).
 * Otherwise it is dropped and the batch is signed as usual. Only a batch of
 * one series, the series the current batch ends with, is signed ahead.
 */
import { MAX_RECEIPT_NUMBER } from "../../../domain/receipt.ts"
import { type SeriesId, seriesKey } from "../../../domain/series-key.ts"
import type { Sql } from "../../../store/database/db.ts"
import type { Part } from "../parts.ts"
import type { WorkPool } from "../pool.ts"
import type { SignedText } from "../work.ts"
import { batchRows, type Held } from "./batch-rows.ts"
import { anyTaken, drawCodes, type RandomBytes } from "./lookup-codes.ts"
import { signItems, signOnWorkers } from "./worker-signing.ts"

interface Speculation {
  readonly seriesKey: string
  readonly first: number
  readonly ids: ReadonlyArray<string>
  readonly codes: ReadonlyArray<string>
  /** `undefined` when signing failed: only a lost head start. */
  readonly text: Promise<SignedText | undefined>
}

/** Signing under way; in an object, since a promise returned from an async function would be awaited. */
export interface HeadStart {
  readonly text: Promise<SignedText | undefined>
}

export interface SignAhead {
  /** Starts signing `next` as if its rows were numbered from `first` in `series` (drops any earlier head start). */
  readonly start: (next: ReadonlyArray<Part> | undefined, series: SeriesId, first: number) => void
  /** The head start for `fresh` numbered from `first` in `series`, if it is exactly what signing now would give; used once. */
  readonly claim: (tx: Sql, series: SeriesId, first: number, fresh: ReadonlyArray<Held>) => Promise<HeadStart | undefined>
  /** Waits for signing still under way for a batch that will not be written (before the pool closes). */
  readonly settled: () => Promise<void>
}

const sameIds = (a: ReadonlyArray<string>, b: ReadonlyArray<{ id: string }>): boolean =>
  a.length === b.length && a.every((id, i) => b[i]?.id === id)

export const makeSignAhead = (pool: WorkPool, randomBytes: RandomBytes): SignAhead => {
  let speculation: Speculation | undefined
  const running = new Set<Promise<unknown>>()

  const start = (next: ReadonlyArray<Part> | undefined, series: SeriesId, first: number) => {
    speculation = undefined
    if (next === undefined) return
    const key = seriesKey(series)
    const { pending } = batchRows(next)
    if (pending.length === 0 || pending.some((r) => seriesKey(r) !== key)) return
    if (first + pending.length - 1 > MAX_RECEIPT_NUMBER) return
    const codes = drawCodes(randomBytes, new Set(), pending.length)
    const text = signOnWorkers(pool, next, pending, signItems(pending, first, codes)).catch(() => undefined)
    running.add(text)
    void text.then(() => running.delete(text))
    speculation = { seriesKey: key, first, ids: pending.map((r) => r.id), codes, text }
  }

  const claim = async (tx: Sql, series: SeriesId, first: number, fresh: ReadonlyArray<Held>) => {
    const spec = speculation
    speculation = undefined
    if (spec === undefined || spec.seriesKey !== seriesKey(series) || spec.first !== first || !sameIds(spec.ids, fresh)) return undefined
    if (await anyTaken(tx, series.agency, spec.codes)) return undefined
    return { text: spec.text }
  }

  const settled = async () => {
    speculation = undefined
    await Promise.all(running)
  }

  return { start, claim, settled }
}
