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
import { qrContent, tokenToPathSegment } from "../../domain/signing/url.ts"
import { receiptIdParam } from "../http/params.ts"
import { ApiError, refusal } from "../http/errors.ts"
import type { Principal } from "../http/env.ts"
import { amountProblemText } from "../officers/field-messages.ts"
import { may } from "../officers/roles.ts"
import { PdfFontMissing } from "../../adapters/pdf/receipt-pdf.ts"
import { servedReceiptPdf } from "../pdf/served-receipt-pdf.ts"
import { type Signatory, signatories } from "../../store/officers/signatories.ts"
import { type C, type ConsoleContext, describeError, formOf, redirectWith, render } from "./context.ts"
import { actionName, type Lang, type Words, words } from "./i18n.ts"
import { type Html, html, raw } from "../http/html.ts"
import { type AuditEntry, auditTrail } from "./queries.ts"
import { notificationsOfReceipt } from "../../store/notifications/outbox.ts"
import { resendDeadOfReceipt } from "../../store/notifications/resend.ts"
import { recordEdgeAudit } from "../../store/audit/edge-audit.ts"
import { requirePermission } from "../officers/actions.ts"
import { notificationsCard, resendWords } from "./receipt-notifications.ts"
import type { ConsoleEnv } from "./session.ts"
import { money, statusBadge, when } from "./views.ts"
import { isUuid } from "../../domain/ids.ts"

const historyActions = new Set([
  "draft_created", "draft_submitted", "draft_withdrawn", "issued", "voided", "replaced", "annotated",
  "correction_requested", "correction_rejected", "correction_withdrawn"
])

const fieldName = (w: Words, field: string) => (field === "payerName" ? w.f_payerName : w.f_payerAddress)

/** An officer as the PDF names them (full name, title), with the login id beside it for colleagues. */
const officerText = (people: ReadonlyMap<string, Signatory>, id: string | undefined): string => {
  if (id === undefined) return "—"
  const o = people.get(id)
  return o === undefined ? id : `${o.name}${o.title === undefined ? "" : `, ${o.title}`} (${id})`
}

const fieldsTable = (w: Words, r: Receipt, lang: Lang, people: ReadonlyMap<string, Signatory> = new Map()): Html => {
  const row = (label: string, value: Html | string) => html`<tr><th scope="row">${label}</th><td>${value}</td></tr>`
  const approved = r.annotations.filter((a) => a.approvedBy !== undefined)
  return html`<table id="receipt-fields">
${row(w.status, statusBadge(r.status, lang))}
${row(w.f_series, `${r.series.form} · ${r.series.symbol}`)}
${r.number === undefined ? "" : row(w.f_number, html`<strong>${formatReceiptNumber(r.number)}</strong>`)}
${r.lookupCode === undefined ? "" : row(w.f_lookupCode, html`<code>${r.lookupCode}</code>`)}
${row(w.f_payerName, r.payer.name)}
${row(w.f_payerIdNumber, r.payer.idNumber ?? "—")}
${row(w.f_payerAddress, r.payer.address ?? "—")}
${row(w.f_decisionNumber, r.case.decisionNumber ?? "—")}
${row(w.f_decisionDate, r.case.decisionDate ?? "—")}
${row(w.f_amount, html`<strong>${money(r.amount)}</strong>`)}
${row(w.f_amountInWords, r.amountInWords)}
${row(w.f_reason, r.reason)}
${row(w.f_payment, r.payment.method === "cash" ? w.cash : `${w.bankTransfer} · ${r.payment.reference}`)}
${row(w.f_office, r.office ?? "—")}
${row(w.f_maker, officerText(people, r.maker))}
${row(w.f_approver, officerText(people, r.approver))}
${row(w.f_createdAt, when(r.createdAt))}
${row(w.f_issuedAt, when(r.issuedAt))}
${r.voided === undefined ? "" : row(w.voidedNote, `${r.voided.reason} — ${r.voided.by}, ${when(r.voided.at)}`)}
${r.replaces === undefined ? "" : row(w.replaces, html`<a href="/console/receipts/${r.replaces.id}">${`${r.replaces.series.symbol} ${formatReceiptNumber(r.replaces.number)}`}</a>`)}
${r.replacedBy === undefined ? "" : row(w.replacedBy, html`<a href="/console/receipts/${r.replacedBy.id}">${`${r.replacedBy.series.symbol} ${formatReceiptNumber(r.replacedBy.number)}`}</a>`)}
</table>
${approved.length === 0 ? "" : html`<h2>${w.annotations}</h2><p class="muted">${w.correctionsBesideSigned}</p><ul id="annotations">${approved.map((a) => html`<li>${fieldName(w, a.field)}: <strong>${a.value}</strong>${a.note ? html` (${a.note})` : ""} — ${w.requestedApproved.replace("{by}", a.by).replace("{approver}", a.approvedBy ?? "").replace("{at}", when(a.at))}</li>`)}</ul>`}`
}

/** Who did it: the officer, or OCR on behalf of the officer who uploaded the scan. */
const actorText = (w: Words, e: AuditEntry): string =>
  e.detail["via"] === "ocr" ? w.ocrOnBehalfOf.replace("{officer}", String(e.detail["onBehalfOf"] ?? e.actor)) : e.actor

const trailTable = (w: Words, lang: Lang, entries: ReadonlyArray<AuditEntry>, id: string): Html =>
  html`<table id="${id}"><thead><tr><th>${w.at}</th><th>${w.action}</th><th>${w.actor}</th><th></th></tr></thead><tbody>
${entries.map((e) => html`<tr data-action="${e.action}"${e.detail["via"] === "ocr" ? html` data-via="ocr"` : ""}><td>${when(e.at)}</td><td>${actionName(lang, e.action)}</td><td>${actorText(w, e)}</td><td class="muted">${typeof e.detail["reason"] === "string" ? e.detail["reason"] : typeof e.detail["value"] === "string" ? e.detail["value"] : ""}</td></tr>`)}
</tbody></table>`

/** What was typed into a form that was refused, to show it again. */
interface Typed {
  readonly form: "void" | "replace" | "correction" | "reject"
  readonly values: Record<string, string>
  readonly requestId?: string
}

const pendingList = (w: Words, r: IssuedReceipt, p: Principal, pending: ReadonlyArray<CorrectionRequest>, typed: Typed | undefined): Html | "" =>
  pending.length === 0 ? "" : html`<section class="card" id="pending-corrections"><h2>${w.pendingCorrections}</h2>
${pending.map((q) => {
    const mine = q.requestedBy === p.officer
    const rejectReason = typed?.form === "reject" && typed.requestId === q.id ? typed.values["reason"] ?? "" : ""
    const decide = may(p.role, "approve") && !mine
      ? html`<form method="post" action="/console/corrections/${q.id}/approve" class="inline"><input type="hidden" name="value" value="${q.value}">
<button type="submit" class="approve-correction">${w.approveCorrection}</button></form>
<form method="post" action="/console/corrections/${q.id}/reject" class="inline"><label for="reject-${q.id}">${w.rejectReason}</label>
<input id="reject-${q.id}" name="reason" required value="${rejectReason}"> <button type="submit" class="secondary">${w.rejectCorrection}</button></form>`
      : mine
      ? html`<span class="muted">${w.ownCorrection}</span> <form method="post" action="/console/corrections/${q.id}/withdraw" class="inline"><button type="submit" class="secondary">${w.withdrawCorrection}</button></form>`
      : ""
    return html`<div class="correction" data-request="${q.id}"><p>${fieldName(w, q.field)}: <del>${(q.field === "payerName" ? r.payer.name : r.payer.address) ?? "—"}</del> → <strong class="proposed">${q.value}</strong>${q.note === undefined ? "" : html` (${q.note})`}
<br><span class="muted">${w.requestedByAt.replace("{by}", q.requestedBy).replace("{at}", when(q.requestedAt))}</span></p><div class="actions">${decide}</div></div>`
  })}</section>`

const forms = (w: Words, r: IssuedReceipt, p: Principal, typed: Typed | undefined): Html => {
  const id = r.id
  const v = (form: Typed["form"], key: string, fallback: string) => (typed?.form === form ? typed.values[key] ?? "" : fallback)
  const field = v("correction", "field", "payerName")
  const selected = html` selected`
  return html`
${r.status === "issued" && may(p.role, "void") ? html`<form method="post" action="/console/receipts/${id}/void" class="card" id="void-form"><h2>${w.voidTitle}</h2>
<label for="void-reason">${w.voidReason}</label><textarea id="void-reason" name="reason" required rows="2">${v("void", "reason", "")}</textarea>
<div class="actions"><button class="danger" data-confirm="${w.confirmVoid}">${w.voidButton}</button></div></form>` : ""}
${r.status === "issued" && may(p.role, "draft") ? html`<form method="post" action="/console/receipts/${id}/replace" class="card" id="replace-form"><h2>${w.replaceTitle}</h2><p class="muted">${w.replaceHelp}</p>
<div class="fields"><label for="rep-amount">${w.f_amount}</label><input id="rep-amount" name="amount" value="${v("replace", "amount", r.amount.toString())}" inputmode="numeric" required>
<label for="rep-reason">${w.f_reason}</label><textarea id="rep-reason" name="reason" rows="2" required>${v("replace", "reason", r.reason)}</textarea></div>
<div class="actions"><button>${w.replaceButton}</button></div></form>` : ""}
${may(p.role, "annotate") ? html`<form method="post" action="/console/receipts/${id}/corrections" class="card" id="annotate-form"><h2>${w.annotateTitle}</h2><p class="muted">${w.correctionHelp}</p>
<div class="fields"><label for="an-field">${w.annotateField}</label><select id="an-field" name="field"><option value="payerName"${field === "payerName" ? selected : ""}>${w.f_payerName}</option><option value="payerAddress"${field === "payerAddress" ? selected : ""}>${w.f_payerAddress}</option></select>
<label for="an-value">${w.annotateValue}</label><input id="an-value" name="value" required value="${v("correction", "value", "")}">
<label for="an-note">${w.annotateNote}</label><input id="an-note" name="note" value="${v("correction", "note", "")}"></div>
<div class="actions"><button>${w.annotateButton}</button></div></form>` : ""}`
}

export const receiptRoutes = (ctx: ConsoleContext): Hono<ConsoleEnv> => {
  const app = new Hono<ConsoleEnv>()
  const { s, actions } = ctx

  /** The receipt's screen; after a refused form, with the reason and what was typed (422). */
  const screen = async (c: C, r: IssuedReceipt, refused?: { readonly message: string; readonly typed: Typed }) => {
    const lang = c.get("lang")
    const w = words(lang)
    const p = c.get("principal")
    const [{ token, url }, trail, corrections, people, notifications] = await Promise.all([actions.tokenOf(r), auditTrail(s.db, p.agency, r.id), actions.corrections(p, r.id), signatories(s.db, p.agency, [r.maker, r.approver]), notificationsOfReceipt(s.db, p.agency, r.id)])
    // The QR adapter's SVG is markup it drew from the code's matrix (its title escaped by the adapter), so it goes in as it is.
    const qr = raw(s.qr.svg(qrContent(s.config.publicUrl, token), { title: w.qr }))
    const body = html`${refused === undefined ? "" : html`<p class="flash error" role="alert" id="form-error">${refused.message}</p>`}
<div class="grid2" style="grid-template-columns:minmax(0,3fr) minmax(0,2fr)">
<section class="card">${fieldsTable(w, r, lang, people)}</section>
<section><div class="card" id="qr"><h2>${w.qr}</h2><div style="width:180px">${qr}</div>
<p><a href="${url}" id="public-link" data-path="/v/${tokenToPathSegment(token)}">${w.publicPage}</a> · <a href="/console/receipts/${r.id}/pdf" id="pdf-link">${w.pdf}</a></p></div>
${pendingList(w, r, p, corrections.filter((q) => q.status === "pending"), refused?.typed)}
${forms(w, r, p, refused?.typed)}</section></div>
<section class="card"><h2>${w.history}</h2>${trailTable(w, lang, trail.filter((e) => historyActions.has(e.action)), "history")}</section>
${notificationsCard(lang, notifications, may(p.role, "resendNotifications") ? (n) => `/console/receipts/${r.id}/notifications/${n}/resend` : undefined)}
${may(p.role, "audit") ? html`<section class="card"><h2>${w.audit}</h2>${trailTable(w, lang, trail, "audit")}</section>` : ""}`
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
      const pdf = await servedReceiptPdf(s, r, token, { full: true })
      return c.body(pdf.bytes as Uint8Array<ArrayBuffer>, 200, {
        "Content-Type": "application/pdf",
        "Content-Disposition": `attachment; filename="${pdf.name}"`,
        "Bienlai-Pdf-Signature": pdf.signature
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
        body: html`<div class="card" id="confirm-void"><p>${w.confirmVoidOf.replace("{what}", `${r.series.symbol} ${formatReceiptNumber(r.number)}`)}</p>
<p>${w.voidReason}: <strong>${reason === "" ? "—" : reason}</strong></p>
<form method="post" action="/console/receipts/${id}/void"><input type="hidden" name="confirm" value="1"><input type="hidden" name="reason" value="${reason}">
<div class="actions"><button type="submit" class="danger" id="confirm-void-yes">${w.voidButton}</button>
<a class="button secondary" href="/console/receipts/${id}" id="confirm-void-no">${w.cancel}</a></div></form></div>`
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
    if (!isUuid(id)) throw new ApiError(404, "not_found", "no such correction request")
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

  // Sends a dead-lettered notification about the receipt again: its id must be one of this receipt's,
  // in the officer's agency, and dead; the audit keeps who did it and what it had failed with.
  app.post("/receipts/:id/notifications/:notificationId/resend", async (c) => {
    const id = receiptIdParam(c)
    const notificationId = (c.req.param("notificationId") ?? "").toLowerCase()
    const lang = c.get("lang")
    const p = c.get("principal")
    requirePermission(p, "resendNotifications")
    await formOf(c)
    const r = await actions.get(p, id)
    if (!isIssued(r)) return c.redirect(`/console/drafts/${r.id}`, 303)
    const resent = isUuid(notificationId)
      ? await resendDeadOfReceipt(s.db, { agency: p.agency, receiptId: r.id, notificationId, now: s.now().toISOString() })
      : undefined
    if (resent === undefined) return redirectWith(c, `/console/receipts/${r.id}`, { error: resendWords[lang].notDead })
    await recordEdgeAudit(s.db, {
      agency: p.agency,
      actor: p.officer,
      action: "notification_resent",
      target: r.id,
      at: s.now().toISOString(),
      detail: { notification: resent.id, channel: resent.channel, attempts: resent.attempts, lastError: resent.lastError }
    })
    return redirectWith(c, `/console/receipts/${r.id}`, { ok: resendWords[lang].done })
  })

  decide("approve", (p, id, f) => actions.approveCorrection(p, id, f["value"] ?? ""), (w) => w.correctionApproved)
  decide("reject", (p, id, f) => actions.rejectCorrection(p, id, f["reason"] ?? ""), (w) => w.correctionRejected)
  decide("withdraw", (p, id) => actions.withdrawCorrection(p, id), (w) => w.correctionWithdrawn)
  return app
}
