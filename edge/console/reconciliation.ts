/**
 * The reconciliation pages of the console, over the same actions as the API
 * (routes/reconciliation-actions.ts: roles, agency scope, audit):
 *
 *   GET  /reconciliation                   accounts, statement upload, run, drafts made from credits
 *   POST /reconciliation/statements        upload a statement (multipart)
 *   POST /reconciliation/run               run matching
 *   GET  /reconciliation/queue             ambiguous credits, evidence side by side, resolve buttons
 *   POST /reconciliation/queue/resolve     account, bankReference, target (repeated "kind:id")
 *   POST /reconciliation/queue/reject      account, bankReference
 *   GET  /reconciliation/report            ?account&month&day: the month's chart and table, the day's report
 *   GET  /reconciliation/report.csv|.xlsx  ?account&day
 *   POST /reconciliation/days/close        account, day (approver)
 *   GET  /reconciliation/payment-requests  form and list; ?reference= shows one with its VietQR image
 *   POST /reconciliation/payment-requests  account, amount, payerName, decisionNumber
 */
import { Hono } from "hono"
import { formatVnd } from "../../domain/money.ts"
import { vietnamDateOf } from "../../domain/dates.ts"
import { type Html, html, raw } from "../http/html.ts"
import { may } from "../officers/roles.ts"
import { makeReconciliationActions, monthPattern, dayPattern } from "../routes/reconciliation-actions.ts"
import { columnChart } from "./charts.ts"
import { type ConsoleContext, type C, describeError, formOf, redirectWith, render } from "./context.ts"
import { fill, reconWords } from "./reconciliation-words.ts"
import type { ConsoleEnv } from "./session.ts"
import { money } from "./views.ts"

const decisionReasons = new Set(["several_candidates", "contested", "name_differs", "decision_amount_differs"])

const subnav = (c: C, current: string): Html => {
  const w = reconWords(c.get("lang"))
  const link = (href: string, label: string) => html`<a class="button${href === current ? "" : " secondary"}" href="${href}"${href === current ? html` aria-current="page"` : ""}>${label}</a>`
  return html`<div class="actions" id="recon-nav">${link("/console/reconciliation", w.title)}${link("/console/reconciliation/queue", w.queueTitle)}${link("/console/reconciliation/report", w.reportTitle)}${link("/console/reconciliation/payment-requests", w.requestsTitle)}</div>`
}

export const reconciliationConsoleRoutes = (ctx: ConsoleContext): Hono<ConsoleEnv> => {
  const app = new Hono<ConsoleEnv>()
  const r = makeReconciliationActions(ctx.s)
  const back = (c: C, path: string, e: unknown) => redirectWith(c, path, { error: describeError(e, c.get("lang")) })

  app.get("/reconciliation", async (c) => {
    const w = reconWords(c.get("lang"))
    const p = c.get("principal")
    const [accounts, drafts, queue] = await Promise.all([r.accounts(p), r.creditDrafts(p), r.queue(p)])
    const canAct = may(p.role, "draft")
    const body = html`${subnav(c, "/console/reconciliation")}
${queue.length === 0 ? "" : html`<p class="card" id="recon-queue-count"><a href="/console/reconciliation/queue">${fill(w.waiting, { n: queue.length })}</a></p>`}
<div class="grid2">
<section class="card" id="recon-accounts"><h2>${w.accounts}</h2>
${accounts.length === 0 ? html`<p class="muted">${w.noAccounts}</p>` : html`<table><thead><tr><th>${w.account}</th><th>${w.bank}</th><th></th></tr></thead><tbody>
${accounts.map((a) => html`<tr data-account="${a.account}"><td>${a.account}</td><td>${a.bankBin ?? "—"}</td><td><a href="/console/reconciliation/report?account=${a.account}">${w.reportTitle}</a></td></tr>`)}</tbody></table>`}
</section>
${canAct ? html`<section class="card"><h2>${w.upload}</h2><p class="muted">${w.uploadHelp}</p>
<form method="post" action="/console/reconciliation/statements" enctype="multipart/form-data" id="statement-form" class="fields">
<label for="statement-file">${w.file}</label><input type="file" id="statement-file" name="file" required>
<label for="statement-mapping">${w.mapping}</label><input id="statement-mapping" name="mapping" placeholder="vn-internet-banking">
<label for="statement-account">${w.account}</label><input id="statement-account" name="account">
<span></span><button type="submit" id="import-statement">${w.importButton}</button>
</form>
<form method="post" action="/console/reconciliation/run" class="actions"><button type="submit" id="run-matching">${w.run}</button></form>
</section>` : ""}
</div>
<section class="card" id="recon-drafts"><h2>${w.drafts}</h2><p class="muted">${w.draftsHelp}</p>
${drafts.length === 0 ? html`<p class="muted">—</p>` : html`<table><thead><tr><th>${w.account}</th><th>${w.bankRef}</th><th>${w.why}</th><th>${w.madeFor}</th><th></th></tr></thead><tbody>
${drafts.map((d) => html`<tr data-credit="${d.bankReference}"><td>${d.account}</td><td>${d.bankReference}</td><td>${w[`src_${d.source}`]}${d.requestReference === "" ? "" : ` ${d.requestReference}`}</td><td>${d.madeFor}</td><td><a href="/console/drafts/${d.receiptId}">${w.openDraft}</a></td></tr>`)}
</tbody></table>`}</section>`
    return render(c, { title: w.title, nav: "reconciliation", body })
  })

  app.post("/reconciliation/statements", async (c) => {
    const w = reconWords(c.get("lang"))
    try {
      const form = await c.req.formData()
      const file = form.get("file")
      const field = (name: string) => {
        const v = form.get(name)
        return typeof v === "string" ? v : undefined
      }
      const bytes = file === null || typeof file === "string" ? new Uint8Array() : new Uint8Array(await file.arrayBuffer())
      const name = file === null || typeof file === "string" ? "statement" : file.name || "statement"
      const { summary, rejects } = await r.importStatement(c.get("principal"), { bytes, name, mapping: field("mapping"), account: field("account") })
      const ok = fill(w.imported, { statements: summary.statements.length, new: summary.newEntries, known: summary.alreadyImported, rejected: summary.rejected })
      const rejected = rejects.slice(0, 20).map((x) => `${x.where}: ${x.reasons.join(", ")}`).join(" · ")
      return redirectWith(c, "/console/reconciliation", { ok, ...(rejected === "" ? {} : { error: `${w.rejects}: ${rejected}` }) })
    } catch (e) {
      return back(c, "/console/reconciliation", e)
    }
  })

  app.post("/reconciliation/run", async (c) => {
    const w = reconWords(c.get("lang"))
    try {
      const s = await r.run(c.get("principal"))
      return redirectWith(c, s.queued > 0 ? "/console/reconciliation/queue" : "/console/reconciliation", { ok: fill(w.ran, { credits: s.credits, matched: s.matchedCredits, queued: s.queued, drafts: s.drafts.made.length }) })
    } catch (e) {
      return back(c, "/console/reconciliation", e)
    }
  })

  app.get("/reconciliation/queue", async (c) => {
    const w = reconWords(c.get("lang"))
    const p = c.get("principal")
    const queue = await r.queue(p)
    const canAct = may(p.role, "draft")
    const items = queue.map((q, i) => {
      const reasonLabel = (w as Record<string, string>)[`reason_${q.reason}`] ?? q.reason
      const confidence = decisionReasons.has(q.reason) ? "0,80" : q.reason === "reference_shared" ? "1,00" : "—"
      return html`<article class="card recon-item" data-credit="${q.bankReference}" data-account="${q.account}">
<form method="post" action="/console/reconciliation/queue/resolve">
<input type="hidden" name="account" value="${q.account}"><input type="hidden" name="bankReference" value="${q.bankReference}">
<div class="grid2">
<section class="recon-credit" aria-label="${w.credit}"><h2>${w.credit}</h2>
<dl class="fields">
<dt>${w.day}</dt><dd class="credit-day">${q.bookingDate}</dd>
<dt>${w.amount}</dt><dd class="credit-amount">${money(q.amount)}</dd>
<dt>${w.memo}</dt><dd class="credit-memo"><code>${q.memo}</code></dd>
<dt>${w.bankRef}</dt><dd class="credit-ref">${q.bankReference}</dd>
<dt>${w.counterparty}</dt><dd>${q.counterpartyName ?? "—"}</dd>
<dt>${w.account}</dt><dd>${q.account}</dd>
<dt>${w.why}</dt><dd class="credit-why"><strong>${reasonLabel}</strong><br><span class="muted">${q.message}</span></dd>
<dt>${w.confidence}</dt><dd>${confidence}</dd>
</dl></section>
<section class="recon-candidates" aria-label="${w.candidates}"><h2>${w.candidates}</h2>
<table><thead><tr><th></th><th>${w.receipt}</th><th>${w.payer}</th><th class="num">${w.amount}</th><th class="num">${w.owes}</th><th>${w.decision}</th></tr></thead><tbody>
${q.candidates.map((t, j) => html`<tr class="candidate" data-target="${t.id}"><td><input type="checkbox" name="target" value="${t.kind}:${t.id}" id="t-${i}-${j}"${canAct ? "" : " disabled"}></td>
<td><label for="t-${i}-${j}">${t.kind === "receipt" ? html`<a href="/console/${t.status === "issued" ? "receipts" : "drafts"}/${t.id}">${t.label}</a>` : t.label}</label></td>
<td class="candidate-payer">${t.payerName}</td><td class="num candidate-amount">${money(t.amount)}</td><td class="num">${money(t.owes)}</td><td class="candidate-decision">${t.decisionNumber ?? "—"}</td></tr>`)}
</tbody></table>
${canAct ? html`<div class="actions"><button type="submit" class="resolve">${w.resolve}</button>
<button type="submit" class="secondary reject" formaction="/console/reconciliation/queue/reject">${w.reject}</button></div>` : ""}
</section></div></form></article>`
    })
    const body = html`${subnav(c, "/console/reconciliation/queue")}<style>.recon-candidates td.num,.recon-candidates label{white-space:nowrap}</style>
${queue.length === 0 ? html`<p class="card muted" id="recon-queue-empty">${w.queueEmpty}</p>` : html`<p class="muted">${w.queueHelp}</p><div id="recon-queue">${items}</div>`}`
    return render(c, { title: w.queueTitle, nav: "reconciliation", body })
  })

  app.post("/reconciliation/queue/resolve", async (c) => {
    const w = reconWords(c.get("lang"))
    const body = await c.req.parseBody({ all: true }).catch(() => ({} as Record<string, unknown>))
    const account = String(body["account"] ?? "")
    const bankReference = String(body["bankReference"] ?? "")
    const raw_ = body["target"]
    const chosen = (Array.isArray(raw_) ? raw_ : raw_ === undefined ? [] : [raw_]).filter((x): x is string => typeof x === "string")
    const targets = chosen.map((t) => {
      const at = t.indexOf(":")
      return { kind: (t.slice(0, at) === "request" ? "request" : "receipt") as "receipt" | "request", id: t.slice(at + 1) }
    })
    try {
      await r.resolve(c.get("principal"), account, bankReference, targets)
      return redirectWith(c, "/console/reconciliation/queue", { ok: fill(w.resolved, { credit: `${account}/${bankReference}` }) })
    } catch (e) {
      return back(c, "/console/reconciliation/queue", e)
    }
  })

  app.post("/reconciliation/queue/reject", async (c) => {
    const w = reconWords(c.get("lang"))
    const form = await formOf(c)
    const account = form["account"] ?? ""
    const bankReference = form["bankReference"] ?? ""
    try {
      const made = await r.reject(c.get("principal"), account, bankReference)
      return redirectWith(c, `/console/drafts/${made.receiptId}`, { ok: fill(w.rejected, { credit: `${account}/${bankReference}` }) })
    } catch (e) {
      return back(c, "/console/reconciliation/queue", e)
    }
  })

  app.get("/reconciliation/report", async (c) => {
    const lang = c.get("lang")
    const w = reconWords(lang)
    const p = c.get("principal")
    const accounts = await r.accounts(p)
    const account = c.req.query("account") ?? accounts[0]?.account
    const today = vietnamDateOf(ctx.s.now().toISOString())
    const monthQ = c.req.query("month")
    const month = monthQ !== undefined && monthPattern.test(monthQ) ? monthQ : today.slice(0, 7)
    const dayQ = c.req.query("day")
    if (account === undefined) return render(c, { title: w.reportTitle, nav: "reconciliation", body: html`${subnav(c, "/console/reconciliation/report")}<p class="card muted">${w.noAccounts}</p>` })
    const days = await r.month(p, account, month)
    const short = (d: string) => `${d.slice(8, 10)}/${d.slice(5, 7)}`
    const state = (d: (typeof days)[number]) =>
      d.refused !== undefined ? html`<span class="bad-text">${w.doesNotBalance}</span>` : d.report === undefined ? html`<span class="muted">${w.noEntries}</span>` : d.report.balance === "balanced" ? html`<span class="ok-text">${w.balanced}</span>` : html`<span>${w.noBalances}</span>`
    const active = days.filter((d) => d.report !== undefined || d.refused !== undefined)
    const day = dayQ !== undefined && dayPattern.test(dayQ) ? dayQ : active.at(-1)?.day
    const selected = days.find((d) => d.day === day)
    const canClose = may(p.role, "approve")
    const dayPanel = selected === undefined ? "" : html`<section class="card" id="day-report" data-day="${selected.day}"><h2>${w.day} ${selected.day} · ${selected.closed ? w.closed : w.open}</h2>
${selected.refused !== undefined ? html`<p class="flash error">${selected.refused}</p>` : selected.report === undefined ? html`<p class="muted">${w.noEntries}</p>` : html`<dl class="fields">
<dt>${w.opening}</dt><dd>${selected.report.opening === null ? "—" : formatVnd(selected.report.opening)}</dd>
<dt>${w.credits}</dt><dd>${selected.report.credits.count} · ${formatVnd(selected.report.credits.total)}</dd>
<dt>${w.debits}</dt><dd>${selected.report.debits.count} · ${formatVnd(selected.report.debits.total)}</dd>
<dt>${w.closing}</dt><dd>${selected.report.closing === null ? "—" : formatVnd(selected.report.closing)}</dd>
<dt>${w.balance}</dt><dd>${state(selected)}</dd>
<dt>${w.matched}</dt><dd id="day-matched">${selected.report.matched}</dd>
<dt>${w.queued}</dt><dd id="day-queued">${selected.report.queued}</dd>
<dt>${w.unmatched}</dt><dd id="day-unmatched">${selected.report.unmatched}</dd>
<dt>${w.flagged}</dt><dd>${selected.report.flagged}</dd></dl>
<div class="actions"><a class="button secondary" href="/console/reconciliation/report.csv?account=${account}&day=${selected.day}" id="download-csv">${w.download} CSV</a>
<a class="button secondary" href="/console/reconciliation/report.xlsx?account=${account}&day=${selected.day}" id="download-xlsx">${w.download} XLSX</a></div>
${canClose && !selected.closed ? html`<form method="post" action="/console/reconciliation/days/close" class="actions" id="close-day-form"><input type="hidden" name="account" value="${account}"><input type="hidden" name="day" value="${selected.day}">
<button type="submit" id="close-day">${w.closeDay} ${selected.day}</button><span class="muted">${w.closeHelp}</span></form>` : ""}`}
</section>`
    const body = html`${subnav(c, "/console/reconciliation/report")}
<form method="get" action="/console/reconciliation/report" class="filters card">
<label>${w.account}<select name="account">${accounts.map((a) => html`<option value="${a.account}"${a.account === account ? " selected" : ""}>${a.account}</option>`)}</select></label>
<label>${w.month}<input type="month" name="month" value="${month}"></label><span></span><span></span><button type="submit">${w.show}</button></form>
<div class="grid2">
<section class="card">${columnChart({ id: "chart-recon-credits", title: `${w.chartCredits} · ${month}`, bars: days.map((d) => ({ label: short(d.day), value: d.report?.credits.total ?? 0n, display: formatVnd(d.report?.credits.total ?? 0n) })) })}</section>
<section class="card">${columnChart({ id: "chart-recon-matched", title: `${w.chartMatched} · ${month}`, bars: days.map((d) => ({ label: short(d.day), value: BigInt(d.report?.matched ?? 0), display: `${d.report?.matched ?? 0} / ${d.report?.credits.count ?? 0}` })) })}</section>
</div>
${dayPanel}
<section class="card"><table id="month-table"><thead><tr><th>${w.day}</th><th class="num">${w.credits}</th><th class="num">${w.matched}</th><th class="num">${w.queued}</th><th class="num">${w.unmatched}</th><th>${w.balance}</th><th></th></tr></thead><tbody>
${active.map((d) => html`<tr data-day="${d.day}"><td><a href="/console/reconciliation/report?account=${account}&month=${month}&day=${d.day}">${d.day}</a></td>
<td class="num">${d.report === undefined ? "—" : `${d.report.credits.count} · ${formatVnd(d.report.credits.total)}`}</td><td class="num">${d.report?.matched ?? "—"}</td><td class="num">${d.report?.queued ?? "—"}</td><td class="num">${d.report?.unmatched ?? "—"}</td><td>${state(d)}</td><td>${d.closed ? w.closed : ""}</td></tr>`)}
</tbody></table></section>`
    return render(c, { title: w.reportTitle, nav: "reconciliation", body })
  })

  for (const format of ["csv", "xlsx"] as const) {
    app.get(`/reconciliation/report.${format}`, async (c) => {
      const file = await r.dayReportFile(c.get("principal"), c.req.query("account"), c.req.query("day"), format)
      return c.body(file.bytes as Uint8Array<ArrayBuffer>, 200, {
        "Content-Type": format === "csv" ? "text/csv; charset=utf-8" : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "Content-Disposition": `attachment; filename="${file.name}"`
      })
    })
  }

  app.post("/reconciliation/days/close", async (c) => {
    const w = reconWords(c.get("lang"))
    const form = await formOf(c)
    const path = `/console/reconciliation/report?account=${encodeURIComponent(form["account"] ?? "")}&month=${(form["day"] ?? "").slice(0, 7)}&day=${encodeURIComponent(form["day"] ?? "")}`
    try {
      const closed = await r.closeDay(c.get("principal"), form["account"], form["day"])
      return redirectWith(c, path, { ok: fill(w.dayClosed, { day: closed.day }) })
    } catch (e) {
      return back(c, path, e)
    }
  })

  app.get("/reconciliation/payment-requests", async (c) => {
    const w = reconWords(c.get("lang"))
    const p = c.get("principal")
    const [accounts, requests] = await Promise.all([r.accounts(p), r.paymentRequests(p)])
    const shown = requests.find((x) => x.reference === c.req.query("reference"))
    const canAct = may(p.role, "draft")
    const qr = shown === undefined ? "" : html`<section class="card" id="payment-request" data-reference="${shown.reference}"><h2>${w.scanToPay}: ${shown.reference}</h2>
<div class="grid2" style="align-items:start"><div id="vietqr-image" style="max-width:320px">${raw(ctx.s.qr.svg(shown.vietqr, { title: shown.reference }))}</div>
<dl class="fields" style="align-items:start"><dt>${w.payerName}</dt><dd>${shown.payerName}</dd><dt>${w.amount}</dt><dd>${money(shown.amount)}</dd>
<dt>${w.decisionNumber}</dt><dd>${shown.decisionNumber ?? "—"}</dd><dt>${w.account}</dt><dd>${shown.account} (${shown.bankBin})</dd>
<dt>${w.reference}</dt><dd><code>${shown.reference}</code></dd><dt>VietQR</dt><dd><code id="vietqr-text" style="word-break:break-all">${shown.vietqr}</code></dd></dl></div>
<p class="muted">${w.requestHelp}</p></section>`
    const body = html`${subnav(c, "/console/reconciliation/payment-requests")}${qr}
${canAct ? html`<section class="card"><h2>${w.newRequest}</h2><form method="post" action="/console/reconciliation/payment-requests" id="payment-request-form" class="fields">
<label for="pr-account">${w.account}</label><select id="pr-account" name="account">${accounts.map((a) => html`<option value="${a.account}">${a.account}</option>`)}</select>
<label for="pr-amount">${w.amount}</label><input id="pr-amount" name="amount" inputmode="numeric" required placeholder="1.250.000">
<label for="pr-payer">${w.payerName}</label><input id="pr-payer" name="payerName" required>
<label for="pr-decision">${w.decisionNumber}</label><input id="pr-decision" name="decisionNumber" placeholder="757/QĐ-CCTHADS">
<span></span><button type="submit" id="create-request">${w.create}</button></form></section>` : ""}
<section class="card"><h2>${w.requestsTitle}</h2>${requests.length === 0 ? html`<p class="muted">${w.noRequests}</p>` : html`<table><thead><tr><th>${w.reference}</th><th>${w.payerName}</th><th class="num">${w.amount}</th><th class="num">${w.paid}</th><th>${w.decisionNumber}</th><th>${w.createdBy}</th></tr></thead><tbody>
${requests.map((x) => html`<tr data-reference="${x.reference}"><td><a href="/console/reconciliation/payment-requests?reference=${x.reference}">${x.reference}</a></td><td>${x.payerName}</td><td class="num">${money(x.amount)}</td><td class="num">${money(x.paid)}</td><td>${x.decisionNumber ?? "—"}</td><td>${x.createdBy}</td></tr>`)}
</tbody></table>`}</section>`
    return render(c, { title: w.requestsTitle, nav: "reconciliation", body })
  })

  app.post("/reconciliation/payment-requests", async (c) => {
    const form = await formOf(c)
    try {
      const made = await r.createPaymentRequest(c.get("principal"), { account: form["account"], amount: form["amount"], payerName: form["payerName"], decisionNumber: form["decisionNumber"] })
      return redirectWith(c, `/console/reconciliation/payment-requests?reference=${made.reference}`, { ok: fill(reconWords(c.get("lang")).requestMade, { reference: made.reference }) })
    } catch (e) {
      return back(c, "/console/reconciliation/payment-requests", e)
    }
  })

  return app
}
