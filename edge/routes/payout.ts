/**
 * Paying out, in the officer API under /api/officer/payout (mounted there
 * by edge/app.ts, before the receipt routes, so its token check runs once): bearer token,
 * roles and agency scope as the receipt API (edge/officers/payout-actions.ts),
 * Idempotency-Key on planning, approving and depositing, audit by the store
 * and edge_audit. Amounts travel as digit strings.
 *
 *   GET  /payout/cases                        the agency's cases with creditor lists
 *   POST /payout/creditors?case=D             a creditor list (CSV/XLSX, form field `file` or the body): 201 { claims, owed },
 *                                             or 422 rows_refused with details.rejects [{ row, reasons }] and nothing stored
 *   GET  /payout/creditors?case=D[&after=ID]  the case's creditors, 200 at a time
 *   GET  /payout/creditors/history?case=D&claim=ID   one creditor's claim and every line of every round
 *   GET  /payout/rounds[?case=D]              rounds
 *   POST /payout/rounds                       { case, legalDate, available, ratio?, fee?, costs?, housing?, coercion?, securedAsset? }
 *                                             plans the next round: 201 { roundId, planSha256, plannedHeader, … }
 *   GET  /payout/rounds/:id                   report (sums by rank, state, settlement), planned header, SHA-256, batches
 *   POST /payout/rounds/:id/approve           { planSha256 } an approver who did not plan it; the agency's key signs it
 *   POST /payout/rounds/:id/export            { debtorName, debtorBin, debtorAccount, format: pain001|csv } the batch file (download)
 *   POST /payout/answers[?mapping=ID]         the bank's pain.002 / camt.054 / CSV statement (form field `file` or the body)
 *   POST /payout/rounds/:id/deposit           { reference, lines? } deposit lines and returned lines
 */
import { Hono } from "hono"
import type { Context } from "hono"
import { officerAuth } from "../http/auth.ts"
import type { EdgeEnv } from "../http/env.ts"
import { refusal } from "../http/errors.ts"
import { idempotency } from "../http/idempotency.ts"
import { readPayoutUpload } from "../http/payout-upload.ts"
import { logFields } from "../http/request-log.ts"
import { caseOf, makePayoutActions, roundIdOf } from "../officers/payout-actions.ts"
import { sameAgency } from "../officers/same-agency.ts"
import type { EdgeServices } from "../services.ts"

/** Where creditor lists and bank answers are uploaded (API and console): these take the upload size limit, not the JSON one. */
export const isPayoutUpload = (path: string): boolean => /^\/(api\/officer|console)\/payout\/(creditors|answers)$/.test(path)

/** Money and counts as JSON: bigint as digit strings. */
export const payoutJson = (value: unknown): unknown =>
  JSON.parse(JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? v.toString() : v)))

const readJson = async (c: Context<EdgeEnv>): Promise<Record<string, unknown>> => {
  let body: unknown
  try {
    body = await c.req.json()
  } catch {
    throw refusal(400, "invalid_json", { vi: "Nội dung gửi lên không phải JSON hợp lệ.", en: "The request body is not valid JSON." })
  }
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    throw refusal(400, "invalid_json", { vi: "Nội dung gửi lên phải là một đối tượng JSON.", en: "The request body must be a JSON object." })
  }
  sameAgency(c, body)
  return body as Record<string, unknown>
}

const FIELD_NAMES: Record<string, string> = {
  case: "số quyết định thi hành án",
  legalDate: "ngày chi trả",
  available: "số tiền có để chi trả",
  planSha256: "mã SHA-256 của kế hoạch",
  debtorName: "tên chủ tài khoản của cơ quan",
  debtorBin: "mã ngân hàng (BIN) của cơ quan",
  debtorAccount: "số tài khoản của cơ quan",
  reference: "số sổ tiết kiệm"
}

const text = (body: Record<string, unknown>, key: string, required = true): string | undefined => {
  const v = body[key]
  if (v === undefined || v === null || v === "") {
    if (!required) return undefined
    throw refusal(422, "invalid_field", { vi: `Thiếu ${FIELD_NAMES[key] ?? key} (${key}).`, en: `${key} is required.` }, { details: { field: key } })
  }
  if (typeof v !== "string" && typeof v !== "number") {
    throw refusal(422, "invalid_field", { vi: `${FIELD_NAMES[key] ?? key} (${key}) phải là một chuỗi ký tự.`, en: `${key} must be a string.` }, { details: { field: key } })
  }
  return String(v)
}

export const payoutRoutes = (s: EdgeServices): Hono<EdgeEnv> => {
  const app = new Hono<EdgeEnv>()
  const payout = makePayoutActions(s)
  app.use("*", officerAuth(s.db, s.now))
  // Not on the uploads: the middleware reads the body as text, which would garble an XLSX for the handler; importing
  // a list twice is refused anyway (it clashes with itself), and a bank's answer read twice changes nothing the second time.
  app.on("POST", ["/rounds", "/rounds/:id/approve", "/rounds/:id/deposit"], idempotency(s))

  app.get("/cases", async (c) => c.json(payoutJson({ cases: await payout.cases(c.get("principal")) })))

  app.post("/creditors", async (c) => {
    const p = c.get("principal")
    const caseDecision = caseOf(c.req.query("case"))
    const file = await readPayoutUpload(c)
    const summary = await payout.importCreditors(p, caseOf(file.fields["case"] ?? caseDecision), file.bytes, file.name)
    logFields(c, { payoutCase: caseDecision, claims: summary.claims })
    return c.json(payoutJson(summary), 201)
  })

  app.get("/creditors", async (c) =>
    c.json(payoutJson({ creditors: await payout.creditors(c.get("principal"), caseOf(c.req.query("case")), c.req.query("after") ?? "") })))

  app.get("/creditors/history", async (c) => {
    const claim = c.req.query("claim") ?? ""
    return c.json(payoutJson(await payout.creditorHistory(c.get("principal"), caseOf(c.req.query("case")), claim)))
  })

  app.get("/rounds", async (c) => {
    const q = c.req.query("case")
    return c.json(payoutJson({ rounds: await payout.rounds(c.get("principal"), q === undefined ? undefined : caseOf(q)) }))
  })

  app.post("/rounds", async (c) => {
    const p = c.get("principal")
    const body = await readJson(c)
    const coercion = body["coercion"] as { decisionNumber?: unknown; decisionDate?: unknown } | undefined
    const planned = await payout.plan(p, {
      case: text(body, "case")!,
      legalDate: text(body, "legalDate")!,
      available: text(body, "available")!,
      ratio: text(body, "ratio", false),
      fee: body["fee"],
      costs: text(body, "costs", false),
      housing: text(body, "housing", false),
      securedAsset: text(body, "securedAsset", false),
      ...(coercion === undefined ? {} : { coercion: { decisionNumber: String(coercion.decisionNumber ?? ""), decisionDate: String(coercion.decisionDate ?? "") } })
    })
    logFields(c, { payoutRound: planned.roundId })
    return c.json(payoutJson(planned), 201)
  })

  app.get("/rounds/:id", async (c) => c.json(payoutJson(await payout.round(c.get("principal"), roundIdOf(c.req.param("id"))))))

  app.post("/rounds/:id/approve", async (c) => {
    const p = c.get("principal")
    const id = roundIdOf(c.req.param("id"))
    const body = await readJson(c)
    const approved = await payout.approve(p, id, (text(body, "planSha256") ?? "").trim().toLowerCase())
    logFields(c, { payoutRound: id })
    return c.json(payoutJson({ roundId: approved.roundId, round: approved.round, approver: p.officer, seal: approved.seal }))
  })

  app.post("/rounds/:id/export", async (c) => {
    const p = c.get("principal")
    const id = roundIdOf(c.req.param("id"))
    const body = await readJson(c)
    const format = body["format"] === "csv" ? "csv" : "pain001"
    const file = await payout.exportBatch(p, id, {
      format,
      debtor: { name: text(body, "debtorName")!, bankBin: text(body, "debtorBin")!, account: text(body, "debtorAccount")! }
    })
    return c.body(file.body, 200, {
      "Content-Type": file.contentType,
      "Content-Disposition": `attachment; filename="${file.fileName}"`,
      "X-Payout-Batch": String(file.batch.batch),
      "X-Payout-Lines": String(file.batch.count),
      "X-Payout-Sum": file.batch.sum.toString(),
      "X-Payout-Fresh": String(file.batch.fresh)
    })
  })

  app.post("/answers", async (c) => {
    const file = await readPayoutUpload(c)
    const summary = await payout.answers(c.get("principal"), file.bytes, file.name, c.req.query("mapping") ?? file.fields["mapping"], c.req.query("account") ?? file.fields["account"])
    return c.json(payoutJson(summary))
  })

  app.post("/rounds/:id/deposit", async (c) => {
    const id = roundIdOf(c.req.param("id"))
    const body = await readJson(c)
    const lines = body["lines"]
    if (lines !== undefined && !(Array.isArray(lines) && lines.every((l) => typeof l === "string"))) {
      throw refusal(422, "invalid_field", { vi: "Danh sách dòng (lines) phải là các mã dòng chi trả.", en: "lines must be an array of payout line ids." })
    }
    return c.json(payoutJson(await payout.deposit(c.get("principal"), id, text(body, "reference")!, lines as Array<string> | undefined)))
  })

  return app
}
