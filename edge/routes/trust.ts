/**
 * What a phone or an edge cache needs to verify without us: the trust list
 * and the signed status lists, with ETags and cache lifetimes.
 *
 *   GET /api/trust-list                                    the trust list, signed by the root (a JWS, docs/SIGNING.md)
 *   GET /api/crl                                           the root's CRL (DER, application/pkix-crl)
 *   GET /api/status-lists                                  index of series and their list URLs
 *   GET /api/status-list?agency=HCM&form=01-BLTHADS&symbol=AA/25E   one signed list (binary)
 */
import { Hono } from "hono"
import { AgencyCode, FormNumber, SeriesSymbol } from "../../domain/receipt.ts"
import { Schema } from "effect"
import { badRequest, notFound } from "../http/errors.ts"
import type { EdgeEnv } from "../http/env.ts"
import { cached } from "../http/etag.ts"
import type { EdgeServices } from "../services.ts"

const statusListPath = (s: { agency: string; form: string; symbol: string }): string =>
  `/api/status-list?${new URLSearchParams({ agency: s.agency, form: s.form, symbol: s.symbol })}`

const is = {
  agency: Schema.is(AgencyCode),
  form: Schema.is(FormNumber),
  symbol: Schema.is(SeriesSymbol)
}

export const trustRoutes = (s: EdgeServices): Hono<EdgeEnv> => {
  const app = new Hono<EdgeEnv>()

  app.get("/api/trust-list", (c) => {
    const t = s.trust()
    return cached(c, { bytes: t.bytes, etag: t.etag, contentType: "application/json; charset=utf-8", maxAgeSeconds: 3600 })
  })

  app.get("/api/crl", (c) => {
    const crl = s.trust().crl
    if (crl === undefined) throw notFound("no CRL is published here: the operator publishes one with `bienlai keys trust-list`")
    return cached(c, { bytes: crl.bytes, etag: crl.etag, contentType: "application/pkix-crl", maxAgeSeconds: 3600 })
  })

  app.get("/api/status-lists", async (c) => {
    const series = await s.statusLists.series()
    c.header("Cache-Control", `public, max-age=${s.config.statusListMaxAgeSeconds}`)
    return c.json({
      maxAgeSeconds: s.config.statusListMaxAgeSeconds,
      lists: series.map((x) => ({ ...x, url: statusListPath(x) }))
    })
  })

  app.get("/api/status-list", async (c) => {
    const agency = c.req.query("agency") ?? ""
    const form = c.req.query("form") ?? ""
    const symbol = c.req.query("symbol") ?? ""
    const wrong = [
      is.agency(agency) ? undefined : `agency "${agency}" is not an agency code like HCM`,
      is.form(form) ? undefined : `form "${form}" is not a form number like 01-BLTHADS`,
      is.symbol(symbol) ? undefined : `symbol "${symbol}" is not a series symbol like AA/25E`
    ].filter((x) => x !== undefined)
    if (wrong.length > 0) throw badRequest("invalid_series", wrong.join("; "))
    const published = await s.statusLists.get({ agency, form, symbol })
    if (published === undefined) throw notFound(`no receipts have been issued in series ${form} ${symbol} of agency ${agency}`)
    c.header("X-Status-Issued-At", published.issuedAt)
    // Cached no longer than this server keeps the list, so no cache hands out a list older than the one it replaced.
    const left = Math.floor((published.builtAtMs + s.config.statusListMaxAgeSeconds * 1000 - s.now().getTime()) / 1000)
    return cached(c, {
      bytes: published.bytes,
      etag: published.etag,
      contentType: "application/octet-stream",
      maxAgeSeconds: Math.max(0, Math.min(s.config.statusListMaxAgeSeconds, left))
    })
  })
  return app
}
