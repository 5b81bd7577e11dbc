/**
 * Search: the officer API's filters and keyset pages (edge/officers/search.ts)
 * as a form, and the whole result (up to EXPORT_MAX rows) as CSV or XLSX.
 * Like the API, a search records which filters were used, never their values.
 *
 *   GET /search                 the screen; the query string holds the filters and the page cursor
 *   GET /search/export.csv      the same filters, every page
 *   GET /search/export.xlsx
 */
import { Hono } from "hono"
import { formatReceiptNumber } from "../../domain/receipt.ts"
import { ApiError } from "../http/errors.ts"
import { requirePermission } from "../officers/actions.ts"
import { MAX_PAGE, parseSearch, type SearchFilters, type SearchItem, searchReceipts } from "../officers/search.ts"
import { type C, type ConsoleContext, render } from "./context.ts"
import { toCsv, toXlsx, type Table } from "./export.ts"
import { type Lang, type Words, words } from "./i18n.ts"
import { type Html, html } from "../http/html.ts"
import { recordConsoleAction } from "./queries.ts"
import type { ConsoleEnv } from "./session.ts"
import { money, statusBadge, when } from "./views.ts"

export const EXPORT_MAX = 10_000

const filterKeys = ["name", "idNumber", "decisionNumber", "lookupCode", "number", "from", "to", "minAmount", "maxAmount", "status"] as const

/** The filters the officer filled in (empty boxes are no filter). */
const filledQuery = (c: C): Record<string, string> => {
  const out: Record<string, string> = {}
  for (const k of [...filterKeys, "cursor"]) {
    const v = c.req.query(k)?.trim()
    if (v) out[k] = k === "minAmount" || k === "maxAmount" ? v.replace(/[.\s,đ]/g, "") : v
  }
  return out
}

const itemLabel = (i: SearchItem) => (i.number === null ? "—" : `${i.series.symbol} ${formatReceiptNumber(i.number)}`)

const filtersForm = (w: Words, q: Record<string, string>): Html => {
  const box = (k: string, label: string, type = "text", extra: Html | "" = "") =>
    html`<label>${label}<input name="${k}" type="${type}" value="${q[k] ?? ""}"${extra}></label>`
  const status = q["status"] ?? ""
  const opt = (v: string, label: string) => html`<option value="${v}"${status === v ? html` selected` : ""}>${label}</option>`
  const numeric = html` inputmode="numeric"`
  return html`<form method="get" action="/console/search" class="card filters" id="search-form" role="search">
${box("name", w.name, "search", html` id="q" autofocus placeholder="${w.nameHint}"`)}${box("idNumber", w.f_payerIdNumber)}${box("decisionNumber", w.f_decisionNumber)}${box("lookupCode", w.f_lookupCode)}${box("number", w.f_number, "text", numeric)}
${box("from", w.from, "date")}${box("to", w.to, "date")}${box("minAmount", w.minAmount, "text", numeric)}${box("maxAmount", w.maxAmount, "text", numeric)}
<label>${w.status}<select name="status">${opt("", w.anyStatus)}${opt("draft", w.st_draft)}${opt("submitted", w.st_submitted)}${opt("issued", w.st_issued)}${opt("voided", w.st_voided)}${opt("replaced", w.st_replaced)}</select></label>
<div class="actions" style="grid-column:1/-1"><button type="submit">${w.searchButton}</button></div></form>`
}

const tableOf = (w: Words, items: ReadonlyArray<SearchItem>): Table => ({
  header: [w.f_number, w.f_lookupCode, w.status, w.f_payerName, w.f_amount, w.f_issuedAt, w.f_maker],
  rows: items.map((i) => [itemLabel(i), i.lookupCode ?? "", i.status, i.payerName ?? "", i.amount, i.issuedAt ?? "", i.maker])
})

export const searchRoutes = (ctx: ConsoleContext): Hono<ConsoleEnv> => {
  const app = new Hono<ConsoleEnv>()
  const { s } = ctx

  const audit = (c: C, q: Record<string, string>, what: string) =>
    recordConsoleAction(s.db, c.get("principal").agency, c.get("principal").officer, "search", what, s.now().toISOString(), { filters: Object.keys(q).filter((k) => k !== "cursor") })

  app.get("/search", async (c) => {
    const lang: Lang = c.get("lang")
    const w = words(lang)
    const p = c.get("principal")
    requirePermission(p, "read")
    const q = filledQuery(c)
    let filters: SearchFilters
    try {
      filters = parseSearch(q)
    } catch (e) {
      if (!(e instanceof ApiError)) throw e
      return render(c, { title: w.searchTitle, nav: "search", body: html`${filtersForm(w, q)}<p class="flash error" role="alert" id="search-error">${e.messageIn(lang)}</p>`, status: 400 })
    }
    const page = await searchReceipts(s.db, p.agency, filters)
    await audit(c, q, "console")
    const exportQuery = new URLSearchParams(Object.entries(q).filter(([k]) => k !== "cursor")).toString()
    const next = page.nextCursor === null ? "" : html`<a class="button secondary" id="next-page" href="/console/search?${new URLSearchParams({ ...q, cursor: page.nextCursor }).toString()}">${w.nextPage} →</a>`
    const first = q["cursor"] === undefined ? "" : html`<a class="button secondary" href="/console/search?${exportQuery}">${w.firstPage}</a>`
    const results = page.items.length === 0
      ? html`<p class="card muted" id="no-results">${w.noResults}</p>`
      : html`<table id="results"><thead><tr><th>${w.f_number}</th><th>${w.status}</th><th>${w.f_payerName}</th><th class="num">${w.f_amount}</th><th>${w.f_issuedAt}</th><th>${w.f_maker}</th></tr></thead><tbody>
${page.items.map((i) => html`<tr data-id="${i.id}"><td><a href="/console/${i.status === "draft" || i.status === "submitted" ? "drafts" : "receipts"}/${i.id}">${itemLabel(i)}</a></td><td>${statusBadge(i.status, lang)}</td><td>${i.payerName ?? ""}</td><td class="num">${money(i.amount)}</td><td>${when(i.issuedAt)}</td><td>${i.maker}</td></tr>`)}
</tbody></table>`
    const body = html`${filtersForm(w, q)}
<div class="actions"><strong>${w.results}</strong>
<a class="button secondary" id="export-csv" href="/console/search/export.csv?${exportQuery}">${w.exportCsv}</a>
<a class="button secondary" id="export-xlsx" href="/console/search/export.xlsx?${exportQuery}">${w.exportXlsx}</a></div>
${results}<div class="actions">${first}${next}</div>`
    return render(c, { title: w.searchTitle, nav: "search", body })
  })

  const everything = async (c: C): Promise<Table> => {
    const p = c.get("principal")
    requirePermission(p, "read")
    const q = filledQuery(c)
    delete q["cursor"]
    let filters = parseSearch({ ...q, limit: String(MAX_PAGE) })
    const items: Array<SearchItem> = []
    for (;;) {
      const page = await searchReceipts(s.db, p.agency, filters)
      items.push(...page.items)
      if (page.nextCursor === null || items.length >= EXPORT_MAX) break
      filters = parseSearch({ ...q, limit: String(MAX_PAGE), cursor: page.nextCursor })
    }
    await audit(c, q, "export")
    return tableOf(words(c.get("lang")), items.slice(0, EXPORT_MAX))
  }

  app.get("/search/export.csv", async (c) =>
    c.body(toCsv(await everything(c)), 200, {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": 'attachment; filename="bien-lai.csv"'
    }))

  app.get("/search/export.xlsx", async (c) => {
    const bytes = await toXlsx(await everything(c), words(c.get("lang")).searchTitle, 4)
    return c.body(bytes as Uint8Array<ArrayBuffer>, 200, {
      "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "Content-Disposition": 'attachment; filename="bien-lai.xlsx"'
    })
  })
  return app
}
