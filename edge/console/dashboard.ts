/**
 * The agency dashboard: receipts issued and amounts collected per day (the
 * last 30 days, Vietnam's calendar) and per office, counts by status, and
 * the numbering audit's figure (store/receipts/numbering-audit.ts): gaps and
 * duplicate numbers per series, which must be 0.
 *
 * "Collected" counts receipts still in force (status issued): a voided
 * receipt's money was returned and a replaced one is counted through its
 * replacement. "Issued per day" counts every number handed out that day.
 */
import { Hono } from "hono"
import { formatVnd } from "../../domain/money.ts"
import { countsByStatus, figuresPerDay, figuresPerOffice } from "../../store/receipts/agency-figures.ts"
import { auditNumbering } from "../../store/receipts/numbering-audit.ts"
import { requirePermission } from "../officers/actions.ts"
import { barChart, columnChart } from "./charts.ts"
import { type ConsoleContext, render } from "./context.ts"
import { words } from "./i18n.ts"
import { html } from "../http/html.ts"
import type { ConsoleEnv } from "./session.ts"

export const DAYS = 30

const dayOf = (ms: number) => new Date(ms + 7 * 3_600_000).toISOString().slice(0, 10)

/** The last `n` calendar days in Vietnam, oldest first, ending today. */
export const lastDays = (now: Date, n: number): ReadonlyArray<string> =>
  Array.from({ length: n }, (_, i) => dayOf(now.getTime() - (n - 1 - i) * 86_400_000))

export const dashboardRoutes = (ctx: ConsoleContext): Hono<ConsoleEnv> => {
  const app = new Hono<ConsoleEnv>()
  const { s } = ctx

  app.get("/", async (c) => {
    const lang = c.get("lang")
    const w = words(lang)
    const p = c.get("principal")
    requirePermission(p, "read")
    const days = lastDays(s.now(), DAYS)
    const since = new Date(Date.parse(`${days[0]}T00:00:00+07:00`)).toISOString()
    const [perDay, perOffice, byStatus, numbering] = await Promise.all([
      figuresPerDay(s.db, p.agency, since),
      figuresPerOffice(s.db, p.agency),
      countsByStatus(s.db, p.agency),
      auditNumbering(s.db, { agency: p.agency })
    ])
    const byDay = new Map(perDay.map((r) => [r.day, r]))
    const short = (day: string) => `${day.slice(8, 10)}/${day.slice(5, 7)}`
    const count = (st: string) => BigInt(byStatus.find((r) => r.status === st)?.n ?? "0")
    const gaps = numbering.reduce((n, a) => n + a.gaps.reduce((m, g) => m + (g.to - g.from + 1), 0), 0)
    const duplicates = numbering.reduce((n, a) => n + a.duplicates.length, 0)
    const healthy = gaps === 0 && duplicates === 0
    const statuses = ["issued", "voided", "replaced", "submitted", "draft"] as const
    const label = { issued: w.st_issued, voided: w.st_voided, replaced: w.st_replaced, submitted: w.st_submitted, draft: w.st_draft }

    const stat = (id: string, title: string, value: string, cls = "") => html`<div class="card" id="${id}"><div class="muted">${title}</div><div class="stat ${cls}">${value}</div></div>`
    const body = html`
<div class="grid3" style="grid-template-columns:repeat(4,minmax(0,1fr))">
${stat("stat-issued", w.st_issued, count("issued").toString())}
${stat("stat-voided", w.st_voided, count("voided").toString())}
${stat("stat-replaced", w.st_replaced, count("replaced").toString())}
${stat("stat-gaps", w.numbering, `${w.gaps} = ${gaps}`, healthy ? "ok-text" : "bad-text")}
</div>
<div class="grid2">
<section class="card">${columnChart({ id: "chart-per-day", title: w.perDay, bars: days.map((d) => ({ label: short(d), value: BigInt(byDay.get(d)?.n ?? "0"), display: `${byDay.get(d)?.n ?? 0} ${w.receipts}` })) })}</section>
<section class="card">${columnChart({ id: "chart-amount-per-day", title: w.amountPerDay, bars: days.map((d) => ({ label: short(d), value: BigInt(byDay.get(d)?.collected ?? "0"), display: formatVnd(BigInt(byDay.get(d)?.collected ?? "0")) })) })}</section>
<section class="card">${perOffice.length === 0 ? html`<p class="muted">${w.perOffice}: ${w.noData}</p>` : barChart({ id: "chart-per-office", title: w.perOffice, bars: perOffice.map((r) => ({ label: r.office, value: BigInt(r.collected), display: formatVnd(BigInt(r.collected)) })) })}</section>
<section class="card">${barChart({ id: "chart-status", title: w.byStatus, colors: ["#137333", "#b3261e", "#9a5b00", "#174ea6", "#5f6670"], bars: statuses.map((st) => ({ label: label[st], value: count(st), display: count(st).toString() })) })}</section>
</div>
<section class="card" id="numbering"><h2>${w.numbering}: <span class="${healthy ? "ok-text" : "bad-text"}">${healthy ? w.healthy : w.unhealthy}</span></h2>
${numbering.length === 0 ? html`<p class="muted">${w.noData}</p>` : html`<table><thead><tr><th>${w.series}</th><th class="num">${w.issuedCount}</th><th class="num">${w.gaps}</th><th class="num">${w.duplicates}</th></tr></thead><tbody>
${numbering.map((a) => html`<tr><td>${`${a.form} · ${a.symbol}`}</td><td class="num">${a.count}</td><td class="num">${a.gaps.length}</td><td class="num">${a.duplicates.length}</td></tr>`)}
</tbody></table>`}</section>`
    return render(c, { title: w.dashboardTitle, nav: "dashboard", body })
  })
  return app
}
