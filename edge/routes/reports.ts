/**
 * Statistical reports in the officer API, under /api/officer/reports,
 * for approvers, auditors and admins of the officer's own agency
 * (docs/REPORTS.md):
 *
 *   GET  /money?period=2025/6&asOf=…&format=json|pdf|xlsx|csv|adjustments.csv[&agency=HCM]
 *                                        the money report (BL-TK01) as of an instant (default now)
 *   GET  /closings                       the agency's closing requests and closings
 *   POST /closings                       { period } ask to close a period (approver or admin):
 *                                        records the figures as of now and their SHA-256 (201)
 *   POST /closings/:id/approve           { figuresSha256 } another approver or admin closes it
 *   POST /closings/:id/reject            { figuresSha256, reason }
 *   POST /closings/:id/withdraw          the requester takes it back
 */
import { Hono } from "hono"
import type { Context } from "hono"
import { uuidFromBytes } from "../../domain/ids.ts"
import type { ClosingRequest } from "../../domain/reports/closing.ts"
import { reportJson } from "../../adapters/reports/report-file.ts"
import { recordEdgeAudit } from "../../store/audit/edge-audit.ts"
import { closingRequests } from "../../store/reports/closings.ts"
import { decideClosing, figuresSha256, requestClosing, withdrawClosing } from "../../store/reports/money-reports.ts"
import { officerAuth } from "../http/auth.ts"
import type { EdgeEnv } from "../http/env.ts"
import { refusal } from "../http/errors.ts"
import { requirePermission } from "../officers/actions.ts"
import type { EdgeServices } from "../services.ts"
import { answeringReportErrors, officerReportFile, periodParam, reportAgency, reportQuestion } from "../reports/report-actions.ts"

const closingJson = (r: ClosingRequest) => ({
  id: r.id,
  agency: r.agency,
  period: `${r.year}/${r.months}`,
  cutoff: r.cutoff,
  figuresSha256: r.snapshotSha256,
  requestedBy: r.requestedBy,
  requestedAt: r.requestedAt,
  decision: r.decision ?? null,
  decidedBy: r.decidedBy ?? null,
  decidedAt: r.decidedAt ?? null
})

const jsonObject = async (c: Context<EdgeEnv>): Promise<Record<string, unknown>> => {
  let body: unknown
  try {
    body = await c.req.json()
  } catch {
    body = undefined
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw refusal(400, "invalid_json", { vi: "Nội dung yêu cầu phải là một đối tượng JSON.", en: "the request body must be a JSON object" })
  }
  return body as Record<string, unknown>
}

const shaOf = (body: Record<string, unknown>): string => {
  const sha = body["figuresSha256"]
  if (typeof sha !== "string" || !/^[0-9a-f]{64}$/.test(sha)) {
    throw refusal(422, "figures_sha256_required", {
      vi: "Cần figuresSha256: mã SHA-256 (64 ký tự hex) của số liệu bạn đã xem và phê duyệt.",
      en: "figuresSha256 must be the SHA-256 (64 hex digits) of the figures you read and approve"
    })
  }
  return sha
}

export const reportRoutes = (s: EdgeServices): Hono<EdgeEnv> => {
  const app = new Hono<EdgeEnv>()
  app.use("*", officerAuth(s.db, s.now))
  const audit = (p: { agency: string; officer: string }, action: string, detail: Record<string, unknown>) =>
    recordEdgeAudit(s.db, { agency: p.agency, actor: p.officer, action, at: s.now().toISOString(), detail })

  app.get("/money", async (c) => {
    const p = c.get("principal")
    requirePermission(p, "readReports")
    const agency = reportAgency(p, c.req.query("agency"))
    const q = reportQuestion(c.req.query(), s.now())
    const file = await officerReportFile(s, p, agency, q)
    await audit(p, "report", { period: `${q.period.year}/${q.period.months}`, asOf: q.asOf, format: q.format })
    if (q.format === "json") return c.body(file.bytes as Uint8Array<ArrayBuffer>, 200, { "Content-Type": file.contentType })
    return c.body(file.bytes as Uint8Array<ArrayBuffer>, 200, {
      "Content-Type": file.contentType,
      "Content-Disposition": `attachment; filename="${file.fileName}"`,
      "Cache-Control": "no-store"
    })
  })

  app.get("/closings", async (c) => {
    const p = c.get("principal")
    requirePermission(p, "readReports")
    return c.json({ closings: (await closingRequests(s.db, [p.agency])).map(closingJson) })
  })

  app.post("/closings", async (c) => {
    const p = c.get("principal")
    requirePermission(p, "closePeriods")
    const body = await jsonObject(c)
    const period = periodParam(typeof body["period"] === "string" ? body["period"] : undefined)
    const now = s.now().toISOString()
    const { request, report } = await answeringReportErrors(() => requestClosing(s.db, p, period, now, uuidFromBytes(s.randomBytes(16))))
    await audit(p, "closing_requested", { closing: request.id, period: `${period.year}/${period.months}`, figuresSha256: request.snapshotSha256 })
    return c.json({ closing: closingJson(request), figuresSha256: figuresSha256(report), report: JSON.parse(reportJson(report)) as unknown }, 201)
  })

  for (const decision of ["approve", "reject"] as const) {
    app.post(`/closings/:id/${decision}`, async (c) => {
      const p = c.get("principal")
      requirePermission(p, "closePeriods")
      const body = await jsonObject(c)
      const sha = shaOf(body)
      const reason = body["reason"]
      if (decision === "reject" && (typeof reason !== "string" || reason.trim() === "" || reason.length > 500)) {
        throw refusal(422, "reason_required", { vi: "Cần lý do từ chối (tối đa 500 ký tự).", en: "a reason (at most 500 characters) is required to reject" })
      }
      const id = c.req.param("id")
      const done = await answeringReportErrors(() =>
        decideClosing(s.db, p, id, sha, decision === "approve" ? "closed" : "rejected", s.now().toISOString(), typeof reason === "string" ? reason.trim() : undefined)
      )
      await audit(p, decision === "approve" ? "period_closed" : "closing_rejected", { closing: id, period: `${done.year}/${done.months}`, figuresSha256: sha })
      return c.json({ closing: closingJson(done) })
    })
  }

  app.post("/closings/:id/withdraw", async (c) => {
    const p = c.get("principal")
    requirePermission(p, "closePeriods")
    const done = await answeringReportErrors(() => withdrawClosing(s.db, p, c.req.param("id"), s.now().toISOString()))
    await audit(p, "closing_withdrawn", { closing: done.id })
    return c.json({ closing: closingJson(done) })
  })
  return app
}
