/**
 * What every console screen shares: the services, the officer actions (the
 * same code the API runs, so the console can do nothing the API forbids),
 * and small helpers to render a page and to answer a form with
 * post-redirect-get carrying a notice.
 */
import type { Context } from "hono"
import type { Series } from "../../domain/receipt.ts"
import { ApiError } from "../http/errors.ts"
import type { Actions } from "../officers/actions.ts"
import type { EdgeServices } from "../services.ts"
import { type Lang, words } from "./i18n.ts"
import type { Html } from "../http/html.ts"
import { type Nav, page } from "./layout.ts"
import type { ScanInbox } from "./scan-inbox.ts"
import type { ConsoleEnv } from "./session.ts"

export interface ConsoleContext {
  readonly s: EdgeServices
  readonly actions: Actions
  readonly inbox: ScanInbox
  readonly seriesFor: (agency: string, now: Date) => Series
}

export type C = Context<ConsoleEnv>

const pathOf = (c: C) => {
  const url = new URL(c.req.url)
  return url.pathname + url.search
}

export const render = (c: C, o: { readonly title: string; readonly nav: Nav; readonly body: Html; readonly status?: 200 | 400 | 401 | 403 | 404 | 409 | 422 | 500 }) => {
  const ok = c.req.query("ok")
  const error = c.req.query("error")
  const flash = error !== undefined ? { kind: "error" as const, text: error.slice(0, 600) } : ok !== undefined ? { kind: "ok" as const, text: ok.slice(0, 300) } : undefined
  return c.html(
    page({ lang: c.get("lang"), title: o.title, path: pathOf(c), principal: c.get("principal"), nav: o.nav, body: o.body, ...(flash === undefined ? {} : { flash }) }),
    o.status ?? 200
  )
}

/** Back to a page with a notice (post-redirect-get). */
export const redirectWith = (c: C, path: string, notice: { readonly ok?: string; readonly error?: string }) => {
  const url = new URL(path, "http://x")
  if (notice.ok !== undefined) url.searchParams.set("ok", notice.ok)
  if (notice.error !== undefined) url.searchParams.set("error", notice.error)
  return c.redirect(url.pathname + url.search, 303)
}

export const formOf = async (c: C): Promise<Record<string, string>> => {
  const body = await c.req.parseBody().catch(() => ({}))
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(body)) if (typeof v === "string") out[k] = v
  return out
}

/**
 * An officer-readable sentence for a refusal, in the page's language: the
 * refusal's own wording (edge/officers/refusals.ts, field-messages.ts), or,
 * for a refusal that has none, a Vietnamese lead with the technical message
 * after it.
 */
export const describeError = (e: unknown, lang: Lang): string => {
  if (!(e instanceof ApiError)) throw e
  return e.messages !== undefined ? e.messages[lang] : `${words(lang).errorTitle}: ${e.message}`
}
