/**
 * The creditor list reader of `bienlai payout import` (jobs/payout/claims-file.ts):
 * any valid list written as CSV (either delimiter, amounts grouped with dots
 * or not, dates either way) or XLSX reads back to the same claims; a header
 * without a required column is refused naming it.
 */
import { describe, expect, test } from "bun:test"
import { mkdirSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import ExcelJS from "exceljs"
import fc from "fast-check"
import { Result } from "effect"
import { formatVietnameseDate } from "../../domain/dates.ts"
import { formatVndDigits } from "../../domain/money.ts"
import { type Claim, decodeClaims } from "../../domain/payout/claim.ts"
import { formatCsvRecord } from "../../jobs/ingest/csv.ts"
import { ClaimsFileRefused, readClaimsFile } from "../../jobs/payout/claims-file.ts"
import { claimsArb } from "../payout/arbitraries.ts"

const dir = join(import.meta.dir, "..", "..", "test-output", "payout-claims-file")
mkdirSync(dir, { recursive: true })
const HEADER = ["Mã khoản", "Số CCCD", "Họ và tên", "Hạng", "Số tiền được thi hành án", "Ngày yêu cầu", "Tài sản bảo đảm", "Mã ngân hàng", "Số tài khoản"]

const cellsOf = (c: Claim, style: { grouped: boolean; vnDate: boolean }) => [
  c.id, c.creditor.identityNumber, c.creditor.name, style.grouped ? c.rank.toUpperCase() : c.rank,
  style.grouped ? formatVndDigits(c.owed) : c.owed.toString(),
  c.requestDate === undefined ? "" : style.vnDate ? formatVietnameseDate(c.requestDate) : c.requestDate,
  c.secured?.asset ?? "", c.bankAccount?.bin ?? "", c.bankAccount?.number ?? ""
]

const decoded = async (file: string) => {
  const read = await readClaimsFile(file)
  const claims = decodeClaims(read.rows)
  if (Result.isFailure(claims)) throw new Error(claims.failure.message)
  return claims.success
}

describe("creditor list files", () => {
  test("property: a list written as CSV reads back to the same claims", async () => {
    let k = 0
    await fc.assert(
      fc.asyncProperty(claimsArb(15), fc.constantFrom(",", ";"), fc.boolean(), fc.boolean(), async (claims, delimiter, grouped, vnDate) => {
        const file = join(dir, `list-${k++}.csv`)
        writeFileSync(file, [HEADER, ...claims.map((c) => cellsOf(c, { grouped, vnDate }))].map((r) => formatCsvRecord(r, delimiter as "," | ";")).join("\r\n") + "\r\n")
        expect(await decoded(file)).toEqual(claims)
      }),
      { numRuns: 60 }
    )
  })

  test("the same list as XLSX reads back the same; rows keep their line numbers", async () => {
    const claims = fc.sample(claimsArb(20), { numRuns: 1, seed: 15 })[0]!
    const file = join(dir, "list.xlsx")
    const book = new ExcelJS.Workbook()
    const sheet = book.addWorksheet("Danh sách")
    sheet.addRow(HEADER)
    for (const c of claims) sheet.addRow(cellsOf(c, { grouped: true, vnDate: true }))
    await book.xlsx.writeFile(file)
    expect(await decoded(file)).toEqual(claims)
    expect((await readClaimsFile(file)).lines[0]).toBe(2)
  })

  test("a header without a required column is refused, naming it", async () => {
    const file = join(dir, "no-amount.csv")
    writeFileSync(file, "Mã khoản,Số CCCD,Họ tên,Hạng\nC1,079085000001,A,c\n")
    const error = await readClaimsFile(file).catch((e) => e)
    expect(error).toBeInstanceOf(ClaimsFileRefused)
    expect(error.message).toContain("owed")
  })
})
