/**
 * POST /api/officer/enrol { code, label?, expiresInDays? }: a new officer
 * (or one re-enrolled) exchanges the one-time code their administrators
 * handed over for their own API token, shown once. No token is needed to
 * call it; it is rate-limited like the public routes, and a code is 100
 * random bits, used up at the first exchange.
 */
import { Hono } from "hono"
import type { EdgeEnv } from "../http/env.ts"
import { logFields } from "../http/request-log.ts"
import { enrolmentBody } from "../officers/admin-bodies.ts"
import { makePrivileges } from "../officers/privileges.ts"
import type { EdgeServices } from "../services.ts"

export const enrolRoutes = (s: EdgeServices): Hono<EdgeEnv> => {
  const app = new Hono<EdgeEnv>()
  const privileges = makePrivileges(s)
  app.post("/enrol", enrolmentBody, async (c) => {
    const asked = c.req.valid("json")
    const made = await privileges.redeem(asked.code, { label: asked.label, expiresInDays: asked.expiresInDays, via: "api" })
    logFields(c, { officer: made.principal.officer, agency: made.principal.agency, newTokenId: made.tokenId })
    // The answer holds a secret: no cache on the way may keep it.
    c.header("Cache-Control", "no-store")
    return c.json({ ...made.principal, token: made.token, id: made.tokenId, expiresAt: made.expiresAt }, 201)
  })
  return app
}
