/**
 * A batch cut into one contiguous part per worker. Each worker prepares its
 * part and later signs it, so the signing that happens inside a batch's
 * transaction (under the series lock, on the critical path) runs on every
 * core at once. Parts are contiguous runs of the file, so their rows, taken
 * part after part, are still in file order.
 */
import type { WorkPool } from "./pool.ts"
import type { RecordBatch } from "./records.ts"
import type { BatchInput, Prepared } from "./work.ts"

export interface Part {
  readonly worker: number
  readonly prepared: Prepared
}

const countOf = (input: BatchInput): number => (input.kind === "records" ? input.batch.rows.length : input.rows.length)

/** Records a .. b of a batch, with bytes of their own (they are transferred to a worker). */
const sliceRecords = (batch: RecordBatch, a: number, b: number): RecordBatch => {
  const from = batch.starts[a] ?? 0
  const to = batch.ends[b - 1] ?? from
  return {
    bytes: batch.bytes.slice(from, to),
    starts: batch.starts.slice(a, b).map((x) => x - from),
    ends: batch.ends.slice(a, b).map((x) => x - from),
    rows: batch.rows.slice(a, b),
    bytesRead: batch.bytesRead
  }
}

/** `input` in at most `n` contiguous, non-empty parts. */
export const splitInput = (input: BatchInput, n: number): Array<BatchInput> => {
  const count = countOf(input)
  const parts = Math.max(1, Math.min(n, count))
  if (parts === 1) return [input]
  const out: Array<BatchInput> = []
  for (let k = 0; k < parts; k++) {
    const a = Math.floor((k * count) / parts)
    const b = Math.floor(((k + 1) * count) / parts)
    switch (input.kind) {
      case "records":
        out.push({ kind: "records", batch: sliceRecords(input.batch, a, b) })
        break
      case "cells":
        out.push({ kind: "cells", rows: input.rows.slice(a, b), cells: input.cells.slice(a, b) })
        break
      case "stored":
        out.push({ kind: "stored", rows: input.rows.slice(a, b), drafts: input.drafts.slice(a, b) })
        break
    }
  }
  return out
}

/** Prepares the parts of a batch, part k on worker k; `nextId` numbers each part. */
export const prepareParts = (pool: WorkPool, nextId: () => number, input: BatchInput, now: string): Promise<Array<Part>> =>
  Promise.all(splitInput(input, pool.size).map(async (part, worker) => ({ worker, prepared: await pool.prepare(worker, nextId(), part, now) })))
