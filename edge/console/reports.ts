/**
 * Statistical reports in the console (docs/REPORTS.md): choose the period
 * (statistical year and months from 1 October), optionally an as-of
 * instant, and download the money report as PDF, XLSX or CSV; see the
 * agency's closings, ask to close a period and, as a second officer,
 * approve exactly the figures asked, or reject them with a reason; the
 * asker withdraws their own request. Same roles and agency scope as the
 * API (edge/routes/reports.ts).
 *
 *   GET  /reports                          the page
 *   GET  /reports/download?period=&format=&asOf=   the file
 *   POST /reports/closings                 { period } ask to close
 *   POST /reports/closings/:id/approve     { figuresSha256 }
 *   POST /reports/closings/:id/reject      { figuresSha256, reason }   another officer than the asker
 *   POST /reports/closings/:id/withdraw    the asker takes it back
 */
import { Hono } from "hono"
import { uuidFromBytes } from "../../domain/ids.ts"
import { formatVndDigits } from "../../domain/money.ts"
import { periodLabel, statisticalYearOf } from "../../domain/reports/period.ts"
import { vietnamDateOf } from "../../domain/dates.ts"
import { recordEdgeAudit } from "../../store/audit/edge-audit.ts"
import { closingRequests } from "../../store/reports/closings.ts"
import { computeMoneyReport, decideClosing, requestClosing, withdrawClosing } from "../../store/reports/money-reports.ts"
import { ApiError } from "../http/errors.ts"
import { html } from "../http/html.ts"
import { requirePermission } from "../officers/actions.ts"
import { may } from "../officers/roles.ts"
import { answeringReportErrors, officerReportFile, periodParam, reportQuestion } from "../reports/report-actions.ts"
import { type C, type ConsoleContext, describeError, formOf, redirectWith, render } from "./context.ts"
import type { Lang } from "./i18n.ts"
import type { ConsoleEnv } from "./session.ts"

const text = {
  vi: {
    title: "Báo cáo thống kê",
    intro: "Báo cáo BL-TK01: tiền thu theo biên lai, biên lai hủy, thay thế, tiền chi trả và gửi tiết kiệm, theo tháng, lũy kế từ 01/10 (Thông tư 05/2024/TT-BTP).",
    year: "Năm thống kê",
    months: "Số tháng từ 01/10",
    asOf: "Tính đến (để trống: bây giờ)",
    download: "Tải về",
    preview: "Tổng kỳ",
    issued: "Tiền thu theo biên lai",
    net: "Thu thực tế",
    paid: "Đã chi trả",
    status: "Trạng thái",
    closed: "Đã khóa sổ",
    provisional: "Tạm thời",
    closings: "Khóa sổ",
    none: "Chưa có đề nghị khóa sổ.",
    ask: "Đề nghị khóa sổ kỳ này",
    approve: "Phê duyệt khóa sổ",
    asked: "Đã đề nghị khóa sổ; một lãnh đạo hoặc quản trị khác phê duyệt.",
    approved: "Đã khóa sổ kỳ báo cáo.",
    reject: "Từ chối",
    reason: "Lý do từ chối",
    rejected: "Đã từ chối đề nghị khóa sổ.",
    reasonRequired: "Cần lý do từ chối (tối đa 500 ký tự).",
    withdraw: "Rút đề nghị",
    withdrawn: "Đã rút đề nghị khóa sổ.",
    waiting: "chờ phê duyệt"
  },
  en: {
    title: "Statistical reports",
    intro: "Report BL-TK01: money collected by receipt, receipts voided and replaced, money paid out and deposited, month by month, cumulative from 1 October (Circular 05/2024/TT-BTP).",
    year: "Statistical year",
    months: "Months from 1 October",
    asOf: "As of (empty: now)",
    download: "Download",
    preview: "Period totals",
    issued: "Collected by receipt",
    net: "Kept",
    paid: "Paid out",
    status: "Status",
    closed: "Closed",
    provisional: "Provisional",
    closings: "Closings",
    none: "No closing requests yet.",
    ask: "Ask to close this period",
    approve: "Approve the closing",
    asked: "Closing requested; another approver or admin approves it.",
    approved: "The period is closed.",
    reject: "Reject",
    reason: "Reason for rejecting",
    rejected: "The closing request is rejected.",
    reasonRequired: "A reason (at most 500 characters) is required to reject.",
    withdraw: "Withdraw the request",
    withdrawn: "The closing request is withdrawn.",
    waiting: "waiting for approval"
  }
} as const

export const reportRoutes = (ctx: ConsoleContext): Hono<ConsoleEnv> => {
  const app = new Hono<ConsoleEnv>()
  const { s } = ctx

  app.get("/reports", async (c) => {
    const lang: Lang = c.get("lang")
    const t = text[lang]
    const p = c.get("principal")
    requirePermission(p, "readReports")
    const now = s.now()
    const currentYear = statisticalYearOf(vietnamDateOf(now.toISOString()))
    const asked = c.req.query("period")
    let period = { year: currentYear, months: 12 }
    let problem: string | undefined
    try {
      if (asked !== undefined) period = periodParam(asked)
    } catch (e) {
      problem = describeError(e, lang)
    }
    const report = problem === undefined
      ? await answeringReportErrors(() => computeMoneyReport(s.db, { agencies: [p.agency], period, asOf: now.toISOString() })).catch((e: unknown) => {
        problem = describeError(e, lang)
        return undefined
      })
      : undefined
    const closings = await closingRequests(s.db, [p.agency])
    const years = Array.from({ length: 5 }, (_, i) => currentYear - i)
    const option = (v: number, selected: number, label: string) => html`<option value="${String(v)}"${v === selected ? html` selected` : ""}>${label}</option>`
    const canClose = may(p.role, "closePeriods")
    const body = html`<p>${t.intro}</p>
${problem === undefined ? "" : html`<p class="flash error" role="alert" id="report-error">${problem}</p>`}
<form method="get" action="/console/reports/download" class="card filters" id="report-form">
<label>${t.year}<select name="year">${years.map((y) => option(y, period.year, String(y)))}</select></label>
<label>${t.months}<select name="months">${Array.from({ length: 12 }, (_, i) => option(i + 1, period.months, String(i + 1)))}</select></label>
<label>${t.asOf}<input name="asOf" type="text" placeholder="2025-04-01T09:00:00+07:00"></label>
<div class="actions" style="grid-column:1/-1">${["pdf", "xlsx", "csv"].map((f) => html`<button type="submit" name="format" value="${f}" id="download-${f}">${t.download} ${f.toUpperCase()}</button> `)}</div>
</form>
${report === undefined ? "" : html`<section class="card" id="report-preview"><h2>${t.preview}: ${periodLabel(period)}</h2>
<p>${t.status}: <strong id="report-status">${report.status === "closed" ? t.closed : t.provisional}</strong></p>
<table><tr><th>${t.issued}</th><th>${t.net}</th><th>${t.paid}</th></tr>
<tr><td id="total-issued">${formatVndDigits(report.total.issued.amount)}</td><td>${formatVndDigits(report.total.issued.amount - report.total.voided.amount - report.total.replaced.amount)}</td><td>${formatVndDigits(report.total.paid.amount)}</td></tr></table>
${canClose && report.status !== "closed" ? html`<form method="post" action="/console/reports/closings"><input type="hidden" name="period" value="${`${period.year}/${period.months}`}"><button type="submit" id="ask-closing">${t.ask}</button></form>` : ""}
</section>`}
<section class="card" id="closings"><h2>${t.closings}</h2>
${closings.length === 0 ? html`<p>${t.none}</p>` : html`<table>${closings.map((r) => html`<tr data-closing="${r.id}"><td>${r.year}/${r.months}</td><td>${r.requestedBy}</td><td><code>${r.snapshotSha256.slice(0, 16)}…</code></td>
<td>${r.decision === undefined ? t.waiting : `${r.decision} · ${r.decidedBy ?? ""}`}</td>
<td>${canClose && r.decision === undefined && r.requestedBy !== p.officer ? html`<form method="post" action="/console/reports/closings/${r.id}/approve"><input type="hidden" name="figuresSha256" value="${r.snapshotSha256}"><button type="submit">${t.approve}</button></form>
<form method="post" action="/console/reports/closings/${r.id}/reject"><input type="hidden" name="figuresSha256" value="${r.snapshotSha256}"><label>${t.reason} <input name="reason" type="text" maxlength="500" required></label><button type="submit">${t.reject}</button></form>` : ""}${canClose && r.decision === undefined && r.requestedBy === p.officer ? html`<form method="post" action="/console/reports/closings/${r.id}/withdraw"><button type="submit">${t.withdraw}</button></form>` : ""}</td></tr>`)}</table>`}
</section>`
    return render(c, { title: t.title, nav: "reports", body })
  })

  app.get("/reports/download", async (c) => {
    const p = c.get("principal")
    requirePermission(p, "readReports")
    const q: Record<string, string | undefined> = { ...c.req.query() }
    if (q["period"] === undefined && q["year"] !== undefined) q["period"] = `${q["year"]}/${q["months"] ?? ""}`
    if (q["asOf"] === "") delete q["asOf"]
    const question = reportQuestion(q, s.now(), "pdf")
    const file = await officerReportFile(s, p, p.agency, question)
    return c.body(file.bytes as Uint8Array<ArrayBuffer>, 200, {
      "Content-Type": file.contentType,
      "Content-Disposition": `attachment; filename="${file.fileName}"`
    })
  })

  // The same entries as the API's (edge/routes/reports.ts): a closing decided in the console is as traceable.
  const audit = (p: { agency: string; officer: string }, action: string, detail: Record<string, unknown>) =>
    recordEdgeAudit(s.db, { agency: p.agency, actor: p.officer, action, at: s.now().toISOString(), detail })

  const back = (c: C, period: string | undefined, notice: { ok?: string; error?: string }) =>
    redirectWith(c, `/console/reports${period === undefined ? "" : `?period=${encodeURIComponent(period)}`}`, notice)

  /** A closing step: back to its period with its notice, or back with the refusal in the officer's language. */
  const step = async (c: C, lang: Lang, refusedPeriod: string | undefined, work: () => Promise<{ period: string | undefined; ok: string }>) => {
    try {
      const done = await work()
      return back(c, done.period, { ok: done.ok })
    } catch (e) {
      if (e instanceof ApiError) return back(c, refusedPeriod, { error: describeError(e, lang) })
      throw e
    }
  }

  app.post("/reports/closings", async (c) => {
    const lang: Lang = c.get("lang")
    const p = c.get("principal")
    requirePermission(p, "closePeriods")
    const form = await formOf(c)
    return step(c, lang, form["period"], async () => {
      const period = periodParam(form["period"])
      const { request } = await answeringReportErrors(() => requestClosing(s.db, p, period, s.now().toISOString(), uuidFromBytes(s.randomBytes(16))))
      await audit(p, "closing_requested", { closing: request.id, period: `${period.year}/${period.months}`, figuresSha256: request.snapshotSha256 })
      return { period: form["period"], ok: text[lang].asked }
    })
  })

  app.post("/reports/closings/:id/approve", async (c) => {
    const lang: Lang = c.get("lang")
    const p = c.get("principal")
    requirePermission(p, "closePeriods")
    const form = await formOf(c)
    return step(c, lang, undefined, async () => {
      const done = await answeringReportErrors(() => decideClosing(s.db, p, c.req.param("id"), form["figuresSha256"] ?? "", "closed", s.now().toISOString()))
      await audit(p, "period_closed", { closing: done.id, period: `${done.year}/${done.months}`, figuresSha256: done.snapshotSha256 })
      return { period: `${done.year}/${done.months}`, ok: text[lang].approved }
    })
  })

  // Rejecting names the figures read, as approving does, and says why (the API's 500-character limit).
  app.post("/reports/closings/:id/reject", async (c) => {
    const lang: Lang = c.get("lang")
    const p = c.get("principal")
    requirePermission(p, "closePeriods")
    const form = await formOf(c)
    const reason = (form["reason"] ?? "").trim()
    if (reason === "" || reason.length > 500) return back(c, undefined, { error: text[lang].reasonRequired })
    return step(c, lang, undefined, async () => {
      const done = await answeringReportErrors(() => decideClosing(s.db, p, c.req.param("id"), form["figuresSha256"] ?? "", "rejected", s.now().toISOString(), reason))
      await audit(p, "closing_rejected", { closing: done.id, period: `${done.year}/${done.months}`, figuresSha256: done.snapshotSha256 })
      return { period: `${done.year}/${done.months}`, ok: text[lang].rejected }
    })
  })

  app.post("/reports/closings/:id/withdraw", async (c) => {
    const lang: Lang = c.get("lang")
    const p = c.get("principal")
    requirePermission(p, "closePeriods")
    return step(c, lang, undefined, async () => {
      const done = await answeringReportErrors(() => withdrawClosing(s.db, p, c.req.param("id"), s.now().toISOString()))
      await audit(p, "closing_withdrawn", { closing: done.id })
      return { period: `${done.year}/${done.months}`, ok: text[lang].withdrawn }
    })
  })
  return app
}
