/**
 * Bearer-token authentication of the officer API. A missing, malformed,
 * unknown or revoked token gets 401 with a `WWW-Authenticate` challenge;
 * the token itself never reaches a log line.
 */
import type { MiddlewareHandler } from "hono"
import type { Db } from "../../store/db.ts"
import { principalOf } from "../officers/tokens.ts"
import type { EdgeEnv } from "./env.ts"
import { ApiError } from "./errors.ts"
import { logFields } from "./request-log.ts"

const challenge = { "WWW-Authenticate": 'Bearer realm="bienlai-officer"' }

export const officerAuth = (db: Db): MiddlewareHandler<EdgeEnv> => async (c, next) => {
  const header = c.req.header("authorization")
  const match = header === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(header)
  if (match === null) {
    throw new ApiError(401, "unauthenticated", "this API needs an officer token: send Authorization: Bearer <token>", { headers: challenge })
  }
  const principal = await principalOf(db, match[1] ?? "")
  if (principal === undefined) {
    throw new ApiError(401, "unauthenticated", "the token is unknown, revoked, or its officer is disabled", { headers: challenge })
  }
  c.set("principal", principal)
  logFields(c, { officer: principal.officer, agency: principal.agency, role: principal.role })
  await next()
}
