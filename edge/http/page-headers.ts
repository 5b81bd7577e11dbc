/**
 * Headers for the HTML pages: nothing may load from elsewhere or frame the
 * page, and no Referer leaves it (the address of a verification page is the
 * receipt's token).
 */
import type { MiddlewareHandler } from "hono"

export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

export const pageHeaders: MiddlewareHandler = async (c, next) => {
  await next()
  c.header("X-Content-Type-Options", "nosniff")
  c.header("Referrer-Policy", "no-referrer")
  if (c.res.headers.get("content-type")?.startsWith("text/html")) {
    c.header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    c.header("X-Frame-Options", "DENY")
  }
}
