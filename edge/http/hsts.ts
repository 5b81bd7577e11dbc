/**
 * Strict-Transport-Security on every answer when the service is reached over
 * TLS (BIENLAI_SECURE_COOKIES, on by default in production): browsers then
 * never try plain HTTP again for a year, so a session cookie cannot be
 * stripped of TLS on the way. Subdomains are left alone: they may be other
 * services of the agency.
 */
import type { MiddlewareHandler } from "hono"

export const strictTransportSecurity = (on: boolean): MiddlewareHandler => async (c, next) => {
  await next()
  if (on) c.header("Strict-Transport-Security", "max-age=31536000")
}
