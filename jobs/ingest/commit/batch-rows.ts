/**
 * A batch's accepted rows as the committer writes them: in file order, with
 * the part (worker) that holds each one's draft, repeats of an id within
 * the batch set aside (the first row with the id is the one written), and
 * the rest grouped by series, since each series is its own transaction.
 */
import { seriesKey } from "../../../domain/series-key.ts"
import type { Part } from "../parts.ts"
import type { AcceptedRow } from "../work.ts"

/** An accepted row and the part (worker) that holds its draft. */
export interface Held extends AcceptedRow {
  readonly part: number
}

export interface BatchRows {
  readonly all: ReadonlyArray<Held>
  /** The rows left once repeats within the batch are dropped, in file order. */
  readonly pending: ReadonlyArray<Held>
  /** The first row of each id. */
  readonly first: ReadonlyMap<string, Held>
  /** Rows repeating an id of an earlier row of the batch. */
  readonly repeats: ReadonlyArray<Held>
}

export const batchRows = (parts: ReadonlyArray<Part>): BatchRows => {
  const first = new Map<string, Held>()
  const repeats: Array<Held> = []
  const all: Array<Held> = parts.flatMap((p, part) => p.prepared.accepted.map((r) => ({ ...r, part })))
  const pending = all.filter((r) => (first.has(r.id) ? (repeats.push(r), false) : (first.set(r.id, r), true)))
  return { all, pending, first, repeats }
}

/** `rows` by series (domain/series-key.ts), each in file order; series in the order they first appear. */
export const groupBySeries = <R extends { readonly agency: string; readonly form: string; readonly symbol: string }>(
  rows: ReadonlyArray<R>
): Array<Array<R>> => {
  const groups = new Map<string, Array<R>>()
  for (const r of rows) {
    const key = seriesKey(r)
    const g = groups.get(key)
    if (g === undefined) groups.set(key, [r])
    else g.push(r)
  }
  return [...groups.values()]
}
