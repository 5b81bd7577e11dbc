/**
 * Daily reconciliation reports as files: CSV (RFC 4180, whole đồng as
 * digits, one line per account and day) and XLSX (exceljs), the same
 * columns in both.
 */
import ExcelJS from "exceljs"
import type { DailyReport } from "../../domain/reconciliation/daily-report.ts"
import { formatCsv } from "../reports/csv.ts"

export const dayReportHeader = [
  "agency", "account", "day", "opening", "credits_count", "credits_total", "debits_count", "debits_total", "closing", "balance",
  "matched", "queued", "unmatched", "flagged", "adjustments"
] as const

const cells = (r: DailyReport): Array<string> => [
  r.agency, r.account, r.day, r.opening?.toString() ?? "", String(r.credits.count), r.credits.total.toString(), String(r.debits.count), r.debits.total.toString(),
  r.closing?.toString() ?? "", r.balance, String(r.matched), String(r.queued), String(r.unmatched), String(r.flagged), r.adjustments.toString()
]

export const dayReportsCsv = (reports: ReadonlyArray<DailyReport>): string => formatCsv([[...dayReportHeader], ...reports.map(cells)])

export const dayReportsXlsx = async (reports: ReadonlyArray<DailyReport>): Promise<Uint8Array> => {
  const book = new ExcelJS.Workbook()
  const sheet = book.addWorksheet("Đối chiếu")
  sheet.addRow([...dayReportHeader]).font = { bold: true }
  const numeric = new Set(["opening", "credits_count", "credits_total", "debits_count", "debits_total", "closing", "matched", "queued", "unmatched", "flagged", "adjustments"])
  for (const r of reports) {
    // Amounts above 2^53 stay exact as text; smaller ones are numbers a spreadsheet can sum.
    sheet.addRow(cells(r).map((v, i) => (numeric.has(dayReportHeader[i] as string) && v !== "" && BigInt(v) < 2n ** 53n ? Number(v) : v)))
  }
  sheet.columns.forEach((c) => {
    c.width = 16
    c.numFmt = "#,##0"
  })
  return new Uint8Array(await book.xlsx.writeBuffer())
}
