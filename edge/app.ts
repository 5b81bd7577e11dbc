/**
 * The edge service as one Hono application, built from injected services so
 * the same app runs on Bun, Deno and Node and under `app.request` in tests.
 *
 * Public routes (verification, trust and status lists, lookup) are
 * rate-limited per client; officer routes authenticate instead. Every
 * refusal is JSON `{ error, message }`; an unexpected failure is a logged
 * 500 naming the request id, never a stack trace.
 */
import { Hono } from "hono"
import { bodyLimit } from "hono/body-limit"
import { HTTPException } from "hono/http-exception"
import type { EdgeEnv } from "./http/env.ts"
import { ApiError, errorBody, errorResponse, refusal } from "./http/errors.ts"
import { rateLimit } from "./http/rate-limit.ts"
import { pageHeaders } from "./http/page-headers.ts"
import { requestLog } from "./http/request-log.ts"
import { tooLarge } from "./http/too-large.ts"
import { consoleRoutes } from "./console/index.ts"
import { openApiDocument } from "./openapi.ts"
import { lookupRoutes } from "./routes/lookup.ts"
import { officerRoutes } from "./routes/officer.ts"
import { trustRoutes } from "./routes/trust.ts"
import { verifyRoutes } from "./routes/verify.ts"
import type { EdgeServices } from "./services.ts"
import { uuidFromBytes } from "../domain/ids.ts"

export interface AppOptions {
  /** The client's address as the runtime sees it (Bun's server.requestIP, Node's socket). */
  readonly clientAddress?: (request: Request, env: unknown) => string | undefined
}

const publicPaths = ["/api/verify/*", "/v/*", "/V/*", "/api/trust-list", "/api/status-list", "/api/status-lists", "/api/lookup", "/api/lookup/*", "/tra-cuu", "/tra-cuu/pdf", "/kiem-tra-anh", "/api/scan"]

export const buildApp = (s: EdgeServices, options: AppOptions = {}): Hono<EdgeEnv> => {
  const app = new Hono<EdgeEnv>()
  app.use(requestLog(s.logger, () => uuidFromBytes(s.randomBytes(16))))
  app.use(pageHeaders)

  const clientOf = (request: Request, env: unknown): string => {
    if (s.config.trustProxy) {
      const forwarded = request.headers.get("x-forwarded-for")?.split(",")[0]?.trim()
      if (forwarded) return forwarded
    }
    return options.clientAddress?.(request, env) ?? "unknown"
  }
  if (s.config.rateLimit !== null) {
    const limiter = rateLimit(s.config.rateLimit, clientOf, () => s.now().getTime())
    for (const path of publicPaths) app.use(path, limiter)
  }

  const limit = (maxSize: number) => bodyLimit({ maxSize, onError: (c) => tooLarge(c, maxSize) })
  const jsonLimit = limit(s.config.jsonBodyLimitBytes)
  const uploadLimit = limit(s.config.uploadLimitBytes)
  // Photos and scans may be megabytes; everything else is small JSON or a form.
  const isUpload = (path: string) => path === "/api/scan" || path === "/kiem-tra-anh" || /\/scans$/.test(path)
  app.use("*", (c, next) => (isUpload(c.req.path) ? uploadLimit(c, next) : jsonLimit(c, next)))

  app.get("/healthz", (c) => c.json({ ok: true }))
  const openApi = openApiDocument(s.config.publicUrl)
  app.get("/openapi.json", (c) => c.json(openApi))
  app.get("/", (c) => c.redirect("/tra-cuu"))
  app.route("/", verifyRoutes(s))
  app.route("/", trustRoutes(s))
  app.route("/", lookupRoutes(s))
  app.route("/api/officer", officerRoutes(s))
  // The officer console: HTML pages over the same actions, roles and agency scope as the API.
  app.route("/console", consoleRoutes(s))

  app.notFound((c) => {
    const route = `${c.req.method} ${new URL(c.req.url).pathname.slice(0, 200)}`
    return errorResponse(c, refusal(404, "not_found", { vi: `Không có địa chỉ ${route}.`, en: `no route for ${route}` }))
  })
  app.onError((e, c) => {
    if (e instanceof ApiError) return errorResponse(c, e)
    if (e instanceof HTTPException) return c.json(errorBody("http_error", e.message || "the request was refused"), e.status)
    const id = c.get("requestId") ?? "-"
    s.logger.error({ reqId: id, err: e instanceof Error ? { name: e.name, message: e.message, stack: e.stack } : String(e) }, "unhandled error")
    return errorResponse(c, refusal(500, "internal_error", {
      vi: `Máy chủ gặp lỗi; khi báo lỗi, hãy gửi kèm mã yêu cầu ${id}.`,
      en: `something went wrong on our side; quote request id ${id} when reporting it`
    }))
  })
  return app
}
