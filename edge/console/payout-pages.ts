/**
 * The payout console, list and first steps: the agency's cases with a
 * creditor list and their rounds, a case's creditors (each linking to their
 * history), and the forms to import a creditor list and to plan the next
 * round. The round's own page (totals, chart, approval, bank) is
 * payout-round.ts; a creditor's history is payout-creditor.ts. Every action
 * is the officer API's (edge/officers/payout-actions.ts): same roles, agency
 * scope and audit.
 */
import { Hono } from "hono"
import { formatVnd } from "../../domain/money.ts"
import { ApiError } from "../http/errors.ts"
import { type Html, html } from "../http/html.ts"
import { readPayoutUpload } from "../http/payout-upload.ts"
import { caseOf, makePayoutActions, type RejectedRow } from "../officers/payout-actions.ts"
import { type C, type ConsoleContext, describeError, formOf, redirectWith, render } from "./context.ts"
import { payoutRoundRoutes } from "./payout-round.ts"
import { payoutCreditorRoutes } from "./payout-creditor.ts"
import { payoutWords } from "./payout-words.ts"
import type { ConsoleEnv } from "./session.ts"

export const caseLink = (caseDecision: string): string => `/console/payout?case=${encodeURIComponent(caseDecision)}`

const forms = (w: ReturnType<typeof payoutWords>, caseDecision: string): Html => html`
<div class="grid2">
<section class="card" id="upload-creditors"><h2>${w.uploadCreditors}</h2>
<form method="post" action="/console/payout/creditors" enctype="multipart/form-data" class="fields">
<label for="uc-case">${w.case}</label><input id="uc-case" name="case" required value="${caseDecision}" placeholder="3699/QĐ-CTHADS">
<label for="uc-file">${w.file}</label><input id="uc-file" name="file" type="file" required accept=".csv,.xlsx,text/csv">
<span></span><button id="uc-submit">${w.upload}</button>
</form></section>
<section class="card" id="plan-round"><h2>${w.planRound}</h2>
<form method="post" action="/console/payout/rounds" class="fields">
<label for="pr-case">${w.case}</label><input id="pr-case" name="case" required value="${caseDecision}">
<label for="pr-date">${w.legalDate}</label><input id="pr-date" name="legalDate" type="date" required>
<label for="pr-available">${w.available}</label><input id="pr-available" name="available" required inputmode="numeric" placeholder="100.000.000">
<label for="pr-ratio">${w.ratio}</label><input id="pr-ratio" name="ratio" placeholder="24.81%">
<label for="pr-costs">${w.costs}</label><input id="pr-costs" name="costs" inputmode="numeric" placeholder="0">
<label for="pr-coercion">${w.coercion}</label><input id="pr-coercion" name="coercionNumber" placeholder="12/QĐ-CCTHADS">
<label for="pr-coercion-date">${w.coercionDate}</label><input id="pr-coercion-date" name="coercionDate" type="date">
<label for="pr-fee">${w.feePolicy}</label><select id="pr-fee" name="fee"><option value="waived">${w.feeWaived}</option><option value="circular216">${w.feeCircular}</option></select>
<span></span><button id="pr-submit">${w.plan}</button>
</form></section>
</div>`

export const payoutConsoleRoutes = (ctx: ConsoleContext): Hono<ConsoleEnv> => {
  const app = new Hono<ConsoleEnv>()
  const payout = makePayoutActions(ctx.s)

  app.get("/payout", async (c) => {
    const lang = c.get("lang")
    const w = payoutWords(lang)
    const p = c.get("principal")
    const chosen = c.req.query("case")
    const cases = await payout.cases(p)
    const rounds = await payout.rounds(p, chosen === undefined || chosen === "" ? undefined : chosen)
    const creditors = chosen === undefined || chosen === "" ? [] : await payout.creditors(p, chosen, c.req.query("after") ?? "")
    const body = html`
<section class="card" id="cases"><h2>${w.cases}</h2>
${cases.length === 0 ? html`<p class="muted">${w.none}</p>` : html`<table><thead><tr><th>${w.case}</th><th class="num">${w.claims}</th><th class="num">${w.owed}</th><th class="num">${w.rounds}</th></tr></thead><tbody>
${cases.map((k) => html`<tr data-case="${k.caseDecision}"><td><a href="${caseLink(k.caseDecision)}">${k.caseDecision}</a></td><td class="num">${k.claims}</td><td class="num">${formatVnd(k.owed)}</td><td class="num">${k.rounds}</td></tr>`)}
</tbody></table>`}</section>
<section class="card" id="rounds"><h2>${w.rounds}</h2>
${rounds.length === 0 ? html`<p class="muted">${w.none}</p>` : html`<table><thead><tr><th>${w.case}</th><th>${w.round}</th><th>${w.status}</th><th class="num">${w.lines}</th><th class="num">${w.paid}</th><th>${w.planner}</th><th>${w.approver}</th></tr></thead><tbody>
${rounds.map((r) => html`<tr data-round="${r.id}"><td>${r.caseDecision}</td><td><a href="/console/payout/rounds/${r.id}">${w.round} ${r.round}</a></td><td><span class="badge ${r.status === "approved" ? "issued" : "submitted"}">${r.status === "approved" ? w.approved : w.planned}</span></td><td class="num">${r.lines}</td><td class="num">${formatVnd(r.paid)}</td><td>${r.planner}</td><td>${r.approver ?? "—"}</td></tr>`)}
</tbody></table>`}</section>
${chosen === undefined || chosen === "" ? "" : html`<section class="card" id="creditors"><h2>${w.creditors} · ${chosen}</h2>
${creditors.length === 0 ? html`<p class="muted">${w.none}</p>` : html`<table><thead><tr><th>${w.history}</th><th>${w.rank}</th><th class="num">${w.owed}</th><th class="num">${w.allocated}</th></tr></thead><tbody>
${creditors.map((k) => html`<tr data-claim="${k.claimId}"><td><a href="/console/payout/creditor?case=${encodeURIComponent(chosen)}&amp;claim=${encodeURIComponent(k.claimId)}">${k.claimId} · ${k.name}</a></td><td>${k.rank}</td><td class="num">${formatVnd(k.owed)}</td><td class="num">${formatVnd(k.allocated)}</td></tr>`)}
</tbody></table>`}
${creditors.length === 200 ? html`<p><a href="${caseLink(chosen)}&amp;after=${encodeURIComponent(creditors[199]!.claimId)}">→</a></p>` : ""}</section>`}
${p.role === "officer" || p.role === "approver" ? forms(w, chosen ?? "") : ""}`
    return render(c, { title: w.title, nav: "payout", body })
  })

  const rejectsPage = (c: C, e: ApiError, caseDecision: string) => {
    const lang = c.get("lang")
    const w = payoutWords(lang)
    const rows = (e.details?.["rejects"] ?? []) as ReadonlyArray<RejectedRow>
    return render(c, {
      title: w.rejectsTitle,
      nav: "payout",
      status: 422,
      body: html`<p class="flash error" role="alert" id="error">${describeError(e, lang)}</p>
<table id="rejects"><thead><tr><th class="num">${w.row}</th><th>${w.reasons}</th></tr></thead><tbody>
${rows.map((r) => html`<tr data-row="${r.row}"><td class="num">${r.row}</td><td>${r.reasons.join("; ")}</td></tr>`)}
</tbody></table>
<p><a href="${caseLink(caseDecision)}">←</a></p>`
    })
  }

  app.post("/payout/creditors", async (c) => {
    const w = payoutWords(c.get("lang"))
    const file = await readPayoutUpload(c)
    const caseDecision = caseOf(file.fields["case"])
    try {
      const done = await payout.importCreditors(c.get("principal"), caseDecision, file.bytes, file.name)
      return redirectWith(c, caseLink(caseDecision), { ok: w.imported(done.claims, formatVnd(done.owed)) })
    } catch (e) {
      if (e instanceof ApiError && e.code === "rows_refused") return rejectsPage(c, e, caseDecision)
      if (e instanceof ApiError && e.status < 500) return redirectWith(c, caseLink(caseDecision), { error: describeError(e, c.get("lang")) })
      throw e
    }
  })

  app.post("/payout/rounds", async (c) => {
    const w = payoutWords(c.get("lang"))
    const form = await formOf(c)
    const back = caseLink(form["case"] ?? "")
    try {
      const planned = await payout.plan(c.get("principal"), {
        case: form["case"] ?? "",
        legalDate: form["legalDate"] ?? "",
        available: form["available"] ?? "",
        ratio: form["ratio"],
        fee: form["fee"],
        costs: form["costs"],
        ...(form["coercionNumber"] === undefined || form["coercionNumber"].trim() === ""
          ? {}
          : { coercion: { decisionNumber: form["coercionNumber"].trim(), decisionDate: form["coercionDate"] ?? "" } })
      })
      return redirectWith(c, `/console/payout/rounds/${planned.roundId}`, { ok: w.plannedOk(planned.round) })
    } catch (e) {
      if (e instanceof ApiError && e.status < 500) return redirectWith(c, back, { error: describeError(e, c.get("lang")) })
      throw e
    }
  })

  app.route("/", payoutRoundRoutes(ctx, payout))
  app.route("/", payoutCreditorRoutes(ctx, payout))
  return app
}
