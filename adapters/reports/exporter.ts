/**
 * The report exporters as one Effect service, for the application layer to
 * provide (`ReportExporter.layer`): XLSX and PDF for people, CSV for
 * machines. Each renders a computed report (domain/reports) with the
 * official header; none reads the clock, so a closed period's report
 * always renders to the same bytes.
 */
import { Context, Effect, Layer, Schema } from "effect"
import type { OfficialHeader } from "../../domain/reports/document.ts"
import type { MoneyReport } from "../../domain/reports/money-report.ts"
import { adjustmentsCsv, figuresCsv } from "./csv.ts"
import { reportPdf } from "./pdf.ts"
import { reportXlsx } from "./xlsx.ts"

export class ReportRenderError extends Schema.TaggedError<ReportRenderError>()("ReportRenderError", {
  format: Schema.Literals(["xlsx", "pdf", "csv"]),
  message: Schema.String
}) {}

export interface CsvFiles {
  readonly figures: string
  readonly adjustments: string
}

export class ReportExporter extends Context.Service<ReportExporter, {
  readonly xlsx: (report: MoneyReport, header: OfficialHeader) => Effect.Effect<Uint8Array, ReportRenderError>
  readonly pdf: (report: MoneyReport, header: OfficialHeader) => Effect.Effect<Uint8Array, ReportRenderError>
  readonly csv: (report: MoneyReport) => Effect.Effect<CsvFiles>
}>()("bienlai/adapters/reports/ReportExporter") {
  static readonly layer = Layer.succeed(
    ReportExporter,
    ReportExporter.of({
      xlsx: Effect.fn("ReportExporter.xlsx")((report: MoneyReport, header: OfficialHeader) =>
        Effect.tryPromise({
          try: () => reportXlsx(report, header),
          catch: (e) => new ReportRenderError({ format: "xlsx", message: `the XLSX could not be written: ${e instanceof Error ? e.message : String(e)}` })
        })
      ),
      pdf: Effect.fn("ReportExporter.pdf")((report: MoneyReport, header: OfficialHeader) =>
        Effect.tryPromise({
          try: () => reportPdf(report, header),
          catch: (e) => new ReportRenderError({ format: "pdf", message: `the PDF could not be drawn: ${e instanceof Error ? e.message : String(e)}` })
        })
      ),
      csv: Effect.fn("ReportExporter.csv")((report: MoneyReport) =>
        Effect.sync(() => ({ figures: figuresCsv(report), adjustments: adjustmentsCsv(report) }))
      )
    })
  )
}
