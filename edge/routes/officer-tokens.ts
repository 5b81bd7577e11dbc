/**
 * Every officer's own API tokens, under /api/officer:
 *
 *   GET  /tokens                    your tokens (ids, labels, expiry, revocation; never the tokens)
 *   POST /tokens                    { label?, expiresInDays? } → 201, a new token for you, shown once;
 *                                   it expires no later than the token you asked with
 *   POST /tokens/:tokenId/revoke    revoke one of yours; an admin may revoke any token of the agency
 *
 * A token is only ever given to its own officer: nobody can make one for
 * someone else (edge/officers/privileges.ts).
 */
import { Hono } from "hono"
import type { EdgeEnv } from "../http/env.ts"
import { logFields } from "../http/request-log.ts"
import { tokenBody } from "../officers/admin-bodies.ts"
import { makePrivileges } from "../officers/privileges.ts"
import type { EdgeServices } from "../services.ts"

export const officerTokenRoutes = (s: EdgeServices): Hono<EdgeEnv> => {
  const app = new Hono<EdgeEnv>()
  const privileges = makePrivileges(s)

  app.get("/tokens", async (c) => c.json({ tokens: await privileges.ownTokens(c.get("principal")) }))

  // No body at all asks for the defaults. Tokens are personal: there is no field naming whose token it is.
  app.post("/tokens", tokenBody, async (c) => {
    const asked = c.req.valid("json")
    const made = await privileges.createOwnToken(c.get("principal"), c.get("credential"), { label: asked.label, expiresInDays: asked.expiresInDays })
    logFields(c, { newTokenId: made.tokenId })
    c.header("Cache-Control", "no-store")
    return c.json({ token: made.token, id: made.tokenId, expiresAt: made.expiresAt, cappedByPresentingToken: made.cappedByPresentingToken }, 201)
  })

  app.post("/tokens/:tokenId/revoke", async (c) => c.json(await privileges.revokeToken(c.get("principal"), c.req.param("tokenId"))))

  return app
}
