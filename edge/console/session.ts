/**
 * Who is using the console, and in which language.
 *
 * Signing in checks the officer's API token once and keeps it in an
 * HttpOnly, SameSite=Strict cookie scoped to /console: page scripts never
 * see it, other sites cannot send it, and every request is checked against
 * the database again, so a revoked token or a disabled officer is out at
 * the next click. Changing requests must also come from this origin
 * (Sec-Fetch-Site / Origin), a second guard against cross-site forms.
 */
import type { Context, MiddlewareHandler } from "hono"
import { deleteCookie, getCookie, setCookie } from "hono/cookie"
import type { EdgeEnv, Principal } from "../http/env.ts"
import { principalOf } from "../officers/tokens.ts"
import type { Sql } from "../../store/db.ts"
import type { Lang } from "./i18n.ts"

export type ConsoleEnv = { Variables: EdgeEnv["Variables"] & { lang: Lang } }

const SESSION = "bl_console"
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

const secure = (c: Context) => new URL(c.req.url).protocol === "https:"

export const startSession = (c: Context<ConsoleEnv>, token: string): void =>
  setCookie(c, SESSION, token, { path: "/console", httpOnly: true, sameSite: "Strict", secure: secure(c), maxAge: 12 * 3600 })

export const endSession = (c: Context<ConsoleEnv>): void => {
  deleteCookie(c, SESSION, { path: "/console" })
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
export const requireSession = (db: Sql): MiddlewareHandler<ConsoleEnv> => async (c, next) => {
  const token = getCookie(c, SESSION)
  const principal: Principal | undefined = token === undefined ? undefined : await principalOf(db, token)
  if (principal === undefined) {
    if (token !== undefined) endSession(c)
    if (wantsJson(c)) return c.json({ error: "unauthenticated", message: "sign in to the console again" }, 401)
    const url = new URL(c.req.url)
    const next = c.req.method === "GET" ? url.pathname + url.search : "/console"
    return c.redirect(`/console/sign-in?next=${encodeURIComponent(next)}${token === undefined ? "" : "&expired=1"}`, 303)
  }
  c.set("principal", principal)
  await next()
}

/** Only paths inside the console are followed after sign-in (no open redirect). */
export const safeNext = (next: string | undefined): string =>
  next !== undefined && /^\/console(\/[\w\-./%?=&]*)?$/.test(next) && !next.includes("//") && !next.includes("..") ? next : "/console"
