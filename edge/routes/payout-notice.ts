/**
 * The public side of payouts (docs/PAYOUT.md, "Notices").
 *
 *   GET  /tra-cuu-chi-tra           the creditors' portal: lookup code + identity number
 *   POST /tra-cuu-chi-tra           form post → the creditor's payouts, with the notice's QR code
 *   POST /api/payout-notice         JSON { lookupCode, idNumber } → the same as JSON
 *   GET  /api/payout-status-list?agency=HCM&case=3699%2FQĐ-CTHADS&round=8   a round's signed notice status list (binary)
 *   GET  /v/{token}, /V/{token}, /api/verify/{token}   for a payout notice's token (kind 0x11); receipts' tokens
 *                                   go on to edge/routes/verify.ts
 *
 * Code and identity number travel in POST bodies only. Identity checks go
 * through the receipts' lookup guard, counted per notice code.
 */
import { Hono } from "hono"
import type { Context, Next } from "hono"
import { indexNoticeStatus } from "../../domain/payout/notice-status.ts"
import { isNoticeToken } from "../../domain/payout/notice-token.ts"
import { authenticateNotice, judgeNoticeStatus, type NoticeVerifyResult } from "../../domain/payout/notice-verify.ts"
import { ApiError, badRequest, notFound } from "../http/errors.ts"
import type { EdgeEnv } from "../http/env.ts"
import { cached } from "../http/etag.ts"
import { logFields } from "../http/request-log.ts"
import { langOf } from "../pages/html.ts"
import { NOTICE_PORTAL_PATH, noticeFormPage, noticeResultPage, type NoticeTyped, noticeVerifyPage } from "../pages/payout-notice-page.ts"
import { pageMessage } from "../pages/public-messages.ts"
import type { EdgeServices } from "../services.ts"
import { lookupBody, lookupForm } from "../verification/lookup-bodies.ts"
import { lookupNotice } from "../verification/notice-portal.ts"
import { makeNoticeStatusLists, type NoticeStatusService } from "../verification/notice-status-lists.ts"
import { agencyName } from "./verify.ts"

const refusedPage = (c: Context<EdgeEnv>, e: unknown, typed?: NoticeTyped): Response => {
  const lang = langOf(c.req.query("lang"))
  const status = e instanceof ApiError ? e.status : 500
  if (e instanceof ApiError) for (const [k, v] of Object.entries(e.headers ?? {})) c.header(k, v)
  c.header("Cache-Control", "no-store")
  const code = e instanceof ApiError ? e.code : "internal_error"
  // The portal's own sentences (about a notice, not a receipt) when the refusal has them.
  const message = e instanceof ApiError && e.messages !== undefined ? { text: e.messages[lang] } : pageMessage(e, lang)
  return c.html(noticeFormPage(lang, { message, code, ...(typed === undefined ? {} : { typed }) }), status)
}

/** A notice token checked as `/v/` does for receipts: signature and trust list, then this server's signed status list of its round. */
const verifyNoticeToken = async (s: EdgeServices, lists: NoticeStatusService, token: string): Promise<{ readonly result: NoticeVerifyResult; readonly unavailable?: string }> => {
  const authentic = await authenticateNotice(token, s.trust().anchors)
  if (authentic._tag !== "Authentic") return { result: authentic }
  const n = authentic.notice
  try {
    const published = await lists.get({ agency: n.agency, caseDecision: n.caseDecision, round: n.round })
    return { result: judgeNoticeStatus(n, indexNoticeStatus(published === undefined ? [] : [published.list]), { now: s.now().toISOString() }) }
  } catch (e) {
    s.logger.warn({ err: e instanceof Error ? e.message : String(e) }, "notice status list unavailable")
    return { result: judgeNoticeStatus(n, indexNoticeStatus([]), { now: s.now().toISOString() }), unavailable: "the payout status could not be had right now" }
  }
}

/** The JSON form: amounts as digit strings; says what kind of document the token is. */
export const noticeVerificationJson = (v: { readonly result: NoticeVerifyResult; readonly unavailable?: string }) => {
  const { _tag, ...rest } = v.result
  return {
    result: _tag,
    valid: _tag === "Valid",
    kind: "payout-notice",
    ...rest,
    ...("notice" in v.result
      ? { notice: { ...v.result.notice, amount: v.result.notice.amount.toString(10), fee: v.result.notice.fee.toString(10), net: v.result.notice.net.toString(10) } }
      : {}),
    ...(v.unavailable === undefined ? {} : { unavailable: v.unavailable })
  }
}

export const payoutNoticeRoutes = (s: EdgeServices): Hono<EdgeEnv> => {
  const app = new Hono<EdgeEnv>()
  const lists = makeNoticeStatusLists({
    db: s.db,
    run: s.run,
    anchors: () => s.trust().anchors,
    now: s.now,
    maxAgeMs: s.config.statusListMaxAgeSeconds * 1000,
    freshForSeconds: s.config.statusListMaxAgeSeconds + 60,
    capacity: s.config.statusListCacheSize
  })

  app.get(NOTICE_PORTAL_PATH, (c) => c.html(noticeFormPage(langOf(c.req.query("lang")))))

  app.post(NOTICE_PORTAL_PATH, lookupForm, async (c) => {
    const lang = langOf(c.req.query("lang"))
    const form = c.req.valid("form")
    try {
      const result = await lookupNotice(s, form.code, form.idNumber)
      logFields(c, { identityMatched: true })
      c.header("Cache-Control", "no-store")
      return c.html(noticeResultPage(lang, result, s.qr.svg(result.qrContent, { title: "QR" })))
    } catch (e) {
      if (e instanceof ApiError) logFields(c, { refused: e.code })
      return refusedPage(c, e, form)
    }
  })

  app.post("/api/payout-notice", lookupBody, async (c) => {
    const { lookupCode, idNumber } = c.req.valid("json")
    try {
      const result = await lookupNotice(s, lookupCode, idNumber)
      logFields(c, { identityMatched: true })
      c.header("Cache-Control", "no-store")
      return c.json(result)
    } catch (e) {
      if (e instanceof ApiError) logFields(c, { refused: e.code })
      throw e
    }
  })

  app.get("/api/payout-status-list", async (c) => {
    const agency = c.req.query("agency") ?? ""
    const caseDecision = c.req.query("case") ?? ""
    const round = Number(c.req.query("round") ?? "")
    const wrong = [
      /^[A-Z][A-Z0-9]{1,15}$/.test(agency) ? undefined : `agency "${agency.slice(0, 20)}" is not an agency code like HCM`,
      caseDecision !== "" && caseDecision.length <= 48 ? undefined : "case must be the enforcement decision, e.g. 3699/QĐ-CTHADS",
      Number.isInteger(round) && round >= 1 && round <= 999 ? undefined : "round must be a whole number 1–999"
    ].filter((x) => x !== undefined)
    if (wrong.length > 0) throw badRequest("invalid_round", wrong.join("; "))
    const published = await lists.get({ agency, caseDecision: caseDecision.normalize("NFC"), round })
    if (published === undefined) throw notFound(`agency ${agency} has no approved payout round ${round} of case ${caseDecision}`)
    c.header("X-Status-Issued-At", published.issuedAt)
    const left = Math.floor((published.builtAtMs + s.config.statusListMaxAgeSeconds * 1000 - s.now().getTime()) / 1000)
    return cached(c, { bytes: published.bytes, etag: published.etag, contentType: "application/octet-stream", maxAgeSeconds: Math.max(0, Math.min(s.config.statusListMaxAgeSeconds, left)) })
  })

  // A payout notice's token on the verification addresses; any other token goes on to the receipts' routes.
  app.get("/api/verify/:token{.+}", async (c, next: Next) => {
    const token = c.req.param("token")
    if (!isNoticeToken(token)) return next()
    const v = await verifyNoticeToken(s, lists, token)
    logFields(c, { result: v.result._tag, kind: "payout-notice" })
    c.header("Cache-Control", "no-store")
    if (v.result._tag === "Malformed") return c.json({ error: "malformed_token", ...noticeVerificationJson(v) }, 400)
    return c.json(noticeVerificationJson(v))
  })

  const page = async (c: Context<EdgeEnv>, next: Next) => {
    const token = c.req.param("token") ?? ""
    if (!isNoticeToken(token)) return next()
    const lang = langOf(c.req.query("lang"))
    const v = await verifyNoticeToken(s, lists, token)
    logFields(c, { result: v.result._tag, kind: "payout-notice" })
    const name = "notice" in v.result ? await agencyName(s, v.result.notice.agency) : undefined
    const switchHref = `${new URL(c.req.url).pathname}${lang === "vi" ? "?lang=en" : ""}`
    c.header("Cache-Control", "no-store")
    return c.html(noticeVerifyPage(lang, v.result, { switchHref, ...(name === undefined ? {} : { agencyName: name }) }), v.result._tag === "Malformed" ? 400 : 200)
  }
  app.get("/v/:token{.+}", page)
  app.get("/V/:token{.+}", page)
  return app
}
