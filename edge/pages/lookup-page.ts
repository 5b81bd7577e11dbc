/**
 * The public lookup page (tra cứu): a form for the lookup code and,
 * optionally, the payer's identity number; a second form to upload a photo
 * of a receipt's QR code. The result shows the summary that names nobody,
 * or the full receipt when the identity number matched.
 *
 * The code travels only in POST bodies, never in a URL (where proxies and
 * browser history keep it), and nothing links to this page with a code in
 * it. A refusal re-shows the form with what was typed, and says what is
 * wrong in the page's language (public-messages.ts).
 */
import { formatVnd } from "../../domain/money.ts"
import { formatReceiptNumber } from "../../domain/receipt.ts"
import type { LookupResult } from "../verification/lookup.ts"
import { approvedCorrections, correctionRows } from "../../domain/public-corrections.ts"
import { type Html, html } from "../http/html.ts"
import { type Lang, page, vietnamTime } from "./html.ts"
import type { PageMessage } from "./public-messages.ts"

const t = {
  vi: {
    title: "Tra cứu biên lai",
    code: "Mã tra cứu (12 ký tự in trên biên lai)",
    id: "Số định danh của người nộp (không bắt buộc, để xem đầy đủ)",
    search: "Tra cứu",
    photo: "Hoặc tải ảnh chụp mã QR trên biên lai",
    check: "Kiểm tra ảnh",
    status: { issued: "Đang có hiệu lực", voided: "Đã bị hủy", replaced: "Đã bị thay thế" },
    lookupCode: "Mã tra cứu",
    agency: "Cơ quan thu",
    number: "Mẫu số / Ký hiệu / Số",
    issued: "Ngày lập",
    amount: "Số tiền",
    payer: "Người nộp",
    idNumber: "Số định danh",
    address: "Địa chỉ",
    reason: "Nội dung",
    stateLabel: "Tình trạng",
    replacedBy: "Được thay thế bởi",
    full: "Số định danh khớp: hiển thị đầy đủ thông tin biên lai.",
    masked: "Chỉ hiển thị thông tin tóm tắt, không có thông tin cá nhân. Nhập đúng số định danh của người nộp để xem đầy đủ và tải biên lai (PDF).",
    mismatch: "Số định danh không khớp với biên lai này; chỉ hiển thị thông tin tóm tắt. Nhập sai nhiều lần, việc kiểm tra số định danh sẽ bị tạm khóa.",
    pdf: "Tải biên lai (PDF)",
    technical: "Chi tiết kỹ thuật"
  },
  en: {
    title: "Receipt lookup",
    code: "Lookup code (12 characters printed on the receipt)",
    id: "Payer's identity number (optional, to see the full receipt)",
    search: "Look up",
    photo: "Or upload a photo of the receipt's QR code",
    check: "Check photo",
    status: { issued: "In force", voided: "Voided", replaced: "Replaced" },
    lookupCode: "Lookup code",
    agency: "Collecting agency",
    number: "Form / Symbol / Number",
    issued: "Issued",
    amount: "Amount",
    payer: "Payer",
    idNumber: "Identity number",
    address: "Address",
    reason: "Purpose",
    stateLabel: "Status",
    replacedBy: "Replaced by",
    full: "The identity number matches: the full receipt is shown.",
    masked: "Only the summary is shown, without personal data. Enter the payer's identity number to see the full receipt and download it (PDF).",
    mismatch: "The identity number does not match this receipt; only the summary is shown. After several wrong numbers, identity checks are locked for a while.",
    pdf: "Download the receipt (PDF)",
    technical: "Technical detail"
  }
} as const

const suffix = (lang: Lang) => (lang === "en" ? "?lang=en" : "")

/** What the person typed, shown again after a refusal or with the result. */
export interface Typed {
  readonly code?: string
  readonly idNumber?: string
}

export const lookupForms = (lang: Lang, typed: Typed = {}): Html => {
  const l = t[lang]
  return html`<form method="post" action="/tra-cuu${suffix(lang)}" id="lookup-form">
<label>${l.code}<br><input name="code" required maxlength="40" autocomplete="off" value="${typed.code ?? ""}" style="width:95%;text-transform:uppercase"></label>
<label>${l.id}<br><input name="idNumber" maxlength="40" autocomplete="off" inputmode="text" value="${typed.idNumber ?? ""}" style="width:95%"></label>
<button type="submit">${l.search}</button>
</form>
<h2 style="font-size:1rem;margin-top:1.5rem">${l.photo}</h2>
<form method="post" action="/kiem-tra-anh${suffix(lang)}" enctype="multipart/form-data" id="photo-form">
<input type="file" name="photo" accept="image/*" capture="environment" required>
<button type="submit">${l.check}</button>
</form>`
}

/** A refusal: the sentence in the page's language, then the technical detail if any. */
export const messageSection = (lang: Lang, m: PageMessage, code: string): Html =>
  html`<section class="verdict bad" role="alert" data-error="${code}">${m.text}</section>${
    m.technical === undefined ? "" : html`<p class="muted" lang="en" data-technical="true">${t[lang].technical}: ${m.technical}</p>`
  }`

export const lookupFormPage = (lang: Lang, refusal?: { readonly message: PageMessage; readonly code: string; readonly typed?: Typed }): Html =>
  page({
    lang,
    title: t[lang].title,
    switchHref: `/tra-cuu${lang === "vi" ? "?lang=en" : ""}`,
    body: html`<h1>${t[lang].title}</h1>${refusal === undefined ? "" : messageSection(lang, refusal.message, refusal.code)}${lookupForms(lang, refusal?.typed)}`
  })

export const lookupResultPage = (lang: Lang, r: LookupResult, typed: Typed): Html => {
  const l = t[lang]
  const s = r.summary
  const full = r.receipt
  const idGiven = (typed.idNumber ?? "").trim() !== ""
  const rows: Array<[string, string]> = [
    [l.stateLabel, l.status[s.status]],
    [l.lookupCode, s.lookupCode],
    [l.agency, s.agencyName === null ? s.agency : `${s.agencyName} (${s.agency})`],
    [l.number, `${s.series.form} / ${s.series.symbol} / ${s.printedNumber}`],
    [l.issued, vietnamTime(s.issuedAt)],
    [l.amount, formatVnd(BigInt(s.amount))],
    ...(full === null ? [] : [[l.payer, full.payer.name] as [string, string]]),
    ...(full?.payer.idNumber !== undefined ? [[l.idNumber, full.payer.idNumber] as [string, string]] : []),
    ...(full?.payer.address !== undefined ? [[l.address, full.payer.address] as [string, string]] : []),
    // Approved corrections, beside the signed values and labelled as such (by code alone: only that there is one).
    ...(full === null ? correctionRows(s.corrections, { lang, view: "hidden" }) : correctionRows(approvedCorrections(full.annotations), { lang, view: "full" })),
    ...(full === null ? [] : [[l.reason, full.reason] as [string, string]]),
    ...(s.replacedBy === null ? [] : [[l.replacedBy, `${s.replacedBy.series.form} / ${s.replacedBy.series.symbol} / ${formatReceiptNumber(s.replacedBy.number)}`] as [string, string]])
  ]
  const tone = s.status === "issued" ? "ok" : s.status === "voided" ? "bad" : "warn"
  const note = full !== null ? l.full : idGiven ? l.mismatch : l.masked
  const pdf = !r.printable ? "" : html`<form method="post" action="/tra-cuu/pdf${suffix(lang)}" id="pdf-form"><input type="hidden" name="code" value="${typed.code ?? s.lookupCode}">${
    full !== null && full.payer.idNumber !== undefined ? html`<input type="hidden" name="idNumber" value="${full.payer.idNumber}">` : ""
  }<button type="submit">${l.pdf}</button></form>`
  return page({
    lang,
    title: l.title,
    switchHref: `/tra-cuu${lang === "vi" ? "?lang=en" : ""}`,
    body: html`<h1>${l.title}</h1>
<section class="verdict ${tone}" data-status="${s.status}"><strong>${l.status[s.status]}</strong>${vietnamTime(s.issuedAt)} · ${formatVnd(BigInt(s.amount))}</section>
<table id="lookup-result" data-full="${String(full !== null)}">${rows.map(([k, v]) => html`<tr><th>${k}</th><td>${v}</td></tr>`)}</table>
<p class="muted">${note}</p>
${pdf}
${lookupForms(lang, { code: typed.code ?? "", idNumber: full !== null ? "" : typed.idNumber ?? "" })}`
  })
}
