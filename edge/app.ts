/**
 * The edge service as one Hono application, built from injected services so
 * the same app runs on Bun, Deno and Node and under `app.request` in tests.
 *
 * Public routes (verification, trust and status lists, lookup) are
 * rate-limited per client; officer routes authenticate instead. Every
 * refusal is JSON `{ error, message }`; an unexpected failure is a logged
 * 500 naming the request id, never a stack trace.
 */
import { Hono, type Context } from "hono"
import type { ManagedRuntime } from "effect"
import { bodyLimit } from "hono/body-limit"
import { HTTPException } from "hono/http-exception"
import type { EdgeEnv } from "./http/env.ts"
import { ApiError, errorBody, errorResponse, refusal } from "./http/errors.ts"
import { rateLimit } from "./http/rate-limit.ts"
import { clientAddress } from "./http/client-address.ts"
import { isPublicPage, refusalPage } from "./pages/refusal.ts"
import { pageHeaders } from "./http/page-headers.ts"
import { strictTransportSecurity } from "./http/hsts.ts"
import { isDatabaseOutage, storeUnavailable } from "./http/unavailable.ts"
import { requestLog } from "./http/request-log.ts"
import { tooLarge, tooLargeText } from "./http/too-large.ts"
import { consoleRoutes } from "./console/index.ts"
import { openApiDocument } from "./openapi.ts"
import { enrolRoutes } from "./routes/enrol.ts"
import { lookupRoutes } from "./routes/lookup.ts"
import { officerRoutes } from "./routes/officer.ts"
import { isPayoutUpload, payoutRoutes } from "./routes/payout.ts"
import { reconciliationRoutes } from "./routes/reconciliation.ts"
import { reportRoutes } from "./routes/reports.ts"
import { payoutNoticeRoutes } from "./routes/payout-notice.ts"
import { operationsRoutes } from "./routes/operations.ts"
import { trustRoutes } from "./routes/trust.ts"
import { verifyRoutes } from "./routes/verify.ts"
import { Edge, type EdgeServices } from "./services.ts"
import { uuidFromBytes } from "../domain/ids.ts"

export interface AppOptions {
  /** The socket peer's address, from Hono's `getConnInfo` of the runtime serving the app (edge/program/listeners/). */
  readonly clientAddress?: (c: Context<EdgeEnv>) => string | undefined
}

/** Bank statements are files of megabytes, uploaded to the API or the console. */
const isStatementUpload = (path: string) => path === "/api/officer/reconciliation/statements" || path === "/console/reconciliation/statements"

const publicPaths = ["/api/verify/*", "/v/*", "/V/*", "/api/trust-list", "/api/status-list", "/api/status-lists", "/api/lookup", "/api/lookup/*", "/tra-cuu", "/tra-cuu/pdf", "/kiem-tra-anh", "/api/scan", "/api/officer/enrol", "/tra-cuu-chi-tra", "/api/payout-notice", "/api/payout-status-list"]

/**
 * The app over a runtime built from the application layer (edge/program/app-layer.ts,
 * or the test harness's): its handlers run their effects in that runtime's context.
 */
export const buildApp = (runtime: ManagedRuntime.ManagedRuntime<Edge, unknown>, options: AppOptions = {}): Hono<EdgeEnv> =>
  buildAppWith(runtime.runSync(Edge), options)

/** The same app over services taken from a runtime and then changed (tests: one setting, a broken part). */
export const buildAppWith = (s: EdgeServices, options: AppOptions = {}): Hono<EdgeEnv> => {
  const app = new Hono<EdgeEnv>()
  app.use(requestLog(s.logger, () => uuidFromBytes(s.randomBytes(16))))
  app.use(pageHeaders)
  app.use(strictTransportSecurity(s.config.secureCookies))

  const clientOf = (c: Context<EdgeEnv>): string =>
    clientAddress(c.req.header("x-forwarded-for"), s.config.trustProxyHops, options.clientAddress?.(c))
  if (s.config.rateLimit !== null) {
    const limiter = rateLimit(s.config.rateLimit, clientOf, () => s.now().getTime())
    for (const path of publicPaths) app.use(path, limiter)
  }

  // The console answers in its own language and sends a form back to its page (http/too-large.ts);
  // elsewhere onError answers: a public page, or JSON in the client's language.
  const limit = (maxSize: number) =>
    bodyLimit({ maxSize, onError: (c) => {
      if (c.req.path === "/console" || c.req.path.startsWith("/console/")) return tooLarge(c, maxSize)
      throw new ApiError(413, "body_too_large", `the request body is larger than ${maxSize} bytes`, { details: { limitBytes: maxSize }, messages: tooLargeText(maxSize) })
    } })
  const jsonLimit = limit(s.config.jsonBodyLimitBytes)
  const uploadLimit = limit(s.config.uploadLimitBytes)
  // Photos and scans may be megabytes; everything else is small JSON or a form.
  const isUpload = (path: string) => path === "/api/scan" || path === "/kiem-tra-anh" || /\/scans$/.test(path) || isPayoutUpload(path) || isStatementUpload(path)
  app.use("*", (c, next) => (isUpload(c.req.path) ? uploadLimit(c, next) : jsonLimit(c, next)))

  app.get("/healthz", (c) => c.json({ ok: true }))
  const openApi = openApiDocument(s.config.publicUrl)
  app.get("/openapi.json", (c) => c.json(openApi))
  app.get("/", (c) => c.redirect("/tra-cuu"))
  // Before the receipts' verification: a payout notice's token is answered here, any other goes on.
  app.route("/", payoutNoticeRoutes(s))
  app.route("/", verifyRoutes(s))
  app.route("/", trustRoutes(s))
  app.route("/", lookupRoutes(s))
  // Before the officer routes: exchanging an enrolment code needs no token.
  app.route("/api/officer", enrolRoutes(s))
  // Before the officer routes, whose catch-all middleware would otherwise see these paths first.
  app.route("/api/officer/reconciliation", reconciliationRoutes(s))
  app.route("/api/officer/payout", payoutRoutes(s))
  // Before the officer routes, with their own authentication: statistical reports (docs/REPORTS.md).
  app.route("/api/officer/reports", reportRoutes(s))
  app.route("/api/officer", officerRoutes(s))
  // The operations view's figures (edge/routes/operations.ts); the console's page is /console/ioc.
  app.route("/api/operations", operationsRoutes(s))
  // The officer console: HTML pages over the same actions, roles and agency scope as the API.
  app.route("/console", consoleRoutes(s))

  app.notFound((c) => {
    const route = `${c.req.method} ${new URL(c.req.url).pathname.slice(0, 200)}`
    return errorResponse(c, refusal(404, "not_found", { vi: `Không có địa chỉ ${route}.`, en: `no route for ${route}` }))
  })
  app.onError((e, c) => {
    // People on the public pages get a page in their language, whatever refused them.
    if (e instanceof ApiError && isPublicPage(c.req.path)) return refusalPage(c, e)
    if (e instanceof ApiError) return errorResponse(c, e)
    if (e instanceof HTTPException) return c.json(errorBody("http_error", e.message || "the request was refused"), e.status)
    const id = c.get("requestId") ?? "-"
    if (isDatabaseOutage(e)) {
      s.logger.warn({ reqId: id, err: e instanceof Error ? e.message : String(e) }, "database unavailable")
      return errorResponse(c, storeUnavailable(e instanceof Error ? e.message : String(e)))
    }
    s.logger.error({ reqId: id, err: e instanceof Error ? { name: e.name, message: e.message, stack: e.stack } : String(e) }, "unhandled error")
    if (isPublicPage(c.req.path)) return refusalPage(c, new ApiError(500, "internal_error", "something went wrong", { details: { requestId: id } }))
    return errorResponse(c, refusal(500, "internal_error", {
      vi: `Máy chủ gặp lỗi; khi báo lỗi, hãy gửi kèm mã yêu cầu ${id}.`,
      en: `something went wrong on our side; quote request id ${id} when reporting it`
    }))
  })
  return app
}
