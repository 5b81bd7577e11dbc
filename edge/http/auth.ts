/**
 * Bearer-token authentication of the officer API. A missing, malformed,
 * unknown, revoked or expired token, or a disabled officer's, gets 401 with
 * a `WWW-Authenticate` challenge; the token itself never reaches a log line.
 * Cookies are not read here: a console session never opens the API.
 */
import type { MiddlewareHandler } from "hono"
import type { Db } from "../../store/database/db.ts"
import { principalOf } from "../officers/tokens.ts"
import type { EdgeEnv } from "./env.ts"
import { ApiError } from "./errors.ts"
import { logFields } from "./request-log.ts"

const challenge = { "WWW-Authenticate": 'Bearer realm="bienlai-officer"' }

/** `now` is the service's clock (tokens expire by it); without one the database's clock decides. */
export const officerAuth = (db: Db, now?: () => Date): MiddlewareHandler<EdgeEnv> => async (c, next) => {
  const header = c.req.header("authorization")
  const match = header === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(header)
  if (match === null) {
    throw new ApiError(401, "unauthenticated", "this API needs an officer token: send Authorization: Bearer <token>", { headers: challenge })
  }
  const found = await principalOf(db, match[1] ?? "", now?.())
  if (found === undefined) {
    throw new ApiError(401, "unauthenticated", "the token is unknown, revoked or expired, or its officer is disabled", { headers: challenge })
  }
  c.set("principal", { officer: found.officer, agency: found.agency, role: found.role })
  c.set("credential", { tokenId: found.tokenId, expiresAt: found.tokenExpiresAt })
  logFields(c, { officer: found.officer, agency: found.agency, role: found.role, tokenId: found.tokenId })
  await next()
}
