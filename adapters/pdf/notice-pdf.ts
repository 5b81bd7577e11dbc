/**
 * The payout notice (giấy báo nhận tiền) as an A4 PDF, laid out as the
 * receipt is (./receipt-pdf.ts: the page and heading of Decree
 * 30/2020/NĐ-CP, ./page.ts and ./heading.ts, Tinos): the enforcing agency
 * beside the national motto, the title, the case and round, the creditor
 * (masked name and identity number: a printed notice travels), each line
 * of the notice (catch-ups first), the totals, and the QR code with the
 * lookup code. Not PAdES-signed: the QR token is
 * the notice's signature a phone checks, and the notice's canonical bytes
 * are what the agency's seal signs (docs/PAYOUT.md, "Notices").
 */
import type { PDFFont } from "pdf-lib"
import { formatShortDate } from "../../domain/dates.ts"
import { formatVndDigits } from "../../domain/money.ts"
import { openDocument } from "./document.ts"
import { drawHeading } from "./heading.ts"
import { drawLookupBlock } from "./lookup-block.ts"
import { COLUMNS, MARGIN, PAGE } from "./page.ts"
import { type Box, Pen, textWidth } from "./pen.ts"

export interface NoticePdfInput {
  readonly agencyName: string
  readonly parentName?: string
  readonly place?: string
  readonly caseDecision: string
  readonly round: number
  readonly legalDate: string
  readonly approvedAt: string
  readonly maskedName: string
  readonly maskedIdNumber: string
  /** Each line: its label ("Đợt 8", "Bù đợt 3"), what it pays net, its fee, and its state in words. */
  readonly lines: ReadonlyArray<{ readonly label: string; readonly net: bigint; readonly fee: bigint; readonly state: string }>
  readonly amount: bigint
  readonly fee: bigint
  readonly net: bigint
  readonly remaining: bigint
  readonly lookupCode: string
  readonly verifyUrl: string
  readonly qrPng: Uint8Array
}

export const noticePdf = async (input: NoticePdfInput): Promise<Uint8Array> => {
  const { doc, fonts } = await openDocument({ title: `Giấy báo nhận tiền đợt ${input.round}, ${input.caseDecision}`, author: input.agencyName, at: input.approvedAt })
  const { regular, bold, italic } = fonts
  const page = doc.addPage([PAGE.width, PAGE.height])
  const pen = new Pen(page, PAGE.height - MARGIN.top, false)
  const { content } = COLUMNS

  // The heading: nothing under the agency's name but its rule.
  const letterhead = { name: input.agencyName, parentName: input.parentName, place: input.place }
  drawHeading(pen, fonts, letterhead, input.approvedAt, () => pen.down(6))

  pen.down(40)
  pen.line("GIẤY BÁO NHẬN TIỀN THI HÀNH ÁN", { font: bold, size: 15 }, { center: content })
  pen.down(17)
  pen.line(`(Đợt chi trả ${input.round}, ngày ${formatShortDate(input.legalDate)})`, { font: italic, size: 13 }, { center: content })
  pen.down(32)

  const size = 12.5
  const leading = size * 1.45
  const labelWidth = textWidth(regular, "Còn được nhận sau đợt này:", size) + size
  const valueBox: Box = { left: content.left + labelWidth, right: content.right }
  const row = (label: string, value: string, font: PDFFont = regular) => {
    pen.line(label, { font: regular, size }, { x: content.left })
    pen.paragraph(value, { font, size }, valueBox, leading)
    pen.down(leading + 3)
  }
  row("Quyết định THA:", `số ${input.caseDecision}`)
  row("Người được nhận tiền:", input.maskedName, bold)
  row("Số định danh:", input.maskedIdNumber)
  for (const l of input.lines) row(`${l.label}:`, `${formatVndDigits(l.net)} đồng${l.fee > 0n ? ` (phí ${formatVndDigits(l.fee)} đồng)` : ""}, ${l.state}`)
  row("Số tiền được chi:", `${formatVndDigits(input.amount)} đồng`)
  row("Phí thi hành án:", `${formatVndDigits(input.fee)} đồng`)
  row("Số tiền thực nhận:", `${formatVndDigits(input.net)} đồng`, bold)
  row("Còn được nhận sau đợt này:", `${formatVndDigits(input.remaining)} đồng`)

  // The QR code and the lookup code.
  pen.down(10)
  drawLookupBlock(pen, fonts, content, {
    caption: "Quét mã QR để kiểm tra giấy báo",
    qr: await doc.embedPng(input.qrPng),
    side: 120,
    lookupCode: input.lookupCode,
    verifyUrl: input.verifyUrl,
    whereToLook: (host) => `Tra cứu tại ${host}/tra-cuu-chi-tra cùng số định danh của người được nhận tiền`
  })
  pen.down(24)
  pen.paragraph(
    "Giấy báo được lập từ phương án chi trả đã được phê duyệt và ký số; mã QR được kiểm tra ngay trên điện thoại, kể cả khi không có mạng.",
    { font: italic, size: 9 },
    content,
    11,
    "center"
  )
  return doc.save({ useObjectStreams: true })
}
