/**
 * The operations view's figures as JSON for officers' tools, under
 * /api/operations, authenticated by bearer token like the officer API:
 *
 *   GET /api/operations[?scope=national|HCM]   the snapshot (store/operations/snapshot.ts)
 *
 * Same scope rules as the console page (domain/operations/scope.ts): a
 * provincial officer gets their agency's figures and a 404 for any other
 * scope; an officer of the central department gets the country or any
 * agency. Amounts are digit strings (whole đồng).
 */
import { Hono } from "hono"
import { officerAuth } from "../http/auth.ts"
import type { EdgeEnv } from "../http/env.ts"
import { requirePermission } from "../officers/actions.ts"
import { makeOperationsFeed } from "../operations/feed.ts"
import type { EdgeServices } from "../services.ts"

export const operationsRoutes = (s: EdgeServices): Hono<EdgeEnv> => {
  const app = new Hono<EdgeEnv>()
  const feed = makeOperationsFeed(s)
  app.use("*", officerAuth(s.db, s.now))
  app.get("/", async (c) => {
    const p = c.get("principal")
    requirePermission(p, "read")
    const { scope } = await feed.scopeFor(p, c.req.query("scope"))
    return c.json(await feed.snapshot(scope))
  })
  return app
}
