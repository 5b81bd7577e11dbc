/**
 * XLSX rows of a bulk ingest: the first worksheet, row by row, never the
 * whole workbook in memory (adapters/spreadsheets/first-sheet.ts; the
 * shared-strings table is cached, as the format requires: its size is the
 * number of distinct texts, not of rows). Cells are the text an office
 * would have typed (adapters/spreadsheets/cell-text.ts).
 */
import { rowCells } from "../../adapters/spreadsheets/cell-text.ts"
import { firstSheetRows } from "../../adapters/spreadsheets/first-sheet.ts"

export interface XlsxRow {
  readonly row: number
  readonly cells: Array<string>
}

/** The rows of the first worksheet, each with its row number; empty rows are skipped. */
export async function* readXlsxRows(file: string): AsyncGenerator<XlsxRow> {
  for await (const row of firstSheetRows(file)) {
    const cells = rowCells(row.values)
    if (cells.some((c) => c.trim() !== "")) yield { row: row.number, cells }
  }
}
