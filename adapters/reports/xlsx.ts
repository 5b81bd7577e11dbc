/**
 * The money report as an XLSX workbook (exceljs): the report sheet laid out
 * like the paper form (issuer and national motto, title, period, the table
 * by agency and office, status, signature), the month-by-month totals, and
 * the adjustments. Figures are number cells while exact (below 2^53), so a
 * spreadsheet can add them up; larger ones are written as digit text.
 *
 * The same report gives the same bytes: the workbook's creation and
 * modification dates are the report's cutoff, and the ZIP entries' times
 * are set to it afterwards (zip-times.ts).
 */
import ExcelJS from "exceljs"
import { type Adjustment, type MoneyReport } from "../../domain/reports/money-report.ts"
import { documentDate, type OfficialHeader, placeAndDate, statusLine, unitName } from "../../domain/reports/document.ts"
import { eventKindLabel, type Figures, moneyColumns } from "../../domain/reports/figures.ts"
import { formatPeriod, periodLabel } from "../../domain/reports/period.ts"
import { fixZipTimes } from "./zip-times.ts"

const MAX_EXACT = BigInt(Number.MAX_SAFE_INTEGER)

/** A number cell while exact, else the digits as text. */
export const figureCell = (n: bigint): number | string => (n <= MAX_EXACT && n >= -MAX_EXACT ? Number(n) : n.toString())

const figureCells = (f: Figures): Array<number | string> => moneyColumns.map((c) => figureCell(c.value(f)))

const lastColumn = moneyColumns.length + 1
const thin = { style: "thin" as const }
const box = { top: thin, left: thin, bottom: thin, right: thin }

const styleTableRow = (row: ExcelJS.Row, bold: boolean): void => {
  row.eachCell({ includeEmpty: true }, (cell, col) => {
    if (col > lastColumn) return
    cell.border = box
    cell.font = { name: "Times New Roman", size: 11, bold }
    if (col > 1) {
      cell.numFmt = "#,##0"
      cell.alignment = { horizontal: "right", vertical: "middle" }
    }
  })
}

const reportSheet = (book: ExcelJS.Workbook, report: MoneyReport, header: OfficialHeader): void => {
  const sheet = book.addWorksheet("Báo cáo", {
    pageSetup: { paperSize: 9, orientation: "landscape", fitToPage: true, fitToWidth: 1, fitToHeight: 0 }
  })
  sheet.getColumn(1).width = 42
  for (let c = 2; c <= lastColumn; c++) sheet.getColumn(c).width = moneyColumns[c - 2]?.unit === "count" ? 12 : 20
  const font = (size: number, extra: Partial<ExcelJS.Font> = {}): Partial<ExcelJS.Font> => ({ name: "Times New Roman", size, ...extra })
  const place = (row: number, from: number, to: number, text: string, f: Partial<ExcelJS.Font>) => {
    sheet.mergeCells(row, from, row, to)
    const cell = sheet.getCell(row, from)
    cell.value = text
    cell.font = f
    cell.alignment = { horizontal: "center", vertical: "middle", wrapText: true }
  }
  const motto = Math.ceil(lastColumn / 2) + 1

  place(1, 1, motto - 1, (header.superior ?? "").toUpperCase(), font(12))
  place(1, motto, lastColumn, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", font(12, { bold: true }))
  place(2, 1, motto - 1, header.issuer.toUpperCase(), font(12, { bold: true }))
  place(2, motto, lastColumn, "Độc lập - Tự do - Hạnh phúc", font(13, { bold: true }))
  place(3, 1, motto - 1, `Số: ${header.number}`, font(13))
  place(3, motto, lastColumn, placeAndDate(header.place, documentDate(report, header)), font(13, { italic: true }))
  place(5, 1, lastColumn, report.form.title, font(14, { bold: true }))
  place(6, 1, lastColumn, report.form.basis, font(12, { italic: true }))
  place(7, 1, lastColumn, `Kỳ báo cáo: ${periodLabel(report.period)}`, font(13, { bold: true }))
  place(8, 1, lastColumn, `Biểu ${report.form.id} (bienlai) · ${report.form.unit}`, font(11, { italic: true }))

  const headings = sheet.getRow(10)
  headings.values = ["Đơn vị", ...moneyColumns.map((c) => c.heading)]
  headings.height = 48
  headings.eachCell((cell) => {
    cell.font = font(11, { bold: true })
    cell.border = box
    cell.alignment = { horizontal: "center", vertical: "middle", wrapText: true }
  })
  const numbers = sheet.getRow(11)
  numbers.values = ["A", ...moneyColumns.map((_, i) => String(i + 1))]
  numbers.eachCell((cell) => {
    cell.font = font(10, { italic: true })
    cell.border = box
    cell.alignment = { horizontal: "center" }
  })

  for (const group of report.groups) {
    styleTableRow(sheet.addRow([unitName(header, group.agency, undefined), ...figureCells(group.total)]), true)
    for (const row of group.rows) {
      if (row.office === undefined) continue
      styleTableRow(sheet.addRow([`    ${unitName(header, row.agency, row.office)}`, ...figureCells(row.total)]), false)
    }
  }
  styleTableRow(sheet.addRow(["TỔNG CỘNG", ...figureCells(report.total)]), true)

  sheet.addRow([])
  const status = sheet.addRow([statusLine(report)])
  status.getCell(1).font = font(12, { italic: true })
  if (report.adjustments.length > 0 || report.lateEntries.length > 0) {
    const note = sheet.addRow([
      `Điều chỉnh sau khóa sổ: ${report.adjustments.length}; số liệu ghi nhận muộn đã tính vào kỳ này: ${report.lateEntries.length} (xem trang "Điều chỉnh").`
    ])
    note.getCell(1).font = font(12, { italic: true })
  }

  sheet.addRow([])
  const signStart = sheet.rowCount + 1
  const lines = [...header.signer.title.map((t) => ({ text: t.toUpperCase(), f: font(13, { bold: true }) })), { text: "(Ký, ghi rõ họ tên, đóng dấu)", f: font(12, { italic: true }) }]
  lines.forEach((l, i) => place(signStart + i, motto, lastColumn, l.text, l.f))
  place(signStart + lines.length + 4, motto, lastColumn, header.signer.name, font(13, { bold: true }))
  if (header.recipients !== undefined && header.recipients.length > 0) {
    const to = sheet.getCell(signStart, 1)
    to.value = "Nơi nhận:"
    to.font = font(12, { bold: true, italic: true })
    const recipients = header.recipients
    recipients.forEach((r, i) => {
      const cell = sheet.getCell(signStart + 1 + i, 1)
      cell.value = `- ${r}${i === recipients.length - 1 ? "." : ";"}`
      cell.font = font(11)
    })
  }
}

const monthsSheet = (book: ExcelJS.Workbook, report: MoneyReport): void => {
  const sheet = book.addWorksheet("Theo tháng")
  sheet.columns = [{ width: 22 }, ...moneyColumns.map((c) => ({ width: c.unit === "count" ? 12 : 20 }))]
  styleTableRow(sheet.addRow(["Tháng", ...moneyColumns.map((c) => c.heading)]), true)
  report.months.forEach((m, i) => styleTableRow(sheet.addRow([m.label, ...figureCells(report.monthly[i]!)]), false))
  styleTableRow(sheet.addRow([`Cộng ${report.period.months} tháng`, ...figureCells(report.total)]), true)
}

const adjustmentRow = (header: OfficialHeader, a: Adjustment): Array<string | number> => [
  a.recordedAt,
  a.at,
  a.month,
  eventKindLabel[a.kind],
  unitName(header, a.agency, a.office),
  a.label,
  figureCell(a.amount),
  a.missingFrom.map((c) => `${formatPeriod(c)} (khóa ${c.closedAt})`).join("; ")
]

const adjustmentsSheet = (book: ExcelJS.Workbook, report: MoneyReport, header: OfficialHeader): void => {
  const sheet = book.addWorksheet("Điều chỉnh")
  sheet.columns = [{ width: 26 }, { width: 26 }, { width: 10 }, { width: 22 }, { width: 36 }, { width: 24 }, { width: 20 }, { width: 44 }]
  const headings = ["Ghi nhận lúc", "Phát sinh lúc", "Tính vào tháng", "Loại", "Đơn vị", "Chứng từ", "Số tiền (đồng)", "Chưa có trong báo cáo đã khóa"]
  const section = (title: string, items: ReadonlyArray<Adjustment>) => {
    sheet.addRow([title]).getCell(1).font = { bold: true }
    sheet.addRow(headings).font = { bold: true }
    if (items.length === 0) sheet.addRow(["(không có)"])
    for (const a of items) sheet.addRow(adjustmentRow(header, a)).getCell(7).numFmt = "#,##0"
    sheet.addRow([])
  }
  section("ĐIỀU CHỈNH SAU KHI KHÓA SỔ (không tính vào số liệu của kỳ này)", report.adjustments)
  section("SỐ LIỆU GHI NHẬN MUỘN ĐÃ TÍNH VÀO KỲ NÀY", report.lateEntries)
}

/** The workbook's bytes; the same report and header give the same bytes. */
export const reportXlsx = async (report: MoneyReport, header: OfficialHeader): Promise<Uint8Array> => {
  const book = new ExcelJS.Workbook()
  const stamp = new Date(Date.parse(report.cutoff))
  book.creator = "bienlai"
  book.lastModifiedBy = "bienlai"
  book.title = `${report.form.title} – ${periodLabel(report.period)}`
  book.created = stamp
  book.modified = stamp
  reportSheet(book, report, header)
  monthsSheet(book, report)
  adjustmentsSheet(book, report, header)
  return fixZipTimes(new Uint8Array(await book.xlsx.writeBuffer()), report.cutoff)
}
