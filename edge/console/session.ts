/**
 * Who is using the console, and in which language.
 *
 * Signing in opens a session: a random id (32 bytes) in an HttpOnly,
 * SameSite=Strict cookie, whose SHA-256 is kept in console_sessions
 * (store/officers/console-sessions.ts). The cookie never holds an API token. A
 * session ends after BIENLAI_SESSION_IDLE_MINUTES unused (30), after
 * BIENLAI_SESSION_MAX_HOURS whatever happens (12), at sign-out, when its
 * officer is disabled, and when the token it was opened with is revoked or
 * expires; every request checks it again, so that happens at the next click.
 *
 * Behind TLS (BIENLAI_SECURE_COOKIES, or an https URL) the cookie is
 * `__Host-bl_session`: Secure, Path=/ and bound to this host, so neither
 * plain HTTP nor a sibling domain can set or read it. Changing requests must
 * also come from this origin (Sec-Fetch-Site / Origin), a second guard
 * against cross-site forms after SameSite=Strict.
 */
import type { Context, MiddlewareHandler } from "hono"
import { deleteCookie, getCookie, setCookie } from "hono/cookie"
import { toBase64Url } from "../../domain/signing/bytes.ts"
import { createSession, endSession as endSessionRow, touchSession } from "../../store/officers/console-sessions.ts"
import { recordOfficerAudit } from "../../store/officers/officer-audit.ts"
import type { EdgeEnv, Principal } from "../http/env.ts"
import { sha256Hex } from "../officers/tokens.ts"
import type { EdgeServices } from "../services.ts"
import type { Lang } from "./i18n.ts"

export type ConsoleEnv = { Variables: EdgeEnv["Variables"] & { lang: Lang } }

const SESSION = "bl_session"
const HOST_SESSION = "__Host-bl_session"
/** Earlier versions kept the API token itself in this cookie; it is cleared on sight. */
const LEGACY_TOKEN_COOKIE = "bl_console"
const LANG = "bl_lang"

export const langMiddleware: MiddlewareHandler<ConsoleEnv> = async (c, next) => {
  const asked = c.req.query("lang")
  let lang: Lang = getCookie(c, LANG) === "en" ? "en" : "vi"
  if (asked === "en" || asked === "vi") {
    lang = asked
    setCookie(c, LANG, lang, { path: "/console", sameSite: "Lax", maxAge: 365 * 86400 })
  }
  c.set("lang", lang)
  await next()
}

const overTls = (c: Context, s: EdgeServices) => s.config.secureCookies || new URL(c.req.url).protocol === "https:"

const sessionIdOf = (c: Context): string | undefined => getCookie(c, HOST_SESSION) ?? getCookie(c, SESSION)

const clearCookies = (c: Context): void => {
  if (getCookie(c, HOST_SESSION) !== undefined) deleteCookie(c, HOST_SESSION, { path: "/", secure: true })
  if (getCookie(c, SESSION) !== undefined) deleteCookie(c, SESSION, { path: "/console" })
  if (getCookie(c, LEGACY_TOKEN_COOKIE) !== undefined) deleteCookie(c, LEGACY_TOKEN_COOKIE, { path: "/console" })
}

/** Opens a session for `principal` (signed in with the token whose hash is given, if any) and sets its cookie. */
export const startSession = async (c: Context<ConsoleEnv>, s: EdgeServices, principal: Principal, tokenSha256: string | null): Promise<void> => {
  const id = "bls_" + toBase64Url(s.randomBytes(32))
  const now = s.now()
  const seconds = Math.round(s.config.sessions.absoluteHours * 3600)
  await createSession(s.db, {
    idSha256: await sha256Hex(id),
    officerId: principal.officer,
    tokenSha256,
    now: now.toISOString(),
    expiresAt: new Date(now.getTime() + seconds * 1000).toISOString()
  })
  await recordOfficerAudit(s.db, { agency: principal.agency, actor: principal.officer, action: "session_started", officer: principal.officer, at: now.toISOString(), detail: { with: tokenSha256 === null ? "enrolment" : "token" } })
  // Signing in again from the same browser replaces the session it had.
  const previous = sessionIdOf(c)
  if (previous !== undefined) await endSessionRow(s.db, await sha256Hex(previous), now.toISOString(), "replaced")
  if (getCookie(c, LEGACY_TOKEN_COOKIE) !== undefined) deleteCookie(c, LEGACY_TOKEN_COOKIE, { path: "/console" })
  const attributes = { httpOnly: true, sameSite: "Strict", maxAge: seconds } as const
  if (overTls(c, s)) setCookie(c, HOST_SESSION, id, { ...attributes, path: "/", secure: true })
  else setCookie(c, SESSION, id, { ...attributes, path: "/console" })
}

/** Sign-out: the session ends in the database, so its cookie is worthless even if kept. */
export const endSession = async (c: Context<ConsoleEnv>, s: EdgeServices): Promise<void> => {
  const id = sessionIdOf(c)
  if (id !== undefined) {
    const now = s.now().toISOString()
    const ended = await endSessionRow(s.db, await sha256Hex(id), now, "signed_out")
    if (ended !== undefined) await recordOfficerAudit(s.db, { agency: ended.agency, actor: ended.officer, action: "session_ended", officer: ended.officer, at: now, detail: { reason: "signed_out" } })
  }
  clearCookies(c)
}

/** A changing request from another site is refused before anything runs. */
export const sameOrigin: MiddlewareHandler<ConsoleEnv> = async (c, next) => {
  if (c.req.method !== "GET" && c.req.method !== "HEAD") {
    const site = c.req.header("sec-fetch-site")
    const origin = c.req.header("origin")
    const crossSite = site !== undefined ? site !== "same-origin" && site !== "none" : origin !== undefined && origin !== new URL(c.req.url).origin
    if (crossSite) return c.text("cross-site request refused", 403)
  }
  await next()
}

const wantsJson = (c: Context) => (c.req.header("accept") ?? "").includes("application/json")

/** Pages behind sign-in: sets the principal, or sends the browser to sign in (JSON callers get 401). */
export const requireSession = (s: EdgeServices): MiddlewareHandler<ConsoleEnv> => async (c, next) => {
  const id = sessionIdOf(c)
  const principal = id === undefined || !/^bls_[A-Za-z0-9_-]{43}$/.test(id)
    ? undefined
    : await touchSession(s.db, await sha256Hex(id), s.now().toISOString(), Math.round(s.config.sessions.idleMinutes * 60))
  if (principal === undefined) {
    clearCookies(c)
    if (wantsJson(c)) return c.json({ error: "unauthenticated", message: "sign in to the console again" }, 401)
    const url = new URL(c.req.url)
    const next = c.req.method === "GET" ? url.pathname + url.search : "/console"
    return c.redirect(`/console/sign-in?next=${encodeURIComponent(next)}${id === undefined ? "" : "&expired=1"}`, 303)
  }
  c.set("principal", principal)
  await next()
}

/** Only paths inside the console are followed after sign-in (no open redirect). */
export const safeNext = (next: string | undefined): string =>
  next !== undefined && /^\/console(\/[\w\-./%?=&]*)?$/.test(next) && !next.includes("//") && !next.includes("..") ? next : "/console"
