/**
 * XLSX rows with exceljs's streaming WorkbookReader: the first worksheet,
 * row by row, never the whole workbook in memory. (The shared-strings table
 * of the workbook is cached, as the format requires: a cell refers to it by
 * index. Its size is the number of distinct texts, not of rows.)
 *
 * Cells become the text an office would have typed: numbers in full when
 * exact, dates as YYYY-MM-DD, rich text joined, formulas by their result.
 */
import ExcelJS from "exceljs"

const pad = (n: number) => String(n).padStart(2, "0")

export const cellText = (value: unknown): string => {
  if (value === null || value === undefined) return ""
  if (typeof value === "string") return value
  if (typeof value === "number") {
    // A number cell past 2^53 has lost digits already; make it unreadable as an amount.
    if (Number.isInteger(value) && !Number.isSafeInteger(value)) return `${value} (not exact: over 15 digits in a number cell; format the column as text)`
    return String(value)
  }
  if (typeof value === "boolean") return value ? "TRUE" : "FALSE"
  if (value instanceof Date) return `${value.getUTCFullYear()}-${pad(value.getUTCMonth() + 1)}-${pad(value.getUTCDate())}`
  if (typeof value === "object") {
    const v = value as { richText?: Array<{ text: string }>; result?: unknown; text?: unknown; error?: string }
    if (Array.isArray(v.richText)) return v.richText.map((r) => r.text).join("")
    if ("result" in v) return cellText(v.result)
    if (typeof v.text === "string") return v.text
    if (typeof v.error === "string") return v.error
  }
  return String(value)
}

export interface XlsxRow {
  readonly row: number
  readonly cells: Array<string>
}

/** The rows of the first worksheet, each with its row number; empty rows are skipped. */
export async function* readXlsxRows(file: string): AsyncGenerator<XlsxRow> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(file, { worksheets: "emit", sharedStrings: "cache", styles: "cache", hyperlinks: "ignore", entries: "ignore" })
  for await (const sheet of reader) {
    for await (const row of sheet) {
      // row.values is 1-based: index 0 is always empty.
      const values = (row.values as Array<unknown>).slice(1)
      const cells = Array.from(values, cellText)
      if (cells.some((c) => c.trim() !== "")) yield { row: row.number, cells }
    }
    // Only the first worksheet holds receipts.
    break
  }
}
