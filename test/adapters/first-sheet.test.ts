/**
 * The first worksheet of an XLSX workbook, row by row
 * (adapters/spreadsheets/first-sheet.ts): whatever order the archive stores
 * its parts in, every row is read, and a file that is no workbook is
 * refused by name. exceljs's one-pass streaming reader failed 1 read in 400
 * of the same exceljs-written file ("this.model.sheets"), which made
 * imports of bulk receipts, creditor lists and bank statements fail now
 * and then.
 */
import { afterAll, describe, expect, test } from "bun:test"
import ExcelJS from "exceljs"
import fc from "fast-check"
import JSZip from "jszip"
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { rowCells } from "../../adapters/spreadsheets/cell-text.ts"
import { firstSheetRows, NotAWorkbook } from "../../adapters/spreadsheets/first-sheet.ts"

const dir = mkdtempSync(join(tmpdir(), "bienlai-first-sheet-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const readAll = async (file: string) => {
  const rows: Array<{ number: number; cells: Array<string> }> = []
  for await (const r of firstSheetRows(file)) rows.push({ number: r.number, cells: rowCells(r.values) })
  return rows
}

const workbook = async (rows: ReadonlyArray<ReadonlyArray<string | number>>, second?: ReadonlyArray<ReadonlyArray<string>>) => {
  const book = new ExcelJS.Workbook()
  const sheet = book.addWorksheet("Danh sách")
  for (const r of rows) sheet.addRow([...r])
  if (second !== undefined) {
    const other = book.addWorksheet("Ghi chú")
    for (const r of second) other.addRow([...r])
  }
  return Buffer.from(await book.xlsx.writeBuffer())
}

const rowsOf = (n: number) => Array.from({ length: n }, (_, i) => [`Người nộp ${i}`, 1_000_000 + i, `Tiền thi hành án ${i % 7}`])

describe("the first worksheet of a workbook", () => {
  test("a workbook written by exceljs (its workbook part stored last) gives every row, read after read", async () => {
    const file = join(dir, "exceljs.xlsx")
    writeFileSync(file, await workbook(rowsOf(30)))
    for (let k = 0; k < 400; k++) {
      const rows = await readAll(file)
      expect(rows.length).toBe(30)
      expect(rows[29]).toEqual({ number: 30, cells: ["Người nộp 29", "1000029", "Tiền thi hành án 1"] })
    }
  })

  test("property: in whatever order the archive stores its parts, the rows are those written", async () => {
    const written = await workbook(rowsOf(12), [["not this sheet"]])
    const zip = await JSZip.loadAsync(written)
    const names = Object.keys(zip.files).filter((n) => !zip.files[n]?.dir)
    const parts = await Promise.all(names.map(async (n) => [n, await zip.file(n)!.async("uint8array")] as const))
    let k = 0
    await fc.assert(
      fc.asyncProperty(fc.shuffledSubarray(parts.map((_, i) => i), { minLength: parts.length }), async (order) => {
        const repacked = new JSZip()
        for (const i of order) repacked.file(parts[i]![0], parts[i]![1])
        const file = join(dir, `order-${k++}.xlsx`)
        writeFileSync(file, await repacked.generateAsync({ type: "uint8array", compression: "DEFLATE" }))
        const rows = await readAll(file)
        expect(rows.map((r) => r.cells)).toEqual(rowsOf(12).map((r) => r.map(String)))
      }),
      { numRuns: 40 }
    )
  })

  test("a file that is no zip, or a zip that is no workbook, is refused saying so", async () => {
    const text = join(dir, "list.xlsx")
    writeFileSync(text, "Họ tên,Số tiền\nA,1\n")
    const notZip = await readAll(text).catch((e) => e)
    expect(notZip).toBeInstanceOf(NotAWorkbook)
    expect(notZip.message).toContain("not an XLSX workbook")
    const bare = new JSZip()
    bare.file("readme.txt", "hello")
    const zipFile = join(dir, "bare.xlsx")
    writeFileSync(zipFile, await bare.generateAsync({ type: "uint8array" }))
    const noBook = await readAll(zipFile).catch((e) => e)
    expect(noBook).toBeInstanceOf(NotAWorkbook)
    expect(noBook.message).toContain("xl/workbook.xml")
  })
})
