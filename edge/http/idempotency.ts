/**
 * `Idempotency-Key` on the officer API's creating requests (POST /drafts,
 * POST /drafts/:id/approve), so a client that lost an answer can send the
 * request again without making a second draft or a second attempt:
 *
 * - the first request with a key runs, and its answer (any status below 500)
 *   is kept with the key, per officer, for 24 hours;
 * - the same key with the same request (method, path, content type, body)
 *   gets that answer again, marked `Idempotent-Replayed: true`;
 * - the same key with another request is refused with 422;
 * - while the first is still running, a repeat gets 409 with Retry-After;
 * - a 5xx is not kept, so a retry after an outage runs again.
 *
 * The key is claimed before the request runs and answered after it, in two
 * statements (store/requests/idempotency-keys.ts): if the process dies in between, the
 * claim is taken over after two minutes, longer than any request may run.
 */
import type { MiddlewareHandler } from "hono"
import { claimIdempotencyKey, completeIdempotencyKey, releaseIdempotencyKey } from "../../store/requests/idempotency-keys.ts"
import { sha256Hex } from "../officers/tokens.ts"
import type { EdgeServices } from "../services.ts"
import type { EdgeEnv } from "./env.ts"
import { ApiError } from "./errors.ts"

export const IDEMPOTENCY_HOURS = 24
const ABANDONED_AFTER_MS = 120_000
const keyShape = /^[\x21-\x7e]{1,255}$/

export const idempotency = (s: EdgeServices): MiddlewareHandler<EdgeEnv> => async (c, next) => {
  const key = c.req.header("idempotency-key")
  if (key === undefined || c.req.method !== "POST") return next()
  if (!keyShape.test(key)) {
    throw new ApiError(400, "invalid_idempotency_key", "Idempotency-Key must be 1 to 255 visible ASCII characters without spaces, such as a UUID")
  }
  const officerId = c.get("principal").officer
  const body = await c.req.text()
  const requestSha256 = await sha256Hex(JSON.stringify([c.req.method, new URL(c.req.url).pathname, c.req.header("content-type") ?? "", body]))
  const now = s.now().getTime()
  const claim = await claimIdempotencyKey(s.db, {
    officerId,
    key,
    requestSha256,
    now: new Date(now).toISOString(),
    expiresAt: new Date(now + IDEMPOTENCY_HOURS * 3_600_000).toISOString(),
    abandonedBefore: new Date(now - ABANDONED_AFTER_MS).toISOString()
  })
  switch (claim.state) {
    case "mismatch":
      throw new ApiError(422, "idempotency_key_reused", `this Idempotency-Key was used in the last ${IDEMPOTENCY_HOURS} hours for another request; send a new key with a new request`)
    case "in_flight":
      throw new ApiError(409, "idempotency_key_in_flight", "a request with this Idempotency-Key is still running; ask again in a moment to get its answer", {
        headers: { "Retry-After": "1" }
      })
    case "replay":
      return new Response(claim.body, {
        status: claim.status,
        headers: { ...(claim.contentType === null ? {} : { "Content-Type": claim.contentType }), "Idempotent-Replayed": "true" }
      })
    case "claimed":
      break
  }
  try {
    await next()
  } catch (error) {
    await releaseIdempotencyKey(s.db, officerId, key)
    throw error
  }
  if (c.res.status >= 500) {
    await releaseIdempotencyKey(s.db, officerId, key)
    return
  }
  await completeIdempotencyKey(s.db, officerId, key, {
    status: c.res.status,
    contentType: c.res.headers.get("content-type"),
    body: await c.res.clone().text()
  })
}
