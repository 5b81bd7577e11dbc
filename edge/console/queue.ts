/**
 * The approval queue: the drafts their makers submitted for approval, and
 * only those. An approver approves one or many; approving issues the
 * receipt (number, signature, QR). Each approval names the content it
 * approves: the row carries the hash of the submitted content (shown in
 * short form), and the store issues the draft only while it still has
 * exactly that content, so a draft changed after the approver saw it is
 * refused. Maker-checker is visible: one's own drafts cannot be ticked.
 * Without script the selection is approved in one request; with script
 * each draft is approved in turn and a progress bar counts them.
 *
 *   GET  /queue                the screen
 *   POST /queue/approve        form fields "id" (repeated) and "hash:<id>": approve each, then report
 *   POST /queue/:id/approve    approve one, with "contentHash" or "hash:<id>" (JSON for the page script, a redirect for forms)
 */
import { Hono } from "hono"
import { receiptIdParam } from "../http/params.ts"
import type { ApiError } from "../http/errors.ts"
import type { Principal } from "../http/env.ts"
import { may } from "../officers/roles.ts"
import { shortContentHash } from "../../store/receipts/content-hash.ts"
import { submittedDrafts, unsubmittedCount } from "../../store/receipts/draft-lists.ts"
import { type ConsoleContext, describeError, redirectWith, render } from "./context.ts"
import { words } from "./i18n.ts"
import { html } from "../http/html.ts"
import type { ConsoleEnv } from "./session.ts"
import { money, when } from "./views.ts"
import { formatReceiptNumber } from "../../domain/receipt.ts"

/** The hash a form sent for draft `id`: its own field, or the row's hidden one. */
const hashFrom = (body: Record<string, unknown>, id: string): unknown => body["contentHash"] ?? body[`hash:${id}`]

export const queueRoutes = (ctx: ConsoleContext): Hono<ConsoleEnv> => {
  const app = new Hono<ConsoleEnv>()
  const { s, actions } = ctx

  const approveOne = (p: Principal, id: string, contentHash: unknown) => actions.approve(p, id, contentHash)

  app.get("/queue", async (c) => {
    const lang = c.get("lang")
    const w = words(lang)
    const p = c.get("principal")
    const canApprove = may(p.role, "approve")
    const [drafts, waiting, corrections] = await Promise.all([submittedDrafts(s.db, p.agency), unsubmittedCount(s.db, p.agency), actions.pendingCorrections(p)])
    const rows = drafts.map((d) => {
      const own = d.maker === p.officer
      const hash = d.contentSha256 ?? ""
      const box = canApprove && !own
        ? html`<input type="checkbox" name="id" value="${d.id}" aria-label="${w.approve} ${d.payerName}"><input type="hidden" name="hash:${d.id}" value="${hash}">`
        : html`<input type="checkbox" disabled aria-label="${own ? w.ownDraft : w.cannotApprove}">`
      const action = !canApprove
        ? ""
        : own
        ? html`<span class="muted own-draft">${w.ownDraft}</span>`
        : html`<button type="submit" formaction="/console/queue/${d.id}/approve" class="approve-one">${w.approve}</button>`
      return html`<tr data-draft="${d.id}"${own ? html` data-own="true"` : ""}><td>${box}</td><td><a href="/console/drafts/${d.id}">${d.payerName}</a></td>
<td class="num">${money(d.amount)}</td><td>${d.maker}</td><td>${when(d.submittedAt)}</td><td><code class="content-hash" title="${hash}">${shortContentHash(hash)}</code></td><td>${action}</td></tr>`
    })
    const note = waiting === 0 ? "" : html`<p class="muted" id="queue-unsubmitted">${w.unsubmittedWaiting.replace("{n}", String(waiting))}</p>`
    const body = drafts.length === 0
      ? html`<p class="card muted" id="queue-empty">${w.queueEmpty}</p>${note}`
      : html`${canApprove ? html`<p class="muted">${w.approveNamesContent}</p>` : html`<p class="muted">${w.cannotApprove}</p>`}
<form method="post" action="/console/queue/approve" id="queue-form" class="card">
<table><thead><tr><th>${canApprove ? html`<input type="checkbox" id="select-all" aria-label="${w.selectAll}">` : ""}</th><th>${w.f_payerName}</th><th class="num">${w.f_amount}</th><th>${w.f_maker}</th><th>${w.submittedAt}</th><th>${w.contentHash}</th><th></th></tr></thead>
<tbody>${rows}</tbody></table>
${canApprove ? html`<div class="actions"><button type="submit" id="approve-selected">${w.approveSelected}</button>
<span id="bulk" hidden><label for="bulk-progress">${w.bulkProgress}</label> <progress id="bulk-progress" value="0" max="1"></progress> <output id="bulk-count"></output></span></div>
<ul id="bulk-results" class="muted"></ul>` : ""}
</form>${note}`
    // Corrections wait here too; each is decided on its receipt's page, beside the signed text.
    const pending = corrections.length === 0 ? "" : html`<section class="card" id="queue-corrections"><h2>${w.pendingCorrections}</h2><table>
<thead><tr><th>${w.annotateField}</th><th>${w.annotateValue}</th><th>${w.actor}</th><th>${w.at}</th></tr></thead><tbody>
${corrections.map((q) => html`<tr data-request="${q.id}"><td><a href="/console/receipts/${q.receiptId}">${q.field === "payerName" ? w.f_payerName : w.f_payerAddress}</a></td><td>${q.value}</td><td>${q.requestedBy}</td><td>${when(q.requestedAt)}</td></tr>`)}
</tbody></table></section>`
    return render(c, { title: w.queueTitle, nav: "queue", body: html`${body}${pending}` })
  })

  app.post("/queue/:id/approve", async (c) => {
    const lang = c.get("lang")
    const id = receiptIdParam(c)
    const json = (c.req.header("accept") ?? "").includes("application/json")
    const body = await c.req.parseBody().catch(() => ({} as Record<string, unknown>))
    try {
      const issued = await approveOne(c.get("principal"), id, hashFrom(body, id))
      const label = `${issued.receipt.series.symbol} ${formatReceiptNumber(issued.receipt.number)}`
      return json
        ? c.json({ id, number: issued.receipt.number, label, url: issued.url }, 201)
        : redirectWith(c, `/console/receipts/${id}`, { ok: `${words(lang).approved}: ${label}` })
    } catch (e) {
      const message = describeError(e, lang)
      return json ? c.json({ id, error: (e as ApiError).code, message }, (e as ApiError).status) : redirectWith(c, "/console/queue", { error: message })
    }
  })

  app.post("/queue/approve", async (c) => {
    const lang = c.get("lang")
    const body = await c.req.parseBody({ all: true }).catch(() => ({} as Record<string, unknown>))
    const raw = body["id"]
    const ids = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).filter((x): x is string => typeof x === "string")
    const done: Array<string> = []
    const failed: Array<string> = []
    for (const id of ids.slice(0, 200)) {
      try {
        const issued = await approveOne(c.get("principal"), id, body[`hash:${id}`])
        done.push(`${issued.receipt.series.symbol} ${formatReceiptNumber(issued.receipt.number)}`)
      } catch (e) {
        failed.push(describeError(e, lang))
      }
    }
    const w = words(lang)
    return redirectWith(c, "/console/queue", {
      ...(done.length === 0 ? {} : { ok: `${w.approved}: ${done.join(", ")}` }),
      ...(failed.length === 0 ? {} : { error: failed.join(" · ") })
    })
  })
  return app
}
