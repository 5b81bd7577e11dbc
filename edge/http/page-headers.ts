/**
 * Headers for the HTML pages: nothing may load from elsewhere or frame the
 * page, and no Referer leaves it (the address of a verification page is the
 * receipt's token).
 *
 * These are the defaults for pages that set none. A part of the app that
 * needs its own policy (the officer console loads its stylesheet and script
 * from /console/assets) sets it itself, and it is kept: this middleware runs
 * after every route has answered, so overwriting would silently replace the
 * console's policy with one that blocks its own assets.
 */
import type { MiddlewareHandler } from "hono"

export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

export const pageHeaders: MiddlewareHandler = async (c, next) => {
  await next()
  const unless = (name: string, value: string) => {
    if (!c.res.headers.has(name)) c.header(name, value)
  }
  unless("X-Content-Type-Options", "nosniff")
  unless("Referrer-Policy", "no-referrer")
  if (c.res.headers.get("content-type")?.startsWith("text/html")) {
    unless("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    unless("X-Frame-Options", "DENY")
  }
}
