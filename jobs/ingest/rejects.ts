/**
 * The rejects file: NDJSON, one line per rejected row, batch by batch in input
 * order (a batch's conflicts with stored receipts after its other rejects), with
 * the row number, every reason, and the row as it was read, so an office can
 * fix the rows and feed the rejects back in.
 *
 *   {"row":7,"reasons":["amount: The amount is not a number in figures"],"input":"..."}
 */
import { createWriteStream, type WriteStream } from "node:fs"
import type { RejectedRow } from "./work.ts"

export interface RejectsWriter {
  readonly write: (rows: ReadonlyArray<RejectedRow>) => Promise<void>
  readonly close: () => Promise<void>
}

export const openRejects = (path: string | undefined): RejectsWriter => {
  if (path === undefined) return { write: async () => {}, close: async () => {} }
  const out: WriteStream = createWriteStream(path, { flags: "w" })
  return {
    write: (rows) =>
      new Promise<void>((resolve, reject) => {
        if (rows.length === 0) return resolve()
        const text = rows.map((r) => JSON.stringify(r) + "\n").join("")
        if (out.write(text)) resolve()
        else out.once("drain", resolve).once("error", reject)
      }),
    close: () => new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())))
  }
}
