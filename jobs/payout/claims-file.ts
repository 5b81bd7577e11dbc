/**
 * A creditor list (CSV or XLSX) read as a stream into claim rows for
 * `decodeClaims` (domain/payout/claim.ts). Headers in Vietnamese or English
 * (docs/PAYOUT.md, "Command line"); amounts as people type them
 * ("1.000.000", "1 000 000"), dates as DD/MM/YYYY or YYYY-MM-DD. A row keeps
 * its line number in the file so that every problem names it.
 */
import { createReadStream, openSync, readSync, closeSync } from "node:fs"
import { extname } from "node:path"
import { createInterface } from "node:readline"
import { detectDelimiter, parseCsvRecord } from "../ingest/csv.ts"
import { sniffEncoding } from "../ingest/encoding.ts"
import { NotAWorkbook } from "../../adapters/spreadsheets/first-sheet.ts"
import { readXlsxRows } from "../ingest/xlsx.ts"

export { type ClaimColumn, claimRow, ClaimsFileRefused, mapClaimHeader } from "../../domain/payout/claim-columns.ts"
import { type ClaimColumn, claimRow, ClaimsFileRefused, mapClaimHeader } from "../../domain/payout/claim-columns.ts"

export interface ClaimRows {
  readonly rows: Array<Record<string, unknown>>
  /** The line (CSV) or row (XLSX) number of each row in the file. */
  readonly lines: Array<number>
  readonly inputs: Array<string>
}

/** Reads the whole list, row by row from a stream; `progress` gets the rows read so far. */
export const readClaimsFile = async (file: string, progress: (rows: number) => void = () => {}): Promise<ClaimRows> => {
  const out: ClaimRows = { rows: [], lines: [], inputs: [] }
  const ext = extname(file).toLowerCase()
  if (ext === ".xlsx") {
    let mapping: ReadonlyArray<ClaimColumn | undefined> | undefined
    const rows = readXlsxRows(file)
    const next = async () => {
      try {
        return await rows.next()
      } catch (e) {
        if (e instanceof NotAWorkbook) throw new ClaimsFileRefused(`${file} cannot be opened as an Excel workbook: ${e.message}`)
        throw e
      }
    }
    for (let step = await next(); step.done !== true; step = await next()) {
      const r = step.value
      if (mapping === undefined) {
        mapping = mapClaimHeader(r.cells)
        continue
      }
      out.rows.push(claimRow(r.cells, mapping))
      out.lines.push(r.row)
      out.inputs.push(JSON.stringify(r.cells))
      if (out.rows.length % 10_000 === 0) progress(out.rows.length)
    }
    if (mapping === undefined) throw new ClaimsFileRefused(`${file} has no header row`)
    return out
  }
  if (![".csv", ".tsv", ".txt"].includes(ext)) throw new ClaimsFileRefused(`${file}: a creditor list is a .csv or .xlsx file`)
  const fd = openSync(file, "r")
  const head = new Uint8Array(65536)
  const n = readSync(fd, head, 0, head.length, 0)
  closeSync(fd)
  const refused = sniffEncoding(head.subarray(0, n))
  if (refused !== undefined) throw new ClaimsFileRefused(`${file}: ${refused.message}`)
  let mapping: ReadonlyArray<ClaimColumn | undefined> | undefined
  let delimiter: ReturnType<typeof detectDelimiter> = ","
  let line = 0
  for await (const raw of createInterface({ input: createReadStream(file, { encoding: "utf8" }), crlfDelay: Number.POSITIVE_INFINITY })) {
    line++
    const text = line === 1 ? raw.replace(/^\uFEFF/, "") : raw
    if (text.trim() === "") continue
    if (mapping === undefined) {
      delimiter = detectDelimiter(text)
      mapping = mapClaimHeader(parseCsvRecord(text, delimiter))
      continue
    }
    out.rows.push(claimRow(parseCsvRecord(text, delimiter), mapping))
    out.lines.push(line)
    out.inputs.push(text)
    if (out.rows.length % 10_000 === 0) progress(out.rows.length)
  }
  if (mapping === undefined) throw new ClaimsFileRefused(`${file} is empty`)
  return out
}
