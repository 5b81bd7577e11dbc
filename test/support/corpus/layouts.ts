/**
 * The printed text of each generated document, line by line, in a few
 * layouts per document type (label wordings, order, date styles). A field may
 * be left blank (dotted leader) or printed faint; the truth keeps only what is
 * legibly printed.
 */
import type { FieldName } from "../../../domain/extraction/extraction.ts"
import { formatVndDigits } from "../../../domain/money.ts"
import type { Random } from "./random.ts"
import type { Draft, Truth } from "./truth.ts"

export interface Segment {
  readonly text: string
  readonly faint?: boolean
}

export interface PrintedLine {
  readonly segments: ReadonlyArray<Segment>
  readonly align: "left" | "center" | "right"
  readonly bold?: boolean
  readonly big?: boolean
  /** Lines printed side by side share a row: the second has `sameRow`. */
  readonly sameRow?: boolean
  /** Long values may wrap onto the next line. */
  readonly wrap?: boolean
}

export interface Layout {
  readonly lines: ReadonlyArray<PrintedLine>
  readonly truth: Truth
}

const [dd, mm, yyyy] = [(iso: string) => iso.slice(8, 10), (iso: string) => iso.slice(5, 7), (iso: string) => iso.slice(0, 4)]
const slashDate = (iso: string) => `${dd(iso)}/${mm(iso)}/${yyyy(iso)}`
const wordsDate = (iso: string) => `ngày ${Number(dd(iso))} tháng ${Number(mm(iso))} năm ${yyyy(iso)}`

export interface LayoutOptions {
  /** Chance that a field is left blank. */
  readonly blank: number
  /** Chance that a field's value is printed faint. */
  readonly faint: number
}

export const layOut = (r: Random, draft: Draft, options: LayoutOptions): Layout => {
  const t = draft.truth
  const truth: Truth = {}
  const blanked = new Set<FieldName>()
  const decide = (f: FieldName) => {
    if (r.chance(options.blank)) blanked.add(f)
  }
  for (const f of ["payerAddress", "payerIdNumber", "reason"] as const) decide(f)
  const v = (field: FieldName, text?: string): Segment => {
    const value = t[field]
    if (value === undefined || blanked.has(field)) return { text: "....................................." }
    truth[field] = value
    return { text: text ?? value, faint: r.chance(options.faint) }
  }
  const row = (label: string, value: Segment, wrap = true): PrintedLine => ({ segments: [{ text: label }, value], align: "left", wrap })
  const plain = (text: string, align: PrintedLine["align"] = "left", extra: Partial<PrintedLine> = {}): PrintedLine => ({
    segments: [{ text }],
    align,
    ...extra
  })
  const money = (n: string, unit: string, sep: string) => `${formatVndDigits(BigInt(n)).replaceAll(".", sep)} ${unit}`
  const variant = r.int(0, 1)

  if (draft.documentType === "payment_slip") {
    const citeDate = r.chance(0.5) ? slashDate(t.decisionDate ?? "") : wordsDate(t.decisionDate ?? "")
    const decisionLine: PrintedLine = {
      segments: [
        { text: variant === 0 ? "Theo Quyết định thi hành án số: " : "Căn cứ Quyết định số " },
        v("decisionNumber"),
        { text: " ngày " },
        v("decisionDate", citeDate.replace(/^ngày /, ""))
      ],
      align: "left"
    }
    const lines: Array<PrintedLine> = [
      plain("CỤC THI HÀNH ÁN DÂN SỰ", "left", { bold: true }),
      plain("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "right", { bold: true, sameRow: true }),
      plain("Độc lập - Tự do - Hạnh phúc", "right"),
      plain(variant === 0 ? "GIẤY NỘP TIỀN THI HÀNH ÁN" : "GIẤY NỘP TIỀN", "center", { bold: true, big: true }),
      row(variant === 0 ? "Họ và tên người nộp tiền: " : "Người nộp tiền: ", v("payerName")),
      row(variant === 0 ? "Số CCCD: " : "Số định danh cá nhân: ", v("payerIdNumber")),
      row("Địa chỉ: ", v("payerAddress")),
      decisionLine,
      row(variant === 0 ? "Nội dung nộp: " : "Lý do nộp: ", v("reason")),
      row("Số tiền: ", v("amount", money(t.amount ?? "0", "đồng", "."))),
      row("Bằng chữ: ", v("amountInWords")),
      plain(`${r.pick(["TP. Hồ Chí Minh", "Hà Nội", "Đà Nẵng"])}, ${wordsDate(t.paymentDate ?? "")}`, "right"),
      plain("NGƯỜI NỘP TIỀN", "left", { bold: true }),
      plain("NGƯỜI THU TIỀN", "right", { bold: true, sameRow: true })
    ]
    truth.paymentDate = t.paymentDate ?? ""
    const ordered = variant === 0 ? lines : [...lines.slice(0, 4), lines[7]!, lines[4]!, lines[5]!, lines[6]!, ...lines.slice(8)]
    return { lines: ordered, truth }
  }

  if (draft.documentType === "bank_advice") {
    truth.reason = t.reason ?? ""
    truth.decisionNumber = t.decisionNumber ?? ""
    const lines: Array<PrintedLine> = [
      plain(r.pick(["NGÂN HÀNG TMCP NGOẠI THƯƠNG VIỆT NAM", "NGÂN HÀNG NÔNG NGHIỆP VÀ PHÁT TRIỂN NÔNG THÔN", "NGÂN HÀNG TMCP CÔNG THƯƠNG VIỆT NAM"]), "left", { bold: true }),
      plain(variant === 0 ? "GIẤY BÁO CÓ" : "ỦY NHIỆM CHI", "center", { bold: true, big: true }),
      row(variant === 0 ? "Ngày giao dịch: " : "Ngày: ", v("paymentDate", slashDate(t.paymentDate ?? ""))),
      row("Số tham chiếu: ", v("bankReference")),
      row(variant === 0 ? "Người chuyển: " : "Tên người chuyển tiền: ", v("payerName")),
      row("Số tài khoản: ", { text: `${r.int(100000, 999999)}${r.int(1000000, 9999999)}` }),
      row("Số CCCD: ", v("payerIdNumber")),
      row("Địa chỉ: ", v("payerAddress")),
      plain("Đơn vị hưởng: Cục Thi hành án dân sự"),
      row("Số tiền: ", v("amount", money(t.amount ?? "0", "VND", variant === 0 ? "," : "."))),
      row("Số tiền bằng chữ: ", v("amountInWords")),
      row("Nội dung: ", { text: t.reason ?? "" }, false),
      plain("KẾ TOÁN", "left", { bold: true }),
      plain("KIỂM SOÁT", "right", { bold: true, sameRow: true })
    ]
    return { lines, truth }
  }

  const place = r.pick(["TP. Hồ Chí Minh", "Hà Nội", "Cần Thơ"])
  const lines: Array<PrintedLine> = [
    plain("CỤC THI HÀNH ÁN DÂN SỰ", "left", { bold: true }),
    plain("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "right", { bold: true, sameRow: true }),
    plain("Độc lập - Tự do - Hạnh phúc", "right"),
    { segments: [{ text: "Số: " }, v("decisionNumber")], align: "left" },
    { segments: [{ text: `${place}, ` }, v("decisionDate", wordsDate(t.decisionDate ?? ""))], align: "right", sameRow: true },
    plain("QUYẾT ĐỊNH", "center", { bold: true, big: true }),
    plain("Về việc thi hành án", "center"),
    plain(variant === 0 ? "CỤC TRƯỞNG CỤC THI HÀNH ÁN DÂN SỰ" : "CHI CỤC TRƯỞNG CHI CỤC THI HÀNH ÁN DÂN SỰ", "center", { bold: true }),
    plain(`Căn cứ Bản án số ${r.int(1, 300)}/${yyyy(t.decisionDate ?? "2025")}/DS-ST của Tòa án nhân dân;`),
    plain("QUYẾT ĐỊNH:", "center", { bold: true }),
    plain("Điều 1. Cho thi hành án đối với:"),
    row(variant === 0 ? "Ông/Bà: " : "Người phải thi hành án: ", v("payerName")),
    row("Số CCCD: ", v("payerIdNumber")),
    row("Địa chỉ: ", v("payerAddress")),
    row("Số tiền phải thi hành: ", v("amount", money(t.amount ?? "0", "đồng", "."))),
    row("Bằng chữ: ", v("amountInWords")),
    plain("Điều 2. Chấp hành viên có trách nhiệm tổ chức thi hành quyết định này.")
  ]
  return { lines, truth }
}
