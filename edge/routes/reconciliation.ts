/**
 * The reconciliation API, under /api/officer/reconciliation, with the
 * officer API's authentication, roles, agency scope and audit
 * (reconciliation-actions.ts; docs/RECONCILIATION.md):
 *
 *   GET  /accounts                                  the agency's bank accounts
 *   POST /statements                                multipart: file (camt.053/054, MT940, CSV, XLSX), mapping (a shipped id
 *                                                   or JSON, for CSV/XLSX), account, format; 201 with the import summary and
 *                                                   every rejected entry (where, why)
 *   POST /run                                       match every unmatched credit; unmatched credits and payment requests'
 *                                                   credits become draft receipts
 *   GET  /queue                                     the ambiguous credits, each with its candidates side by side
 *   POST /queue/:account/:bankReference/resolve     { targets: [{ kind: receipt|request, id }] } the sums must agree
 *   POST /queue/:account/:bankReference/reject      none of the candidates: the credit gets a draft receipt of its own (201)
 *   GET  /report?account=&day=[&format=csv|xlsx]    the day's report (JSON, or a CSV/XLSX download)
 *   GET  /report/month?account=&month=YYYY-MM       every day of the month
 *   POST /days/close                                { account, day } an approver closes a balanced day
 *   GET  /payment-requests                          the agency's payment requests
 *   POST /payment-requests                          { account, amount, payerName, decisionNumber? } 201 with the VietQR text
 *                                                   and the QR as SVG
 *   GET  /payment-requests/:reference/qr.png        the QR as PNG
 *   GET  /drafts                                    draft receipts made from credits
 */
import { Hono } from "hono"
import type { Context } from "hono"
import { officerAuth } from "../http/auth.ts"
import { requirePermission } from "../officers/actions.ts"
import type { EdgeEnv } from "../http/env.ts"
import { ApiError, refusal } from "../http/errors.ts"
import type { EdgeServices } from "../services.ts"
import type { PaymentRequestRow } from "../../store/reconciliation/payment-requests.ts"
import type { QueueItem } from "../../store/reconciliation/queue-evidence.ts"
import { makeReconciliationActions } from "./reconciliation-actions.ts"

/** bigint amounts travel as digit strings. */
export const jsonSafe = <A>(value: A): unknown => JSON.parse(JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? v.toString() : v)))

const jsonBody = async (c: Context<EdgeEnv>): Promise<Record<string, unknown>> => {
  const body = await c.req.json().catch(() => undefined)
  if (body === undefined || body === null || typeof body !== "object" || Array.isArray(body)) {
    throw refusal(400, "invalid_json", { vi: "Nội dung yêu cầu phải là một đối tượng JSON.", en: "the request body must be a JSON object" })
  }
  return body as Record<string, unknown>
}

const text = (v: unknown): string | undefined => (typeof v === "string" ? v : typeof v === "number" ? String(v) : undefined)

/** The targets an officer names: [{ kind, id }], at least one, at most 50. */
export const targetsOf = (v: unknown): Array<{ kind: "receipt" | "request"; id: string }> => {
  const bad = () => refusal(422, "invalid_targets", { vi: "Hãy chọn ít nhất một biên lai hoặc đề nghị thanh toán (targets: [{ kind, id }]).", en: "name at least one receipt or payment request: targets: [{ kind: receipt|request, id }]" })
  if (!Array.isArray(v) || v.length === 0 || v.length > 50) throw bad()
  return v.map((t) => {
    const kind = (t as { kind?: unknown })?.kind
    const id = (t as { id?: unknown })?.id
    if ((kind !== "receipt" && kind !== "request") || typeof id !== "string" || id === "" || id.length > 64) throw bad()
    return { kind, id }
  })
}

export const queueItemJson = (q: QueueItem) => jsonSafe(q)
export const paymentRequestJson = (r: PaymentRequestRow, svg: string) => ({ ...(jsonSafe(r) as object), qrSvg: svg })

export const reconciliationRoutes = (s: EdgeServices): Hono<EdgeEnv> => {
  const app = new Hono<EdgeEnv>()
  const r = makeReconciliationActions(s)
  app.use("*", officerAuth(s.db, s.now))
  const p = (c: Context<EdgeEnv>) => c.get("principal")
  const credit = (c: Context<EdgeEnv>) => ({ account: c.req.param("account") ?? "", bankReference: c.req.param("bankReference") ?? "" })

  app.get("/accounts", async (c) => c.json({ accounts: await r.accounts(p(c)) }))

  app.post("/statements", async (c) => {
    const principal = p(c)
    // The role first, before anything about the body.
    requirePermission(principal, "draft")
    const contentType = c.req.header("content-type") ?? ""
    if (!/^multipart\/form-data/i.test(contentType)) {
      throw refusal(415, "unsupported_media_type", { vi: "Hãy gửi sao kê dưới dạng multipart/form-data, trường \"file\".", en: "send the statement as multipart/form-data, field \"file\"" })
    }
    const form = await c.req.formData().catch(() => {
      throw new ApiError(400, "invalid_form", "the multipart form could not be read")
    })
    const file = form.get("file")
    if (file === null || typeof file === "string") {
      throw refusal(400, "missing_file", { vi: "Thiếu tệp sao kê (trường \"file\").", en: "attach the statement as the form field \"file\"" })
    }
    const field = (name: string) => {
      const v = form.get(name)
      return typeof v === "string" ? v : undefined
    }
    const imported = await r.importStatement(principal, {
      bytes: new Uint8Array(await file.arrayBuffer()),
      name: file.name || "statement",
      mapping: field("mapping"),
      account: field("account"),
      format: field("format")
    })
    return c.json(jsonSafe(imported), 201)
  })

  app.post("/run", async (c) => c.json(jsonSafe(await r.run(p(c)))))

  app.get("/queue", async (c) => c.json({ queue: (await r.queue(p(c))).map(queueItemJson) }))

  app.post("/queue/:account/:bankReference/resolve", async (c) => {
    const { account, bankReference } = credit(c)
    const body = await jsonBody(c)
    await r.resolve(p(c), account, bankReference, targetsOf(body["targets"]))
    return c.json({ resolved: `${account}/${bankReference}` })
  })

  app.post("/queue/:account/:bankReference/reject", async (c) => {
    const { account, bankReference } = credit(c)
    return c.json(await r.reject(p(c), account, bankReference), 201)
  })

  app.get("/report", async (c) => {
    const format = c.req.query("format") ?? "json"
    if (format === "csv" || format === "xlsx") {
      const file = await r.dayReportFile(p(c), c.req.query("account"), c.req.query("day"), format)
      return c.body(file.bytes as Uint8Array<ArrayBuffer>, 200, {
        "Content-Type": format === "csv" ? "text/csv; charset=utf-8" : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "Content-Disposition": `attachment; filename="${file.name}"`
      })
    }
    if (format !== "json") throw refusal(422, "unknown_format", { vi: "Định dạng báo cáo phải là json, csv hoặc xlsx.", en: "the report format is json, csv or xlsx" })
    return c.json(jsonSafe(await r.dayReport(p(c), c.req.query("account"), c.req.query("day"))))
  })

  app.get("/report/month", async (c) => c.json({ days: jsonSafe(await r.month(p(c), c.req.query("account"), c.req.query("month"))) }))

  app.post("/days/close", async (c) => {
    const principal = p(c)
    requirePermission(principal, "approve")
    const body = await jsonBody(c)
    return c.json(jsonSafe(await r.closeDay(principal, text(body["account"]), text(body["day"]))), 201)
  })

  app.get("/payment-requests", async (c) => c.json({ requests: jsonSafe(await r.paymentRequests(p(c))) }))

  app.post("/payment-requests", async (c) => {
    const body = await jsonBody(c)
    const made = await r.createPaymentRequest(p(c), {
      account: text(body["account"]),
      amount: text(body["amount"]),
      payerName: text(body["payerName"]),
      decisionNumber: text(body["decisionNumber"])
    })
    return c.json(paymentRequestJson(made, s.qr.svg(made.vietqr, { title: made.reference })), 201)
  })

  app.get("/payment-requests/:reference/qr.png", async (c) => {
    const found = (await r.paymentRequests(p(c), c.req.param("reference")))[0]
    if (found === undefined) throw refusal(404, "not_found", { vi: "Không có đề nghị thanh toán này trong cơ quan của bạn.", en: "no such payment request in your agency" })
    return c.body((await s.qr.png(found.vietqr, { scale: 6 })) as Uint8Array<ArrayBuffer>, 200, { "Content-Type": "image/png" })
  })

  app.get("/drafts", async (c) => c.json({ drafts: await r.creditDrafts(p(c)) }))

  return app
}
