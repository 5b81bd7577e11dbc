/**
 * A creditor list uploaded to the officer API or console (CSV or XLSX), read
 * from its bytes into claim rows with the same columns as the command line
 * (domain/payout/claim-columns.ts). An upload is bounded by the edge's
 * upload limit, so it is read whole; a list of hundreds of thousands of
 * creditors goes through `bienlai payout import`, which streams.
 */
import ExcelJS from "exceljs"
import { splitCsv } from "../../domain/bank/csv.ts"
import { type ClaimColumn, claimRow, ClaimsFileRefused, mapClaimHeader } from "../../domain/payout/claim-columns.ts"
import { rowCells } from "../spreadsheets/cell-text.ts"

export { ClaimsFileRefused }

export interface UploadedClaimRows {
  readonly rows: Array<Record<string, unknown>>
  /** The line (CSV) or row (XLSX) of each row in the file, for messages. */
  readonly lines: Array<number>
}

const isZip = (b: Uint8Array) => b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04

const fromCells = (records: Iterable<{ readonly row: number; readonly cells: ReadonlyArray<string> }>, name: string): UploadedClaimRows => {
  const out: UploadedClaimRows = { rows: [], lines: [] }
  let mapping: ReadonlyArray<ClaimColumn | undefined> | undefined
  for (const r of records) {
    if (r.cells.every((c) => c.trim() === "")) continue
    if (mapping === undefined) {
      mapping = mapClaimHeader(r.cells.map((c, i) => (i === 0 ? c.replace(/^\uFEFF/, "") : c)))
      continue
    }
    out.rows.push(claimRow(r.cells, mapping))
    out.lines.push(r.row)
  }
  if (mapping === undefined) throw new ClaimsFileRefused(`${name} is empty: it has no header row`)
  return out
}

/** The rows of an uploaded list: XLSX told by its bytes (a zip), anything else read as UTF-8 CSV. */
export const readClaimsUpload = async (bytes: Uint8Array, name: string): Promise<UploadedClaimRows> => {
  if (isZip(bytes)) {
    const workbook = new ExcelJS.Workbook()
    try {
      await workbook.xlsx.load(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer)
    } catch (e) {
      throw new ClaimsFileRefused(`${name} cannot be opened as an Excel workbook (${e instanceof Error ? e.message : String(e)})`)
    }
    const sheet = workbook.worksheets[0]
    if (sheet === undefined) throw new ClaimsFileRefused(`${name} has no worksheet`)
    const records: Array<{ row: number; cells: Array<string> }> = []
    sheet.eachRow({ includeEmpty: false }, (row, n) => {
      records.push({ row: n, cells: rowCells(row.values as Array<unknown>) })
    })
    return fromCells(records, name)
  }
  let text: string
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes)
  } catch {
    throw new ClaimsFileRefused(`${name} is not UTF-8 text; save it as "CSV UTF-8" (Excel: Save As → CSV UTF-8) or as .xlsx`)
  }
  return fromCells(splitCsv(text), name)
}
