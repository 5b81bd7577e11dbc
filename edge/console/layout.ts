/**
 * The console's page shell: one stylesheet and one small script served by
 * the console itself (nothing from elsewhere), a skip link and a visible
 * focus ring for keyboard users, and a layout sized for a 1366×768 office
 * screen (the content column is 1280 px wide at most, nothing scrolls
 * sideways).
 */
import { type Html, html } from "../http/html.ts"
import type { Principal } from "../http/env.ts"
import { type Lang, words } from "./i18n.ts"
import { reconWords } from "./reconciliation-words.ts"
import { iocWords } from "./ioc-words.ts"

export type Nav = "dashboard" | "inbox" | "queue" | "search" | "payout" | "reconciliation" | "reports" | "ioc" | "none"

export interface Shell {
  readonly lang: Lang
  readonly title: string
  /** The current path with its query, for the language switch. */
  readonly path: string
  readonly principal?: Principal
  readonly nav?: Nav
  /** A notice above the content: what just happened, or what went wrong. */
  readonly flash?: { readonly kind: "ok" | "error"; readonly text: string }
  readonly body: Html
}

const withLang = (path: string, lang: Lang): string => {
  const url = new URL(path, "http://x")
  url.searchParams.set("lang", lang)
  return url.pathname + url.search
}

export const page = (s: Shell): Html => {
  const w = words(s.lang)
  const other: Lang = s.lang === "vi" ? "en" : "vi"
  const link = (nav: Nav, href: string, label: string, key: string) =>
    html`<a href="${href}" accesskey="${key}"${s.nav === nav ? html` aria-current="page"` : ""}>${label}</a>`
  const p = s.principal
  const header = p === undefined
    ? ""
    : html`<nav aria-label="main">
${link("dashboard", "/console", w.navDashboard, "1")}
${link("inbox", "/console/inbox", w.navInbox, "2")}
${link("queue", "/console/queue", w.navQueue, "3")}
${link("search", "/console/search", w.navSearch, "4")}
${link("reconciliation", "/console/reconciliation", reconWords(s.lang).nav, "5")}
${link("payout", "/console/payout", s.lang === "vi" ? "Chi trả" : "Payouts", "6")}
${p.role === "officer" ? "" : link("reports", "/console/reports", s.lang === "vi" ? "Báo cáo" : "Reports", "7")}
${link("ioc", "/console/ioc", iocWords(s.lang).nav, "8")}
</nav>
<div class="who"><span data-officer="${p.officer}">${p.officer} · ${p.agency} · ${w[`role_${p.role}`]}</span>
<form method="post" action="/console/sign-out"><button class="link">${w.signOut}</button></form></div>`
  return html`<!doctype html>
<html lang="${s.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${s.title} · bienlai</title>
<link rel="stylesheet" href="/console/assets/console.css">
<script src="/console/assets/console.js" defer></script>
</head>
<body data-lang="${s.lang}">
<a class="skip" href="#main">${w.skip}</a>
<header class="top"><strong class="brand">${w.appName}</strong>${header}
<a class="lang" href="${withLang(s.path, other)}" hreflang="${other}">${w.other}</a></header>
<main id="main" tabindex="-1">
<h1>${s.title}</h1>
${s.flash === undefined ? "" : html`<p class="flash ${s.flash.kind}" role="${s.flash.kind === "error" ? "alert" : "status"}">${s.flash.text}</p>`}
${s.body}
</main>
</body>
</html>`
}

export const css = `
*{box-sizing:border-box}
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;margin:0;background:#f4f5f7;color:#1b1f24;line-height:1.4;font-size:15px}
.skip{position:absolute;left:-999px}.skip:focus{left:8px;top:8px;background:#fff;padding:.4rem;z-index:9}
:focus-visible{outline:3px solid #f5a623;outline-offset:2px}
header.top{display:flex;align-items:center;gap:1.2rem;background:#0b3d91;color:#fff;padding:.5rem 1rem}
header.top a{color:#fff}.brand{white-space:nowrap}
nav{display:flex;gap:.2rem}nav a{padding:.35rem .7rem;border-radius:.3rem;text-decoration:none}
nav a[aria-current=page]{background:#ffffff2e;font-weight:600}
.who{margin-left:auto;display:flex;gap:.6rem;align-items:center;font-size:.9rem}
.who form{margin:0}
main{max-width:1280px;margin:0 auto;padding:.8rem 1rem 2rem}
h1{font-size:1.35rem;margin:.3rem 0 .8rem}h2{font-size:1.1rem;margin:1rem 0 .5rem}
.flash{padding:.6rem .8rem;border-radius:.4rem}.flash.ok{background:#e6f4ea;color:#0d652d}.flash.error{background:#fce8e6;color:#a50e0e}
table{width:100%;border-collapse:collapse;background:#fff}
th,td{text-align:left;padding:.4rem .6rem;border-bottom:1px solid #e3e5e8;vertical-align:top}
th{font-weight:600;color:#4a5058;background:#fafbfc}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
input,select,textarea,button{font:inherit;padding:.4rem .5rem;border-radius:.3rem;border:1px solid #b9bec6;background:#fff}
textarea{width:100%}
button,.button{background:#0b57d0;color:#fff;border:0;cursor:pointer;text-decoration:none;display:inline-block;padding:.45rem .9rem;border-radius:.3rem}
button.secondary,.button.secondary{background:#e8eaed;color:#1b1f24}
button.danger{background:#b3261e}
button.link{background:none;color:inherit;text-decoration:underline;padding:0}
button:disabled{background:#9aa0a6;cursor:not-allowed}
.muted{color:#5f6670;font-size:.9rem}
.card{background:#fff;border-radius:.5rem;padding:.8rem 1rem;box-shadow:0 1px 2px #0001;margin-bottom:1rem}
.grid2{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1fr);gap:1rem}
.grid3{display:grid;grid-template-columns:repeat(3,minmax(0,1fr));gap:1rem}
.fields{display:grid;grid-template-columns:11rem 1fr;gap:.35rem .6rem;align-items:center}
.fields label{font-weight:600;color:#4a5058}
.fields input,.fields textarea,.fields select{width:100%}
.field-low input,.field-low textarea{background:#fff4e5;border-color:#e37400}
.conf{font-size:.8rem;color:#5f6670;grid-column:2}.conf.low{color:#b3261e;font-weight:600}
.scan{max-height:640px;overflow:auto;border:1px solid #d0d4d9;background:#fff}.scan img{width:100%;display:block}
.badge{display:inline-block;border-radius:1rem;padding:.05rem .6rem;font-size:.82rem;background:#e8eaed}
.badge.issued{background:#e6f4ea;color:#0d652d}.badge.voided{background:#fce8e6;color:#a50e0e}
.badge.replaced{background:#fef7e0;color:#8a5a00}.badge.draft{background:#e8f0fe;color:#174ea6}.badge.submitted{background:#e6f4ea;color:#0d652d}
.badge.failed{background:#fce8e6;color:#a50e0e}.badge.done{background:#e6f4ea;color:#0d652d}.badge.running,.badge.queued{background:#fef7e0}
.dropzone{border:2px dashed #8b94a0;border-radius:.6rem;padding:1.4rem;text-align:center;background:#fff}
.dropzone:focus-within{outline:3px solid #f5a623;outline-offset:2px}
.dropzone.over{border-color:#0b57d0;background:#e8f0fe}
progress{width:12rem}
.warnings li{color:#8a3c00}
.stat{font-size:1.8rem;font-weight:700}
.ok-text{color:#0d652d}.bad-text{color:#a50e0e}
.chart text{font-size:11px;fill:#4a5058}
.filters{display:grid;grid-template-columns:repeat(5,minmax(0,1fr));gap:.5rem .8rem;align-items:end}
.filters label{display:grid;font-size:.85rem;gap:.15rem}
.actions{display:flex;gap:.6rem;flex-wrap:wrap;align-items:center;margin:.6rem 0}
.spinner{display:inline-block;width:1em;height:1em;border:2px solid #b9bec6;border-top-color:#0b57d0;border-radius:50%;animation:spin 1s linear infinite;vertical-align:middle}
@keyframes spin{to{transform:rotate(360deg)}}
.visually-hidden{position:absolute!important;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
figure{margin:0}figcaption{font-weight:600;margin-bottom:.4rem}
form.inline{display:inline-flex;gap:.4rem;align-items:center;margin:0 .4rem .4rem 0}
.correction{border-top:1px solid #e3e5e8;padding:.4rem 0}.correction del{color:#5f6670}
`
