/**
 * A route's role check as middleware, placed before its body validator: a
 * role that may not do something is told so before anything about its
 * request body (requirePermission in actions.ts says it in both languages).
 */
import type { MiddlewareHandler } from "hono"
import type { EdgeEnv } from "../http/env.ts"
import { requirePermission } from "./actions.ts"
import type { Permission } from "./roles.ts"

export const permitted = (permission: Permission): MiddlewareHandler<EdgeEnv> => async (c, next) => {
  requirePermission(c.get("principal"), permission)
  await next()
}
