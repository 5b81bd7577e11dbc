/**
 * The HTML shell of the public pages: Vietnamese first, readable on a phone,
 * no script and nothing loaded from elsewhere (the page must work on a weak
 * connection and leak nothing to third parties).
 */
import { type Html, html, raw } from "../http/html.ts"

export type Lang = "vi" | "en"

export const langOf = (query: string | undefined): Lang => (query === "en" ? "en" : "vi")

const style = `
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;background:#f4f5f7;color:#1b1f24;line-height:1.45}
main{max-width:34rem;margin:0 auto;padding:1rem}
header{display:flex;justify-content:space-between;align-items:center;gap:1rem}
h1{font-size:1.2rem;margin:.5rem 0}
.verdict{border-radius:.6rem;padding:1rem;margin:1rem 0;color:#fff;font-size:1.05rem}
.verdict strong{display:block;font-size:1.6rem}
.ok{background:#137333}.bad{background:#b3261e}.warn{background:#9a5b00}
table{width:100%;border-collapse:collapse;background:#fff;border-radius:.6rem;overflow:hidden}
th,td{text-align:left;padding:.5rem .7rem;border-bottom:1px solid #e3e5e8;vertical-align:top}
th{width:40%;font-weight:600;color:#4a5058}
.muted{color:#5f6670;font-size:.9rem}
form{background:#fff;padding:1rem;border-radius:.6rem;display:grid;gap:.6rem}
input,button{font:inherit;padding:.6rem;border-radius:.4rem;border:1px solid #b9bec6}
button{background:#0b57d0;color:#fff;border:0}
a{color:#0b57d0}`

// Our own stylesheet, a constant: markup already (escaping would turn its quoted font names into &quot;).
const stylesheet = raw(style)

export const page = (opts: {
  readonly lang: Lang
  readonly title: string
  readonly body: Html
  /** The same page in the other language. */
  readonly switchHref: string
}): Html => html`<!doctype html>
<html lang="${opts.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${opts.title}</title>
<style>${stylesheet}</style>
</head>
<body><main>
<header><span class="muted">bienlai · ${opts.lang === "vi" ? "Thi hành án dân sự" : "Civil judgment enforcement"}</span>
<a href="${opts.switchHref}" hreflang="${opts.lang === "vi" ? "en" : "vi"}">${opts.lang === "vi" ? "English" : "Tiếng Việt"}</a></header>
${opts.body}
</main></body>
</html>`

/** "2025-06-23T08:15:30.000Z" → "15:15 23/06/2025" in Vietnam's time (UTC+7). */
export { vietnamTime } from "../../domain/vietnam-time.ts"
