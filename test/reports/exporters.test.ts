import { afterEach, describe, expect, setSystemTime, test } from "bun:test"
import { Effect } from "effect"
import ExcelJS from "exceljs"
import fc from "fast-check"
import { mkdirSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { PDFDocument } from "pdf-lib"
import { adjustmentsHeader, figuresHeader, formatCsv, MalformedCsv, parseCsv } from "../../adapters/reports/csv.ts"
import { ReportExporter } from "../../adapters/reports/exporter.ts"
import { fixZipTimes, NotAZip } from "../../adapters/reports/zip-times.ts"
import { formatVndDigits } from "../../domain/money.ts"
import { placeAndDate } from "../../domain/reports/document.ts"
import { moneyColumns, netCollected } from "../../domain/reports/figures.ts"
import type { MoneyReport } from "../../domain/reports/money-report.ts"
import { fixtureHeader, fixtureReport } from "./report.fixtures.ts"
import { pdfPagesText } from "./pdf-text.ts"

const run = <A, E>(effect: Effect.Effect<A, E, ReportExporter>): Promise<A> => Effect.runPromise(Effect.provide(effect, ReportExporter.layer))
const xlsx = (r: MoneyReport) => run(ReportExporter.use((x) => x.xlsx(r, fixtureHeader)))
const pdf = (r: MoneyReport) => run(ReportExporter.use((x) => x.pdf(r, fixtureHeader)))
const csv = (r: MoneyReport) => run(ReportExporter.use((x) => x.csv(r)))

const out = join(import.meta.dir, "..", "..", "test-output", "reports")

afterEach(() => {
  setSystemTime()
})

const closed = fixtureReport(6)
const later = fixtureReport(7)

describe("the fixture report", () => {
  test("has the figures the exporters must show", () => {
    expect(closed.status).toBe("closed")
    expect(closed.total.issued).toEqual({ count: 6, amount: 2_002_655_850_000n })
    expect(netCollected(closed.total)).toBe(2_002_482_350_000n)
    expect(closed.total.paid).toEqual({ count: 1, amount: 1_500_000_000_000n })
    expect(closed.adjustments.map((a) => a.eventId)).toEqual(["11"])
    expect(later.lateEntries.map((a) => a.eventId)).toEqual(["11"])
  })
})

describe("XLSX", () => {
  test("read back with exceljs, it holds the header, every figure and the adjustments", async () => {
    const bytes = await xlsx(closed)
    mkdirSync(out, { recursive: true })
    writeFileSync(join(out, "bao-cao-2025-6.xlsx"), bytes)
    const book = new ExcelJS.Workbook()
    await book.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer)
    expect(book.worksheets.map((s) => s.name)).toEqual(["Báo cáo", "Theo tháng", "Điều chỉnh"])
    expect(book.created.toISOString()).toBe(closed.cutoff)

    const sheet = book.getWorksheet("Báo cáo")!
    const texts: Array<string> = []
    sheet.eachRow((row) => row.eachCell((cell) => texts.push(String(cell.value))))
    for (const expected of [
      "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
      "Độc lập - Tự do - Hạnh phúc",
      "BỘ TƯ PHÁP",
      "THI HÀNH ÁN DÂN SỰ THÀNH PHỐ HỒ CHÍ MINH",
      "Số: 15/BC-THADS",
      "TP. Hồ Chí Minh, ngày 03 tháng 4 năm 2025",
      closed.form.title,
      "Kỳ báo cáo: 6 tháng năm 2025 (từ 01/10/2024 đến 31/03/2025)",
      "KT. CỤC TRƯỞNG",
      "PHÓ CỤC TRƯỞNG",
      "Nguyễn Thị Hồng Hà",
      "Nơi nhận:"
    ]) {
      expect(texts).toContain(expected)
    }

    const rowOf = (label: string): Array<unknown> => {
      let found: Array<unknown> | undefined
      sheet.eachRow((row) => {
        if (row.getCell(1).value === label) found = (row.values as Array<unknown>).slice(2)
      })
      if (found === undefined) throw new Error(`no row ${label}`)
      return found
    }
    expect(rowOf("TỔNG CỘNG")).toEqual(moneyColumns.map((c) => Number(c.value(closed.total))))
    expect(rowOf("Thi hành án dân sự TP. Hồ Chí Minh")).toEqual(moneyColumns.map((c) => Number(c.value(closed.groups[0]!.total))))
    expect(rowOf("    Phòng THADS khu vực 1")[6]).toBe(125_000_000)

    const months = book.getWorksheet("Theo tháng")!
    expect(months.getRow(2).getCell(1).value).toBe("Tháng 10/2024")
    expect(months.getRow(2).getCell(2).value).toBe(1)
    expect(months.getRow(8).getCell(3).value).toBe(Number(closed.total.issued.amount))

    const adjustments: Array<string> = []
    book.getWorksheet("Điều chỉnh")!.eachRow((row) => adjustments.push((row.values as Array<unknown>).slice(1).join("|")))
    expect(adjustments.some((r) => r.includes("Đợt 8 – dòng 11") && r.includes("43000000") && r.includes("2025-04-05T02:00:00.000Z"))).toBe(true)
  })

  test("the same report gives the same bytes, whatever the clock says", async () => {
    setSystemTime(new Date("2025-05-01T08:00:00.000Z"))
    const first = await xlsx(closed)
    setSystemTime(new Date("2026-11-17T21:13:07.000Z"))
    const second = await xlsx(fixtureReport(6, "2025-09-01T00:00:00.000Z"))
    expect(Buffer.from(second).equals(Buffer.from(first))).toBe(true)
    // And a report with other figures does not.
    expect(Buffer.from(await xlsx(later)).equals(Buffer.from(first))).toBe(false)
  })
})

describe("PDF", () => {
  test("an independent reader (PDF.js) finds the official layout's words and the figures", async () => {
    const bytes = await pdf(closed)
    mkdirSync(out, { recursive: true })
    writeFileSync(join(out, "bao-cao-2025-6.pdf"), bytes)
    const text = (await pdfPagesText(bytes)).join(" ")
    for (const expected of [
      "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
      "Độc lập - Tự do - Hạnh phúc",
      "BỘ TƯ PHÁP",
      "Số: 15/BC-THADS",
      "TP. Hồ Chí Minh, ngày 03 tháng 4 năm 2025",
      "Kỳ báo cáo: 6 tháng năm 2025 (từ 01/10/2024 đến 31/03/2025)",
      "KT. CỤC TRƯỞNG",
      "PHÓ CỤC TRƯỞNG",
      "Nguyễn Thị Hồng Hà",
      "Nơi nhận:",
      "Số liệu chính thức: kỳ báo cáo đã khóa sổ lúc 09:00 ngày 03/04/2025",
      "Phòng THADS khu vực 1",
      "TỔNG CỘNG",
      "Tháng 03/2025",
      "ĐIỀU CHỈNH SAU KHI KHÓA SỔ"
    ]) {
      expect(text).toContain(expected)
    }
    for (const c of moneyColumns) expect(text).toContain(formatVndDigits(c.value(closed.total)))
    expect(text).toContain("Đợt 8 – dòng 11")
    expect(text).toContain("43.000.000 đồng")

    const doc = await PDFDocument.load(bytes)
    const page = doc.getPage(0)
    expect([Math.round(page.getWidth()), Math.round(page.getHeight())]).toEqual([842, 595])
    expect(doc.getCreationDate()?.toISOString()).toBe(closed.cutoff)
  })

  test("the same report gives the same bytes, whatever the clock says", async () => {
    setSystemTime(new Date("2025-05-01T08:00:00.000Z"))
    const first = await pdf(closed)
    setSystemTime(new Date("2027-02-03T04:05:06.000Z"))
    const second = await pdf(fixtureReport(6, "2025-12-31T00:00:00.000Z"))
    expect(Buffer.from(second).equals(Buffer.from(first))).toBe(true)
    expect(Buffer.from(await pdf(later)).equals(Buffer.from(first))).toBe(false)
  })

  test("a long report continues on numbered pages with the table heading repeated", async () => {
    const many = {
      ...closed,
      groups: Array.from({ length: 40 }, (_, i) => ({ ...closed.groups[0]!, agency: `A${String(i).padStart(2, "0")}` }))
    }
    const pages = await pdfPagesText(await pdf(many))
    expect(pages.length).toBeGreaterThan(2)
    expect(pages[1]).toStartWith("2 ")
    expect(pages[1]).toContain("Số biên lai đã phát hành")
    expect(pages.at(-1)).toContain("Nguyễn Thị Hồng Hà")
  })
})

describe("CSV", () => {
  test("parses back to the report's figures, month by month and in total", async () => {
    const files = await csv(later)
    expect(files.figures.startsWith("\uFEFF")).toBe(false)
    const rows = parseCsv(files.figures)
    expect(rows[0]).toEqual([...figuresHeader])
    const records = rows.slice(1).map((r) => Object.fromEntries(figuresHeader.map((h, i) => [h, r[i]!])))
    expect(records.every((r) => r.period === "2025/7" && r.status === "provisional" && r.cutoff === later.cutoff)).toBe(true)
    for (const c of moneyColumns) {
      const totals = records.filter((r) => r.month === "total").reduce((s, r) => s + BigInt(r[c.key]!), 0n)
      const monthly = records.filter((r) => r.month !== "total").reduce((s, r) => s + BigInt(r[c.key]!), 0n)
      expect(totals).toBe(c.value(later.total))
      expect(monthly).toBe(c.value(later.total))
    }
    const kv02March = records.find((r) => r.office === "HCM-KV02" && r.month === "2025-03")!
    expect(kv02March.paid_amount).toBe("43000000")
    expect(records.find((r) => r.agency === "HCM" && r.office === "" && r.month === "2024-10")!.issued_amount).toBe("2000000000000")

    const adjustments = parseCsv(files.adjustments)
    expect(adjustments[0]).toEqual([...adjustmentsHeader])
    expect(adjustments.slice(1)).toEqual([
      ["late_entry", "11", "paid", "HCM", "HCM-KV02", "11", "Đợt 8 – dòng 11", "43000000", "2025-03", "2025-03-28T03:00:00.000Z", "2025-04-05T02:00:00.000Z", "2025/6@2025-04-03T02:00:00.000Z"]
    ])
  })

  test("formatCsv / parseCsv round trip, whatever the fields hold", () => {
    const field = fc.oneof(fc.string(), fc.string({ unit: fc.constantFrom("a", "ắ", ",", '"', "\r", "\n", " ", "=") }))
    fc.assert(
      fc.property(fc.array(fc.array(field, { minLength: 1, maxLength: 6 }), { maxLength: 8 }), (rows) => {
        expect(parseCsv(formatCsv(rows))).toEqual(rows)
      })
    )
  })

  test("malformed CSV is refused with the reason", () => {
    expect(() => parseCsv('"open')).toThrow(MalformedCsv)
    expect(() => parseCsv('"a"b,c')).toThrow("after its closing quote")
  })
})

describe("fixZipTimes", () => {
  test("sets every entry's time in both headers and leaves the contents readable", async () => {
    const bytes = await xlsx(closed)
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    const times = new Set<string>()
    for (let i = 0; i + 4 <= bytes.length; i++) {
      const sig = view.getUint32(i, true)
      if (sig === 0x04034b50) times.add(`${view.getUint16(i + 10, true)}/${view.getUint16(i + 12, true)}`)
      if (sig === 0x02014b50) times.add(`${view.getUint16(i + 12, true)}/${view.getUint16(i + 14, true)}`)
    }
    // 2025-04-03T02:00Z is 09:00 on 3 April 2025 in Vietnam.
    expect([...times]).toEqual([`${9 << 11}/${((2025 - 1980) << 9) | (4 << 5) | 3}`])
    const other = fixZipTimes(bytes, "2030-01-01T00:00:00.000Z")
    expect(Buffer.from(other).equals(Buffer.from(bytes))).toBe(false)
    expect(fixZipTimes(other, closed.cutoff)).toEqual(bytes)
  })

  test("refuses what is not a ZIP archive", () => {
    expect(() => fixZipTimes(new TextEncoder().encode("not a zip at all, just text that is long enough"), closed.cutoff)).toThrow(NotAZip)
  })
})

test("placeAndDate writes zeros only before days below 10 and months 1 and 2", () => {
  expect(placeAndDate("Hà Nội", "2025-02-05")).toBe("Hà Nội, ngày 05 tháng 02 năm 2025")
  expect(placeAndDate("Hà Nội", "2025-03-15")).toBe("Hà Nội, ngày 15 tháng 3 năm 2025")
  expect(placeAndDate("Hà Nội", "2025-12-01")).toBe("Hà Nội, ngày 01 tháng 12 năm 2025")
})
