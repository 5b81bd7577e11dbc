/**
 * The columns of a creditor list (docs/PAYOUT.md, "Command line"): header
 * names in Vietnamese or English, compared without accents, case or spaces,
 * and one row's cells as the claim JSON `decodeClaims` reads. Shared by the
 * command line's streamed reader (jobs/payout/claims-file.ts) and the
 * officer API's upload (adapters/payout/claims-upload.ts), so both read a
 * list the same way.
 */
import { Result } from "effect"
import { parseVietnameseDate } from "../dates.ts"
import { parseVnd } from "../money.ts"
import { foldForSearch } from "../text.ts"

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

/** A list that cannot be read at all (no header, a required column missing, not CSV or XLSX). */
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

