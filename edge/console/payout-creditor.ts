/**
 * One creditor's payout history: their claim (rank, amount owed, request
 * date, account or none) and every line of every round of the case for it:
 * own and catch-up lines, amount, fee, how it is settled, its state, the
 * bank batch and reference. Viewing it is audited (personal data).
 */
import { Hono } from "hono"
import { formatVnd } from "../../domain/money.ts"
import { html } from "../http/html.ts"
import { caseOf, type PayoutActions } from "../officers/payout-actions.ts"
import { type ConsoleContext, render } from "./context.ts"
import { payoutWords, settlementNames, stateNames } from "./payout-words.ts"
import type { ConsoleEnv } from "./session.ts"

export const payoutCreditorRoutes = (_ctx: ConsoleContext, payout: PayoutActions): Hono<ConsoleEnv> => {
  const app = new Hono<ConsoleEnv>()

  app.get("/payout/creditor", async (c) => {
    const lang = c.get("lang")
    const w = payoutWords(lang)
    const caseDecision = caseOf(c.req.query("case"))
    const h = await payout.creditorHistory(c.get("principal"), caseDecision, c.req.query("claim") ?? "")
    const states = stateNames[lang]
    const settlements = settlementNames[lang]
    const total = h.lines.reduce((n, l) => n + l.amount, 0n)
    const body = html`
<section class="card" id="claim"><dl class="fields">
<dt>${w.case}</dt><dd><a href="/console/payout?case=${encodeURIComponent(caseDecision)}">${caseDecision}</a> · ${h.claimId}</dd>
<dt>${w.identity}</dt><dd>${h.identityNumber}</dd>
<dt>${w.rank}</dt><dd>${h.rank}</dd>
<dt>${w.owed}</dt><dd>${formatVnd(h.owed)}</dd>
<dt>${w.allocated}</dt><dd id="allocated">${formatVnd(total)}</dd>
<dt>${w.bank}</dt><dd>${h.bank === null ? w.noAccount : `${h.bank.bin} · ${h.bank.account}`}</dd>
</dl></section>
<section class="card"><h2>${w.history}</h2>
${h.lines.length === 0 ? html`<p class="muted">${w.none}</p>` : html`<table id="history"><thead><tr><th>${w.round}</th><th>${w.kind}</th><th class="num">${w.paid}</th><th class="num">${w.fee}</th><th>${w.bank}</th><th>${w.state}</th><th>${w.reference2}</th></tr></thead><tbody>
${h.lines.map((l) => html`<tr data-line="${l.lineId}" data-state="${l.state}"><td><a href="/console/payout/rounds/${l.roundId}">${w.round} ${l.round}</a></td><td>${l.kind === "catch_up" ? `${w.kind_catch_up} (${w.round} ${l.forRound})` : w.kind_round}</td><td class="num">${formatVnd(l.amount)}</td><td class="num">${formatVnd(l.fee)}</td><td>${settlements[l.settlement] ?? l.settlement}</td><td><span class="badge">${states[l.state] ?? l.state}</span></td><td>${l.batch === null ? "" : `${w.batch} ${l.batch}`}${l.reference === null ? "" : ` · ${l.reference}`}</td></tr>`)}
</tbody></table>`}</section>`
    return render(c, { title: w.historyTitle(h.name), nav: "payout", body })
  })

  return app
}
