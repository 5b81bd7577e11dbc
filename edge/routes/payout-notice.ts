/**
 * The public side of payouts (docs/PAYOUT.md, "Notices").
 *
 *   GET  /tra-cuu-chi-tra           the creditors' portal: lookup code + identity number
 *   POST /tra-cuu-chi-tra           form post → the creditor's payouts, with the notice's QR code
 *   POST /api/payout-notice         JSON { lookupCode, idNumber } → the same as JSON
 *   POST /api/payout-notice/pdf, POST /tra-cuu-chi-tra/pdf   the notice as a PDF (A4, with its QR code)
 *   GET  /api/payout-status-list?agency=HCM&case=3699%2FQĐ-CTHADS&round=8   a round's signed notice status list (binary)
 *   GET  /v/{token}, /V/{token}, /api/verify/{token}   for a payout notice's token (kind 0x11); receipts' tokens
 *                                   go on to edge/routes/verify.ts
 *
 * Code and identity number travel in POST bodies only. Identity checks go
 * through the receipts' lookup guard, counted per notice code.
 */
import { Hono } from "hono"
import type { Context, Next } from "hono"
import { isNoticeToken } from "../../domain/payout/notice-token.ts"
import { ApiError, badRequest, notFound } from "../http/errors.ts"
import type { EdgeEnv } from "../http/env.ts"
import { cached } from "../http/etag.ts"
import { logFields } from "../http/request-log.ts"
import { langOf } from "../pages/html.ts"
import { NOTICE_PORTAL_PATH, noticeFormPage, noticeResultPage, type NoticeTyped, noticeVerifyPage } from "../pages/payout-notice-page.ts"
import { pageMessage } from "../pages/public-messages.ts"
import type { EdgeServices } from "../services.ts"
import { PdfFontMissing } from "../../adapters/pdf/fonts.ts"
import { servedNoticePdf } from "../pdf/served-notice-pdf.ts"
import { lookupBody, lookupForm } from "../verification/lookup-bodies.ts"
import { lookupNotice } from "../verification/notice-portal.ts"
import { noticeVerificationJson, noticeVerifier } from "../verification/notice-verifier.ts"
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

export const payoutNoticeRoutes = (s: EdgeServices): Hono<EdgeEnv> => {
  const app = new Hono<EdgeEnv>()
  const notices = noticeVerifier(s)

  app.get(NOTICE_PORTAL_PATH, (c) => c.html(noticeFormPage(langOf(c.req.query("lang")))))

  app.post(NOTICE_PORTAL_PATH, lookupForm, async (c) => {
    const lang = langOf(c.req.query("lang"))
    const form = c.req.valid("form")
    try {
      const result = await lookupNotice(s, form.code, form.idNumber)
      logFields(c, { identityMatched: true })
      c.header("Cache-Control", "no-store")
      return c.html(noticeResultPage(lang, result, s.qr.svg(result.qrContent, { title: "QR" }), form))
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

  // The notice as a PDF, for the creditor whose code and number match (both in the body, as for the page).
  const pdf = async (c: Context<EdgeEnv>, code: string, idNumber: string | undefined) => {
    const result = await lookupNotice(s, code, idNumber)
    let served
    try {
      served = await servedNoticePdf(s, result)
    } catch (e) {
      if (e instanceof PdfFontMissing) throw new ApiError(503, "pdf_unavailable", e.message)
      throw e
    }
    return c.body(served.bytes as Uint8Array<ArrayBuffer>, 200, {
      "Content-Type": "application/pdf",
      "Content-Disposition": `attachment; filename="${served.name}"`,
      "Cache-Control": "no-store"
    })
  }
  app.post("/api/payout-notice/pdf", lookupBody, async (c) => {
    const { lookupCode, idNumber } = c.req.valid("json")
    return pdf(c, lookupCode, idNumber)
  })
  app.post(`${NOTICE_PORTAL_PATH}/pdf`, lookupForm, async (c) => {
    const form = c.req.valid("form")
    try {
      return await pdf(c, form.code, form.idNumber)
    } catch (e) {
      return refusedPage(c, e, form)
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
    const published = await notices.lists.get({ agency, caseDecision: caseDecision.normalize("NFC"), round })
    if (published === undefined) throw notFound(`agency ${agency} has no approved payout round ${round} of case ${caseDecision}`)
    c.header("X-Status-Issued-At", published.issuedAt)
    const left = Math.floor((published.builtAtMs + s.config.statusListMaxAgeSeconds * 1000 - s.now().getTime()) / 1000)
    return cached(c, { bytes: published.bytes, etag: published.etag, contentType: "application/octet-stream", maxAgeSeconds: Math.max(0, Math.min(s.config.statusListMaxAgeSeconds, left)) })
  })

  // A payout notice's token on the verification addresses; any other token goes on to the receipts' routes.
  app.get("/api/verify/:token{.+}", async (c, next: Next) => {
    const token = c.req.param("token")
    if (!isNoticeToken(token)) return next()
    const v = await notices.verify(token)
    logFields(c, { result: v.result._tag, kind: "payout-notice" })
    c.header("Cache-Control", "no-store")
    if (v.result._tag === "Malformed") return c.json({ error: "malformed_token", ...noticeVerificationJson(v) }, 400)
    return c.json(noticeVerificationJson(v))
  })

  const page = async (c: Context<EdgeEnv>, next: Next) => {
    const token = c.req.param("token") ?? ""
    if (!isNoticeToken(token)) return next()
    const lang = langOf(c.req.query("lang"))
    const v = await notices.verify(token)
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
