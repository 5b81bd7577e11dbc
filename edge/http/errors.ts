/**
 * Every refusal the edge gives is JSON of one shape, `{ error, message }`
 * plus optional details, so a client (or a person reading curl output) always
 * learns what was wrong. `ApiError` is thrown from handlers and turned into
 * that response by `onError`; anything else that escapes is a bug, answered
 * with a 500 that names the request id and logged in full.
 */
import type { Context } from "hono"
import type { ContentfulStatusCode } from "hono/utils/http-status"

export class ApiError extends Error {
  readonly status: ContentfulStatusCode
  readonly code: string
  readonly details: Record<string, unknown> | undefined
  readonly headers: Record<string, string> | undefined
  /** What went wrong inside (a database error's text): logged with the request id, never sent. */
  readonly internal: string | undefined
  constructor(
    status: ContentfulStatusCode,
    code: string,
    message: string,
    extra: { details?: Record<string, unknown>; headers?: Record<string, string>; internal?: string } = {}
  ) {
    super(message)
    this.status = status
    this.code = code
    this.details = extra.details
    this.headers = extra.headers
    this.internal = extra.internal
  }
}

export const errorBody = (code: string, message: string, details?: Record<string, unknown>) => ({ error: code, message, ...details })

export const errorResponse = (c: Context, e: ApiError): Response => {
  for (const [k, v] of Object.entries(e.headers ?? {})) c.header(k, v)
  return c.json(errorBody(e.code, e.message, e.details), e.status)
}

export const notFound = (what: string): ApiError => new ApiError(404, "not_found", what)
export const badRequest = (code: string, message: string, details?: Record<string, unknown>): ApiError =>
  new ApiError(400, code, message, details === undefined ? {} : { details })
