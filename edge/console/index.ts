/**
 * The officer console, served by the edge under /console: server-rendered
 * pages (Hono's `html` templates, which escape what they print) with one small script for the
 * parts that need it (edge/console/script.ts). No build step, no framework:
 * the same files run on Bun, Deno and Node with the rest of the edge.
 *
 * Mount it with `app.route("/console", consoleRoutes(services))`. Scans are
 * read by the OCR worker over the uploads table (jobs/ocr-worker/worker.ts; started
 * with the edge by edge/boot.ts), not by the console itself.
 */
import { Hono } from "hono"
import { vietnamDateOf } from "../../domain/dates.ts"
import type { Series } from "../../domain/receipt.ts"
import { ApiError } from "../http/errors.ts"
import { makeActions } from "../officers/actions.ts"
import type { EdgeServices } from "../services.ts"
import { type ConsoleContext, describeError, render } from "./context.ts"
import { dashboardRoutes } from "./dashboard.ts"
import { draftRoutes } from "./draft.ts"
import { words } from "./i18n.ts"
import { inboxRoutes } from "./inbox.ts"
import { iocRoutes } from "./ioc.ts"
import { makeOperationsFeed } from "../operations/feed.ts"
import { html } from "../http/html.ts"
import { css } from "./layout.ts"
import { queueRoutes } from "./queue.ts"
import { reconciliationConsoleRoutes } from "./reconciliation.ts"
import { receiptRoutes } from "./receipt.ts"
import { makeScanInbox, type ScanInbox } from "./scan-inbox.ts"
import { consoleScript } from "./script.ts"
import { searchRoutes } from "./search.ts"
import { payoutConsoleRoutes } from "./payout-pages.ts"
import { type ConsoleEnv, langMiddleware, requireSession, sameOrigin } from "./session.ts"
import { signInRoutes } from "./sign-in.ts"
import { reportRoutes } from "./reports.ts"

export interface ConsoleOptions {
  /** The series new drafts from scans go into; by default form 01-BLTHADS, symbol AA/<year>E. */
  readonly seriesFor?: (agency: string, now: Date) => Series
}

export interface Console {
  readonly routes: Hono<ConsoleEnv>
  readonly inbox: ScanInbox
  /** Nothing runs in the console itself; kept so callers may close it like other parts. */
  readonly close: () => Promise<void>
}

export const defaultSeries = (_agency: string, now: Date): Series => ({ form: "01-BLTHADS", symbol: `AA/${vietnamDateOf(now.toISOString()).slice(2, 4)}E` })

export const makeConsole = (s: EdgeServices, options: ConsoleOptions = {}): Console => {
  const seriesFor = options.seriesFor ?? defaultSeries
  const inbox = makeScanInbox(s, seriesFor)
  const ctx: ConsoleContext = { s, actions: makeActions(s), inbox, seriesFor }

  const app = new Hono<ConsoleEnv>()
  app.use("*", async (c, next) => {
    await next()
    c.header("X-Frame-Options", "DENY")
    c.header("Referrer-Policy", "same-origin")
    // The console's own policy: its stylesheet and script are same-origin files (/console/assets), so
    // 'self' is allowed; nothing from elsewhere. The app's page headers keep a policy that is already set.
    c.header("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; object-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'")
    if (!c.res.headers.has("Cache-Control")) c.header("Cache-Control", "no-store")
  })
  app.use("*", langMiddleware)
  app.use("*", sameOrigin)
  app.get("/assets/console.css", (c) => c.body(css, 200, { "Content-Type": "text/css; charset=utf-8", "Cache-Control": "public, max-age=300" }))
  app.get("/assets/console.js", (c) => c.body(consoleScript, 200, { "Content-Type": "text/javascript; charset=utf-8", "Cache-Control": "public, max-age=300" }))
  app.route("/", signInRoutes(ctx))
  app.use("*", requireSession(s))
  app.route("/", dashboardRoutes(ctx))
  app.route("/", inboxRoutes(ctx))
  app.route("/", draftRoutes(ctx))
  app.route("/", queueRoutes(ctx))
  app.route("/", receiptRoutes(ctx))
  app.route("/", searchRoutes(ctx))
  app.route("/", payoutConsoleRoutes(ctx))
  app.route("/", reconciliationConsoleRoutes(ctx))
  app.route("/", reportRoutes(ctx))
  app.route("/", iocRoutes(ctx, makeOperationsFeed(s)))

  // A refusal on a page is a page in the officer's language, not JSON.
  app.onError((e, c) => {
    const w = words(c.get("lang") ?? "vi")
    if (!(e instanceof ApiError)) {
      // A bug or an outage: logged in full, and the officer gets a page naming the request, never a stack trace.
      const id = c.get("requestId") ?? "-"
      s.logger.error({ reqId: id, err: e instanceof Error ? { name: e.name, message: e.message, stack: e.stack } : String(e) }, "console error")
      return render(c, { title: w.errorTitle, nav: "none", status: 500, body: html`<p class="flash error" role="alert" id="error">${w.serverError} ${id}</p><p><a href="/console">${w.back}</a></p>` })
    }
    const lang = c.get("lang") ?? "vi"
    if ((c.req.header("accept") ?? "").includes("application/json")) return c.json({ error: e.code, message: describeError(e, lang) }, e.status)
    const status = e.status === 404 ? 404 : e.status === 403 ? 403 : e.status === 409 ? 409 : e.status === 422 ? 422 : 400
    return render(c, { title: w.errorTitle, nav: "none", status, body: html`<p class="flash error" role="alert" id="error">${e.status === 404 ? w.notFound : describeError(e, lang)}</p><p><a href="/console">${w.back}</a></p>` })
  })
  // A catch-all route, not app.notFound: mounted with app.route (as buildApp does), the parent's notFound
  // answers instead, and an officer would get JSON for a mistyped console address.
  const notFoundPage = (c: Parameters<Parameters<typeof app.onError>[0]>[1]) =>
    render(c, { title: words(c.get("lang") ?? "vi").notFound, nav: "none", status: 404, body: html`<p><a href="/console">${words(c.get("lang") ?? "vi").back}</a></p>` })
  app.all("*", notFoundPage)
  app.notFound(notFoundPage)

  return {
    routes: app,
    inbox,
    close: async () => {}
  }
}

/** The console's routes, to mount at /console. */
export const consoleRoutes = (s: EdgeServices, options: ConsoleOptions = {}): Hono<ConsoleEnv> => makeConsole(s, options).routes
