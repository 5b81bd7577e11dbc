/**
 * The page a phone opens from the QR: the verdict first ("Hợp lệ" or the
 * precise reason it is not), then the receipt summary with the payer's name
 * masked, the agency, and how fresh the status is. "Hợp lệ" needs a fresh
 * status; an authentic receipt whose status is unknown says exactly that.
 *
 * Given the host a photographed QR pointed to (/kiem-tra-anh), the page
 * names it and warns first when it is not the agency's published service:
 * a real token copied behind another address is how a phishing site would
 * borrow a receipt's credibility.
 */
import { formatVnd } from "../../domain/money.ts"
import type { VerifyResult } from "../../domain/signing/verify.ts"
import { formatReceiptNumber } from "../../domain/receipt.ts"
import type { Verification } from "../verification/verifier.ts"
import { correctionRows, type PublicCorrection } from "../../domain/public-corrections.ts"
import { type Html, html } from "../http/html.ts"
import { type Lang, page, vietnamTime } from "./html.ts"

type Tag = VerifyResult["_tag"]

const verdicts: Record<Tag, { readonly vi: string; readonly en: string; readonly tone: "ok" | "bad" | "warn" }> = {
  Valid: { vi: "Hợp lệ", en: "Valid", tone: "ok" },
  StatusUnknown: { vi: "Bản gốc, chưa rõ tình trạng", en: "Authentic, status unknown", tone: "warn" },
  Voided: { vi: "Biên lai đã bị hủy", en: "This receipt was voided", tone: "bad" },
  Replaced: { vi: "Biên lai đã bị thay thế", en: "This receipt was replaced", tone: "warn" },
  SignatureInvalid: { vi: "Chữ ký không hợp lệ: biên lai đã bị sửa hoặc giả mạo", en: "Invalid signature: the receipt was altered or forged", tone: "bad" },
  UnknownKey: { vi: "Khóa ký không có trong danh sách tin cậy", en: "The signing key is not in the trust list", tone: "bad" },
  CertificateNotValidAtIssueDate: { vi: "Chứng thư ký không có hiệu lực vào ngày lập", en: "The signing certificate was not valid on the issue date", tone: "bad" },
  CertificateRevoked: { vi: "Chứng thư ký đã bị thu hồi", en: "The signing certificate was revoked", tone: "bad" },
  Malformed: { vi: "Mã QR không đúng định dạng biên lai", en: "The QR code is not a well-formed receipt code", tone: "bad" }
}

const labels = {
  vi: {
    title: "Kiểm tra biên lai",
    agency: "Cơ quan thu",
    series: "Mẫu số / Ký hiệu",
    number: "Số biên lai",
    issued: "Ngày lập",
    amount: "Số tiền",
    payer: "Người nộp",
    key: "Khóa ký",
    replacedBy: "Được thay thế bởi",
    statusAsOf: (at: string, age: string) => `Tình trạng hủy/thay thế cập nhật lúc ${at} (${age} trước).`,
    stale: "Thông tin tình trạng đã cũ; hãy tải lại trang.",
    noList: "Chưa có danh sách tình trạng cho loạt biên lai này; chỉ chữ ký được kiểm tra.",
    unavailable: "Không kiểm tra được tình trạng hủy/thay thế lúc này; chỉ chữ ký được kiểm tra. Hãy thử lại sau ít phút.",
    staleList: (at: string, age: string) => `Danh sách tình trạng hiện có được lập lúc ${at} (${age} trước), đã quá thời hạn cơ quan thu bảo đảm; hãy tải lại trang.`,
    notCovered: (at: string) => `Danh sách tình trạng hiện có được lập lúc ${at}, trước khi biên lai này được cấp; hãy tải lại trang sau ít phút.`,
    qrHost: "Mã QR dẫn tới",
    qrOfficial: "trang chính thức của cơ quan thi hành án",
    qrForeign: (host: string, official: string) =>
      `Cảnh báo: mã QR này dẫn tới ${host}, không phải trang kiểm tra chính thức (${official}). Có thể đây là bản sao giả mạo dùng lại mã của một biên lai thật: đừng nhập thông tin cá nhân hay chuyển tiền theo trang đó. Kết quả dưới đây chỉ cho biết chữ ký số của biên lai.`,
    qrNoHost: "Mã QR chỉ chứa mã biên lai, không dẫn tới trang web nào.",
    privacy: "Tên người nộp được che một phần để bảo vệ thông tin cá nhân.",
    lookup: "Tra cứu bằng mã tra cứu"
  },
  en: {
    title: "Receipt check",
    agency: "Collecting agency",
    series: "Form / Symbol",
    number: "Receipt number",
    issued: "Issued",
    amount: "Amount",
    payer: "Payer",
    key: "Signing key",
    replacedBy: "Replaced by",
    statusAsOf: (at: string, age: string) => `Void/replacement status as of ${at} (${age} ago).`,
    stale: "The status information is old; reload the page.",
    noList: "No status list covers this series yet; only the signature was checked.",
    unavailable: "The void/replacement status cannot be checked right now; only the signature was checked. Try again in a few minutes.",
    staleList: (at: string, age: string) => `The status list at hand was made at ${at} (${age} ago), past the time its agency vouches for; reload the page.`,
    notCovered: (at: string) => `The status list at hand was made at ${at}, before this receipt was issued; reload the page in a few minutes.`,
    qrHost: "The QR code points to",
    qrOfficial: "the enforcement agency's official site",
    qrForeign: (host: string, official: string) =>
      `Warning: this QR code points to ${host}, not to the official verification site (${official}). It may be a fake copy reusing a real receipt's code: do not enter personal data or send money through that site. The result below only tells whether the receipt's digital signature holds.`,
    qrNoHost: "The QR code holds only the receipt's code, no web address.",
    privacy: "The payer's name is partly hidden to protect personal data.",
    lookup: "Look up by lookup code"
  }
} as const

const duration = (seconds: number, lang: Lang): string => {
  if (seconds < 60) return lang === "vi" ? `${seconds} giây` : `${seconds} s`
  const minutes = Math.round(seconds / 60)
  if (minutes < 120) return lang === "vi" ? `${minutes} phút` : `${minutes} min`
  const hours = Math.round(minutes / 60)
  return lang === "vi" ? `${hours} giờ` : `${hours} h`
}

/** Why a receipt could not be verified, for a citizen reading Vietnamese; the precise reason follows as a technical detail. */
const failureVi = (r: Exclude<VerifyResult, { receipt: unknown }>): string => {
  switch (r._tag) {
    case "SignatureInvalid":
      return `Nội dung mã không khớp với chữ ký số của khóa ${r.keyId}: mã đã bị sửa đổi hoặc không do cơ quan thu phát hành.`
    case "UnknownKey":
      return `Khóa ${r.keyId} không được tin cậy cho cơ quan thu ghi trên mã, nên không xác nhận được biên lai.`
    case "CertificateNotValidAtIssueDate":
      return `Chứng thư của khóa ${r.keyId} chỉ có hiệu lực từ ${vietnamTime(r.notBefore)} đến ${vietnamTime(r.notAfter)}, không gồm thời điểm lập ${vietnamTime(r.issuedAt)}.`
    case "CertificateRevoked":
      return `Chứng thư của khóa ${r.keyId} đã bị thu hồi lúc ${vietnamTime(r.revokedAt)}.`
    case "Malformed":
      return "Không đọc được mã: mã bị chụp thiếu, bị sai hoặc không phải mã biên lai của hệ thống."
  }
}

/** The verdict explained in the page's language; failures keep the verifier's precise (technical) reason. */
const detail = (r: VerifyResult, lang: Lang): string => {
  if (!("receipt" in r)) return lang === "en" ? r.message : failureVi(r)
  const s = r.receipt
  const label = `${s.series.form} ${s.series.symbol} số ${s.printedNumber}`
  if (lang === "en") return r.message
  switch (r._tag) {
    case "Valid":
      return `Biên lai ${label} là bản gốc có chữ ký số của cơ quan thu và đang có hiệu lực.`
    case "StatusUnknown":
      return `Biên lai ${label} là bản gốc có chữ ký số của cơ quan thu, nhưng chưa xác định được biên lai có bị hủy hay bị thay thế hay không.`
    case "Voided":
      return `Biên lai ${label} đã bị cơ quan thu hủy; biên lai không còn giá trị.`
    case "Replaced":
      return `Biên lai ${label} đã được thay thế bởi biên lai ${r.replacement.form} ${r.replacement.symbol} số ${formatReceiptNumber(r.replacement.number)}.`
  }
}

/** Where a photographed QR code pointed, and whether that is the agency's published service. */
export interface QrOrigin {
  /** The host (and port) of the URL in the QR code; null for a bare token. */
  readonly host: string | null
  /** Whether the host is the agency's; null when the QR holds no address (nothing to be misled to). */
  readonly official: boolean | null
  /** The agency's published host, named in the warning. */
  readonly officialHost: string
}

const freshnessLine = (v: Verification, lang: Lang): string => {
  const t = labels[lang]
  const r = v.result
  const status = v.status
  if (!("receipt" in r)) return ""
  const age = duration(status.ageSeconds ?? 0, lang)
  if (r._tag === "StatusUnknown") {
    if (status.unavailable !== undefined) return t.unavailable
    if (r.reason === "stale" && status.asOf !== null) return t.staleList(vietnamTime(status.asOf), age)
    if (r.reason === "not_covered" && status.asOf !== null) return t.notCovered(vietnamTime(status.asOf))
    return t.noList
  }
  if (status.asOf === null) return ""
  return t.statusAsOf(vietnamTime(status.asOf), age) + (status.fresh ? "" : ` ${t.stale}`)
}

const originSection = (origin: QrOrigin, lang: Lang): Html => {
  const t = labels[lang]
  if (origin.host === null || origin.official === null) return html`<p class="muted" data-qr-host="">${t.qrNoHost}</p>`
  if (origin.official) return html`<p class="muted" data-qr-host="${origin.host}" data-qr-official="true">${t.qrHost}: <strong>${origin.host}</strong> (${t.qrOfficial})</p>`
  return html`<section class="verdict bad" role="alert" data-qr-host="${origin.host}" data-qr-official="false"><strong>${t.qrHost}: ${origin.host}</strong>${t.qrForeign(origin.host, origin.officialHost)}</section>`
}

export const verifyPage = (
  v: Verification,
  opts: {
    readonly lang: Lang
    readonly switchHref: string
    readonly agencyName?: string
    readonly origin?: QrOrigin
    /** Approved corrections of the name or address, shown beside the signed (masked) name, labelled. */
    readonly corrections?: ReadonlyArray<PublicCorrection>
  }
): Html => {
  const { lang } = opts
  const t = labels[lang]
  const r = v.result
  const verdict = verdicts[r._tag]
  const rows: Array<[string, string]> = []
  if ("receipt" in r) {
    const s = r.receipt
    rows.push(
      [t.agency, opts.agencyName === undefined ? s.agency : `${opts.agencyName} (${s.agency})`],
      [t.series, `${s.series.form} / ${s.series.symbol}`],
      [t.number, s.printedNumber],
      [t.issued, vietnamTime(s.issuedAt)],
      [t.amount, formatVnd(s.amount)],
      [t.payer, s.maskedName],
      // Approved corrections of the name or address, labelled; the signed (masked) name stays above.
      ...correctionRows(opts.corrections ?? [], { lang, view: "masked" }),
      [t.key, s.keyId]
    )
    if (r._tag === "Replaced") rows.push([t.replacedBy, `${r.replacement.form} / ${r.replacement.symbol} số ${formatReceiptNumber(r.replacement.number)}`])
  }
  const freshness = freshnessLine(v, lang)
  const body = html`<h1>${t.title}</h1>
${opts.origin === undefined ? "" : originSection(opts.origin, lang)}
<section class="verdict ${verdict.tone}" data-result="${r._tag}"><strong>${verdict[lang]}</strong>${detail(r, lang)}</section>
${lang === "vi" && !("receipt" in r) ? html`<p class="muted" lang="en">Chi tiết kỹ thuật: ${r.message}</p>` : ""}
${rows.length === 0 ? "" : html`<table>${rows.map(([k, val]) => html`<tr><th>${k}</th><td>${val}</td></tr>`)}</table>`}
${freshness === "" ? "" : html`<p class="muted" data-status-fresh="${String(v.status.fresh)}">${freshness}</p>`}
${"receipt" in r ? html`<p class="muted">${t.privacy}</p>` : ""}
<p><a href="/tra-cuu${lang === "en" ? "?lang=en" : ""}">${t.lookup}</a></p>`
  return page({ lang, title: `${verdict[lang]} · ${t.title}`, body, switchHref: opts.switchHref })
}
