/**
 * One receipt: every field, its QR and PDF, its status history and audit
 * trail, and what may still happen to it: void (with a reason), a
 * replacement draft, an annotation of the payer's name or address. Each
 * form shows only to roles that may use it; the actions check again.
 *
 *   GET  /receipts/:id               the screen (a draft redirects to its review)
 *   GET  /receipts/:id/pdf           the printable receipt
 *   POST /receipts/:id/void          reason
 *   POST /receipts/:id/replace       amount, reason → the replacement draft
 *   POST /receipts/:id/annotate      field, value, note
 */
import { Hono } from "hono"
import { Result } from "effect"
import { parseVnd } from "../../domain/money.ts"
import { formatReceiptNumber, type IssuedReceipt, isIssued, type Receipt } from "../../domain/receipt.ts"
import { qrContent, tokenToPathSegment, tokenUrl } from "../../domain/signing/url.ts"
import { qrPng, qrSvg } from "../../jobs/qr/encode.ts"
import { receiptIdParam } from "../http/body.ts"
import { ApiError } from "../http/errors.ts"
import type { Principal } from "../http/env.ts"
import { may } from "../officers/roles.ts"
import { PdfFontMissing, receiptPdf } from "../pdf/receipt-pdf.ts"
import { type ConsoleContext, describeError, formOf, redirectWith, render } from "./context.ts"
import { actionName, type Lang, type Words, words } from "./i18n.ts"
import { esc } from "./layout.ts"
import { agencyName, type AuditEntry, auditTrail } from "./queries.ts"
import type { ConsoleEnv } from "./session.ts"
import { money, statusBadge, when } from "./views.ts"

const historyActions = new Set(["draft_created", "draft_submitted", "draft_withdrawn", "issued", "voided", "replaced", "annotated"])

const fieldsTable = (w: Words, r: Receipt, lang: Lang) => {
  const row = (label: string, value: string) => `<tr><th scope="row">${esc(label)}</th><td>${value}</td></tr>`
  return `<table id="receipt-fields">
${row(w.status, statusBadge(r.status, lang))}
${row(w.f_series, esc(`${r.series.form} · ${r.series.symbol}`))}
${r.number === undefined ? "" : row(w.f_number, `<strong>${esc(formatReceiptNumber(r.number))}</strong>`)}
${r.lookupCode === undefined ? "" : row(w.f_lookupCode, `<code>${esc(r.lookupCode)}</code>`)}
${row(w.f_payerName, esc(r.payer.name))}
${row(w.f_payerIdNumber, esc(r.payer.idNumber ?? "—"))}
${row(w.f_payerAddress, esc(r.payer.address ?? "—"))}
${row(w.f_decisionNumber, esc(r.case.decisionNumber ?? "—"))}
${row(w.f_decisionDate, esc(r.case.decisionDate ?? "—"))}
${row(w.f_amount, `<strong>${esc(money(r.amount))}</strong>`)}
${row(w.f_amountInWords, esc(r.amountInWords))}
${row(w.f_reason, esc(r.reason))}
${row(w.f_payment, esc(r.payment.method === "cash" ? w.cash : `${w.bankTransfer} · ${r.payment.reference}`))}
${row(w.f_office, esc(r.office ?? "—"))}
${row(w.f_maker, esc(r.maker))}
${row(w.f_approver, esc(r.approver ?? "—"))}
${row(w.f_createdAt, esc(when(r.createdAt)))}
${row(w.f_issuedAt, esc(when(r.issuedAt)))}
${r.voided === undefined ? "" : row(w.voidedNote, esc(`${r.voided.reason} — ${r.voided.by}, ${when(r.voided.at)}`))}
${r.replaces === undefined ? "" : row(w.replaces, `<a href="/console/receipts/${esc(r.replaces.id)}">${esc(`${r.replaces.series.symbol} ${formatReceiptNumber(r.replaces.number)}`)}</a>`)}
${r.replacedBy === undefined ? "" : row(w.replacedBy, `<a href="/console/receipts/${esc(r.replacedBy.id)}">${esc(`${r.replacedBy.series.symbol} ${formatReceiptNumber(r.replacedBy.number)}`)}</a>`)}
</table>
${r.annotations.length === 0 ? "" : `<h2>${esc(w.annotations)}</h2><ul id="annotations">${r.annotations.map((a) => `<li>${esc(a.field === "payerName" ? w.f_payerName : w.f_payerAddress)}: <strong>${esc(a.value)}</strong>${a.note ? ` (${esc(a.note)})` : ""} — ${esc(a.by)}, ${esc(when(a.at))}</li>`).join("")}</ul>`}`
}

/** Who did it: the officer, or OCR on behalf of the officer who uploaded the scan. */
const actorText = (w: Words, e: AuditEntry): string =>
  e.detail["via"] === "ocr" ? w.ocrOnBehalfOf.replace("{officer}", String(e.detail["onBehalfOf"] ?? e.actor)) : e.actor

const trailTable = (w: Words, lang: Lang, entries: ReadonlyArray<AuditEntry>, id: string) =>
  `<table id="${id}"><thead><tr><th>${esc(w.at)}</th><th>${esc(w.action)}</th><th>${esc(w.actor)}</th><th></th></tr></thead><tbody>
${entries.map((e) => `<tr data-action="${esc(e.action)}"${e.detail["via"] === "ocr" ? ' data-via="ocr"' : ""}><td>${esc(when(e.at))}</td><td>${esc(actionName(lang, e.action))}</td><td>${esc(actorText(w, e))}</td><td class="muted">${esc(typeof e.detail["reason"] === "string" ? e.detail["reason"] : "")}</td></tr>`).join("")}
</tbody></table>`

const forms = (w: Words, r: IssuedReceipt, role: Parameters<typeof may>[0]) => {
  if (r.status !== "issued") return ""
  const id = esc(r.id)
  return `
${may(role, "void") ? `<form method="post" action="/console/receipts/${id}/void" class="card" id="void-form"><h2>${esc(w.voidTitle)}</h2>
<label for="void-reason">${esc(w.voidReason)}</label><textarea id="void-reason" name="reason" required rows="2"></textarea>
<div class="actions"><button class="danger">${esc(w.voidButton)}</button></div></form>` : ""}
${may(role, "draft") ? `<form method="post" action="/console/receipts/${id}/replace" class="card" id="replace-form"><h2>${esc(w.replaceTitle)}</h2><p class="muted">${esc(w.replaceHelp)}</p>
<div class="fields"><label for="rep-amount">${esc(w.f_amount)}</label><input id="rep-amount" name="amount" value="${esc(r.amount.toString())}" inputmode="numeric" required>
<label for="rep-reason">${esc(w.f_reason)}</label><textarea id="rep-reason" name="reason" rows="2" required>${esc(r.reason)}</textarea></div>
<div class="actions"><button>${esc(w.replaceButton)}</button></div></form>` : ""}
${may(role, "annotate") ? `<form method="post" action="/console/receipts/${id}/annotate" class="card" id="annotate-form"><h2>${esc(w.annotateTitle)}</h2>
<div class="fields"><label for="an-field">${esc(w.annotateField)}</label><select id="an-field" name="field"><option value="payerName">${esc(w.f_payerName)}</option><option value="payerAddress">${esc(w.f_payerAddress)}</option></select>
<label for="an-value">${esc(w.annotateValue)}</label><input id="an-value" name="value" required>
<label for="an-note">${esc(w.annotateNote)}</label><input id="an-note" name="note"></div>
<div class="actions"><button>${esc(w.annotateButton)}</button></div></form>` : ""}`
}

export const receiptRoutes = (ctx: ConsoleContext): Hono<ConsoleEnv> => {
  const app = new Hono<ConsoleEnv>()
  const { s, actions } = ctx

  app.get("/receipts/:id", async (c) => {
    const lang = c.get("lang")
    const w = words(lang)
    const p = c.get("principal")
    const r = await actions.get(p, receiptIdParam(c))
    if (!isIssued(r)) return c.redirect(`/console/drafts/${r.id}`, 303)
    const [{ token, url }, trail] = await Promise.all([actions.tokenOf(r), auditTrail(s.db, p.agency, r.id)])
    const qr = qrSvg(qrContent(s.config.publicUrl, token), { title: w.qr })
    const body = `<div class="grid2" style="grid-template-columns:minmax(0,3fr) minmax(0,2fr)">
<section class="card">${fieldsTable(w, r, lang)}</section>
<section><div class="card" id="qr"><h2>${esc(w.qr)}</h2><div style="width:180px">${qr}</div>
<p><a href="${esc(url)}" id="public-link" data-path="/v/${esc(tokenToPathSegment(token))}">${esc(w.publicPage)}</a> · <a href="/console/receipts/${esc(r.id)}/pdf" id="pdf-link">${esc(w.pdf)}</a></p></div>
${forms(w, r, p.role)}</section></div>
<section class="card"><h2>${esc(w.history)}</h2>${trailTable(w, lang, trail.filter((e) => historyActions.has(e.action)), "history")}</section>
${may(p.role, "audit") ? `<section class="card"><h2>${esc(w.audit)}</h2>${trailTable(w, lang, trail, "audit")}</section>` : ""}`
    return render(c, { title: `${w.receiptTitle} ${r.series.symbol} ${formatReceiptNumber(r.number)}`, nav: "search", body })
  })

  app.get("/receipts/:id/pdf", async (c) => {
    const p = c.get("principal")
    const r = await actions.get(p, receiptIdParam(c))
    if (!isIssued(r)) throw new ApiError(409, "not_issued", "a draft has no PDF until it is approved")
    const { token } = await actions.tokenOf(r)
    try {
      const bytes = await receiptPdf({
        receipt: r,
        agencyName: await agencyName(s.db, p.agency),
        qrPng: await qrPng(qrContent(s.config.publicUrl, token), { scale: 4 }),
        verifyUrl: tokenUrl(s.config.publicUrl, token),
        full: true
      })
      return c.body(bytes as Uint8Array<ArrayBuffer>, 200, {
        "Content-Type": "application/pdf",
        "Content-Disposition": `attachment; filename="bien-lai-${r.series.symbol.replace("/", "-")}-${r.number}.pdf"`
      })
    } catch (e) {
      if (e instanceof PdfFontMissing) throw new ApiError(503, "pdf_unavailable", e.message)
      throw e
    }
  })

  const act = (path: string, run: (p: Principal, id: string, form: Record<string, string>, lang: Lang) => Promise<{ readonly to: string; readonly ok: string }>) =>
    app.post(`/receipts/:id/${path}`, async (c) => {
      const id = receiptIdParam(c)
      const lang = c.get("lang")
      try {
        const done = await run(c.get("principal"), id, await formOf(c), lang)
        return redirectWith(c, done.to, { ok: done.ok })
      } catch (e) {
        return redirectWith(c, `/console/receipts/${id}`, { error: describeError(e, lang) })
      }
    })

  act("void", async (p, id, f, lang) => {
    await actions.voidReceipt(p, id, (f["reason"] ?? "").trim())
    return { to: `/console/receipts/${id}`, ok: words(lang).st_voided }
  })
  act("replace", async (p, id, f, lang) => {
    const original = await actions.get(p, id)
    const amount = parseVnd(f["amount"] ?? "")
    if (Result.isFailure(amount)) throw new ApiError(422, "invalid_amount", amount.failure.message)
    const draft = await actions.replace(p, id, {
      agency: original.agency,
      office: original.office,
      series: original.series,
      payer: original.payer,
      case: original.case,
      reason: (f["reason"] ?? "").trim() || original.reason,
      amount: amount.success,
      payment: original.payment
    })
    return { to: `/console/drafts/${draft.id}`, ok: words(lang).replaceTitle }
  })
  act("annotate", async (p, id, f, lang) => {
    const field = f["field"] === "payerAddress" ? "payerAddress" : "payerName"
    const note = (f["note"] ?? "").trim()
    await actions.annotate(p, id, { field, value: (f["value"] ?? "").trim(), ...(note === "" ? {} : { note }) })
    return { to: `/console/receipts/${id}`, ok: words(lang).annotations }
  })
  return app
}
