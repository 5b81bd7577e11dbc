/**
 * The answer to a request body over its limit, in the reader's language:
 * the console's (its language cookie) or the client's (Accept-Language). A
 * console form posted without script goes back to the page it came from
 * with the message, instead of a bare JSON answer in the browser.
 */
import type { Context } from "hono"
import { getCookie } from "hono/cookie"
import { errorBody } from "./errors.ts"
import { type Lang, langOf, type Localized } from "./language.ts"

/** 8388608 → "8 MB", 65536 → "64 KB". */
export const sizeText = (bytes: number): string =>
  bytes >= 1024 * 1024 ? `${+(bytes / (1024 * 1024)).toFixed(1)} MB` : bytes >= 1024 ? `${+(bytes / 1024).toFixed(1)} KB` : `${bytes} B`

export const tooLargeText = (maxSize: number): Localized => ({
  vi: `Nội dung gửi lên quá lớn: tối đa ${sizeText(maxSize)}. Hãy gửi tệp nhỏ hơn (ví dụ quét ở độ phân giải thấp hơn, hoặc tách thành nhiều tệp).`,
  en: `The request body is too large: at most ${sizeText(maxSize)} (${maxSize} bytes). Send a smaller file (scan at a lower resolution, or split it).`
})

const consoleLang = (c: Context): Lang => (getCookie(c, "bl_lang") === "en" ? "en" : "vi")

export const tooLarge = (c: Context, maxSize: number): Response => {
  const path = new URL(c.req.url).pathname
  const inConsole = path === "/console" || path.startsWith("/console/")
  const message = tooLargeText(maxSize)[inConsole ? consoleLang(c) : langOf(c.req.header("accept-language"))]
  if (inConsole && !(c.req.header("accept") ?? "").includes("application/json")) {
    // Back to the console page the form was on (same origin only), with the message.
    const from = c.req.header("referer")
    const back = from !== undefined && URL.canParse(from) && new URL(from).origin === new URL(c.req.url).origin && new URL(from).pathname.startsWith("/console")
      ? new URL(from).pathname
      : "/console"
    return c.redirect(`${back}?${new URLSearchParams({ error: message }).toString()}`, 303)
  }
  return c.json(errorBody("body_too_large", message), 413)
}
