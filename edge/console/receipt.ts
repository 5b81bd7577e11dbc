/**
 * One receipt: every field, its QR and PDF, its status history and audit
 * trail, and what may still happen to it: void (with a reason, asked
 * first), a replacement draft, and corrections of the payer's name or
 * address — requested by one officer, approved (with the exact text) or
 * rejected by another. Each form shows only to roles that may use it; the
 * actions check again. A refused form comes back with what was typed.
 *
 *   GET  /receipts/:id                       the screen (a draft redirects to its review)
 *   GET  /receipts/:id/pdf                   the printable receipt
 *   POST /receipts/:id/void                  reason (confirm=1 once asked)
 *   POST /receipts/:id/replace               amount, reason → the replacement draft
 *   POST /receipts/:id/corrections           field, value, note → a correction request
 *   POST /corrections/:requestId/approve     value (the exact text approved)
 *   POST /corrections/:requestId/reject      reason
 *   POST /corrections/:requestId/withdraw    by its requester
 */
import { Hono } from "hono"
import { Result } from "effect"
import type { CorrectionRequest } from "../../domain/corrections.ts"
import { parseVnd } from "../../domain/money.ts"
import { formatReceiptNumber, type IssuedReceipt, isIssued, type Receipt } from "../../domain/receipt.ts"
import { qrContent, tokenToPathSegment, tokenUrl } from "../../domain/signing/url.ts"
import { qrPng, qrSvg } from "../../adapters/qr/encode.ts"
import { receiptIdParam } from "../http/body.ts"
import { ApiError, refusal } from "../http/errors.ts"
import type { Principal } from "../http/env.ts"
import { amountProblemText } from "../officers/field-messages.ts"
import { may } from "../officers/roles.ts"
import { PdfFontMissing, receiptPdf } from "../../adapters/pdf/receipt-pdf.ts"
import { type C, type ConsoleContext, describeError, formOf, redirectWith, render } from "./context.ts"
import { actionName, type Lang, type Words, words } from "./i18n.ts"
import { esc } from "./layout.ts"
import { agencyName, type AuditEntry, auditTrail } from "./queries.ts"
import type { ConsoleEnv } from "./session.ts"
import { money, statusBadge, when } from "./views.ts"

const historyActions = new Set([
  "draft_created", "draft_submitted", "draft_withdrawn", "issued", "voided", "replaced", "annotated",
  "correction_requested", "correction_rejected", "correction_withdrawn"
])

const fieldName = (w: Words, field: string) => (field === "payerName" ? w.f_payerName : w.f_payerAddress)

const fieldsTable = (w: Words, r: Receipt, lang: Lang) => {
  const row = (label: string, value: string) => `<tr><th scope="row">${esc(label)}</th><td>${value}</td></tr>`
  const approved = r.annotations.filter((a) => a.approvedBy !== undefined)
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
${approved.length === 0 ? "" : `<h2>${esc(w.annotations)}</h2><p class="muted">${esc(w.correctionsBesideSigned)}</p><ul id="annotations">${approved.map((a) => `<li>${esc(fieldName(w, a.field))}: <strong>${esc(a.value)}</strong>${a.note ? ` (${esc(a.note)})` : ""} — ${esc(w.requestedApproved.replace("{by}", a.by).replace("{approver}", a.approvedBy ?? "").replace("{at}", when(a.at)))}</li>`).join("")}</ul>`}`
}

/** Who did it: the officer, or OCR on behalf of the officer who uploaded the scan. */
const actorText = (w: Words, e: AuditEntry): string =>
  e.detail["via"] === "ocr" ? w.ocrOnBehalfOf.replace("{officer}", String(e.detail["onBehalfOf"] ?? e.actor)) : e.actor

const trailTable = (w: Words, lang: Lang, entries: ReadonlyArray<AuditEntry>, id: string) =>
  `<table id="${id}"><thead><tr><th>${esc(w.at)}</th><th>${esc(w.action)}</th><th>${esc(w.actor)}</th><th></th></tr></thead><tbody>
${entries.map((e) => `<tr data-action="${esc(e.action)}"${e.detail["via"] === "ocr" ? ' data-via="ocr"' : ""}><td>${esc(when(e.at))}</td><td>${esc(actionName(lang, e.action))}</td><td>${esc(actorText(w, e))}</td><td class="muted">${esc(typeof e.detail["reason"] === "string" ? e.detail["reason"] : typeof e.detail["value"] === "string" ? e.detail["value"] : "")}</td></tr>`).join("")}
</tbody></table>`

/** What was typed into a form that was refused, to show it again. */
interface Typed {
  readonly form: "void" | "replace" | "correction" | "reject"
  readonly values: Record<string, string>
  readonly requestId?: string
}

const pendingList = (w: Words, r: IssuedReceipt, p: Principal, pending: ReadonlyArray<CorrectionRequest>, typed: Typed | undefined) =>
  pending.length === 0 ? "" : `<section class="card" id="pending-corrections"><h2>${esc(w.pendingCorrections)}</h2>
${pending.map((q) => {
    const mine = q.requestedBy === p.officer
    const rejectReason = typed?.form === "reject" && typed.requestId === q.id ? typed.values["reason"] ?? "" : ""
    const decide = may(p.role, "approve") && !mine
      ? `<form method="post" action="/console/corrections/${esc(q.id)}/approve" class="inline"><input type="hidden" name="value" value="${esc(q.value)}">
<button type="submit" class="approve-correction">${esc(w.approveCorrection)}</button></form>
<form method="post" action="/console/corrections/${esc(q.id)}/reject" class="inline"><label for="reject-${esc(q.id)}">${esc(w.rejectReason)}</label>
<input id="reject-${esc(q.id)}" name="reason" required value="${esc(rejectReason)}"> <button type="submit" class="secondary">${esc(w.rejectCorrection)}</button></form>`
      : mine
      ? `<span class="muted">${esc(w.ownCorrection)}</span> <form method="post" action="/console/corrections/${esc(q.id)}/withdraw" class="inline"><button type="submit" class="secondary">${esc(w.withdrawCorrection)}</button></form>`
      : ""
    return `<div class="correction" data-request="${esc(q.id)}"><p>${esc(fieldName(w, q.field))}: <del>${esc((q.field === "payerName" ? r.payer.name : r.payer.address) ?? "—")}</del> → <strong class="proposed">${esc(q.value)}</strong>${q.note === undefined ? "" : ` (${esc(q.note)})`}
<br><span class="muted">${esc(w.requestedByAt.replace("{by}", q.requestedBy).replace("{at}", when(q.requestedAt)))}</span></p><div class="actions">${decide}</div></div>`
  }).join("")}</section>`

const forms = (w: Words, r: IssuedReceipt, p: Principal, typed: Typed | undefined) => {
  const id = esc(r.id)
  const v = (form: Typed["form"], key: string, fallback: string) => (typed?.form === form ? typed.values[key] ?? "" : fallback)
  const field = v("correction", "field", "payerName")
  return `
${r.status === "issued" && may(p.role, "void") ? `<form method="post" action="/console/receipts/${id}/void" class="card" id="void-form"><h2>${esc(w.voidTitle)}</h2>
<label for="void-reason">${esc(w.voidReason)}</label><textarea id="void-reason" name="reason" required rows="2">${esc(v("void", "reason", ""))}</textarea>
<div class="actions"><button class="danger" data-confirm="${esc(w.confirmVoid)}">${esc(w.voidButton)}</button></div></form>` : ""}
${r.status === "issued" && may(p.role, "draft") ? `<form method="post" action="/console/receipts/${id}/replace" class="card" id="replace-form"><h2>${esc(w.replaceTitle)}</h2><p class="muted">${esc(w.replaceHelp)}</p>
<div class="fields"><label for="rep-amount">${esc(w.f_amount)}</label><input id="rep-amount" name="amount" value="${esc(v("replace", "amount", r.amount.toString()))}" inputmode="numeric" required>
<label for="rep-reason">${esc(w.f_reason)}</label><textarea id="rep-reason" name="reason" rows="2" required>${esc(v("replace", "reason", r.reason))}</textarea></div>
<div class="actions"><button>${esc(w.replaceButton)}</button></div></form>` : ""}
${may(p.role, "annotate") ? `<form method="post" action="/console/receipts/${id}/corrections" class="card" id="annotate-form"><h2>${esc(w.annotateTitle)}</h2><p class="muted">${esc(w.correctionHelp)}</p>
<div class="fields"><label for="an-field">${esc(w.annotateField)}</label><select id="an-field" name="field"><option value="payerName"${field === "payerName" ? " selected" : ""}>${esc(w.f_payerName)}</option><option value="payerAddress"${field === "payerAddress" ? " selected" : ""}>${esc(w.f_payerAddress)}</option></select>
<label for="an-value">${esc(w.annotateValue)}</label><input id="an-value" name="value" required value="${esc(v("correction", "value", ""))}">
<label for="an-note">${esc(w.annotateNote)}</label><input id="an-note" name="note" value="${esc(v("correction", "note", ""))}"></div>
<div class="actions"><button>${esc(w.annotateButton)}</button></div></form>` : ""}`
}

export const receiptRoutes = (ctx: ConsoleContext): Hono<ConsoleEnv> => {
  const app = new Hono<ConsoleEnv>()
  const { s, actions } = ctx

  /** The receipt's screen; after a refused form, with the reason and what was typed (422). */
  const screen = async (c: C, r: IssuedReceipt, refused?: { readonly message: string; readonly typed: Typed }) => {
    const lang = c.get("lang")
    const w = words(lang)
    const p = c.get("principal")
    const [{ token, url }, trail, corrections] = await Promise.all([actions.tokenOf(r), auditTrail(s.db, p.agency, r.id), actions.corrections(p, r.id)])
    const qr = qrSvg(qrContent(s.config.publicUrl, token), { title: w.qr })
    const body = `${refused === undefined ? "" : `<p class="flash error" role="alert" id="form-error">${esc(refused.message)}</p>`}
<div class="grid2" style="grid-template-columns:minmax(0,3fr) minmax(0,2fr)">
<section class="card">${fieldsTable(w, r, lang)}</section>
<section><div class="card" id="qr"><h2>${esc(w.qr)}</h2><div style="width:180px">${qr}</div>
<p><a href="${esc(url)}" id="public-link" data-path="/v/${esc(tokenToPathSegment(token))}">${esc(w.publicPage)}</a> · <a href="/console/receipts/${esc(r.id)}/pdf" id="pdf-link">${esc(w.pdf)}</a></p></div>
${pendingList(w, r, p, corrections.filter((q) => q.status === "pending"), refused?.typed)}
${forms(w, r, p, refused?.typed)}</section></div>
<section class="card"><h2>${esc(w.history)}</h2>${trailTable(w, lang, trail.filter((e) => historyActions.has(e.action)), "history")}</section>
${may(p.role, "audit") ? `<section class="card"><h2>${esc(w.audit)}</h2>${trailTable(w, lang, trail, "audit")}</section>` : ""}`
    return render(c, { title: `${w.receiptTitle} ${r.series.symbol} ${formatReceiptNumber(r.number)}`, nav: "search", body, ...(refused === undefined ? {} : { status: 422 as const }) })
  }

  app.get("/receipts/:id", async (c) => {
    const r = await actions.get(c.get("principal"), receiptIdParam(c))
    if (!isIssued(r)) return c.redirect(`/console/drafts/${r.id}`, 303)
    return screen(c, r)
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

  /**
   * A form about receipt `receiptId`: on success back to `done.to` with a
   * notice; refused, the receipt's screen with the reason and the form as
   * typed.
   */
  const act = async (
    c: C,
    receiptId: string,
    form: Typed["form"],
    values: Record<string, string>,
    run: () => Promise<{ readonly to: string; readonly ok: string }>,
    requestId?: string
  ) => {
    try {
      const done = await run()
      return redirectWith(c, done.to, { ok: done.ok })
    } catch (e) {
      const message = describeError(e, c.get("lang"))
      const r = await actions.get(c.get("principal"), receiptId).catch(() => undefined)
      if (r === undefined || !isIssued(r)) return redirectWith(c, `/console/receipts/${receiptId}`, { error: message })
      return screen(c, r, { message, typed: { form, values, ...(requestId === undefined ? {} : { requestId }) } })
    }
  }

  app.post("/receipts/:id/void", async (c) => {
    const id = receiptIdParam(c)
    const lang = c.get("lang")
    const w = words(lang)
    const f = await formOf(c)
    const reason = (f["reason"] ?? "").trim()
    if (f["confirm"] !== "1") {
      const r = await actions.get(c.get("principal"), id)
      if (!isIssued(r)) return c.redirect(`/console/drafts/${r.id}`, 303)
      // Asked first (without script; with it, the dialog already asked): what goes, and the two choices.
      return render(c, {
        title: w.voidTitle,
        nav: "search",
        body: `<div class="card" id="confirm-void"><p>${esc(w.confirmVoidOf.replace("{what}", `${r.series.symbol} ${formatReceiptNumber(r.number)}`))}</p>
<p>${esc(w.voidReason)}: <strong>${esc(reason === "" ? "—" : reason)}</strong></p>
<form method="post" action="/console/receipts/${esc(id)}/void"><input type="hidden" name="confirm" value="1"><input type="hidden" name="reason" value="${esc(reason)}">
<div class="actions"><button type="submit" class="danger" id="confirm-void-yes">${esc(w.voidButton)}</button>
<a class="button secondary" href="/console/receipts/${esc(id)}" id="confirm-void-no">${esc(w.cancel)}</a></div></form></div>`
      })
    }
    return act(c, id, "void", f, async () => {
      await actions.voidReceipt(c.get("principal"), id, reason)
      return { to: `/console/receipts/${id}`, ok: w.st_voided }
    })
  })

  app.post("/receipts/:id/replace", async (c) => {
    const id = receiptIdParam(c)
    const lang = c.get("lang")
    const f = await formOf(c)
    return act(c, id, "replace", f, async () => {
      const p = c.get("principal")
      const original = await actions.get(p, id)
      const amount = parseVnd(f["amount"] ?? "")
      if (Result.isFailure(amount)) {
        const why = amountProblemText(amount.failure)
        throw refusal(422, "invalid_amount", { vi: `${words("vi").f_amount}: ${why.vi}`, en: `${words("en").f_amount}: ${why.en}` })
      }
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
  })

  app.post("/receipts/:id/corrections", async (c) => {
    const id = receiptIdParam(c)
    const f = await formOf(c)
    return act(c, id, "correction", f, async () => {
      const note = (f["note"] ?? "").trim()
      await actions.requestCorrection(c.get("principal"), id, {
        field: f["field"] === "payerAddress" ? "payerAddress" : "payerName",
        value: f["value"] ?? "",
        ...(note === "" ? {} : { note })
      })
      return { to: `/console/receipts/${id}`, ok: words(c.get("lang")).correctionRequested }
    })
  })

  const requestIdParam = (c: C): string => {
    const id = (c.req.param("requestId") ?? "").toLowerCase()
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(id)) throw new ApiError(404, "not_found", "no such correction request")
    return id
  }

  const decide = (path: "approve" | "reject" | "withdraw", run: (p: Principal, requestId: string, f: Record<string, string>) => Promise<unknown>, ok: (w: Words) => string) =>
    app.post(`/corrections/:requestId/${path}`, async (c) => {
      const requestId = requestIdParam(c)
      const p = c.get("principal")
      const f = await formOf(c)
      const q = await actions.correction(p, requestId)
      return act(c, q.receiptId, "reject", f, async () => {
        await run(p, requestId, f)
        return { to: `/console/receipts/${q.receiptId}`, ok: ok(words(c.get("lang"))) }
      }, requestId)
    })

  decide("approve", (p, id, f) => actions.approveCorrection(p, id, f["value"] ?? ""), (w) => w.correctionApproved)
  decide("reject", (p, id, f) => actions.rejectCorrection(p, id, f["reason"] ?? ""), (w) => w.correctionRejected)
  decide("withdraw", (p, id) => actions.withdrawCorrection(p, id), (w) => w.correctionWithdrawn)
  return app
}
