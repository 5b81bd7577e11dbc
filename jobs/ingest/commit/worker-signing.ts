/**
 * Signing a batch's rows on the workers that hold their drafts, all parts at
 * once, so the signing inside a series' transaction runs on every core.
 */
import type { Part } from "../parts.ts"
import type { WorkPool } from "../pool.ts"
import type { SignedText, SignItem } from "../work.ts"
import type { Held } from "./batch-rows.ts"

/** Signs `rows` (numbered in this order: `items[j]` is `rows[j]`'s); the COPY texts in the same order. */
export const signOnWorkers = async (
  pool: WorkPool,
  parts: ReadonlyArray<Part>,
  rows: ReadonlyArray<Held>,
  items: ReadonlyArray<SignItem>
): Promise<SignedText> => {
  const perPart = parts.map((): Array<SignItem> => [])
  rows.forEach((r, j) => perPart[r.part]?.push(items[j] as SignItem))
  // Parts are contiguous runs of the file, so part order is numbering order.
  const texts = await Promise.all(parts.map((p, k) => {
    const mine = perPart[k] ?? []
    return mine.length === 0 ? Promise.resolve({ receipts: "", search: "" }) : pool.sign(p.worker, p.prepared.batchId, mine)
  }))
  return { receipts: texts.map((t) => t.receipts).join(""), search: texts.map((t) => t.search).join("") }
}

/** The sign items of `rows` numbered from `first`, with `codes` in the same order. */
export const signItems = (rows: ReadonlyArray<Held>, first: number, codes: ReadonlyArray<string>): Array<SignItem> =>
  rows.map((r, j) => ({ index: r.index, number: first + j, lookupCode: codes[j] as string }))
