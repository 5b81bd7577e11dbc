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
import { Result } from "effect"
import { parseVietnameseDate } from "../../domain/dates.ts"
import { parseVnd } from "../../domain/money.ts"
import { foldForSearch } from "../../domain/text.ts"
import { detectDelimiter, parseCsvRecord } from "../ingest/csv.ts"
import { sniffEncoding } from "../ingest/encoding.ts"
import { readXlsxRows } from "../ingest/xlsx.ts"

export type ClaimColumn = "id" | "identityNumber" | "name" | "rank" | "owed" | "requestDate" | "securedAsset" | "bankBin" | "bankAccount"

/** Header names, compared without accents, case or spaces. */
const HEADERS: Readonly<Record<ClaimColumn, ReadonlyArray<string>>> = {
  id: ["ma khoan", "ma yeu cau", "claim id", "id"],
  identityNumber: ["so cccd", "cccd", "so dinh danh", "so giay to", "identity number"],
  name: ["ho ten", "ho va ten", "ten nguoi duoc thi hanh an", "name"],
  rank: ["hang", "thu tu uu tien", "rank"],
  owed: ["so tien duoc thi hanh an", "so tien", "so tien phai tra", "owed", "amount owed"],
  requestDate: ["ngay yeu cau", "ngay yeu cau thi hanh an", "request date"],
  securedAsset: ["tai san bao dam", "secured asset"],
  bankBin: ["ma ngan hang", "bin", "bank bin"],
  bankAccount: ["so tai khoan", "tai khoan", "account number", "bank account"]
}
const REQUIRED: ReadonlyArray<ClaimColumn> = ["id", "identityNumber", "name", "rank", "owed"]

const key = (header: string): string => foldForSearch(header).replace(/[^a-z0-9]+/g, " ").trim()

export class ClaimsFileRefused extends Error {}

/** Which column holds what, from the header row; refuses a header missing a required column. */
export const mapClaimHeader = (header: ReadonlyArray<string>): ReadonlyArray<ClaimColumn | undefined> => {
  const keys = header.map(key)
  const mapping = keys.map((k) => (Object.keys(HEADERS) as Array<ClaimColumn>).find((c) => HEADERS[c].includes(k)))
  const missing = REQUIRED.filter((c) => !mapping.includes(c))
  if (missing.length > 0) {
    throw new ClaimsFileRefused(
      `the header row lacks ${missing.map((c) => `"${HEADERS[c][0]}" (${c})`).join(", ")}; it has ${header.map((h) => `"${h}"`).join(", ")}`
    )
  }
  return mapping
}

const owedText = (cell: string): string => {
  const parsed = parseVnd(cell)
  return Result.isSuccess(parsed) && !/^\s*-/.test(cell) ? parsed.success.toString(10) : cell.trim()
}

const dateText = (cell: string): string => {
  const parsed = parseVietnameseDate(cell)
  return Result.isSuccess(parsed) ? parsed.success : cell.trim()
}

/** One row as the claim JSON `decodeClaims` reads (blank optional cells left out). */
export const claimRow = (cells: ReadonlyArray<string>, mapping: ReadonlyArray<ClaimColumn | undefined>): Record<string, unknown> => {
  const v: Partial<Record<ClaimColumn, string>> = {}
  mapping.forEach((c, i) => {
    if (c !== undefined) v[c] = (cells[i] ?? "").trim()
  })
  const row: Record<string, unknown> = {
    id: v.id ?? "",
    creditor: { identityNumber: v.identityNumber ?? "", name: v.name ?? "" },
    rank: (v.rank ?? "").toLowerCase(),
    owed: owedText(v.owed ?? "")
  }
  if (v.requestDate) row["requestDate"] = dateText(v.requestDate)
  if (v.securedAsset) row["secured"] = { asset: v.securedAsset }
  if (v.bankBin || v.bankAccount) row["bankAccount"] = { bin: v.bankBin ?? "", number: (v.bankAccount ?? "").replace(/[\s.-]/g, "") }
  return row
}

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
    for await (const r of readXlsxRows(file)) {
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
