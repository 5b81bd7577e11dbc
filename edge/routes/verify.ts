/**
 * Public verification of a QR token: `GET /api/verify/{token}` (JSON) and
 * `GET /v/{token}` (the page the phone camera opens; `/V/` too, because the
 * QR holds the URL in capitals). Both verify offline first: signature, trust
 * list, then this server's signed status list of the series.
 *
 * A malformed token is bad input (400); every other verdict is a successful
 * check of a well-formed token (200), whatever it says.
 */
import { Effect } from "effect"
import { Hono } from "hono"
import { approvedCorrectionsByNumber } from "../../store/receipts/corrections.ts"
import type { Context } from "hono"
import type { EdgeEnv } from "../http/env.ts"
import { logFields } from "../http/request-log.ts"
import { langOf } from "../pages/html.ts"
import { verifyPage } from "../pages/verify-page.ts"
import type { EdgeServices } from "../services.ts"
import { agencyDisplayName } from "../../store/agencies/agency-names.ts"
import { verificationJson } from "../verification/verifier.ts"

export const agencyName = async (s: EdgeServices, code: string): Promise<string | undefined> => {
  try {
    return await agencyDisplayName(s.db, code)
  } catch {
    // The name is decoration; the verdict must not depend on the database.
    return undefined
  }
}

/** The approved corrections of a verified receipt, shown beside its signed data; decoration, like the agency's name. */
const correctionsOf = async (s: EdgeServices, r: { readonly agency: string; readonly series: { readonly form: string; readonly symbol: string }; readonly number: number }) =>
  s.run(Effect.orElseSucceed(approvedCorrectionsByNumber(s.db, r.agency, r.series, r.number), () => []))

export const verifyRoutes = (s: EdgeServices): Hono<EdgeEnv> => {
  const app = new Hono<EdgeEnv>()

  app.get("/api/verify/:token{.+}", async (c) => {
    const v = await s.verify(c.req.param("token"))
    logFields(c, { result: v.result._tag })
    c.header("Cache-Control", "no-store")
    if (v.result._tag === "Malformed") return c.json({ error: "malformed_token", ...verificationJson(v) }, 400)
    return c.json(verificationJson(v))
  })

  const page = async (c: Context<EdgeEnv>) => {
    const token = c.req.param("token") ?? ""
    const lang = langOf(c.req.query("lang"))
    const v = await s.verify(token)
    logFields(c, { result: v.result._tag })
    const name = "receipt" in v.result ? await agencyName(s, v.result.receipt.agency) : undefined
    const corrections = "receipt" in v.result ? await correctionsOf(s, v.result.receipt) : []
    const switchHref = `${new URL(c.req.url).pathname}${lang === "vi" ? "?lang=en" : ""}`
    c.header("Cache-Control", "no-store")
    return c.html(verifyPage(v, { lang, switchHref, corrections, ...(name === undefined ? {} : { agencyName: name }) }), v.result._tag === "Malformed" ? 400 : 200)
  }
  app.get("/v/:token{.+}", page)
  app.get("/V/:token{.+}", page)
  return app
}
