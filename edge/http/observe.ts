/**
 * What every request leaves for engineers (docs/OPERATIONS.md): its count and
 * latency per route in the Prometheus metrics, and, with tracing on, a span
 * named after the route whose children are the effects its handler runs.
 *
 * The route is Hono's route pattern ("/api/officer/drafts/:id/approve"),
 * never the path a client sent: paths carry tokens and lookup codes, and
 * each distinct path would be a new time series. A request no route takes
 * is "(unmatched)".
 */
import type { Context, MiddlewareHandler } from "hono"
import { matchedRoutes } from "hono/route"
import { Effect } from "effect"
import type { MetricsRecorder } from "../../adapters/observability/metrics.ts"
import type { EdgeEnv } from "./env.ts"
import { withinRequestSpan } from "./request-span.ts"
import type { EdgeServices } from "../services.ts"

export interface Observation {
  readonly metrics?: MetricsRecorder | undefined
  /** Make a span per request (OpenTelemetry tracing is on). */
  readonly tracing?: boolean | undefined
}

/** The pattern of the handler that answers: the last matched route that is a handler (one argument), not a middleware. */
export const routeOf = (c: Context): string => {
  const routes = matchedRoutes(c)
  for (let i = routes.length - 1; i >= 0; i--) {
    const r = routes[i]
    if (r !== undefined && r.handler.length < 2) return r.path
  }
  return "(unmatched)"
}

export const observeRequests = (s: EdgeServices, o: Observation): MiddlewareHandler<EdgeEnv> => {
  const metrics = o.metrics
  return async (c, next) => {
    const started = performance.now()
    const route = routeOf(c)
    try {
      if (o.tracing === true) {
        await s.run(
          Effect.gen(function*() {
            const span = yield* Effect.orDie(Effect.currentSpan)
            yield* Effect.promise(() => withinRequestSpan(span, next))
            yield* Effect.annotateCurrentSpan("http.response.status_code", c.res.status)
          }).pipe(Effect.withSpan(`${c.req.method} ${route}`, {
            kind: "server",
            attributes: { "http.request.method": c.req.method, "http.route": route }
          }))
        )
      } else {
        await next()
      }
    } finally {
      metrics?.recordHttp({ method: c.req.method, route, status: c.res.status, seconds: (performance.now() - started) / 1000 })
    }
  }
}
