/**
 * A creditor list uploaded to the officer API or console
 * (adapters/payout/claims-upload.ts): whatever a CSV writer puts in a cell
 * (commas, quotes, line breaks, Vietnamese) is read back as written, with
 * the file's line of each row, whatever the delimiter; an XLSX workbook
 * gives the same rows; a file that is not UTF-8 or has no header is
 * refused by name.
 */
import { describe, expect, test } from "bun:test"
import ExcelJS from "exceljs"
import fc from "fast-check"
import { formatCsvRecord } from "../../domain/bank/csv.ts"
import { ClaimsFileRefused, readClaimsUpload } from "../../adapters/payout/claims-upload.ts"
import { cccdFor } from "../payout/fixtures.ts"

const HEADER = ["Mã khoản", "Số CCCD", "Họ tên", "Hạng", "Số tiền được thi hành án", "Ngày yêu cầu", "Mã ngân hàng", "Số tài khoản"]

const claimArb = fc.record({
  n: fc.integer({ min: 1, max: 99_999 }),
  name: fc.string({ unit: fc.constantFrom("a", "ễ", "Ư", " ", ",", ";", "\"", "\n", "Đ", "x"), minLength: 1, maxLength: 20 })
    .filter((s) => s.trim() !== "" && s === s.trim()),
  rank: fc.constantFrom("a", "b", "c"),
  owed: fc.bigInt({ min: 1n, max: 10n ** 14n })
})

describe("creditor list uploads", () => {
  test("property: CSV cells are read back as written, each row with its line, for , ; and tab", async () => {
    await fc.assert(fc.asyncProperty(fc.uniqueArray(claimArb, { minLength: 1, maxLength: 8, selector: (c) => c.n }), fc.constantFrom(",", ";", "\t" as const), async (claims, delimiter) => {
      const lines = [formatCsvRecord(HEADER, delimiter), ...claims.map((c) => formatCsvRecord([`C${c.n}`, cccdFor(c.n), c.name, c.rank, c.owed.toString(), "", "", ""], delimiter))]
      const read = await readClaimsUpload(new TextEncoder().encode(lines.join("\r\n")), "list.csv")
      expect(read.rows.map((r) => [r["id"], (r["creditor"] as { name: string }).name, r["rank"], r["owed"]]))
        .toEqual(claims.map((c) => [`C${c.n}`, c.name, c.rank, c.owed.toString()]))
      // Without line breaks inside cells, a row's number is its line in the file.
      if (!claims.some((c) => c.name.includes("\n"))) expect(read.lines).toEqual(claims.map((_, i) => i + 2))
    }), { numRuns: 60 })
  })

  test("an XLSX workbook gives the same rows as its CSV, amounts in number cells included", async () => {
    const workbook = new ExcelJS.Workbook()
    const sheet = workbook.addWorksheet("Danh sách")
    sheet.addRow(HEADER)
    sheet.addRow(["C1", cccdFor(1), "Nguyễn Văn Một", "a", 125_500_000, "16/06/2025", "970436", "1000000001"])
    sheet.addRow(["C2", cccdFor(2), "Trần Thị Hai", "c", "2.000.000", "", "", ""])
    const bytes = new Uint8Array(await workbook.xlsx.writeBuffer())
    const read = await readClaimsUpload(bytes, "list.xlsx")
    expect(read.lines).toEqual([2, 3])
    expect(read.rows[0]).toMatchObject({ id: "C1", rank: "a", owed: "125500000", requestDate: "2025-06-16", bankAccount: { bin: "970436", number: "1000000001" } })
    expect(read.rows[1]).toMatchObject({ id: "C2", owed: "2000000" })
    expect(read.rows[1]!["bankAccount"]).toBeUndefined()
  })

  test("a file that is not UTF-8, has no header, or lacks a column is refused by name", async () => {
    await expect(readClaimsUpload(new Uint8Array([0x4e, 0x67, 0x75, 0x79, 0xea, 0x6e]), "tcvn3.csv")).rejects.toThrow(/not UTF-8.*CSV UTF-8/)
    await expect(readClaimsUpload(new TextEncoder().encode("\n\n"), "empty.csv")).rejects.toBeInstanceOf(ClaimsFileRefused)
    await expect(readClaimsUpload(new TextEncoder().encode("Mã khoản,Họ tên\nC1,A"), "short.csv")).rejects.toThrow(/lacks.*so cccd/)
    await expect(readClaimsUpload(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]), "broken.xlsx")).rejects.toThrow(/cannot be opened as an Excel workbook/)
  })
})
