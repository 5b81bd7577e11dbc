/**
 * What the officer API and the console share about statistical reports:
 * reading the question (period, as-of, format, agency) with errors a person
 * understands, keeping an officer to their own agency, producing the file,
 * and turning the store's refusals into answers.
 */
import { Result } from "effect"
import { ClosingRefused, type ClosingRefusalReason } from "../../domain/reports/closing.ts"
import { InvalidReportInput } from "../../domain/reports/money-report.ts"
import { parsePeriod, type StatisticalPeriod } from "../../domain/reports/period.ts"
import { isReportFormat, renderReportFile, type ReportFile, type ReportFormat, ReportFormats } from "../../adapters/reports/report-file.ts"
import { computeMoneyReport, reportHeader } from "../../store/reports/money-reports.ts"
import { ApiError, refusal } from "../http/errors.ts"
import type { Principal } from "../http/env.ts"
import type { EdgeServices } from "../services.ts"

export interface ReportQuestion {
  readonly period: StatisticalPeriod
  readonly asOf: string
  readonly format: ReportFormat
}

const instantPattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/

/** The period a request names, or a 400 that says how to write one. */
export const periodParam = (text: string | undefined): StatisticalPeriod => {
  if (text === undefined || text.trim() === "") {
    throw refusal(400, "invalid_period", {
      vi: "Thiếu kỳ báo cáo: ghi period=2025/6 (6 tháng từ 01/10/2024) hoặc \"6 tháng năm 2025\".",
      en: "the reporting period is missing: write period=2025/6 (6 months from 1 October 2024)"
    })
  }
  const p = parsePeriod(text)
  if (Result.isFailure(p)) {
    throw refusal(400, "invalid_period", {
      vi: `Kỳ báo cáo "${text.slice(0, 40)}" không hợp lệ: ghi 2025/6 (năm thống kê 2025, 6 tháng từ 01/10/2024), số tháng từ 1 đến 12.`,
      en: p.failure.message
    })
  }
  return p.success
}

/** Reads `period`, `asOf` (default now, never later) and `format` (default json or `fallback`). */
export const reportQuestion = (q: Record<string, string | undefined>, now: Date, fallback: ReportFormat = "json"): ReportQuestion => {
  const period = periodParam(q["period"])
  const asOfText = q["asOf"]
  let asOf = now.toISOString()
  if (asOfText !== undefined && asOfText !== "") {
    const ms = instantPattern.test(asOfText) ? Date.parse(asOfText) : Number.NaN
    if (Number.isNaN(ms)) {
      throw refusal(400, "invalid_as_of", {
        vi: `Thời điểm "${asOfText.slice(0, 40)}" không hợp lệ: ghi theo ISO 8601, ví dụ 2025-04-03T09:00:00+07:00.`,
        en: `asOf must be an ISO 8601 instant such as 2025-04-03T09:00:00+07:00, not "${asOfText.slice(0, 40)}"`
      })
    }
    if (ms > now.getTime()) {
      throw refusal(400, "invalid_as_of", {
        vi: "Không thể lập báo cáo tính đến một thời điểm trong tương lai.",
        en: "asOf is in the future: a report counts only what is already recorded"
      })
    }
    asOf = new Date(ms).toISOString()
  }
  const format = q["format"] ?? fallback
  if (!isReportFormat(format)) {
    throw refusal(400, "invalid_format", {
      vi: `Định dạng "${format.slice(0, 20)}" không có; chọn một trong: ${ReportFormats.join(", ")}.`,
      en: `format must be one of ${ReportFormats.join(", ")}`
    })
  }
  return { period, asOf, format }
}

/**
 * An officer sees their own agency's report. There is no central-department
 * role in bienlai yet (edge/officers/roles.ts), so naming another agency is
 * refused; the national report is made on the server (`bienlai report`).
 */
export const reportAgency = (p: Principal, asked: string | undefined): string => {
  if (asked !== undefined && asked !== "" && asked !== p.agency) {
    throw refusal(403, "other_agency", {
      vi: `Cán bộ của ${p.agency} chỉ xem báo cáo của ${p.agency}, không xem được của ${asked.slice(0, 20)}.`,
      en: `an officer of ${p.agency} sees only the reports of ${p.agency}, not ${asked.slice(0, 20)}`
    })
  }
  return p.agency
}

const reasonStatus: Record<ClosingRefusalReason, 403 | 404 | 409> = {
  not_permitted: 403,
  not_found: 404,
  period_not_ended: 409,
  already_closed: 409,
  pending_exists: 409,
  own_request: 403,
  not_requester: 403,
  already_decided: 409,
  content_differs: 409,
  history_changed: 409
}

const reasonVi: Record<ClosingRefusalReason, string> = {
  not_permitted: "Chỉ lãnh đạo phê duyệt hoặc quản trị mới khóa sổ kỳ báo cáo.",
  not_found: "Không có đề nghị khóa sổ này trong đơn vị của bạn.",
  period_not_ended: "Kỳ báo cáo chưa kết thúc; chỉ khóa sổ từ ngày hôm sau ngày cuối kỳ.",
  already_closed: "Kỳ báo cáo này đã khóa sổ; mỗi kỳ chỉ khóa sổ một lần.",
  pending_exists: "Đã có một đề nghị khóa sổ kỳ này đang chờ phê duyệt.",
  own_request: "Bạn là người đề nghị khóa sổ; một lãnh đạo hoặc quản trị khác phải phê duyệt (hai người).",
  not_requester: "Chỉ người đề nghị mới rút lại được đề nghị khóa sổ; người khác thì từ chối.",
  already_decided: "Đề nghị khóa sổ này đã được xử lý.",
  content_differs: "Số liệu bạn phê duyệt khác số liệu của đề nghị khóa sổ; hãy xem lại báo cáo.",
  history_changed: "Dữ liệu gốc không còn cho ra số liệu đã khóa sổ; cần kiểm tra ngay."
}

/** Runs `body`, answering the store's refusals and bad report input as 4xx. */
export const answeringReportErrors = async <A>(body: () => Promise<A>): Promise<A> => {
  try {
    return await body()
  } catch (e) {
    if (e instanceof ClosingRefused) {
      throw new ApiError(reasonStatus[e.reason], e.reason, e.message, { messages: { vi: reasonVi[e.reason], en: e.message } })
    }
    if (e instanceof InvalidReportInput) {
      throw new ApiError(400, "invalid_report_input", e.message, { details: { problems: e.problems } })
    }
    throw e
  }
}

/** The report file for the officer's agency. */
export const officerReportFile = async (s: EdgeServices, p: Principal, agency: string, q: ReportQuestion): Promise<ReportFile> =>
  answeringReportErrors(async () => {
    const report = await computeMoneyReport(s.db, { agencies: [agency], period: q.period, asOf: q.asOf })
    const header = await reportHeader(s.db, report, [agency], { preparedBy: p.officer })
    return renderReportFile(report, header, q.format, agency)
  })
