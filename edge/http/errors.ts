/**
 * Every refusal the edge gives is JSON of one shape, `{ error, message }`
 * plus optional details, so a client (or a person reading curl output) always
 * learns what was wrong. `ApiError` is thrown from handlers and turned into
 * that response by `onError`; anything else that escapes is a bug, answered
 * with a 500 that names the request id and logged in full.
 */
import type { Context } from "hono"
import type { ContentfulStatusCode } from "hono/utils/http-status"
import { type Lang, langOf, type Localized } from "./language.ts"

export class ApiError extends Error {
  readonly status: ContentfulStatusCode
  readonly code: string
  readonly details: Record<string, unknown> | undefined
  readonly headers: Record<string, string> | undefined
  /** What a person reads, in both languages; `message` (English) stays for logs and older callers. */
  readonly messages: Localized | undefined
  /** What went wrong inside (a database error's text): logged with the request id, never sent. */
  readonly internal: string | undefined
  constructor(
    status: ContentfulStatusCode,
    code: string,
    message: string,
    extra: { details?: Record<string, unknown>; headers?: Record<string, string>; messages?: Localized; internal?: string } = {}
  ) {
    super(message)
    this.status = status
    this.code = code
    this.details = extra.details
    this.headers = extra.headers
    this.messages = extra.messages
    this.internal = extra.internal
  }

  /** The message in `lang` when there is one, else the English message. */
  messageIn(lang: Lang): string {
    return this.messages?.[lang] ?? this.message
  }
}

/** An ApiError whose message a person reads: both languages, English also as the log message. */
export const refusal = (
  status: ContentfulStatusCode,
  code: string,
  messages: Localized,
  extra: { details?: Record<string, unknown>; headers?: Record<string, string> } = {}
): ApiError => new ApiError(status, code, messages.en, { ...extra, messages })

export const errorBody = (code: string, message: string, details?: Record<string, unknown>) => ({ error: code, message, ...details })

/** The refusal as JSON: the machine code in `error`, the human message in the client's language (Accept-Language). */
export const errorResponse = (c: Context, e: ApiError): Response => {
  for (const [k, v] of Object.entries(e.headers ?? {})) c.header(k, v)
  return c.json(errorBody(e.code, e.messageIn(langOf(c.req.header("accept-language"))), e.details), e.status)
}

export const notFound = (what: string): ApiError => new ApiError(404, "not_found", what)
export const badRequest = (code: string, message: string, details?: Record<string, unknown>): ApiError =>
  new ApiError(400, code, message, details === undefined ? {} : { details })
