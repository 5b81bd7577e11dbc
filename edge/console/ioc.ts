/**
 * The live operations view (IOC) in the console, /console/ioc:
 *
 *   GET /ioc                 the page: national for the central department, one agency otherwise;
 *                            ?scope=HCM (central only) narrows to one agency; ?wall=1 is the wall-screen layout
 *   GET /ioc/stream          server-sent events: a `figures` event with the figures' HTML whenever they change
 *   GET /ioc/assets/ioc.js   the page's script (edge/console/ioc-script.ts)
 *
 * The figures come from store/operations/ through the shared feed
 * (edge/operations/feed.ts), so many screens cost one reading per scope.
 * A stream lasts a few minutes at most; the browser then reconnects and the
 * session is checked again, so a signed-out or expired officer stops
 * receiving figures.
 */
import { Hono } from "hono"
import { streamSSE } from "hono/streaming"
import type { Scope } from "../../domain/operations/scope.ts"
import { listAgencies } from "../../store/operations/agencies.ts"
import { requirePermission } from "../officers/actions.ts"
import type { OperationsFeed } from "../operations/feed.ts"
import { html, type Html, raw } from "../http/html.ts"
import { type ConsoleContext, render } from "./context.ts"
import type { Lang } from "./i18n.ts"
import { iocCss, iocFigures } from "./ioc-view.ts"
import { iocScript } from "./ioc-script.ts"
import { iocWords } from "./ioc-words.ts"
import type { ConsoleEnv } from "./session.ts"

/** How often a stream looks for new figures, and how long one lasts before the browser reconnects. */
export const STREAM_INTERVAL_MS = 2000
export const STREAM_LIFETIME_MS = 5 * 60_000

const timeText = (iso: string) => new Date(Date.parse(iso) + 7 * 3_600_000).toISOString().slice(11, 19)
const scopeParam = (scope: Scope) => (scope.kind === "national" ? "national" : scope.agency)

export const iocRoutes = (ctx: ConsoleContext, feed: OperationsFeed): Hono<ConsoleEnv> => {
  const app = new Hono<ConsoleEnv>()
  const { s } = ctx

  app.get("/ioc/assets/ioc.js", (c) => c.body(iocScript, 200, { "Content-Type": "text/javascript; charset=utf-8", "Cache-Control": "private, max-age=300" }))

  app.get("/ioc", async (c) => {
    const lang = c.get("lang")
    const w = iocWords(lang)
    const p = c.get("principal")
    requirePermission(p, "read")
    const { scope, central } = await feed.scopeFor(p, c.req.query("scope"))
    const wall = c.req.query("wall") === "1"
    const snap = await feed.snapshot(scope)
    const title = scope.kind === "national" ? w.titleNational : `${w.titleAgency} · ${snap.agencies[0]?.name ?? scope.agency}`
    const stream = `/console/ioc/stream?scope=${encodeURIComponent(scopeParam(scope))}&lang=${lang}`
    const choices = central ? (await listAgencies(s.db)).map((a) => a.code) : []
    const picker = central
      ? html`<form method="get" action="/console/ioc" id="ioc-scope"><label>${w.scope} <select name="scope">
<option value="national"${scope.kind === "national" ? html` selected` : ""}>${w.national}</option>
${choices.map((code) => html`<option value="${code}"${scope.kind === "agency" && scope.agency === code ? html` selected` : ""}>${code}</option>`)}
</select></label>${wall ? html`<input type="hidden" name="wall" value="1">` : ""}<button class="secondary">${w.show}</button></form>`
      : ""
    const wallLink = wall ? "" : html`<a href="/console/ioc?scope=${scopeParam(scope)}&wall=1" id="ioc-wall-link">${w.wall}</a>`
    const body = html`<style>${raw(iocCss /* our own constant stylesheet */)}</style>
<div id="ioc" data-scope="${scopeParam(scope)}" data-stream="${stream}" data-live="${w.live}" data-lost="${w.disconnected}" data-updates="0">
<div id="ioc-status" class="muted"><span class="live-dot" id="ioc-dot" data-state="connecting"></span><span id="ioc-state">${w.connecting}</span>
<span>${w.asOf} <time id="ioc-asof" datetime="${snap.asOf}">${timeText(snap.asOf)}</time></span>${picker}${wallLink}</div>
<div id="ioc-live" aria-live="polite">${iocFigures(snap, w)}</div>
</div>
<script src="/console/ioc/assets/ioc.js" defer></script>`
    if (wall) return c.html(wallPage(lang, title, body))
    return render(c, { title, nav: "ioc", body })
  })

  app.get("/ioc/stream", async (c) => {
    const w = iocWords(c.get("lang"))
    const p = c.get("principal")
    requirePermission(p, "read")
    const { scope } = await feed.scopeFor(p, c.req.query("scope"))
    return streamSSE(c, async (stream) => {
      let aborted = false
      stream.onAbort(() => {
        aborted = true
      })
      const until = performance.now() + STREAM_LIFETIME_MS
      let last = ""
      let quiet = 0
      while (!aborted && performance.now() < until) {
        try {
          const snap = await feed.snapshot(scope)
          const fragment = String(iocFigures(snap, w))
          if (fragment !== last) {
            last = fragment
            quiet = 0
            await stream.writeSSE({ event: "figures", retry: 3000, data: JSON.stringify({ asOf: snap.asOf, asOfText: timeText(snap.asOf), html: fragment }) })
          } else if (++quiet % 10 === 0) {
            // A comment now and then keeps proxies from closing a quiet stream.
            await stream.write(": still here\n\n")
          }
        } catch (e) {
          s.logger.warn({ err: e instanceof Error ? e.message : String(e) }, "operations stream: figures unavailable")
        }
        await stream.sleep(STREAM_INTERVAL_MS)
      }
    })
  })
  return app
}

const wallPage = (lang: Lang, title: string, body: Html): Html => html`<!doctype html>
<html lang="${lang}" class="wall">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${title} · bienlai</title>
<link rel="stylesheet" href="/console/assets/console.css">
</head>
<body class="wall" data-lang="${lang}">
<main id="main">
<h1>${title}</h1>
${body}
</main>
</body>
</html>`
