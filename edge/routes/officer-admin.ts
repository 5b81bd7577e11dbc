/**
 * Agency administration under /api/officer, for the `admin` role, within
 * the admin's agency. Nothing that gives power happens on one admin's word:
 *
 *   GET  /officers                         the agency's officers
 *   POST /officers                         { id, name, role } → 202, a request to create the officer
 *   POST /officers/:officerId/role         { role } → 202, a request to change the role
 *   POST /officers/:officerId/title        { title } → 202, a request to set the title (chức vụ) printed under the
 *                                          officer's name on the receipts they approve (null clears it)
 *   POST /officers/:officerId/enable       → 202, a request to re-enable a disabled officer
 *   POST /officers/:officerId/enrol        → 202, a request for a new enrolment code (lost or expired token)
 *   POST /officers/:officerId/disable      disable at once: every token and session ends
 *   GET  /officers/:officerId/tokens       the officer's tokens (ids, labels, expiry; never the tokens)
 *   GET  /officer-requests                 requests waiting for a second admin
 *   POST /officer-requests/:requestId/approve  { officer, name, role, title? } as shown → the change, and an enrolment code shown once
 *   POST /officer-requests/:requestId/reject   another admin rejects; the requester withdraws
 *   GET  /officer-audit[?officer=&before=]     the administration trail (admin, auditor)
 *
 * Every officer's own tokens (officer-tokens.ts) are mounted here too. An
 * officer of another agency is "not found". See docs/SECURITY.md.
 */
import { Hono } from "hono"
import type { Context } from "hono"
import { Result } from "effect"
import { officerIdPattern, parseTitle } from "../../domain/privileges.ts"
import type { EdgeEnv } from "../http/env.ts"
import { ApiError } from "../http/errors.ts"
import { logFields } from "../http/request-log.ts"
import { approvedBody, invalidTitle, officerBody, roleBody, titleBody } from "../officers/admin-bodies.ts"
import { makePrivileges } from "../officers/privileges.ts"
import type { EdgeServices } from "../services.ts"
import { officerTokenRoutes } from "./officer-tokens.ts"
import { isUuid } from "../../domain/ids.ts"


const officerParam = (c: Context<EdgeEnv>): string => {
  const id = c.req.param("officerId") ?? ""
  if (!officerIdPattern.test(id)) throw new ApiError(404, "not_found", `"${id.slice(0, 64)}" is not an officer id`)
  return id
}

const requestParam = (c: Context<EdgeEnv>): string => {
  const id = (c.req.param("requestId") ?? "").toLowerCase()
  if (!isUuid(id)) throw new ApiError(404, "not_found", `"${id.slice(0, 64)}" is not a request id (a UUID)`)
  return id
}

export const officerAdminRoutes = (s: EdgeServices): Hono<EdgeEnv> => {
  const app = new Hono<EdgeEnv>()
  const privileges = makePrivileges(s)
  const pending = (c: Context<EdgeEnv>, request: { id: string; officer: string }) => {
    logFields(c, { request: request.id, target: request.officer })
    return c.json({ request, message: "waiting for a second admin of the agency to approve it" }, 202)
  }

  app.get("/officers", async (c) => {
    const rows = await privileges.officers(c.get("principal"))
    return c.json({ officers: rows.map((r) => ({ id: r.id, name: r.name, role: r.role, title: r.title, disabled: r.disabled })) })
  })

  app.post("/officers", officerBody, async (c) => {
    const { id, name, role } = c.req.valid("json")
    return pending(c, await privileges.requestCreate(c.get("principal"), { officer: id, name, role }))
  })

  app.post("/officers/:officerId/role", roleBody, async (c) => {
    const id = officerParam(c)
    return pending(c, await privileges.requestRole(c.get("principal"), id, c.req.valid("json").role))
  })

  app.post("/officers/:officerId/title", titleBody, async (c) => {
    const id = officerParam(c)
    const title = parseTitle(c.req.valid("json").title)
    if (Result.isFailure(title)) throw invalidTitle()
    return pending(c, await privileges.requestTitle(c.get("principal"), id, title.success))
  })

  app.post("/officers/:officerId/enable", async (c) => pending(c, await privileges.requestEnable(c.get("principal"), officerParam(c))))
  app.post("/officers/:officerId/enrol", async (c) => pending(c, await privileges.requestEnrol(c.get("principal"), officerParam(c))))
  app.post("/officers/:officerId/disable", async (c) => c.json(await privileges.disable(c.get("principal"), officerParam(c))))
  app.get("/officers/:officerId/tokens", async (c) => c.json({ tokens: await privileges.tokensOfOfficer(c.get("principal"), officerParam(c)) }))

  app.get("/officer-requests", async (c) => c.json({ requests: await privileges.openRequests(c.get("principal")) }))

  // The approver names what they approve, as they were shown it.
  app.post("/officer-requests/:requestId/approve", approvedBody, async (c) => {
    const id = requestParam(c)
    const approved = await privileges.approve(c.get("principal"), id, c.req.valid("json"))
    logFields(c, { request: id, target: approved.request.officer })
    c.header("Cache-Control", "no-store")
    return c.json({
      request: approved.request,
      enrolment: approved.enrolment === null ? null : {
        ...approved.enrolment,
        officer: approved.request.officer,
        howToUse: "give this code to the officer in person or by a channel only they read; they exchange it once for their own token (POST /api/officer/enrol, or the console's sign-in page). It is shown only now."
      }
    })
  })

  app.post("/officer-requests/:requestId/reject", async (c) => c.json({ request: await privileges.reject(c.get("principal"), requestParam(c)) }))

  app.get("/officer-audit", async (c) => {
    const officer = c.req.query("officer")
    const before = c.req.query("before")
    const limit = Number(c.req.query("limit") ?? 100)
    const problems = [
      officer === undefined || officerIdPattern.test(officer) ? undefined : "officer is not an officer id",
      before === undefined || /^\d{1,18}$/.test(before) ? undefined : "before must be a sequence number from an earlier page",
      Number.isInteger(limit) && limit >= 1 && limit <= 500 ? undefined : "limit must be 1 to 500"
    ].filter((x) => x !== undefined)
    if (problems.length > 0) throw new ApiError(400, "invalid_query", problems.join("; "), { details: { problems } })
    return c.json({ entries: await privileges.audit(c.get("principal"), { officer, before, limit }) })
  })

  app.route("/", officerTokenRoutes(s))
  return app
}
