/**
 * Splits a byte stream into records without decoding it: CSV records end at
 * a newline outside a quoted cell (a quoted cell may hold newlines), NDJSON
 * records at every newline. Working on bytes lets a row that is not UTF-8 be
 * rejected on its own, and lets the workers decode in parallel. Memory holds
 * one batch and one partial record, whatever the file's size; a record that
 * grows past `MAX_RECORD_BYTES` (a quote that is never closed) stops the job
 * with its row number instead of swallowing the rest of the file.
 *
 * As in csv.ts, a quote opens a quoted cell only at the start of a cell; a
 * quote inside a bare cell (12" màn hình) is text.
 */

/** Records `i` of a batch are `bytes[starts[i], ends[i])`, found on row `rows[i]`. */
export interface RecordBatch {
  readonly bytes: Uint8Array
  readonly starts: Int32Array
  readonly ends: Int32Array
  readonly rows: Int32Array
  /** Bytes of the file consumed so far, for progress. */
  readonly bytesRead: number
}

export interface SplitOptions {
  /** CSV: newlines inside quoted cells do not end a record. */
  readonly quoted: boolean
  /** CSV: the delimiter's byte, so that a quote can be told to start a cell. */
  readonly delimiter?: number
  readonly batchSize: number
}

export const MAX_RECORD_BYTES = 4 << 20

export class RecordTooLong extends Error {
  readonly row: number
  constructor(row: number) {
    super(`row ${row}: a record longer than ${MAX_RECORD_BYTES >> 20} MiB; a quoted cell is probably never closed — check the quotes from this row on`)
    this.row = row
  }
}

const NL = 0x0a
const CR = 0x0d
const QUOTE = 0x22

const isBlank = (bytes: Uint8Array, start: number, end: number): boolean => {
  for (let i = start; i < end; i++) {
    const b = bytes[i] as number
    if (b !== 0x20 && b !== 0x09 && b !== CR) return false
  }
  return true
}

const concat = (a: Uint8Array, b: Uint8Array): Uint8Array => {
  if (a.length === 0) return b
  const out = new Uint8Array(a.length + b.length)
  out.set(a)
  out.set(b, a.length)
  return out
}

class BatchBuilder {
  private parts: Array<Uint8Array> = []
  private size = 0
  private starts: Array<number> = []
  private ends: Array<number> = []
  private rows: Array<number> = []

  get count(): number {
    return this.rows.length
  }

  add(source: Uint8Array, start: number, end: number, row: number): void {
    // Drop the \r of a CRLF line end.
    const stop = end > start && source[end - 1] === CR ? end - 1 : end
    this.starts.push(this.size)
    this.parts.push(source.subarray(start, stop))
    this.size += stop - start
    this.ends.push(this.size)
    this.rows.push(row)
  }

  take(bytesRead: number): RecordBatch {
    const bytes = new Uint8Array(this.size)
    let at = 0
    for (const p of this.parts) {
      bytes.set(p, at)
      at += p.length
    }
    const batch = { bytes, starts: Int32Array.from(this.starts), ends: Int32Array.from(this.ends), rows: Int32Array.from(this.rows), bytesRead }
    this.parts = []
    this.size = 0
    this.starts = []
    this.ends = []
    this.rows = []
    return batch
  }
}

const hasBom = (b: Uint8Array): boolean => b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf

/** Batches of non-blank records; row numbers count every line record from 1, blank ones included. */
export async function* splitRecords(chunks: AsyncIterable<Uint8Array>, options: SplitOptions): AsyncGenerator<RecordBatch> {
  let carry: Uint8Array = new Uint8Array(0)
  let row = 0
  let bytesRead = 0
  // The byte-order mark is looked for once three bytes are in (or the file ends).
  let bomChecked = false
  const builder = new BatchBuilder()
  const ready: Array<RecordBatch> = []
  // Scanning state, kept across chunks so that a partial record is never scanned twice.
  let inQuotes = false
  let justClosed = false
  let atCellStart = true
  let scanned = 0
  const delimiter = options.delimiter ?? 0x2c
  const scan = (buf: Uint8Array): Uint8Array => {
    let start = 0
    for (let i = scanned; i < buf.length; i++) {
      const b = buf[i] as number
      if (inQuotes) {
        if (b === QUOTE) {
          inQuotes = false
          justClosed = true
        }
        continue
      }
      if (b === QUOTE && options.quoted && (atCellStart || justClosed)) {
        // At a cell's start it opens the cell; right after a closing quote it is an escaped quote ("").
        inQuotes = true
        justClosed = false
        atCellStart = false
        continue
      }
      justClosed = false
      if (b === NL) {
        row++
        if (!isBlank(buf, start, i)) builder.add(buf, start, i, row)
        start = i + 1
        atCellStart = true
        if (builder.count >= options.batchSize) ready.push(builder.take(bytesRead - (buf.length - start)))
      } else atCellStart = b === delimiter
    }
    scanned = buf.length - start
    if (scanned > MAX_RECORD_BYTES) throw new RecordTooLong(row + 1)
    // The partial record is copied so the chunk it came from can be freed.
    return buf.slice(start)
  }
  for await (const chunk of chunks) {
    bytesRead += chunk.length
    let buf = concat(carry, chunk)
    if (!bomChecked) {
      if (buf.length < 3) {
        carry = buf
        continue
      }
      bomChecked = true
      if (hasBom(buf)) buf = buf.subarray(3)
    }
    carry = scan(buf)
    yield* ready.splice(0)
  }
  if (!bomChecked && hasBom(carry)) carry = carry.subarray(3)
  if (!bomChecked) carry = scan(carry)
  if (!isBlank(carry, 0, carry.length)) builder.add(carry, 0, carry.length, row + 1)
  yield* ready.splice(0)
  if (builder.count > 0) yield builder.take(bytesRead)
}

/** The record `i` of a batch. */
export const recordBytes = (batch: RecordBatch, i: number): Uint8Array =>
  batch.bytes.subarray(batch.starts[i] as number, batch.ends[i] as number)
