/**
 * The public lookup page (tra cứu): a form for the lookup code and,
 * optionally, the payer's identity number; a second form to upload a photo
 * of a receipt's QR code. The result shows the masked summary, or the full
 * receipt when the identity number matched.
 */
import { formatVnd } from "../../domain/money.ts"
import { formatReceiptNumber } from "../../domain/receipt.ts"
import type { LookupResult } from "../verification/lookup.ts"
import { correctionRows } from "./corrections.ts"
import { esc, type Lang, page, vietnamTime } from "./html.ts"

const t = {
  vi: {
    title: "Tra cứu biên lai",
    code: "Mã tra cứu (12 ký tự in trên biên lai)",
    id: "Số định danh của người nộp (không bắt buộc, để xem đầy đủ)",
    search: "Tra cứu",
    photo: "Hoặc tải ảnh chụp mã QR trên biên lai",
    check: "Kiểm tra ảnh",
    status: { issued: "Đang có hiệu lực", voided: "Đã bị hủy", replaced: "Đã bị thay thế" },
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
    masked: "Thông tin cá nhân được che. Nhập đúng số định danh của người nộp để xem đầy đủ.",
    mismatch: "Số định danh không khớp với biên lai này; chỉ hiển thị thông tin tóm tắt.",
    pdf: "Tải biên lai (PDF)"
  },
  en: {
    title: "Receipt lookup",
    code: "Lookup code (12 characters printed on the receipt)",
    id: "Payer's identity number (optional, to see the full receipt)",
    search: "Look up",
    photo: "Or upload a photo of the receipt's QR code",
    check: "Check photo",
    status: { issued: "In force", voided: "Voided", replaced: "Replaced" },
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
    masked: "Personal data is hidden. Enter the payer's identity number to see the full receipt.",
    mismatch: "The identity number does not match this receipt; only the summary is shown.",
    pdf: "Download the receipt (PDF)"
  }
} as const

const suffix = (lang: Lang) => (lang === "en" ? "?lang=en" : "")

export const lookupForms = (lang: Lang, code = ""): string => {
  const l = t[lang]
  return `<form method="post" action="/tra-cuu${suffix(lang)}" id="lookup-form">
<label>${l.code}<br><input name="code" required maxlength="20" autocomplete="off" value="${esc(code)}" style="width:95%;text-transform:uppercase"></label>
<label>${l.id}<br><input name="idNumber" maxlength="20" autocomplete="off" inputmode="text" style="width:95%"></label>
<button type="submit">${l.search}</button>
</form>
<h2 style="font-size:1rem;margin-top:1.5rem">${l.photo}</h2>
<form method="post" action="/kiem-tra-anh${suffix(lang)}" enctype="multipart/form-data" id="photo-form">
<input type="file" name="photo" accept="image/*" capture="environment" required>
<button type="submit">${l.check}</button>
</form>`
}

export const lookupFormPage = (lang: Lang, message?: string): string =>
  page({
    lang,
    title: t[lang].title,
    switchHref: `/tra-cuu${lang === "vi" ? "?lang=en" : ""}`,
    body: `<h1>${t[lang].title}</h1>${message === undefined ? "" : `<section class="verdict bad" data-error="true">${esc(message)}</section>`}${lookupForms(lang)}`
  })

export const lookupResultPage = (lang: Lang, r: LookupResult, idGiven: boolean): string => {
  const l = t[lang]
  const s = r.summary
  const full = r.receipt
  const rows: Array<[string, string]> = [
    [l.stateLabel, l.status[s.status]],
    [l.agency, s.agencyName === null ? s.agency : `${s.agencyName} (${s.agency})`],
    [l.number, `${s.series.form} / ${s.series.symbol} / ${s.printedNumber}`],
    [l.issued, vietnamTime(s.issuedAt)],
    [l.amount, formatVnd(BigInt(s.amount))],
    [l.payer, full === null ? s.maskedName : full.payer.name],
    ...(full?.payer.idNumber !== undefined ? [[l.idNumber, full.payer.idNumber] as [string, string]] : s.maskedIdNumber === null ? [] : [[l.idNumber, s.maskedIdNumber] as [string, string]]),
    ...(full?.payer.address !== undefined ? [[l.address, full.payer.address] as [string, string]] : []),
    // Approved corrections, beside the signed values and labelled as such.
    ...correctionRows(s.corrections, { lang, full: full !== null }),
    [l.reason, s.reason],
    ...(s.replacedBy === null ? [] : [[l.replacedBy, `${s.replacedBy.series.form} / ${s.replacedBy.series.symbol} / ${formatReceiptNumber(s.replacedBy.number)}`] as [string, string]])
  ]
  const tone = s.status === "issued" ? "ok" : s.status === "voided" ? "bad" : "warn"
  const note = full !== null ? l.full : idGiven ? l.mismatch : l.masked
  return page({
    lang,
    title: l.title,
    switchHref: `/tra-cuu${lang === "vi" ? "?lang=en" : ""}`,
    body: `<h1>${l.title}</h1>
<section class="verdict ${tone}" data-status="${s.status}"><strong>${esc(l.status[s.status])}</strong>${esc(s.lookupCode)}</section>
<table id="lookup-result" data-full="${full !== null}">${rows.map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`).join("")}</table>
<p class="muted">${esc(note)}</p>
<form method="post" action="/tra-cuu/pdf${suffix(lang)}" id="pdf-form"><input type="hidden" name="code" value="${esc(s.lookupCode)}">${
      full !== null && full.payer.idNumber !== undefined ? `<input type="hidden" name="idNumber" value="${esc(full.payer.idNumber)}">` : ""
    }<button type="submit">${l.pdf}</button></form>
${lookupForms(lang, s.lookupCode)}`
  })
}
