/**
 * Public lookup and photo verification.
 *
 *   GET  /tra-cuu                 the lookup page (form for the code, and a photo upload)
 *   POST /tra-cuu                 form post: code, idNumber → the result page
 *   POST /tra-cuu/pdf             the printable receipt from the lookup page's form
 *   POST /kiem-tra-anh            form post: a photo of a QR code → the verification page
 *   POST /api/lookup              JSON { lookupCode, idNumber? } → summary, and the full receipt if the number matches
 *   POST /api/lookup/pdf          JSON { lookupCode, idNumber? } → the printable receipt (PDF with its QR, signed: edge/pdf)
 *   POST /api/scan                a photo (multipart field "photo", or the body) → verification JSON
 *
 * The lookup code and the identity number travel in POST bodies only, never
 * in a URL, so they stay out of browser history and proxy logs; there is no
 * GET route that takes a code. The pages answer every refusal as a page in
 * their language, with what was typed kept in the form.
 */
import { Hono } from "hono"
import type { Context } from "hono"
import type { EdgeEnv } from "../http/env.ts"
import { ApiError } from "../http/errors.ts"
import { readImage } from "../http/image-upload.ts"
import { logFields } from "../http/request-log.ts"
import { langOf } from "../pages/html.ts"
import { lookupFormPage, lookupResultPage } from "../pages/lookup-page.ts"
import { refusalPage } from "../pages/refusal.ts"
import { type QrOrigin, verifyPage } from "../pages/verify-page.ts"
import type { EdgeServices } from "../services.ts"
import { lookup, lookupWithReceipt } from "../verification/lookup.ts"
import { lookupBody, lookupForm } from "../verification/lookup-bodies.ts"
import { qrOrigin } from "../verification/qr-origin.ts"
import { servedToken } from "../verification/served-token.ts"
import { PdfFontMissing } from "../../adapters/pdf/receipt-pdf.ts"
import { servedReceiptPdf, type ServedPdf } from "../pdf/served-receipt-pdf.ts"
import { type Verification, verificationJson } from "../verification/verifier.ts"
import { agencyName } from "./verify.ts"

const scanPhoto = async (s: EdgeServices, bytes: Uint8Array): Promise<{ readonly verification: Verification; readonly origin: QrOrigin }> => {
  const scan = await s.qr.scanReceipt(bytes)
  if (scan._tag === "NoQr") {
    throw new ApiError(422, "no_qr", "no QR code was found in the photo; take it closer, flat and in focus", { details: { reason: scan.message } })
  }
  if (scan._tag === "NotBienlai") throw new ApiError(422, "not_bienlai", "the photo holds a QR code, but not a bienlai receipt code", { details: { text: scan.text.slice(0, 200) } })
  return { verification: await s.verify(scan.token), origin: qrOrigin(scan.text, s.config.publicUrl, s.config.acceptedQrHosts) }
}

/** Where the QR pointed, for JSON: the host, whether it is the agency's, and a warning if not. */
const originJson = (o: QrOrigin) => ({
  host: o.host,
  official: o.official,
  ...(o.official === false
    ? { warning: `the QR code points to ${o.host}, not to the agency's published service ${o.officialHost}: it may be a phishing copy reusing a real receipt's code` }
    : {})
})

const pdfFor = async (s: EdgeServices, code: string, idNumber: string | undefined): Promise<ServedPdf> => {
  const { result, issued } = await lookupWithReceipt(s, code, idNumber)
  if (!result.printable) {
    throw idNumber === undefined || idNumber.trim() === ""
      ? new ApiError(403, "identity_required", "the printable receipt needs the payer's identity number (idNumber) with the lookup code")
      : new ApiError(403, "identity_mismatch", "the identity number does not match this receipt")
  }
  const token = await servedToken(s, issued)
  try {
    return await servedReceiptPdf(s, issued, token, { full: result.identityMatched })
  } catch (e) {
    if (e instanceof PdfFontMissing) throw new ApiError(503, "pdf_unavailable", e.message)
    throw e
  }
}

const pdfResponse = (c: Context<EdgeEnv>, pdf: ServedPdf) =>
  c.body(pdf.bytes as Uint8Array<ArrayBuffer>, 200, {
    "Content-Type": "application/pdf",
    "Content-Disposition": `attachment; filename="${pdf.name}"`,
    "Cache-Control": "no-store",
    "Bienlai-Pdf-Signature": pdf.signature
  })

export const lookupRoutes = (s: EdgeServices): Hono<EdgeEnv> => {
  const app = new Hono<EdgeEnv>()

  app.post("/api/lookup/pdf", lookupBody, async (c) => {
    const { lookupCode, idNumber } = c.req.valid("json")
    return pdfResponse(c, await pdfFor(s, lookupCode, idNumber))
  })

  app.post("/tra-cuu/pdf", lookupForm, async (c) => {
    const form = c.req.valid("form")
    try {
      return pdfResponse(c, await pdfFor(s, form.code, form.idNumber))
    } catch (e) {
      return refusalPage(c, e, form)
    }
  })

  app.get("/tra-cuu", (c) => c.html(lookupFormPage(langOf(c.req.query("lang")))))

  app.post("/tra-cuu", lookupForm, async (c) => {
    const lang = langOf(c.req.query("lang"))
    const form = c.req.valid("form")
    try {
      const result = await lookup(s, form.code, form.idNumber)
      logFields(c, { identityMatched: result.identityMatched })
      c.header("Cache-Control", "no-store")
      return c.html(lookupResultPage(lang, result, form))
    } catch (e) {
      if (e instanceof ApiError) logFields(c, { refused: e.code })
      return refusalPage(c, e, form)
    }
  })

  app.post("/kiem-tra-anh", async (c) => {
    const lang = langOf(c.req.query("lang"))
    try {
      const { bytes } = await readImage(c, "photo")
      const { verification: v, origin } = await scanPhoto(s, bytes)
      logFields(c, { result: v.result._tag, qrOfficial: origin.official ?? "none" })
      const name = "receipt" in v.result ? await agencyName(s, v.result.receipt.agency) : undefined
      c.header("Cache-Control", "no-store")
      return c.html(verifyPage(v, { lang, origin, switchHref: `/tra-cuu${lang === "vi" ? "?lang=en" : ""}`, ...(name === undefined ? {} : { agencyName: name }) }))
    } catch (e) {
      return refusalPage(c, e)
    }
  })

  app.post("/api/lookup", lookupBody, async (c) => {
    const { lookupCode, idNumber } = c.req.valid("json")
    const result = await lookup(s, lookupCode, idNumber)
    logFields(c, { identityMatched: result.identityMatched })
    c.header("Cache-Control", "no-store")
    return c.json(result)
  })

  app.post("/api/scan", async (c) => {
    const { bytes } = await readImage(c, "photo")
    const { verification: v, origin } = await scanPhoto(s, bytes)
    logFields(c, { result: v.result._tag, qrOfficial: origin.official ?? "none" })
    return c.json({ ...verificationJson(v), qr: originJson(origin) })
  })

  return app
}
