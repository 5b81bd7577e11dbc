/**
 * The input file as batches of rows, read as a stream: CSV and NDJSON as
 * byte records (records.ts), XLSX as cells (xlsx.ts). The encoding is
 * checked on the first 64 KiB before anything else is read.
 */
import { createReadStream, openSync, readSync, closeSync, statSync } from "node:fs"
import { extname } from "node:path"
import { Schema } from "effect"
import { type Column, mapHeader } from "./columns.ts"
import { type Delimiter, detectDelimiter, parseCsvRecord } from "./csv.ts"
import { decodeUtf8, EncodingRefused, sniffEncoding } from "./encoding.ts"
import { type RecordBatch, recordBytes, splitRecords } from "./records.ts"
import type { BatchInput, Format } from "./work.ts"
import { readXlsxRows } from "./xlsx.ts"

export class SourceRefused extends Schema.TaggedError<SourceRefused>()("SourceRefused", {
  file: Schema.String,
  message: Schema.String
}) {}

export interface Source {
  readonly format: Format
  readonly header: ReadonlyArray<string>
  readonly mapping: ReadonlyArray<Column | undefined>
  readonly delimiter: Delimiter
  readonly totalBytes: number
  /** Batches in file order, with the bytes consumed so far. */
  readonly batches: AsyncIterable<{ readonly input: BatchInput; readonly bytesRead: number }>
}

export const formatOf = (file: string): Format | undefined => {
  switch (extname(file).toLowerCase()) {
    case ".csv":
    case ".tsv":
    case ".txt":
      return "csv"
    case ".ndjson":
    case ".jsonl":
      return "ndjson"
    case ".xlsx":
      return "xlsx"
  }
  return undefined
}

const head = (file: string, size: number): Uint8Array => {
  const fd = openSync(file, "r")
  try {
    const buf = new Uint8Array(size)
    const n = readSync(fd, buf, 0, size, 0)
    return buf.subarray(0, n)
  } finally {
    closeSync(fd)
  }
}

const dropFirst = (b: RecordBatch): RecordBatch => ({ ...b, starts: b.starts.subarray(1), ends: b.ends.subarray(1), rows: b.rows.subarray(1) })

async function* chunksOf(file: string): AsyncGenerator<Uint8Array> {
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) yield chunk as Uint8Array
}

/** Opens the file, checks its encoding and reads its header. */
export const openSource = async (file: string, format: Format, batchSize: number): Promise<Source | SourceRefused | EncodingRefused> => {
  let totalBytes: number
  try {
    totalBytes = statSync(file).size
  } catch (error) {
    return new SourceRefused({ file, message: `cannot read ${file}: ${error instanceof Error ? error.message : String(error)}` })
  }
  if (format === "xlsx") return openXlsx(file, totalBytes, batchSize)

  const start = head(file, 65536)
  const refused = sniffEncoding(start)
  if (refused !== undefined) return new EncodingRefused({ encoding: refused.encoding, message: `${file}: ${refused.message}` })

  // The delimiter, from the header line, tells the splitter where cells start.
  const firstLine = new TextDecoder().decode(start.subarray(0, Math.max(0, start.indexOf(0x0a)) || start.length))
  const delimiterByte = detectDelimiter(firstLine).charCodeAt(0)
  const batches = splitRecords(chunksOf(file), { quoted: format === "csv", delimiter: delimiterByte, batchSize })
  let header: Array<string> = []
  let delimiter: Delimiter = ","
  let first: RecordBatch | undefined
  if (format === "csv") {
    const next = await batches.next()
    if (next.done === true || next.value.rows.length === 0) return new SourceRefused({ file, message: `${file} is empty: expected a header row and data rows` })
    const text = decodeUtf8(recordBytes(next.value, 0))
    if (text === undefined) return new EncodingRefused({ encoding: "unknown 8-bit", message: `${file}: the header row is not UTF-8` })
    delimiter = detectDelimiter(text)
    header = parseCsvRecord(text, delimiter).map((h) => h.trim())
    first = dropFirst(next.value)
    const mapping = mapHeader(header)
    const missing = checkHeader(header, mapping)
    if (missing !== undefined) return new SourceRefused({ file, message: `${file}: ${missing}` })
  }
  const mapping = mapHeader(header)
  async function* all() {
    if (first !== undefined && first.rows.length > 0) yield { input: { kind: "records" as const, batch: first }, bytesRead: first.bytesRead }
    for await (const b of batches) yield { input: { kind: "records" as const, batch: b }, bytesRead: b.bytesRead }
  }
  return { format, header, mapping, delimiter, totalBytes, batches: all() }
}

/** A header that names none of the essential columns is the wrong file (or no header at all). */
const checkHeader = (header: ReadonlyArray<string>, mapping: ReadonlyArray<Column | undefined>): string | undefined => {
  const known = new Set(mapping.filter((c) => c !== undefined))
  if (known.has("amount") || known.has("payer_name")) return undefined
  return `the first row (${header.slice(0, 6).join(", ")}${header.length > 6 ? ", ..." : ""}) names no known column; ` +
    "the first row must be a header such as payer_name, amount, reason (see docs/INGEST.md)"
}

const openXlsx = async (file: string, totalBytes: number, batchSize: number): Promise<Source | SourceRefused> => {
  const rows = readXlsxRows(file)
  let first
  try {
    first = await rows.next()
  } catch (error) {
    return new SourceRefused({ file, message: `${file} is not a readable XLSX workbook: ${error instanceof Error ? error.message : String(error)}` })
  }
  if (first.done === true) return new SourceRefused({ file, message: `${file} has no rows in its first worksheet` })
  const header = first.value.cells.map((h) => h.trim())
  const mapping = mapHeader(header)
  const missing = checkHeader(header, mapping)
  if (missing !== undefined) return new SourceRefused({ file, message: `${file}: ${missing}` })
  async function* all() {
    let numbers: Array<number> = []
    let cells: Array<Array<string>> = []
    for await (const r of rows) {
      numbers.push(r.row)
      cells.push(r.cells)
      if (numbers.length >= batchSize) {
        yield { input: { kind: "cells" as const, rows: numbers, cells }, bytesRead: 0 }
        numbers = []
        cells = []
      }
    }
    if (numbers.length > 0) yield { input: { kind: "cells" as const, rows: numbers, cells }, bytesRead: totalBytes }
  }
  return { format: "xlsx", header, mapping, delimiter: ",", totalBytes, batches: all() }
}
