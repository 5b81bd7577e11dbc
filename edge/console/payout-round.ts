/**
 * A payout round's page: who planned and approved it, its totals per rank,
 * per state and per settlement (each table with its total row, and whether
 * they all add up to the round's amount), an SVG chart of its lines by state
 * (charts.ts), its bank batches, and a form for each next step: approve
 * (showing the SHA-256 the approval binds, and the planned header it is the
 * hash of), export a batch (pain.001 or CSV, downloaded), import the bank's
 * answer, deposit what could not be paid.
 */
import { Hono } from "hono"
import { formatVnd } from "../../domain/money.ts"
import type { Sums } from "../../store/payout/report.ts"
import { ApiError } from "../http/errors.ts"
import { type Html, html } from "../http/html.ts"
import { readPayoutUpload } from "../http/payout-upload.ts"
import { type PayoutActions, roundIdOf } from "../officers/payout-actions.ts"
import { barChart } from "./charts.ts"
import { type C, type ConsoleContext, describeError, formOf, redirectWith, render } from "./context.ts"
import { payoutWords, settlementNames, stateNames } from "./payout-words.ts"
import type { ConsoleEnv } from "./session.ts"

const STATES = ["planned", "approved", "sent", "paid", "returned", "deposited"] as const
const STATE_COLORS = ["#5f6670", "#174ea6", "#9a5b00", "#137333", "#b3261e", "#6a1b9a"]
const ZERO: Sums = { lines: 0, amount: 0n, fee: 0n, net: 0n }

const sumsTable = (id: string, title: string, label: (k: string) => string, rows: Readonly<Record<string, Sums>>, order: ReadonlyArray<string>, total: Sums, w: ReturnType<typeof payoutWords>): Html => {
  const keys = [...order.filter((k) => rows[k] !== undefined), ...Object.keys(rows).filter((k) => !order.includes(k)).sort()]
  return html`<section class="card"><h2>${title}</h2><table id="${id}"><thead><tr><th></th><th class="num">${w.lines}</th><th class="num">${w.paid}</th><th class="num">${w.fee}</th><th class="num">${w.net}</th></tr></thead><tbody>
${keys.map((k) => {
    const s = rows[k] ?? ZERO
    return html`<tr data-key="${k}" data-lines="${s.lines}" data-amount="${s.amount}"><th>${label(k)}</th><td class="num">${s.lines}</td><td class="num">${formatVnd(s.amount)}</td><td class="num">${formatVnd(s.fee)}</td><td class="num">${formatVnd(s.net)}</td></tr>`
  })}
<tr class="total" data-key="total" data-lines="${total.lines}" data-amount="${total.amount}"><th>${w.total}</th><td class="num">${total.lines}</td><td class="num">${formatVnd(total.amount)}</td><td class="num">${formatVnd(total.fee)}</td><td class="num">${formatVnd(total.net)}</td></tr>
</tbody></table></section>`
}

export const payoutRoundRoutes = (_ctx: ConsoleContext, payout: PayoutActions): Hono<ConsoleEnv> => {
  const app = new Hono<ConsoleEnv>()
  const pagePath = (id: string) => `/console/payout/rounds/${id}`

  app.get("/payout/rounds/:id", async (c) => {
    const lang = c.get("lang")
    const w = payoutWords(lang)
    const p = c.get("principal")
    const id = roundIdOf(c.req.param("id"))
    const { report: r, plannedHeader, planSha256, batches } = await payout.round(p, id)
    const states = stateNames[lang]
    const settlements = settlementNames[lang]
    const mayWork = p.role === "officer" || p.role === "approver"
    const approveForm = r.status === "planned" && p.role === "approver"
      ? html`<section class="card" id="approve"><h2>${w.approveTitle}</h2><p class="muted">${w.approveHelp}</p>
<p>SHA-256: <code id="plan-sha256">${planSha256}</code></p>
<form method="post" action="${pagePath(id)}/approve"><input type="hidden" name="planSha256" value="${planSha256}"><button id="approve-submit">${w.approve}</button></form></section>`
      : ""
    const bankForms = r.status === "approved" && mayWork
      ? html`<div class="grid3">
<section class="card" id="export"><h2>${w.exportTitle}</h2>
<form method="post" action="${pagePath(id)}/export" class="fields">
<label for="ex-name">${w.debtorName}</label><input id="ex-name" name="debtorName" required>
<label for="ex-bin">${w.debtorBin}</label><input id="ex-bin" name="debtorBin" required inputmode="numeric" placeholder="970436">
<label for="ex-account">${w.debtorAccount}</label><input id="ex-account" name="debtorAccount" required inputmode="numeric">
<label for="ex-format">${w.format}</label><select id="ex-format" name="format"><option value="pain001">ISO 20022 pain.001</option><option value="csv">CSV</option></select>
<span></span><button id="ex-submit">${w.export}</button></form></section>
<section class="card" id="answers"><h2>${w.answersTitle}</h2>
<form method="post" action="/console/payout/answers" enctype="multipart/form-data" class="fields">
<input type="hidden" name="round" value="${id}">
<label for="an-file">${w.file}</label><input id="an-file" name="file" type="file" required accept=".xml,.csv,.xlsx">
<label for="an-mapping">${w.mapping}</label><input id="an-mapping" name="mapping" placeholder="bienlai-standard">
<label for="an-account">${w.debtorAccount}</label><input id="an-account" name="account" inputmode="numeric">
<span></span><button id="an-submit">${w.upload}</button></form></section>
<section class="card" id="deposit"><h2>${w.depositTitle}</h2>
<form method="post" action="${pagePath(id)}/deposit" class="fields">
<label for="de-ref">${w.reference}</label><input id="de-ref" name="reference" required>
<span></span><button id="de-submit">${w.deposit}</button></form></section>
</div>`
      : ""
    const body = html`
<section class="card" id="round-summary">
<p><span class="badge ${r.status === "approved" ? "issued" : "submitted"}" id="round-status">${r.status === "approved" ? w.approved : w.planned}</span>
 · ${w.planner}: <strong>${r.planner}</strong> · ${w.approver}: <strong>${r.approver ?? "—"}</strong>
 · ${w.paid}: <strong id="round-paid">${formatVnd(r.paid)}</strong> · <a href="/console/payout?case=${encodeURIComponent(r.caseDecision)}">${r.caseDecision}</a></p>
<p id="adds-up" class="${r.addsUp ? "ok-text" : "bad-text"}" data-adds-up="${String(r.addsUp)}">${r.addsUp ? w.addsUp : w.doesNotAddUp}</p>
</section>
<div class="grid2">
<section class="card">${barChart({
      id: "chart-lines-by-state",
      title: w.chart,
      colors: STATE_COLORS,
      bars: STATES.map((st) => ({ label: states[st] ?? st, value: BigInt(r.byState[st]?.lines ?? 0), display: `${r.byState[st]?.lines ?? 0} · ${formatVnd(r.byState[st]?.amount ?? 0n)}` }))
    })}</section>
${sumsTable("by-state", w.byState, (k) => states[k] ?? k, r.byState, STATES, r.total, w)}
</div>
<div class="grid2">
${sumsTable("by-rank", w.byRank, (k) => `${w.rank} ${k}`, r.byRank, ["a", "b", "c"], r.total, w)}
${sumsTable("by-settlement", w.bySettlement, (k) => settlements[k] ?? k, r.bySettlement, ["bank", "deposit_no_account", "deposit_not_requested", "none"], r.total, w)}
</div>
${approveForm}
${bankForms}
<section class="card" id="batches"><h2>${w.batches}</h2>
${batches.length === 0 ? html`<p class="muted">${w.none}</p>` : html`<table><thead><tr><th>${w.batch}</th><th>${w.messageId}</th><th class="num">${w.lines}</th><th class="num">${w.net}</th><th></th></tr></thead><tbody>
${batches.map((b) => html`<tr><td>${b.batch}</td><td><code>${b.messageId}</code></td><td class="num">${b.lines}</td><td class="num">${formatVnd(b.amount)}</td><td>${b.createdBy} · ${b.createdAt}</td></tr>`)}
</tbody></table>`}</section>
<details class="card" id="planned-header"><summary>${w.plannedHeader} · <code>${planSha256}</code></summary><pre style="white-space:pre-wrap;word-break:break-all">${plannedHeader}</pre></details>`
    return render(c, { title: w.roundTitle(r.round, r.caseDecision), nav: "payout", body })
  })

  /** Runs a step and comes back to the round's page with what happened, or what was wrong. */
  const step = async (c: C, id: string, run: () => Promise<string>) => {
    try {
      return redirectWith(c, pagePath(id), { ok: await run() })
    } catch (e) {
      if (e instanceof ApiError && e.status < 500) return redirectWith(c, pagePath(id), { error: describeError(e, c.get("lang")) })
      throw e
    }
  }

  app.post("/payout/rounds/:id/approve", async (c) => {
    const id = roundIdOf(c.req.param("id"))
    const form = await formOf(c)
    const w = payoutWords(c.get("lang"))
    return step(c, id, async () => w.approvedOk((await payout.approve(c.get("principal"), id, (form["planSha256"] ?? "").trim().toLowerCase())).round))
  })

  app.post("/payout/rounds/:id/export", async (c) => {
    const id = roundIdOf(c.req.param("id"))
    const form = await formOf(c)
    try {
      const file = await payout.exportBatch(c.get("principal"), id, {
        format: form["format"] === "csv" ? "csv" : "pain001",
        debtor: { name: (form["debtorName"] ?? "").trim(), bankBin: (form["debtorBin"] ?? "").trim(), account: (form["debtorAccount"] ?? "").replace(/[\s.-]/g, "") }
      })
      return c.body(file.body, 200, { "Content-Type": file.contentType, "Content-Disposition": `attachment; filename="${file.fileName}"` })
    } catch (e) {
      if (e instanceof ApiError && e.status < 500) return redirectWith(c, pagePath(id), { error: describeError(e, c.get("lang")) })
      throw e
    }
  })

  app.post("/payout/answers", async (c) => {
    const file = await readPayoutUpload(c)
    const id = roundIdOf(file.fields["round"])
    const w = payoutWords(c.get("lang"))
    return step(c, id, async () => {
      const s = await payout.answers(c.get("principal"), file.bytes, file.name, file.fields["mapping"], file.fields["account"])
      return w.answersOk(s.paid, s.returned)
    })
  })

  app.post("/payout/rounds/:id/deposit", async (c) => {
    const id = roundIdOf(c.req.param("id"))
    const form = await formOf(c)
    const w = payoutWords(c.get("lang"))
    return step(c, id, async () => w.depositedOk((await payout.deposit(c.get("principal"), id, form["reference"] ?? "")).count))
  })

  return app
}
