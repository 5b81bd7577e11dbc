/**
 * CSV and XLSX bank statements through a column mapping. CSV arrives as text
 * or bytes in chunks (UTF-8; a file in another encoding is refused with the
 * advice to save it as "CSV UTF-8"); XLSX is read with exceljs's streaming
 * reader, first worksheet, row by row. Both feed the pure mapped reader in
 * domain/bank/mapped-statement.ts, so the events are the same as for camt and
 * MT940.
 */
import ExcelJS from "exceljs"
import { createCsvSplitter } from "../../domain/bank/csv.ts"
import { createMappedStatementReader, type MappedStatementOptions } from "../../domain/bank/mapped-statement.ts"
import { BankFileRefused, type StatementEvent } from "../../domain/bank/statement.ts"
import type { StatementMapping } from "../../domain/bank/statement-mapping.ts"

type Source = AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>

export async function* readCsvStatement(source: Source, mapping: StatementMapping, options: Omit<MappedStatementOptions, "format">): AsyncGenerator<StatementEvent> {
  const reader = createMappedStatementReader(mapping, { ...options, format: "csv" })
  const splitter = createCsvSplitter(mapping.delimiter)
  const decoder = new TextDecoder("utf-8", { fatal: true })
  const decode = (chunk: Uint8Array | string, stream: boolean): string => {
    if (typeof chunk === "string") return chunk
    try {
      return decoder.decode(chunk, { stream })
    } catch {
      throw new BankFileRefused({ format: "csv", where: "file", message: "csv file: the file is not UTF-8; save it as \"CSV UTF-8\" (Excel: Save As → CSV UTF-8)" })
    }
  }
  for await (const chunk of source) {
    for (const record of splitter.push(decode(chunk, true))) yield* reader.row(record.cells, record.row)
  }
  for (const record of splitter.push(decode(new Uint8Array(), false))) yield* reader.row(record.cells, record.row)
  for (const record of splitter.end()) yield* reader.row(record.cells, record.row)
  yield* reader.end()
}

const pad = (n: number) => String(n).padStart(2, "0")

/** A cell as the text a person sees: dates as YYYY-MM-DD, exact numbers in full, formulas by their result. */
export const sheetCellText = (value: unknown): string => {
  if (value === null || value === undefined) return ""
  if (typeof value === "string") return value
  if (typeof value === "number") {
    // A number past 2^53 has lost digits already: make it unreadable as an amount.
    return Number.isInteger(value) && !Number.isSafeInteger(value) ? `${value} (not exact: format the column as text)` : String(value)
  }
  if (typeof value === "boolean") return value ? "TRUE" : "FALSE"
  if (value instanceof Date) return `${value.getUTCFullYear()}-${pad(value.getUTCMonth() + 1)}-${pad(value.getUTCDate())}`
  if (typeof value === "object") {
    const v = value as { richText?: Array<{ text: string }>; result?: unknown; text?: unknown }
    if (Array.isArray(v.richText)) return v.richText.map((r) => r.text).join("")
    if ("result" in v) return sheetCellText(v.result)
    if (typeof v.text === "string") return v.text
  }
  return String(value)
}

export async function* readXlsxStatement(file: string, mapping: StatementMapping, options: Omit<MappedStatementOptions, "format">): AsyncGenerator<StatementEvent> {
  const reader = createMappedStatementReader(mapping, { ...options, format: "xlsx" })
  const workbook = new ExcelJS.stream.xlsx.WorkbookReader(file, { worksheets: "emit", sharedStrings: "cache", styles: "cache", hyperlinks: "ignore", entries: "ignore" })
  try {
    for await (const sheet of workbook) {
      for await (const row of sheet) {
        const cells = Array.from((row.values as Array<unknown>).slice(1), sheetCellText)
        yield* reader.row(cells, row.number)
      }
      break // the statement is on the first worksheet
    }
  } catch (e) {
    if (e instanceof BankFileRefused) throw e
    throw new BankFileRefused({ format: "xlsx", where: "file", message: `xlsx file: it cannot be opened as an Excel workbook (${e instanceof Error ? e.message : String(e)})` })
  }
  yield* reader.end()
}
