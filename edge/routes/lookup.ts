/**
 * Public lookup and photo verification.
 *
 *   GET  /tra-cuu                 the lookup page (form for the code, and a photo upload)
 *   POST /tra-cuu                 form post: code, idNumber → the result page
 *   POST /kiem-tra-anh            form post: a photo of a QR code → the verification page
 *   GET  /api/lookup/{code}       JSON summary, personal data masked
 *   POST /api/lookup              JSON { lookupCode, idNumber? } → summary, and the full receipt if the number matches
 *   POST /api/lookup/pdf          JSON { lookupCode, idNumber? } → the printable receipt (PDF with its QR; masked unless the number matches)
 *   POST /tra-cuu/pdf             the same from the lookup page's form
 *   POST /api/scan                a photo (multipart field "photo", or the body) → verification JSON
 *
 * The identity number travels in a POST body, never in a URL, so it stays
 * out of browser history and proxy logs.
 */
import { Hono } from "hono"
import type { Context } from "hono"
import { scanReceiptQr } from "../../jobs/qr/decode.ts"
import { jsonBody } from "../http/body.ts"
import type { EdgeEnv } from "../http/env.ts"
import { ApiError } from "../http/errors.ts"
import { readImage } from "../http/image-upload.ts"
import { logFields } from "../http/request-log.ts"
import { langOf } from "../pages/html.ts"
import { lookupFormPage, lookupResultPage } from "../pages/lookup-page.ts"
import { verifyPage } from "../pages/verify-page.ts"
import type { EdgeServices } from "../services.ts"
import { lookup, lookupWithReceipt } from "../verification/lookup.ts"
import { Effect } from "effect"
import { Signer } from "../../domain/ports/signer.ts"
import { signToken } from "../../domain/signing/issue-token.ts"
import { qrContent, tokenUrl } from "../../domain/signing/url.ts"
import { qrPng } from "../../jobs/qr/encode.ts"
import { PdfFontMissing, receiptPdf } from "../pdf/receipt-pdf.ts"
import { runOrThrow } from "../http/domain-errors.ts"
import { type Verification, verificationJson } from "../verification/verifier.ts"
import { agencyName } from "./verify.ts"

const scanPhoto = async (s: EdgeServices, bytes: Uint8Array): Promise<Verification> => {
  const scan = await scanReceiptQr(bytes)
  if (scan._tag === "NoQr") throw new ApiError(422, "no_qr", `no QR code was found in the photo: ${scan.message}; take it closer, flat and in focus`)
  if (scan._tag === "NotBienlai") throw new ApiError(422, "not_bienlai", "the photo holds a QR code, but not a bienlai receipt code", { details: { text: scan.text.slice(0, 200) } })
  return s.verify(scan.token)
}

const pdfFor = async (s: EdgeServices, code: string, idNumber: string | undefined): Promise<{ bytes: Uint8Array; name: string }> => {
  const { result, issued, agencyName } = await lookupWithReceipt(s, code, idNumber)
  const token = await runOrThrow(Effect.provideService(signToken(issued), Signer, s.signer))
  try {
    const bytes = await receiptPdf({
      receipt: issued,
      agencyName: agencyName ?? undefined,
      qrPng: await qrPng(qrContent(s.config.publicUrl, token), { scale: 4 }),
      verifyUrl: tokenUrl(s.config.publicUrl, token),
      full: result.identityMatched
    })
    return { bytes, name: `bien-lai-${issued.series.symbol.replace("/", "-")}-${issued.number}.pdf` }
  } catch (e) {
    if (e instanceof PdfFontMissing) throw new ApiError(503, "pdf_unavailable", e.message)
    throw e
  }
}

const htmlError = (c: Context<EdgeEnv>, e: unknown) => {
  if (!(e instanceof ApiError)) throw e
  return c.html(lookupFormPage(langOf(c.req.query("lang")), e.message), e.status)
}

const pdfResponse = (c: Context<EdgeEnv>, pdf: { bytes: Uint8Array; name: string }) =>
  c.body(pdf.bytes as Uint8Array<ArrayBuffer>, 200, {
    "Content-Type": "application/pdf",
    "Content-Disposition": `attachment; filename="${pdf.name}"`,
    "Cache-Control": "no-store"
  })

export const lookupRoutes = (s: EdgeServices): Hono<EdgeEnv> => {
  const app = new Hono<EdgeEnv>()

  app.post("/api/lookup/pdf", async (c) => {
    const body = await jsonBody(c)
    const record = (body ?? {}) as Record<string, unknown>
    if (typeof body !== "object" || body === null || typeof record["lookupCode"] !== "string" || (record["idNumber"] !== undefined && typeof record["idNumber"] !== "string")) {
      throw new ApiError(400, "invalid_body", 'send { "lookupCode": "...", "idNumber": "..." } (idNumber optional)')
    }
    return pdfResponse(c, await pdfFor(s, record["lookupCode"], record["idNumber"] as string | undefined))
  })

  app.post("/tra-cuu/pdf", async (c) => {
    try {
      const form = await c.req.parseBody().catch(() => {
        throw new ApiError(400, "invalid_form", "the form could not be read")
      })
      const code = typeof form["code"] === "string" ? form["code"] : ""
      const idNumber = typeof form["idNumber"] === "string" && form["idNumber"].trim() !== "" ? form["idNumber"] : undefined
      return pdfResponse(c, await pdfFor(s, code, idNumber))
    } catch (e) {
      return htmlError(c, e)
    }
  })

  app.get("/tra-cuu", (c) => c.html(lookupFormPage(langOf(c.req.query("lang")))))

  app.post("/tra-cuu", async (c) => {
    const lang = langOf(c.req.query("lang"))
    try {
      const form = await c.req.parseBody().catch(() => {
        throw new ApiError(400, "invalid_form", "the form could not be read")
      })
      const code = typeof form["code"] === "string" ? form["code"] : ""
      const idNumber = typeof form["idNumber"] === "string" && form["idNumber"].trim() !== "" ? form["idNumber"] : undefined
      const result = await lookup(s, code, idNumber)
      logFields(c, { identityMatched: result.identityMatched })
      c.header("Cache-Control", "no-store")
      return c.html(lookupResultPage(lang, result, idNumber !== undefined))
    } catch (e) {
      return htmlError(c, e)
    }
  })

  app.post("/kiem-tra-anh", async (c) => {
    const lang = langOf(c.req.query("lang"))
    try {
      const { bytes } = await readImage(c, "photo")
      const v = await scanPhoto(s, bytes)
      logFields(c, { result: v.result._tag })
      const name = "receipt" in v.result ? await agencyName(s, v.result.receipt.agency) : undefined
      return c.html(verifyPage(v, { lang, switchHref: `/tra-cuu${lang === "vi" ? "?lang=en" : ""}`, ...(name === undefined ? {} : { agencyName: name }) }))
    } catch (e) {
      return htmlError(c, e)
    }
  })

  app.get("/api/lookup/:code", async (c) => {
    const result = await lookup(s, c.req.param("code"), undefined)
    c.header("Cache-Control", "no-store")
    return c.json({ summary: result.summary, identityMatched: false, receipt: null })
  })

  app.post("/api/lookup", async (c) => {
    const body = await jsonBody(c)
    const record = (body ?? {}) as Record<string, unknown>
    if (typeof body !== "object" || body === null || typeof record["lookupCode"] !== "string") {
      throw new ApiError(400, "invalid_body", 'send { "lookupCode": "...", "idNumber": "..." } (idNumber optional)')
    }
    if (record["idNumber"] !== undefined && typeof record["idNumber"] !== "string") throw new ApiError(400, "invalid_body", "idNumber must be a string")
    const result = await lookup(s, record["lookupCode"], record["idNumber"] as string | undefined)
    logFields(c, { identityMatched: result.identityMatched })
    c.header("Cache-Control", "no-store")
    return c.json(result)
  })

  app.post("/api/scan", async (c) => {
    const { bytes } = await readImage(c, "photo")
    const v = await scanPhoto(s, bytes)
    logFields(c, { result: v.result._tag })
    return c.json(verificationJson(v))
  })

  return app
}

