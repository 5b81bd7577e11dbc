/**
 * The operations view's figures as HTML: the part of the page that the
 * live stream replaces (edge/console/ioc.ts sends this fragment on every
 * change). Charts are the console's server-drawn SVG (charts.ts), so the
 * page draws the same with or without script.
 */
import { formatVnd } from "../../domain/money.ts"
import type { OperationsSnapshot, QueueTotals } from "../../store/operations/snapshot.ts"
import { html, type Html } from "../http/html.ts"
import { barChart, columnChart } from "./charts.ts"
import type { IocWords } from "./ioc-words.ts"

const dmy = (day: string) => `${day.slice(8, 10)}/${day.slice(5, 7)}/${day.slice(0, 4)}`
const short = (day: string) => `${day.slice(8, 10)}/${day.slice(5, 7)}`
const money = (digits: string) => formatVnd(BigInt(digits))

/** How long ago an instant was, in the largest whole unit. */
export const ageText = (since: string | null, nowIso: string, w: IocWords): string => {
  if (since === null) return w.none
  const s = Math.max(0, Math.round((Date.parse(nowIso) - Date.parse(since)) / 1000))
  if (s < 120) return `${s} ${w.seconds}`
  if (s < 7200) return `${Math.floor(s / 60)} ${w.minutes}`
  return `${Math.floor(s / 3600)} ${w.hours}`
}

const stat = (id: string, title: string, value: string, cls = ""): Html =>
  html`<div class="card ioc-stat" id="${id}"><div class="muted">${title}</div><div class="stat ${cls}" data-value="${value}">${value}</div></div>`

const row = (label: string, value: string, id = ""): Html => html`<tr${id === "" ? "" : html` id="${id}"`}><th>${label}</th><td class="num">${value}</td></tr>`

const queueTable = (q: QueueTotals, nowIso: string, w: IocWords, deadRow: boolean): Html =>
  html`<table><tbody>${row(w.waiting, q.waiting)}${row(w.working, q.working)}${deadRow ? row(w.dead, q.dead) : ""}${row(w.oldest, ageText(q.oldest, nowIso, w))}</tbody></table>`

export const iocFigures = (snap: OperationsSnapshot, w: IocWords): Html => {
  const r = snap.receipts
  const since = dmy(snap.window.periodFrom)
  const byDay = new Map(r.perDay.map((d) => [d.day, d]))
  const names = new Map(snap.agencies.map((a) => [a.code, a.name]))
  const p = snap.payouts.byState
  const rec = snap.reconciliation
  const n = snap.numbering
  const national = snap.scope.kind === "national"
  const perUnit = national
    ? barChart({ id: "chart-ioc-per-agency", title: w.perAgency, width: 420, bars: r.perAgency.map((a) => ({ label: a.agency, value: BigInt(a.periodCollected), display: money(a.periodCollected) })) })
    : barChart({ id: "chart-ioc-per-office", title: w.perOffice, width: 420, bars: r.perOffice.map((o) => ({ label: o.office, value: BigInt(o.collected), display: money(o.collected) })) })
  const notes = snap.notifications
  return html`<div class="ioc-stats">
${stat("ioc-today-issued", w.todayIssued, r.todayIssued)}
${stat("ioc-today-collected", w.todayCollected, money(r.todayCollected), "money")}
${stat("ioc-period-issued", `${w.periodIssued} ${since}`, r.periodIssued)}
${stat("ioc-period-collected", `${w.periodCollected} ${since}`, money(r.periodCollected), "money")}
${stat("ioc-gaps", `${w.numbering}: ${w.gaps}`, String(n.missing + n.beyond), n.healthy ? "ok-text" : "bad-text")}
</div>
<div class="ioc-charts">
<section class="card">${columnChart({ id: "chart-ioc-per-day", title: w.perDay, width: 420, height: 170, bars: snap.window.days.map((d) => ({ label: short(d), value: BigInt(byDay.get(d)?.issued ?? "0"), display: `${byDay.get(d)?.issued ?? 0}` })) })}</section>
<section class="card">${(national ? r.perAgency.length : r.perOffice.length) === 0 ? html`<p class="muted">${national ? w.perAgency : w.perOffice}: ${w.noData}</p>` : perUnit}</section>
<section class="card" id="ioc-payouts"><h2>${w.payouts}</h2><table><tbody>
${([["approved", w.payoutApproved], ["sent", w.payoutSent], ["paid", w.payoutPaid], ["deposited", w.payoutDeposited], ["returned", w.payoutReturned]] as const)
    .map(([st, label]) => html`<tr data-state="${st}"><th>${label}</th><td class="num">${`${p[st].lines} ${w.lines}`}</td><td class="num">${money(p[st].amount)}</td></tr>`)}
</tbody></table></section>
</div>
<div class="ioc-panels">
<section class="card" id="ioc-recon"><h2>${w.reconciliation}</h2>${rec.configured
    ? html`<table><tbody>${row(w.credits, rec.credits)}${row(w.unmatched, rec.unmatched, "ioc-recon-unmatched")}${row(w.queued, rec.queued)}${row(w.oldest, ageText(rec.oldestQueued, snap.asOf, w))}${row(w.flags, rec.flags)}${row(w.lastClosed, rec.lastClosedDay === null ? w.none : dmy(rec.lastClosedDay))}</tbody></table>`
    : html`<p class="muted" data-configured="false">${w.notConfigured}</p>`}</section>
<section class="card" id="ioc-ocr"><h2>${w.ocr}</h2>${queueTable(snap.ocr, snap.asOf, w, false)}</section>
<section class="card" id="ioc-notifications"><h2>${w.notifications}</h2>${notes.configured
    ? queueTable(notes, snap.asOf, w, true)
    : html`<p class="muted" data-configured="false">${w.notConfigured}: ${w.notificationsNotConfigured}</p>`}</section>
<section class="card" id="ioc-numbering"><h2>${w.numbering}: <span class="${n.healthy ? "ok-text" : "bad-text"}">${n.healthy ? w.healthy : w.unhealthy}</span></h2>
${n.series.length === 0 ? html`<p class="muted">${w.noData}</p>` : html`<table><thead><tr>${national ? html`<th>${w.agency}</th>` : ""}<th>${w.series}</th><th class="num">${w.handedOut}</th><th class="num">${w.gaps}</th></tr></thead><tbody>
${n.series.map((s) => html`<tr data-series="${`${s.agency} ${s.form} ${s.symbol}`}">${national ? html`<td title="${names.get(s.agency) ?? s.agency}">${s.agency}</td>` : ""}<td>${`${s.form} · ${s.symbol}`}</td><td class="num">${s.handedOut}</td><td class="num ${s.missing + s.beyond === 0 ? "" : "bad-text"}">${s.missing + s.beyond}</td></tr>`)}
</tbody></table>`}</section>
</div>
${national ? html`<section class="card" id="ioc-agencies"><table><thead><tr><th>${w.agency}</th><th class="num">${w.todayIssued}</th><th class="num">${w.todayCollected}</th><th class="num">${`${w.periodIssued} ${since}`}</th><th class="num">${`${w.periodCollected} ${since}`}</th></tr></thead><tbody>
${r.perAgency.map((a) => html`<tr data-agency="${a.agency}"><td>${names.get(a.agency) ?? a.agency}</td><td class="num">${a.todayIssued}</td><td class="num">${money(a.todayCollected)}</td><td class="num">${a.periodIssued}</td><td class="num">${money(a.periodCollected)}</td></tr>`)}
</tbody></table></section>` : ""}`
}

/** The view's own layout on top of the console's stylesheet: fits 1366×768, and scales up on a wall screen (?wall=1). */
export const iocCss = `
.ioc-stats{display:grid;grid-template-columns:repeat(5,minmax(0,1fr));gap:.8rem}
.ioc-stats .card{margin-bottom:.8rem}.ioc-stats .stat{font-size:1.5rem;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}.ioc-stats .stat.money{font-size:1.25rem;line-height:1.8rem}
.ioc-charts{display:grid;grid-template-columns:repeat(3,minmax(0,1fr));gap:.8rem}
.ioc-panels{display:grid;grid-template-columns:repeat(4,minmax(0,1fr));gap:.8rem}
.ioc-panels table th,.ioc-panels table td,#ioc-payouts th,#ioc-payouts td{padding:.25rem .4rem;font-size:.88rem}
#ioc-payouts td{white-space:nowrap}
.ioc-charts h2,.ioc-panels h2{font-size:1rem;margin:0 0 .4rem}
#ioc-status{display:flex;gap:.8rem;align-items:center;flex-wrap:wrap}
#ioc-status form{margin:0;display:flex;gap:.4rem;align-items:center}
.live-dot{display:inline-block;width:.6rem;height:.6rem;border-radius:50%;background:#9aa0a6}
.live-dot[data-state=live]{background:#137333}.live-dot[data-state=lost]{background:#b3261e}
html.wall{font-size:22px}body.wall{background:#0d1117;color:#e6edf3;font-size:1rem}
body.wall .ok-text{color:#3fb950}body.wall .bad-text{color:#ff7b72}
body.wall main{max-width:none;padding:1rem 2rem}
body.wall .card{background:#161b22;box-shadow:none;color:#e6edf3}
body.wall .muted,body.wall .chart text{color:#9da7b3;fill:#c9d1d9}
body.wall .stat{font-size:2.4rem}body.wall .stat.money{font-size:1.7rem;line-height:2.4rem}
body.wall table{background:transparent}body.wall th{background:transparent;color:#9da7b3}
body.wall th,body.wall td{border-color:#30363d}
body.wall h1{font-size:2rem}
body.wall .ioc-panels table th,body.wall .ioc-panels table td{font-size:1.1rem}
@media (max-width:1100px){.ioc-stats{grid-template-columns:repeat(3,minmax(0,1fr))}.ioc-charts,.ioc-panels{grid-template-columns:repeat(2,minmax(0,1fr))}}
`
