/**
 * CSV and XLSX bank statements through a column mapping. CSV arrives as text
 * or bytes in chunks (UTF-8; a file in another encoding is refused with the
 * advice to save it as "CSV UTF-8"); XLSX is read by its first worksheet,
 * row by row (adapters/spreadsheets/first-sheet.ts). Both feed the pure mapped reader in
 * domain/bank/mapped-statement.ts, so the events are the same as for camt and
 * MT940.
 */
import { createCsvSplitter } from "../../domain/bank/csv.ts"
import { createMappedStatementReader, type MappedStatementOptions } from "../../domain/bank/mapped-statement.ts"
import { BankFileRefused, type StatementEvent } from "../../domain/bank/statement.ts"
import type { StatementMapping } from "../../domain/bank/statement-mapping.ts"
import { rowCells } from "../spreadsheets/cell-text.ts"
import { firstSheetRows } from "../spreadsheets/first-sheet.ts"

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

export async function* readXlsxStatement(file: string, mapping: StatementMapping, options: Omit<MappedStatementOptions, "format">): AsyncGenerator<StatementEvent> {
  const reader = createMappedStatementReader(mapping, { ...options, format: "xlsx" })
  try {
    // The statement is on the first worksheet.
    for await (const row of firstSheetRows(file)) yield* reader.row(rowCells(row.values), row.number)
  } catch (e) {
    if (e instanceof BankFileRefused) throw e
    throw new BankFileRefused({ format: "xlsx", where: "file", message: `xlsx file: it cannot be opened as an Excel workbook (${e instanceof Error ? e.message : String(e)})` })
  }
  yield* reader.end()
}
