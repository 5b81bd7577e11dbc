/**
 * A refusal on a public page answered as a page, not JSON: the lookup form
 * again (with what was typed, when known) under the reason in the page's
 * language. Used by the page routes themselves and, for refusals that come
 * before them (body too large, rate limit, unexpected errors), by the app.
 */
import type { Context } from "hono"
import type { ContentfulStatusCode } from "hono/utils/http-status"
import { ApiError } from "../http/errors.ts"
import { langOf } from "./html.ts"
import { lookupFormPage, type Typed } from "./lookup-page.ts"
import { NOTICE_PORTAL_PATH, noticeFormPage } from "./payout-notice-page.ts"
import { pageMessage } from "./public-messages.ts"

/** The paths that answer with HTML for people, whatever goes wrong. */
export const isPublicPage = (path: string): boolean =>
  path === "/tra-cuu" || path === "/tra-cuu/pdf" || path === "/kiem-tra-anh" || path.startsWith("/v/") || path.startsWith("/V/") || path === NOTICE_PORTAL_PATH || path === `${NOTICE_PORTAL_PATH}/pdf`

export const refusalPage = (c: Context, e: unknown, typed?: Typed): Response => {
  const lang = langOf(c.req.query("lang"))
  const status: ContentfulStatusCode = e instanceof ApiError ? e.status : 500
  if (e instanceof ApiError) for (const [k, v] of Object.entries(e.headers ?? {})) c.header(k, v)
  c.header("Cache-Control", "no-store")
  const code = e instanceof ApiError ? e.code : "internal_error"
  const refusal = { message: pageMessage(e, lang), code, ...(typed === undefined ? {} : { typed }) }
  // The creditors' portal answers with its own form (a payout notice's code, not a receipt's).
  return c.html(c.req.path.startsWith(NOTICE_PORTAL_PATH) ? noticeFormPage(lang, refusal) : lookupFormPage(lang, refusal), status)
}
