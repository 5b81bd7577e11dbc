/**
 * Search results as files officers open in a spreadsheet. CSV is UTF-8
 * with a byte-order mark (so Excel shows Vietnamese correctly), CRLF line
 * ends and RFC 4180 quoting; a cell that a spreadsheet would run as a
 * formula (= + - @, tab, CR) gets a leading apostrophe, since payer names
 * and addresses come from outside. XLSX is written by exceljs, with the
 * amount as a number cell only while it is exact (below 2^53).
 */
import ExcelJS from "exceljs"

export type Table = { readonly header: ReadonlyArray<string>; readonly rows: ReadonlyArray<ReadonlyArray<string>> }

const formulaStart = /^[=+\-@\t\r]/

/** The text a spreadsheet will show as text, never run. */
export const neutralize = (cell: string): string => (formulaStart.test(cell) ? `'${cell}` : cell)

export const csvCell = (cell: string): string => {
  const safe = neutralize(cell)
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe
}

export const toCsv = (t: Table): string =>
  "\uFEFF" + [t.header, ...t.rows].map((row) => row.map(csvCell).join(",")).join("\r\n") + "\r\n"

export const toXlsx = async (t: Table, sheetName: string, amountColumn: number): Promise<Uint8Array> => {
  const book = new ExcelJS.Workbook()
  book.creator = "bienlai"
  const sheet = book.addWorksheet(sheetName.slice(0, 31))
  sheet.addRow([...t.header]).font = { bold: true }
  for (const row of t.rows) {
    const cells: Array<string | number> = row.map(neutralize)
    const amount = row[amountColumn]
    if (amount !== undefined && /^\d{1,15}$/.test(amount) && BigInt(amount) <= BigInt(Number.MAX_SAFE_INTEGER)) cells[amountColumn] = Number(amount)
    sheet.addRow(cells)
  }
  sheet.getColumn(amountColumn + 1).numFmt = "#,##0"
  sheet.columns.forEach((col) => {
    col.width = 18
  })
  return new Uint8Array(await book.xlsx.writeBuffer())
}
