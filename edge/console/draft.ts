/**
 * Draft review: the scan beside the fields, each field's OCR confidence
 * (low ones highlighted), the extractor's warnings, editing (the amount in
 * words follows the figures), submission for approval and, for an
 * approver, approving exactly what the page shows.
 *
 * A value typed into the form survives a refusal: the page comes back with
 * what was typed and the reason, not an empty form. Deleting asks first: a
 * confirmation page without script, a dialog with it.
 *
 *   GET  /drafts/:id            the screen (an issued receipt redirects to its view)
 *   GET  /drafts/:id/scan       the scan image
 *   POST /drafts/:id            save the fields (its maker; a submitted draft becomes a draft again)
 *   POST /drafts/:id/submit     save, then submit for approval (refused while a field is unread or the amount is 0)
 *   POST /drafts/:id/withdraw   take a submitted draft back
 *   POST /drafts/:id/delete     delete the draft and its scans (asks first; an administrator gives a reason)
 *   GET  /words?amount=         the amount in words, for the page script
 */
import { Hono } from "hono"
import { Result } from "effect"
import { amountInWords } from "../../domain/amount-in-words.ts"
import { MAX_VND, parseVnd } from "../../domain/money.ts"
import type { DraftInput } from "../../domain/lifecycle.ts"
import { isUnissued, type Receipt } from "../../domain/receipt.ts"
import { shortContentHash } from "../../store/receipts/content-hash.ts"
import { refusal } from "../http/errors.ts"
import { receiptIdParam } from "../http/params.ts"
import { amountProblemText } from "../officers/field-messages.ts"
import { labelText } from "../officers/refusals.ts"
import { may } from "../officers/roles.ts"
import { labelOf } from "../../domain/lifecycle.ts"
import { type C, type ConsoleContext, describeError, formOf, redirectWith, render } from "./context.ts"
import { NOT_READ } from "./draft-from-scan.ts"
import { warningText } from "./ocr-messages.ts"
import { type Lang, type Words, words } from "./i18n.ts"
import { type Html, html } from "../http/html.ts"
import { extractionOf, scanOf, type StoredExtraction } from "./queries.ts"
import type { ConsoleEnv } from "./session.ts"

/**
 * Below this OCR confidence a field is highlighted for a second look. Confidences are calibrated
 * (docs/OCR.md, Confidence): at 0.9 or more a field was right 98.4 % (corpus A) and 97.4 %
 * (corpus B) of the time on the evaluation, short of the 99 % goal, so even a field above the
 * line is the approver's to check; below it, often enough wrong to be checked first.
 */
export const LOW_CONFIDENCE = 0.9

type FieldKey = "payerName" | "payerIdNumber" | "payerAddress" | "office" | "decisionNumber" | "decisionDate" | "amount" | "reason" | "bankReference"
const fieldKeys: ReadonlyArray<FieldKey> = ["payerName", "payerIdNumber", "payerAddress", "office", "decisionNumber", "decisionDate", "amount", "reason", "bankReference"]

type Values = Record<FieldKey, string> & { readonly paymentMethod: "cash" | "bank_transfer" }

const valuesOf = (d: Receipt): Values => ({
  payerName: d.payer.name,
  payerIdNumber: d.payer.idNumber ?? "",
  payerAddress: d.payer.address ?? "",
  office: d.office ?? "",
  decisionNumber: d.case.decisionNumber ?? "",
  decisionDate: d.case.decisionDate ?? "",
  amount: d.amount.toString(),
  reason: d.reason,
  bankReference: d.payment.method === "bank_transfer" ? d.payment.reference : "",
  paymentMethod: d.payment.method
})

/** What the officer typed, as the form shows it again after a refusal. */
const valuesTyped = (f: Record<string, string>): Values => ({
  ...(Object.fromEntries(fieldKeys.map((k) => [k, f[k] ?? ""])) as Record<FieldKey, string>),
  paymentMethod: f["paymentMethod"] === "cash" ? "cash" : "bank_transfer"
})

const fieldLabel = (w: Words, key: FieldKey): string => (key === "office" ? w.f_office : w[`f_${key}`])

const fieldRow = (w: Words, key: FieldKey, value: string, ex: StoredExtraction | undefined, editable: boolean, kind: "text" | "date" | "area" = "text"): Html => {
  const conf = ex?.confidence[key as keyof StoredExtraction["confidence"]]
  const unread = value === NOT_READ
  const low = unread || (conf !== undefined && conf < LOW_CONFIDENCE)
  const id = `f-${key}`
  const dis = editable ? "" : html` readonly`
  const shown = unread ? "" : value
  const placeholder = unread ? html` placeholder="${w.needsInput}"` : ""
  const input = kind === "area"
    ? html`<textarea id="${id}" name="${key}" rows="2"${dis}${placeholder}>${shown}</textarea>`
    : html`<input id="${id}" name="${key}" type="${kind}" value="${shown}"${dis}${placeholder}${key === "amount" ? html` inputmode="numeric" data-amount` : ""}>`
  // What OCR read but the draft does not hold (the domain refused it, or the officer changed it).
  const read = ex?.fields[key as keyof StoredExtraction["fields"]]
  const readNote = read !== undefined && read !== value && key !== "amount" ? html` <span class="conf" data-read>${w.ocrRead}: ${read}</span>` : ""
  const note = unread
    ? html`<span class="conf low">${w.needsInput}</span>${readNote}`
    : conf === undefined ? readNote : html`<span class="conf${low ? " low" : ""}" data-confidence="${String(conf)}">${w.confidence} ${Math.round(conf * 100)}%${low ? ` — ${w.lowConfidence}` : ""}</span>${readNote}`
  return html`<label for="${id}">${fieldLabel(w, key)}</label><div class="${low ? "field-low" : ""}" data-field="${key}">${input}${note}</div>`
}

const scanPanel = (w: Words, id: string, type: string | undefined): Html =>
  type === undefined
    ? html`<p class="muted">${w.noScan}</p>`
    : type === "application/pdf"
    ? html`<object data="/console/drafts/${id}/scan" type="application/pdf" width="100%" height="620">${w.scanImage}</object>`
    : html`<img src="/console/drafts/${id}/scan" alt="${w.scanImage}" id="scan-image">`

interface Viewer {
  readonly isMaker: boolean
  readonly mayDraft: boolean
  readonly mayApprove: boolean
  readonly mayDiscard: boolean
}

/** What the approver approves: the content's hash, shown short, sent whole. */
const approvalCard = (w: Words, d: Receipt, hash: string): Html => html`
<form method="post" action="/console/queue/${d.id}/approve" class="card" id="approve-form">
<h2>${w.approveTitle}</h2>
<p>${w.approveNamesContent}</p>
<p>${w.contentHash}: <code id="content-hash" title="${hash}">${shortContentHash(hash)}</code></p>
<input type="hidden" name="contentHash" value="${hash}">
<div class="actions"><button type="submit" id="approve">${w.approveAndNumber}</button></div>
</form>`

const reviewBody = (lang: Lang, d: Receipt, ex: StoredExtraction | undefined, scanType: string | undefined, viewer: Viewer, hash: string, typed?: Values): Html => {
  const w = words(lang)
  const v = typed ?? valuesOf(d)
  const editable = viewer.isMaker && viewer.mayDraft
  const row = (k: FieldKey, kind?: "text" | "date" | "area") => fieldRow(w, k, v[k], ex, editable, kind)
  const warnings = ex?.warnings ?? []
  const submitted = d.status === "submitted"
  const status = submitted
    ? html`<p class="flash ok" id="draft-status" data-status="submitted">${w.submitted}${viewer.isMaker ? ` ${w.editReturnsToDraft}` : ""}</p>`
    : html`<p class="muted" id="draft-status" data-status="draft">${viewer.isMaker ? w.notSubmittedYou : w.notSubmittedMaker}</p>`
  const buttons = editable
    ? html`<button type="submit" class="secondary" id="save">${w.save}</button>
${submitted ? "" : html`<button type="submit" formaction="/console/drafts/${d.id}/submit" id="submit">${w.submit}</button>`}
${submitted ? html`<button type="submit" formaction="/console/drafts/${d.id}/withdraw" class="secondary" id="withdraw" formnovalidate>${w.withdraw}</button>` : ""}
<button type="submit" formaction="/console/drafts/${d.id}/delete" class="danger" id="delete" formnovalidate data-confirm="${w.confirmDelete}">${w.delete}</button>`
    : ""
  return html`
<div class="grid2">
<section class="card"><h2>${w.scanImage}${ex?.fileName ? html` <span class="muted">${ex.fileName}</span>` : ""}</h2><div class="scan">${scanPanel(w, d.id, scanType)}</div></section>
<section>
<div class="card">
${warnings.length === 0 ? "" : html`<div role="note" id="warnings"><h2>${w.warnings}</h2><ul class="warnings">${warnings.map((x) => html`<li data-code="${x.code}">${warningText(lang, x)}</li>`)}</ul></div>`}
${status}
${editable ? "" : html`<p class="muted">${w.readOnlyDraft}</p>`}
<form method="post" action="/console/drafts/${d.id}" id="draft-form" class="fields">
${row("payerName")}${row("payerIdNumber")}${row("payerAddress", "area")}${row("decisionNumber")}${row("decisionDate", "date")}${row("amount")}
<label for="f-words">${w.f_amountInWords}</label><div><output id="f-words" data-words>${typed === undefined ? d.amountInWords : ""}</output> <span class="conf">${w.wordsAuto}</span></div>
${row("reason", "area")}
<label for="f-method">${w.f_payment}</label><div><select id="f-method" name="paymentMethod"${editable ? "" : html` disabled`}>
<option value="bank_transfer"${v.paymentMethod === "bank_transfer" ? html` selected` : ""}>${w.bankTransfer}</option>
<option value="cash"${v.paymentMethod === "cash" ? html` selected` : ""}>${w.cash}</option></select></div>
${row("bankReference")}${row("office")}
<span></span><div class="actions">${buttons}</div>
</form></div>
${submitted && viewer.mayApprove && !viewer.isMaker ? approvalCard(w, d, hash) : ""}
${viewer.mayDiscard && !viewer.isMaker ? html`<form method="post" action="/console/drafts/${d.id}/delete" class="card" id="discard-form"><h2>${w.discardTitle}</h2>
<p class="muted">${w.discardHelp}</p><label for="discard-reason">${w.discardReason}</label><textarea id="discard-reason" name="reason" rows="2" required></textarea>
<div class="actions"><button class="danger" data-confirm="${w.confirmDelete}">${w.delete}</button></div></form>` : ""}
</section></div>`
}

/** The form → a patch of the draft; the domain then checks every rule. */
export const patchFromForm = (f: Record<string, string>, current: Receipt, lang: Lang): Partial<DraftInput> => {
  const w = words(lang)
  const t = (k: string) => (f[k] ?? "").trim()
  const amount = parseVnd(t("amount"))
  if (Result.isFailure(amount)) {
    const why = amountProblemText(amount.failure)
    throw refusal(422, "invalid_field", { vi: `${w.f_amount}: ${why.vi}`, en: `${words("en").f_amount}: ${why.en}` })
  }
  const idNumber = t("payerIdNumber")
  const address = t("payerAddress")
  const reference = t("bankReference")
  const method = f["paymentMethod"] === "cash" ? "cash" : "bank_transfer"
  if (method === "bank_transfer" && reference === "") {
    throw refusal(422, "invalid_field", {
      vi: `${words("vi").f_bankReference}: chuyển khoản cần mã giao dịch`,
      en: `${words("en").f_bankReference}: a bank transfer needs its reference`
    })
  }
  const name = t("payerName")
  const reason = t("reason")
  return {
    office: t("office") === "" ? undefined : t("office").toUpperCase(),
    payer: { name: name === "" ? NOT_READ : name, ...(idNumber === "" ? {} : { idNumber }), ...(address === "" ? {} : { address }) },
    case: {
      ...current.case,
      decisionNumber: t("decisionNumber") === "" ? undefined : t("decisionNumber"),
      decisionDate: t("decisionDate") === "" ? undefined : t("decisionDate")
    },
    reason: reason === "" ? NOT_READ : reason,
    amount: amount.success,
    payment: method === "cash" ? { method: "cash" } : { method: "bank_transfer", reference }
  }
}

/** The confirmation page of a deletion without script: what goes, and the two choices. */
const confirmDeleteBody = (w: Words, lang: Lang, d: Receipt, reason: string | undefined): Html => html`
<div class="card" id="confirm-delete">
<p>${w.confirmDeleteOf.replace("{what}", labelText(labelOf(d))[lang])}</p>
<form method="post" action="/console/drafts/${d.id}/delete">
<input type="hidden" name="confirm" value="1">${reason === undefined ? "" : html`<input type="hidden" name="reason" value="${reason}">`}
<div class="actions"><button type="submit" class="danger" id="confirm-delete-yes">${w.delete}</button>
<a class="button secondary" href="/console/drafts/${d.id}" id="confirm-delete-no">${w.cancel}</a></div>
</form></div>`

export const draftRoutes = (ctx: ConsoleContext): Hono<ConsoleEnv> => {
  const app = new Hono<ConsoleEnv>()
  const { s, actions } = ctx

  app.get("/words", (c) => {
    const r = parseVnd(c.req.query("amount") ?? "")
    const lang = c.get("lang")
    if (Result.isFailure(r)) return c.json({ error: "invalid_amount", message: amountProblemText(r.failure)[lang] }, 422)
    if (r.success >= MAX_VND) return c.json({ error: "invalid_amount", message: amountProblemText({ reason: "too_large", input: "" })[lang] }, 422)
    return c.json({ words: amountInWords(r.success) })
  })

  /** The review page of `d`, with what was typed and why it was refused, when a post was refused. */
  const review = async (c: C, d: Receipt, refused?: { readonly typed: Values; readonly message: string }) => {
    const lang = c.get("lang")
    const p = c.get("principal")
    const [ex, scan] = await Promise.all([extractionOf(s.db, p.agency, d.id), scanOf(s.db, p.agency, d.id)])
    const viewer: Viewer = { isMaker: d.maker === p.officer, mayDraft: may(p.role, "draft"), mayApprove: may(p.role, "approve"), mayDiscard: may(p.role, "discardDrafts") }
    const title = `${words(lang).reviewTitle}: ${d.payer.name === NOT_READ ? "—" : d.payer.name}`
    const body = html`${refused === undefined ? "" : html`<p class="flash error" role="alert" id="form-error">${refused.message}</p>`}${reviewBody(lang, d, ex, scan?.type, viewer, actions.contentHashOf(d), refused?.typed)}`
    return render(c, { title, nav: "inbox", body, ...(refused === undefined ? {} : { status: 422 as const }) })
  }

  app.get("/drafts/:id", async (c) => {
    const d = await actions.get(c.get("principal"), receiptIdParam(c))
    if (!isUnissued(d)) return c.redirect(`/console/receipts/${d.id}`, 303)
    return review(c, d)
  })

  app.get("/drafts/:id/scan", async (c) => {
    const p = c.get("principal")
    const d = await actions.get(p, receiptIdParam(c))
    const scan = await scanOf(s.db, p.agency, d.id)
    if (scan === undefined) return c.text("no scan", 404)
    return c.body(scan.bytes as Uint8Array<ArrayBuffer>, 200, { "Content-Type": scan.type, "Cache-Control": "private, max-age=3600", "X-Content-Type-Options": "nosniff" })
  })

  /**
   * Runs `act` with the posted form; on a refusal the page comes back with
   * what was typed and why (422), so nothing typed is lost.
   */
  const withForm = async (c: C, act: (form: Record<string, string>, current: Receipt) => Promise<Response>) => {
    const p = c.get("principal")
    const current = await actions.get(p, receiptIdParam(c))
    if (!isUnissued(current)) return c.redirect(`/console/receipts/${current.id}`, 303)
    const form = await formOf(c)
    try {
      return await act(form, current)
    } catch (e) {
      const latest = await actions.get(p, current.id)
      if (!isUnissued(latest)) return redirectWith(c, `/console/receipts/${latest.id}`, { error: describeError(e, c.get("lang")) })
      return review(c, latest, { typed: valuesTyped(form), message: describeError(e, c.get("lang")) })
    }
  }

  const save = (c: C, form: Record<string, string>, current: Receipt) =>
    actions.editDraft(c.get("principal"), current.id, patchFromForm(form, current, c.get("lang")))

  app.post("/drafts/:id", (c) =>
    withForm(c, async (form, current) => {
      await save(c, form, current)
      return redirectWith(c, `/console/drafts/${current.id}`, { ok: words(c.get("lang")).saved })
    }))

  app.post("/drafts/:id/submit", (c) =>
    withForm(c, async (form, current) => {
      const saved = await save(c, form, current)
      const sent = await actions.submit(c.get("principal"), saved.id)
      return redirectWith(c, "/console/inbox", { ok: `${words(c.get("lang")).submitted} (${sent.payer.name})` })
    }))

  app.post("/drafts/:id/withdraw", async (c) => {
    const id = receiptIdParam(c)
    try {
      await actions.withdraw(c.get("principal"), id)
      return redirectWith(c, `/console/drafts/${id}`, { ok: words(c.get("lang")).withdrawn })
    } catch (e) {
      return redirectWith(c, `/console/drafts/${id}`, { error: describeError(e, c.get("lang")) })
    }
  })

  app.post("/drafts/:id/delete", async (c) => {
    const lang = c.get("lang")
    const w = words(lang)
    const p = c.get("principal")
    const id = receiptIdParam(c)
    const form = await formOf(c)
    const reason = may(p.role, "discardDrafts") ? (form["reason"] ?? "").trim() : undefined
    try {
      const d = await actions.get(p, id)
      if (!isUnissued(d)) return c.redirect(`/console/receipts/${d.id}`, 303)
      // Asked first: without script this page; with it, the dialog already asked and sent confirm=1.
      if (form["confirm"] !== "1") return render(c, { title: w.delete, nav: "inbox", body: confirmDeleteBody(w, lang, d, reason) })
      await actions.deleteDraft(p, id, reason === undefined ? {} : { reason })
      return redirectWith(c, may(p.role, "draft") ? "/console/inbox" : "/console/queue", { ok: w.deleted.replace("{what}", labelText(labelOf(d))[lang]) })
    } catch (e) {
      return redirectWith(c, `/console/drafts/${id}`, { error: describeError(e, lang) })
    }
  })
  return app
}
