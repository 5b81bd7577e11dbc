/**
 * Agency administration, for the `admin` role, within the admin's agency:
 *
 *   GET  /officers                  the agency's officers
 *   POST /officers                  { id, name, role } → the officer and a first token (shown once)
 *   POST /officers/:officerId/tokens   a further token (shown once)
 *   POST /officers/:officerId/disable  disable the officer: every token stops working at once
 *
 * An officer of another agency is "not found". Each action is recorded in
 * edge_audit.
 */
import { Hono } from "hono"
import type { Context } from "hono"
import { jsonBody } from "../http/body.ts"
import type { EdgeEnv, Principal } from "../http/env.ts"
import { ApiError } from "../http/errors.ts"
import { requirePermission } from "../officers/actions.ts"
import { grantToken, insertOfficer, type Role } from "../officers/tokens.ts"
import type { EdgeServices } from "../services.ts"

const roles: ReadonlyArray<Role> = ["officer", "approver", "auditor", "admin"]
const officerId = /^[a-z0-9][a-z0-9._-]{1,63}$/

export const officerAdminRoutes = (s: EdgeServices): Hono<EdgeEnv> => {
  const app = new Hono<EdgeEnv>()
  const admin = (c: Context<EdgeEnv>): Principal => {
    const p = c.get("principal")
    requirePermission(p, "manageOfficers")
    return p
  }
  const audit = (p: Principal, action: string, target: string, detail: Record<string, unknown> = {}) =>
    s.db.query(
      "INSERT INTO edge_audit (agency, actor, action, target, at, detail) VALUES ($1::text, $2::text, $3::text, $4::text, $5::timestamptz, $6::text::jsonb)",
      [p.agency, p.officer, action, target, s.now().toISOString(), JSON.stringify(detail)]
    )
  const ownOfficer = async (p: Principal, id: string) => {
    const row = (await s.db.query<{ id: string }>("SELECT id FROM officers WHERE id = $1::text AND agency = $2::text", [id, p.agency]))[0]
    if (row === undefined) throw new ApiError(404, "not_found", `no officer ${id.slice(0, 64)} in agency ${p.agency}`)
    return row.id
  }

  app.get("/officers", async (c) => {
    const p = admin(c)
    const rows = await s.db.query<{ id: string; name: string; role: string; disabled_at: string | null }>(
      "SELECT id, name, role, iso_instant(disabled_at) AS disabled_at FROM officers WHERE agency = $1::text ORDER BY id",
      [p.agency]
    )
    return c.json({ officers: rows.map((r) => ({ id: r.id, name: r.name, role: r.role, disabled: r.disabled_at !== null })) })
  })

  app.post("/officers", async (c) => {
    const p = admin(c)
    const body = (await jsonBody(c)) as Record<string, unknown> | null
    const id = body?.["id"]
    const name = body?.["name"]
    const role = body?.["role"]
    const problems = [
      typeof id === "string" && officerId.test(id) ? undefined : "id must be lowercase letters, digits, . _ - (2–64), like lan.nguyen",
      typeof name === "string" && name.trim() !== "" && name.length <= 200 ? undefined : "name must be a non-empty string",
      typeof role === "string" && (roles as ReadonlyArray<string>).includes(role) ? undefined : `role must be one of ${roles.join(", ")}`
    ].filter((x) => x !== undefined)
    if (problems.length > 0) throw new ApiError(422, "invalid_officer", problems.join("; "), { details: { problems } })
    const taken = await s.db.query("SELECT 1 FROM officers WHERE id = $1::text", [id])
    if (taken.length > 0) throw new ApiError(409, "officer_exists", `the officer id ${String(id)} is taken`)
    const token = await s.db.transaction(async (tx) => {
      await insertOfficer(tx, { id: id as string, agency: p.agency, name: (name as string).normalize("NFC"), role: role as Role })
      return grantToken(tx, id as string, "created by admin", s.randomBytes)
    })
    await audit(p, "officer_created", id as string, { role })
    return c.json({ officer: { id, agency: p.agency, name, role }, token }, 201)
  })

  app.post("/officers/:officerId/tokens", async (c) => {
    const p = admin(c)
    const id = await ownOfficer(p, c.req.param("officerId"))
    const token = await grantToken(s.db, id, "granted by admin", s.randomBytes)
    await audit(p, "token_granted", id)
    return c.json({ officer: id, token }, 201)
  })

  app.post("/officers/:officerId/disable", async (c) => {
    const p = admin(c)
    const id = await ownOfficer(p, c.req.param("officerId"))
    if (id === p.officer) throw new ApiError(409, "cannot_disable_self", "an admin cannot disable their own account; ask another admin")
    await s.db.query("UPDATE officers SET disabled_at = coalesce(disabled_at, $2::timestamptz) WHERE id = $1::text", [id, s.now().toISOString()])
    await audit(p, "officer_disabled", id)
    return c.json({ officer: id, disabled: true })
  })

  return app
}
