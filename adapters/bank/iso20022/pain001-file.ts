/**
 * Writes a pain.001 to a file as it is generated: chunks are batched into
 * about 1 MiB writes and the writer waits when the disk is slower than the
 * generator, so memory stays flat for a million lines. The file appears under
 * its name only when it is complete: it is written beside it first and
 * renamed, so a refused line never leaves half a payment file behind.
 */
import { once } from "node:events"
import { createWriteStream } from "node:fs"
import { rename, rm } from "node:fs/promises"
import {
  type Pain001Header,
  type Pain001Line,
  pain001Chunks,
  pain001ChunksAsync,
  type Pain001Totals
} from "../../../domain/bank/pain001.ts"

const batchSize = 1 << 20

export interface WrittenFile {
  readonly path: string
  readonly bytes: number
}

/** Writes the chunks of a pain.001 to `path`; lines may be an array, an iterable or an async iterable (then totals are required). */
export const writePain001File = async (
  path: string,
  header: Pain001Header,
  lines: Iterable<Pain001Line> | AsyncIterable<Pain001Line>,
  totals?: Pain001Totals
): Promise<WrittenFile> => {
  const chunks: AsyncIterable<string> | Iterable<string> = Symbol.asyncIterator in lines
    ? pain001ChunksAsync(header, lines as AsyncIterable<Pain001Line>, totals ?? (() => {
      throw new RangeError("writePain001File: lines that arrive asynchronously need their totals declared")
    })())
    : pain001Chunks(header, lines as Iterable<Pain001Line>, totals)
  const partial = `${path}.partial`
  const out = createWriteStream(partial)
  let bytes = 0
  let batch: Array<string> = []
  let size = 0
  const flush = async () => {
    if (batch.length === 0) return
    const text = batch.join("")
    batch = []
    size = 0
    const buffer = Buffer.from(text, "utf8")
    bytes += buffer.length
    if (!out.write(buffer)) await once(out, "drain")
  }
  try {
    for await (const chunk of chunks) {
      batch.push(chunk)
      size += chunk.length
      if (size >= batchSize) await flush()
    }
    await flush()
    out.end()
    await once(out, "finish")
    await rename(partial, path)
    return { path, bytes }
  } catch (e) {
    out.destroy()
    await rm(partial, { force: true })
    throw e
  }
}
