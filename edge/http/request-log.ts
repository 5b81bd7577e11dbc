/**
 * One structured pino line per request, with a request id that is also
 * returned as `X-Request-Id`.
 *
 * What is logged is the matched route pattern (`/v/:token`), never the raw
 * path or query: the path of a verification link is the QR token, a lookup
 * carries a lookup code and perhaps an identity number. Headers (bearer
 * tokens) are never logged. Handlers add safe fields (officer id, agency,
 * verdict) with `logFields`.
 */
import type { Context, MiddlewareHandler } from "hono"
import { routePath } from "hono/route"
import type { Logger } from "pino"
import type { EdgeEnv } from "./env.ts"
import { ApiError } from "./errors.ts"

const incomingId = /^[A-Za-z0-9._-]{1,64}$/

/** Adds fields to this request's log line; callers pass only data safe to log. */
export const logFields = (c: Context<EdgeEnv>, fields: Record<string, string | number | boolean>): void => {
  c.set("logFields", { ...c.get("logFields"), ...fields })
}

export const requestLog = (logger: Logger, newId: () => string, nowMs: () => number = () => performance.now()): MiddlewareHandler<EdgeEnv> =>
  async (c, next) => {
    const given = c.req.header("x-request-id")
    const id = given !== undefined && incomingId.test(given) ? given : newId()
    c.set("requestId", id)
    c.set("logFields", {})
    c.header("X-Request-Id", id)
    const started = nowMs()
    await next()
    const status = c.res.status
    const line = {
      reqId: id,
      method: c.req.method,
      route: routePath(c, -1),
      status,
      ms: Math.round((nowMs() - started) * 100) / 100,
      ...c.get("logFields"),
      // What the client was not told (a database error's text), for whoever reads the log with the request id.
      ...(c.error instanceof ApiError && c.error.internal !== undefined ? { cause: c.error.internal.slice(0, 2000) } : {})
    }
    if (status >= 500) logger.error(line, "request failed")
    else logger.info(line, "request")
  }
