/**
 * Draft review: the scan beside the fields, each field's OCR confidence
 * (low ones highlighted), the extractor's warnings, editing (the amount in
 * words follows the figures), and submission for approval.
 *
 *   GET  /drafts/:id            the screen (an issued receipt redirects to its view)
 *   GET  /drafts/:id/scan       the scan image
 *   POST /drafts/:id            save the fields
 *   POST /drafts/:id/submit     save, then submit for approval (refused while a field is unread)
 *   POST /drafts/:id/delete     delete the draft
 *   GET  /words?amount=         the amount in words, for the page script
 */
import { Hono } from "hono"
import { Result } from "effect"
import { amountInWords } from "../../domain/amount-in-words.ts"
import { MAX_VND, parseVnd } from "../../domain/money.ts"
import type { DraftInput } from "../../domain/lifecycle.ts"
import type { Receipt } from "../../domain/receipt.ts"
import { ApiError } from "../http/errors.ts"
import { receiptIdParam } from "../http/body.ts"
import { may } from "../officers/roles.ts"
import { type C, type ConsoleContext, describeError, formOf, redirectWith, render } from "./context.ts"
import { hasPlaceholder, NOT_READ } from "./draft-from-scan.ts"
import { type Lang, type Words, words } from "./i18n.ts"
import { esc } from "./layout.ts"
import { extractionOf, recordConsoleAction, scanOf, type StoredExtraction, submittedAt } from "./queries.ts"
import type { ConsoleEnv } from "./session.ts"
import { when } from "./views.ts"

/** Below this OCR confidence a field is highlighted for a second look. */
export const LOW_CONFIDENCE = 0.8

type FieldKey = "payerName" | "payerIdNumber" | "payerAddress" | "office" | "decisionNumber" | "decisionDate" | "amount" | "reason" | "bankReference"

const valuesOf = (d: Receipt): Record<FieldKey, string> => ({
  payerName: d.payer.name,
  payerIdNumber: d.payer.idNumber ?? "",
  payerAddress: d.payer.address ?? "",
  office: d.office ?? "",
  decisionNumber: d.case.decisionNumber ?? "",
  decisionDate: d.case.decisionDate ?? "",
  amount: d.amount.toString(),
  reason: d.reason,
  bankReference: d.payment.method === "bank_transfer" ? d.payment.reference : ""
})

const fieldLabel = (w: Words, key: FieldKey): string => (key === "office" ? w.f_office : w[`f_${key}`])

const fieldRow = (w: Words, key: FieldKey, value: string, ex: StoredExtraction | undefined, editable: boolean, kind: "text" | "date" | "area" = "text"): string => {
  const conf = ex?.confidence[key as keyof StoredExtraction["confidence"]]
  const unread = value === NOT_READ
  const low = unread || (conf !== undefined && conf < LOW_CONFIDENCE)
  const id = `f-${key}`
  const dis = editable ? "" : " readonly"
  const shown = unread ? "" : value
  const input = kind === "area"
    ? `<textarea id="${id}" name="${key}" rows="2"${dis}${unread ? ` placeholder="${esc(w.needsInput)}"` : ""}>${esc(shown)}</textarea>`
    : `<input id="${id}" name="${key}" type="${kind}" value="${esc(shown)}"${dis}${unread ? ` placeholder="${esc(w.needsInput)}"` : ""}${key === "amount" ? ' inputmode="numeric" data-amount' : ""}>`
  // What OCR read but the draft does not hold (the domain refused it, or the officer changed it).
  const read = ex?.fields[key as keyof StoredExtraction["fields"]]
  const readNote = read !== undefined && read !== value && key !== "amount" ? ` <span class="conf" data-read>${esc(w.ocrRead)}: ${esc(read)}</span>` : ""
  const note = unread
    ? `<span class="conf low">${esc(w.needsInput)}</span>${readNote}`
    : conf === undefined ? readNote : `<span class="conf${low ? " low" : ""}" data-confidence="${conf.toFixed(2)}">${esc(w.confidence)} ${Math.round(conf * 100)}%${low ? ` — ${esc(w.lowConfidence)}` : ""}</span>${readNote}`
  return `<label for="${id}">${esc(fieldLabel(w, key))}</label><div class="${low ? "field-low" : ""}" data-field="${key}">${input}${note}</div>`
}

const scanPanel = (w: Words, id: string, type: string | undefined) =>
  type === undefined
    ? `<p class="muted">${esc(w.noScan)}</p>`
    : type === "application/pdf"
    ? `<object data="/console/drafts/${esc(id)}/scan" type="application/pdf" width="100%" height="620">${esc(w.scanImage)}</object>`
    : `<img src="/console/drafts/${esc(id)}/scan" alt="${esc(w.scanImage)}" id="scan-image">`

const reviewBody = (lang: Lang, d: Receipt, ex: StoredExtraction | undefined, scanType: string | undefined, submitted: string | undefined, editable: boolean) => {
  const w = words(lang)
  const v = valuesOf(d)
  const row = (k: FieldKey, kind?: "text" | "date" | "area") => fieldRow(w, k, v[k], ex, editable, kind)
  const warnings = ex?.warnings ?? []
  return `
<div class="grid2">
<section class="card"><h2>${esc(w.scanImage)}${ex?.fileName ? ` <span class="muted">${esc(ex.fileName)}</span>` : ""}</h2><div class="scan">${scanPanel(w, d.id, scanType)}</div></section>
<section class="card">
${warnings.length === 0 ? "" : `<div role="note" id="warnings"><h2>${esc(w.warnings)}</h2><ul class="warnings">${warnings.map((x) => `<li data-code="${esc(x.code)}">${esc(x.message)}</li>`).join("")}</ul></div>`}
${submitted === undefined ? "" : `<p class="flash ok">${esc(w.submitted)} ${esc(when(submitted))}</p>`}
${editable ? "" : `<p class="muted">${esc(w.readOnlyDraft)}</p>`}
<form method="post" action="/console/drafts/${esc(d.id)}" id="draft-form" class="fields">
${row("payerName")}${row("payerIdNumber")}${row("payerAddress", "area")}${row("decisionNumber")}${row("decisionDate", "date")}${row("amount")}
<label for="f-words">${esc(w.f_amountInWords)}</label><div><output id="f-words" data-words>${esc(d.amountInWords)}</output> <span class="conf">${esc(w.wordsAuto)}</span></div>
${row("reason", "area")}
<label for="f-method">${esc(w.f_payment)}</label><div><select id="f-method" name="paymentMethod"${editable ? "" : " disabled"}>
<option value="bank_transfer"${d.payment.method === "bank_transfer" ? " selected" : ""}>${esc(w.bankTransfer)}</option>
<option value="cash"${d.payment.method === "cash" ? " selected" : ""}>${esc(w.cash)}</option></select></div>
${row("bankReference")}${row("office")}
<span></span><div class="actions">${editable ? `<button type="submit" class="secondary" id="save">${esc(w.save)}</button>
<button type="submit" formaction="/console/drafts/${esc(d.id)}/submit" id="submit">${esc(w.submit)}</button>
<button type="submit" formaction="/console/drafts/${esc(d.id)}/delete" class="danger" formnovalidate>${esc(w.delete)}</button>` : ""}</div>
</form></section></div>`
}

const problem = (lang: Lang, field: string, message: string) =>
  new ApiError(422, "invalid_field", lang === "vi" ? `${field}: ${message}` : `${field}: ${message}`)

/** The form → a patch of the draft; the domain then checks every rule. */
export const patchFromForm = (f: Record<string, string>, current: Receipt, lang: Lang): Partial<DraftInput> => {
  const w = words(lang)
  const t = (k: string) => (f[k] ?? "").trim()
  const amount = parseVnd(t("amount"))
  if (Result.isFailure(amount)) throw problem(lang, w.f_amount, amount.failure.message)
  const idNumber = t("payerIdNumber")
  const address = t("payerAddress")
  const reference = t("bankReference")
  const method = f["paymentMethod"] === "cash" ? "cash" : "bank_transfer"
  if (method === "bank_transfer" && reference === "") throw problem(lang, w.f_bankReference, lang === "vi" ? "chuyển khoản cần mã giao dịch" : "a bank transfer needs its reference")
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

export const draftRoutes = (ctx: ConsoleContext): Hono<ConsoleEnv> => {
  const app = new Hono<ConsoleEnv>()
  const { s, actions } = ctx

  app.get("/words", (c) => {
    const r = parseVnd(c.req.query("amount") ?? "")
    if (Result.isFailure(r) || r.success >= MAX_VND) return c.json({ error: "invalid_amount", message: Result.isFailure(r) ? r.failure.message : "too large" }, 422)
    return c.json({ words: amountInWords(r.success) })
  })

  app.get("/drafts/:id", async (c) => {
    const lang = c.get("lang")
    const p = c.get("principal")
    const d = await actions.get(p, receiptIdParam(c))
    if (d.status !== "draft") return c.redirect(`/console/receipts/${d.id}`, 303)
    const [ex, scan, submitted] = await Promise.all([extractionOf(s.db, p.agency, d.id), scanOf(s.db, p.agency, d.id), submittedAt(s.db, p.agency, d.id)])
    const editable = d.maker === p.officer && may(p.role, "draft")
    return render(c, { title: `${words(lang).reviewTitle}: ${d.payer.name === NOT_READ ? "—" : d.payer.name}`, nav: "inbox", body: reviewBody(lang, d, ex, scan?.type, submitted, editable) })
  })

  app.get("/drafts/:id/scan", async (c) => {
    const p = c.get("principal")
    const d = await actions.get(p, receiptIdParam(c))
    const scan = await scanOf(s.db, p.agency, d.id)
    if (scan === undefined) return c.text("no scan", 404)
    return c.body(scan.bytes as Uint8Array<ArrayBuffer>, 200, { "Content-Type": scan.type, "Cache-Control": "private, max-age=3600", "X-Content-Type-Options": "nosniff" })
  })

  const save = async (c: C) => {
    const p = c.get("principal")
    const id = receiptIdParam(c)
    const current = await actions.get(p, id)
    return actions.editDraft(p, id, patchFromForm(await formOf(c), current, c.get("lang")))
  }

  app.post("/drafts/:id", async (c) => {
    const here = `/console/drafts/${receiptIdParam(c)}`
    try {
      await save(c)
      return redirectWith(c, here, { ok: words(c.get("lang")).saved })
    } catch (e) {
      return redirectWith(c, here, { error: describeError(e, c.get("lang")) })
    }
  })

  app.post("/drafts/:id/submit", async (c) => {
    const lang = c.get("lang")
    const p = c.get("principal")
    const here = `/console/drafts/${receiptIdParam(c)}`
    try {
      const saved = await save(c)
      if (hasPlaceholder(saved)) return redirectWith(c, here, { error: words(lang).placeholderLeft })
      await recordConsoleAction(s.db, p.agency, p.officer, "draft_submitted", saved.id, s.now().toISOString())
      return redirectWith(c, "/console/inbox", { ok: `${words(lang).submitted} (${saved.payer.name})` })
    } catch (e) {
      return redirectWith(c, here, { error: describeError(e, lang) })
    }
  })

  app.post("/drafts/:id/delete", async (c) => {
    const id = receiptIdParam(c)
    try {
      await actions.deleteDraft(c.get("principal"), id)
      return redirectWith(c, "/console/inbox", { ok: "✓" })
    } catch (e) {
      return redirectWith(c, `/console/drafts/${id}`, { error: describeError(e, c.get("lang")) })
    }
  })
  return app
}
