/**
 * One report as one downloadable file, in the format asked for: what the
 * command line writes and the API and console send. The file name carries
 * the agency, the period and whether the figures are final, never the
 * time it was asked, so a closed period always downloads as the same file.
 */
import type { OfficialHeader } from "../../domain/reports/document.ts"
import type { MoneyReport } from "../../domain/reports/money-report.ts"
import { adjustmentsCsv, figuresCsv } from "./csv.ts"
import { reportPdf } from "./pdf.ts"
import { reportXlsx } from "./xlsx.ts"

export const ReportFormats = ["pdf", "xlsx", "csv", "adjustments.csv", "json"] as const
export type ReportFormat = typeof ReportFormats[number]

export const isReportFormat = (x: unknown): x is ReportFormat => typeof x === "string" && (ReportFormats as ReadonlyArray<string>).includes(x)

export interface ReportFile {
  readonly bytes: Uint8Array
  readonly contentType: string
  readonly fileName: string
}

const contentTypes: Record<ReportFormat, string> = {
  pdf: "application/pdf",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  csv: "text/csv; charset=utf-8",
  "adjustments.csv": "text/csv; charset=utf-8",
  json: "application/json; charset=utf-8"
}

/** The report as JSON: amounts as digit strings (they may pass 2^53). */
export const reportJson = (report: MoneyReport): string =>
  JSON.stringify(report, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v))

export const reportFileName = (report: MoneyReport, scope: string, format: ReportFormat): string =>
  `BL-TK01_${scope}_${report.period.year}-${String(report.period.months).padStart(2, "0")}thang_${report.status === "closed" ? "chinh-thuc" : `tam-thoi_${report.cutoff.replace(/[:.]/g, "")}`}.${format}`

export const renderReportFile = async (report: MoneyReport, header: OfficialHeader, format: ReportFormat, scope: string): Promise<ReportFile> => {
  const text = (s: string) => new TextEncoder().encode(s)
  const bytes = format === "pdf"
    ? await reportPdf(report, header)
    : format === "xlsx"
    ? await reportXlsx(report, header)
    : format === "csv"
    ? text(figuresCsv(report))
    : format === "adjustments.csv"
    ? text(adjustmentsCsv(report))
    : text(reportJson(report))
  return { bytes, contentType: contentTypes[format], fileName: reportFileName(report, scope, format) }
}
