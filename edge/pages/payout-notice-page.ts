/**
 * The creditors' pages: the portal (tra cứu chi trả: a form for the lookup
 * code and identity number, then the creditor's payouts with the notice's
 * QR code) and the verification page a payout notice's QR opens (/v/). The
 * code and number travel in POST bodies only, as on the receipt lookup.
 */
import { formatVnd } from "../../domain/money.ts"
import type { NoticeState } from "../../domain/payout/notice-status.ts"
import type { NoticeVerifyResult } from "../../domain/payout/notice-verify.ts"
import { type Html, html, raw } from "../http/html.ts"
import type { NoticeLookupResult } from "../verification/notice-portal.ts"
import { type Lang, page, vietnamTime } from "./html.ts"
import { messageSection } from "./lookup-page.ts"
import type { PageMessage } from "./public-messages.ts"

export const NOTICE_PORTAL_PATH = "/tra-cuu-chi-tra"

const states: Record<NoticeState | "planned", { readonly vi: string; readonly en: string; readonly tone: "ok" | "warn" | "bad" }> = {
  planned: { vi: "Đang lập", en: "Planned", tone: "warn" },
  approved: { vi: "Đã duyệt, chờ chuyển tiền", en: "Approved, not yet sent", tone: "warn" },
  sent: { vi: "Đã chuyển cho ngân hàng", en: "Sent to the bank", tone: "warn" },
  paid: { vi: "Đã chi trả", en: "Paid", tone: "ok" },
  returned: { vi: "Ngân hàng trả lại", en: "Returned by the bank", tone: "bad" },
  deposited: { vi: "Đã gửi tiết kiệm", en: "Put on a savings deposit", tone: "ok" },
  settled: { vi: "Đã chi trả hoặc gửi tiết kiệm", en: "Paid or deposited", tone: "ok" }
}

const stateText = (lang: Lang, s: string): string => (s in states ? states[s as NoticeState][lang] : s)

const t = {
  vi: {
    title: "Tra cứu chi trả tiền thi hành án",
    code: "Mã tra cứu (12 ký tự in trên giấy báo nhận tiền)",
    id: "Số định danh của người được nhận tiền (CCCD, CMND, hộ chiếu hoặc mã số thuế)",
    search: "Tra cứu",
    agency: "Cơ quan thi hành án",
    case: "Quyết định thi hành án",
    round: "Đợt chi trả",
    legalDate: "Ngày chi trả",
    creditor: "Người được nhận tiền",
    idNumber: "Số định danh",
    amount: "Số tiền được chi",
    fee: "Phí thi hành án",
    net: "Số tiền thực nhận",
    remaining: "Còn được nhận sau đợt này",
    state: "Tình trạng",
    lines: "Các khoản trong giấy báo",
    line: "Khoản",
    catchUp: (r: number) => `Bù đợt ${r}`,
    own: "Đợt này",
    history: "Các đợt đã chi trả cho bạn trong vụ việc",
    qr: "Mã QR của giấy báo (quét để kiểm tra)",
    verify: "Kiểm tra giấy báo",
    privacy: "Tên và số định danh được che một phần để bảo vệ thông tin cá nhân.",
    note: "Mỗi lần nhập sai số định danh đều được đếm; nhập sai nhiều lần, việc tra cứu với mã này sẽ bị tạm khóa."
  },
  en: {
    title: "Payout lookup",
    code: "Lookup code (12 characters printed on the payout notice)",
    id: "Creditor's identity number (CCCD, CMND, passport or tax code)",
    search: "Look up",
    agency: "Enforcement agency",
    case: "Enforcement decision",
    round: "Payout round",
    legalDate: "Payout date",
    creditor: "Creditor",
    idNumber: "Identity number",
    amount: "Amount paid out",
    fee: "Enforcement fee",
    net: "Amount received",
    remaining: "Still owed after this round",
    state: "Status",
    lines: "Lines of the notice",
    line: "Line",
    catchUp: (r: number) => `Catch-up for round ${r}`,
    own: "This round",
    history: "Rounds that paid you in this case",
    qr: "The notice's QR code (scan to verify)",
    verify: "Verify the notice",
    privacy: "The name and identity number are partly hidden to protect personal data.",
    note: "Every wrong identity number is counted; after several, lookups with this code are locked for a while."
  }
} as const

const suffix = (lang: Lang) => (lang === "en" ? "?lang=en" : "")
const switchHref = (lang: Lang) => `${NOTICE_PORTAL_PATH}${lang === "vi" ? "?lang=en" : ""}`

export interface NoticeTyped {
  readonly code?: string
  readonly idNumber?: string
}

const form = (lang: Lang, typed: NoticeTyped = {}): Html => {
  const l = t[lang]
  return html`<form method="post" action="${NOTICE_PORTAL_PATH}${suffix(lang)}" id="notice-form">
<label>${l.code}<br><input name="code" required maxlength="40" autocomplete="off" value="${typed.code ?? ""}" style="width:95%;text-transform:uppercase"></label>
<label>${l.id}<br><input name="idNumber" required maxlength="40" autocomplete="off" value="${typed.idNumber ?? ""}" style="width:95%"></label>
<button type="submit">${l.search}</button>
</form>
<p class="muted">${l.note}</p>`
}

export const noticeFormPage = (lang: Lang, refusal?: { readonly message: PageMessage; readonly code: string; readonly typed?: NoticeTyped }): Html =>
  page({
    lang,
    title: t[lang].title,
    switchHref: switchHref(lang),
    body: html`<h1>${t[lang].title}</h1>${refusal === undefined ? "" : messageSection(lang, refusal.message, refusal.code)}${form(lang, refusal?.typed)}`
  })

const vnd = (digits: string) => formatVnd(BigInt(digits))

/** The creditor's notice: its state, amounts, lines, the QR code (an SVG drawn by adapters/qr) and the creditor's rounds. */
export const noticeResultPage = (lang: Lang, r: NoticeLookupResult, qrSvg: string): Html => {
  const l = t[lang]
  const n = r.notice
  const st = states[n.state]
  const rows: Array<[string, string]> = [
    [l.state, st[lang]],
    [l.agency, n.agencyName === null ? n.agency : `${n.agencyName} (${n.agency})`],
    [l.case, n.caseDecision],
    [l.round, String(n.round)],
    [l.legalDate, n.legalDate],
    [l.creditor, n.creditor.maskedName],
    [l.idNumber, n.creditor.maskedIdNumber],
    [l.amount, vnd(n.totals.amount)],
    [l.fee, vnd(n.totals.fee)],
    [l.net, vnd(n.totals.net)],
    [l.remaining, vnd(n.remaining)]
  ]
  return page({
    lang,
    title: l.title,
    switchHref: switchHref(lang),
    body: html`<h1>${l.title}</h1>
<section class="verdict ${st.tone}" data-state="${n.state}"><strong>${st[lang]}</strong>${l.round} ${String(n.round)} · ${vnd(n.totals.net)}</section>
<table id="notice-result">${rows.map(([k, v]) => html`<tr><th>${k}</th><td>${v}</td></tr>`)}</table>
<h2 style="font-size:1rem">${l.lines}</h2>
<table id="notice-lines">${n.lines.map((x) => html`<tr data-line="${x.lineId}" data-state="${x.state}"><th>${x.kind === "catch_up" ? l.catchUp(x.forRound) : l.own}</th><td>${vnd(x.net)} · ${stateText(lang, x.state)}</td></tr>`)}</table>
<h2 style="font-size:1rem">${l.qr}</h2>
<figure id="notice-qr" style="background:#fff;padding:.5rem;border-radius:.6rem;margin:0;max-width:20rem">${raw(qrSvg)}</figure>
<p><a id="notice-verify" href="${r.verifyUrl}">${l.verify}</a></p>
<h2 style="font-size:1rem">${l.history}</h2>
<table id="notice-history">${r.payouts.map((p) => html`<tr data-round="${String(p.round)}"><th>${l.round} ${String(p.round)} (${p.legalDate})</th><td>${vnd((BigInt(p.amount) - BigInt(p.fee)).toString())} · ${stateText(lang, p.state)}</td></tr>`)}</table>
<p class="muted">${l.privacy}</p>
${form(lang)}`
  })
}

const verdicts: Record<NoticeVerifyResult["_tag"], { readonly vi: string; readonly en: string; readonly tone: "ok" | "bad" | "warn" }> = {
  Valid: { vi: "Giấy báo nhận tiền hợp lệ", en: "Valid payout notice", tone: "ok" },
  StatusUnknown: { vi: "Giấy báo bản gốc, chưa rõ tình trạng chi trả", en: "Authentic payout notice, payment status unknown", tone: "warn" },
  SignatureInvalid: { vi: "Chữ ký không hợp lệ: giấy báo đã bị sửa hoặc giả mạo", en: "Invalid signature: the notice was altered or forged", tone: "bad" },
  UnknownKey: { vi: "Khóa ký không có trong danh sách tin cậy", en: "The signing key is not in the trust list", tone: "bad" },
  CertificateNotValidAtIssueDate: { vi: "Chứng thư ký không có hiệu lực vào ngày duyệt", en: "The signing certificate was not valid on the approval date", tone: "bad" },
  CertificateRevoked: { vi: "Chứng thư ký đã bị thu hồi", en: "The signing certificate was revoked", tone: "bad" },
  Malformed: { vi: "Mã QR không đúng định dạng giấy báo", en: "The QR code is not a well-formed notice code", tone: "bad" }
}

const verifyLabels = {
  vi: { title: "Kiểm tra giấy báo nhận tiền", kind: "Loại giấy tờ", kindValue: "Giấy báo nhận tiền thi hành án", approved: "Ngày duyệt", key: "Khóa ký", statusAsOf: "Tình trạng cập nhật lúc", unknown: "Chưa kiểm tra được tình trạng chi trả; chỉ chữ ký được kiểm tra." },
  en: { title: "Payout notice check", kind: "Document", kindValue: "Payout notice (giấy báo nhận tiền)", approved: "Approved", key: "Signing key", statusAsOf: "Status as of", unknown: "The payment status could not be checked; only the signature was." }
} as const

/** What a payout notice's QR opens: the verdict, then the notice's summary (masked name) and its payment status. */
export const noticeVerifyPage = (lang: Lang, result: NoticeVerifyResult, opts: { readonly switchHref: string; readonly agencyName?: string }): Html => {
  const l = t[lang]
  const v = verifyLabels[lang]
  const verdict = verdicts[result._tag]
  const n = "notice" in result ? result.notice : undefined
  const state = result._tag === "Valid" ? states[result.state] : undefined
  const rows: Array<[string, string]> = n === undefined
    ? []
    : [
      [v.kind, v.kindValue],
      ...(state === undefined ? [] : [[l.state, state[lang]] as [string, string]]),
      [l.agency, opts.agencyName === undefined ? n.agency : `${opts.agencyName} (${n.agency})`],
      [l.case, n.caseDecision],
      [l.round, String(n.round)],
      [l.creditor, n.maskedName],
      [l.amount, formatVnd(n.amount)],
      [l.fee, formatVnd(n.fee)],
      [l.net, formatVnd(n.net)],
      [v.approved, vietnamTime(n.approvedAt)],
      [v.key, n.keyId],
      ...(result._tag === "Valid" ? [[v.statusAsOf, vietnamTime(result.statusAsOf)] as [string, string]] : [])
    ]
  return page({
    lang,
    title: v.title,
    switchHref: opts.switchHref,
    body: html`<h1>${v.title}</h1>
<section class="verdict ${verdict.tone}" data-result="${result._tag}" data-kind="payout-notice"${result._tag === "Valid" ? html` data-state="${result.state}"` : ""}><strong>${verdict[lang]}</strong>${state === undefined ? "" : state[lang]}</section>
${rows.length === 0 ? html`<p class="muted" lang="en">${result.message}</p>` : html`<table id="notice-summary">${rows.map(([k, x]) => html`<tr><th>${k}</th><td>${x}</td></tr>`)}</table>`}
${result._tag === "StatusUnknown" ? html`<p class="muted">${v.unknown}</p>` : ""}
<p class="muted">${l.privacy}</p>
<p><a href="${NOTICE_PORTAL_PATH}${suffix(lang)}">${l.title}</a></p>`
  })
}
