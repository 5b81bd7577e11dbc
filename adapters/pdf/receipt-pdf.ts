/**
 * The printable receipt as an A4 PDF laid out as Vietnamese official
 * documents are (Decree 30/2020/NĐ-CP; ./page.ts, ./heading.ts): the issuing
 * body (its parent above, its name in bold, underlined) beside the national
 * motto (underlined), the form, symbol and number under the body's name,
 * place and date in italics, the title, the body, and a signature block
 * with the approver's title and full name around a visible signature
 * appearance ("Ký bởi … / Ký ngày …") where the PAdES signature's widget
 * sits (adapters/pdf-signing). The QR code and lookup code sit beside it
 * (./lookup-block.ts). A
 * voided or replaced receipt is stamped with the reason, the date and its
 * replacement. Set in Tinos (Times New Roman's metrics; ./fonts.ts).
 *
 * Never a login id: officers appear by full name and title, or not at all.
 * `full` false prints the citizen's masked view (name masked, no address),
 * for someone who has the lookup code only; the identity number is masked
 * in both views, as the public pages mask it, since a printed receipt
 * travels.
 */
import { degrees, rgb } from "pdf-lib"
import type { PDFFont, PDFPage } from "pdf-lib"
import { formatShortDate, vietnamDateOf } from "../../domain/dates.ts"
import { maskIdentityNumber } from "../../domain/identity.ts"
import { approvedCorrections, correctionLines } from "../../domain/public-corrections.ts"
import { formatVndDigits } from "../../domain/money.ts"
import { maskName } from "../../domain/privacy.ts"
import { formatReceiptNumber, type IssuedReceipt, type Series } from "../../domain/receipt.ts"
import { openDocument } from "./document.ts"
import { type DocumentFonts, drawHeading, type Letterhead } from "./heading.ts"
import { drawLookupBlock } from "./lookup-block.ts"
import { centerOf, COLUMNS, MARGIN, PAGE } from "./page.ts"
import { type Box, Pen, textWidth } from "./pen.ts"

export { PdfFontMissing, pdfFonts } from "./fonts.ts"
export { type Letterhead, placeAndDate } from "./heading.ts"
export { MARGIN, PAGE } from "./page.ts"

const RED = rgb(0.75, 0.07, 0.07)
const SIGNATURE_GREEN = rgb(0.05, 0.45, 0.2)

/** An officer as a document names them. */
export interface Signatory {
  readonly name: string
  readonly title?: string
}

/** What replaced a replaced receipt, for its stamp. */
export interface Replacement {
  readonly series: Series
  readonly number: number
  readonly issuedAt: string
  readonly amount: bigint
  readonly reason: string
}

/** The visible signature: by whom and when (the PDF signature's /M), or why the PDF is not signed. */
export type SignatureAppearance =
  | { readonly kind: "signed"; readonly by: string; readonly at: string }
  | { readonly kind: "unsigned"; readonly why: string }

export interface ReceiptPdfInput {
  readonly receipt: IssuedReceipt
  readonly letterhead: Letterhead
  readonly approver: Signatory | undefined
  readonly maker: Signatory | undefined
  readonly replacement?: Replacement | undefined
  readonly qrPng: Uint8Array
  readonly verifyUrl: string
  readonly full: boolean
  readonly signature: SignatureAppearance
}

export interface ReceiptPdf {
  readonly bytes: Uint8Array
  /** Where the signature appearance is drawn on page 1, [x1, y1, x2, y2]: the signature widget's rectangle. */
  readonly signatureRect: readonly [number, number, number, number]
}

/** "05/12/2026 09:30", Vietnam time. */
export const vietnamDateTime = (isoInstant: string): string => {
  const local = new Date(Date.parse(isoInstant) + 7 * 3600_000).toISOString()
  return `${formatShortDate(local.slice(0, 10))} ${local.slice(11, 16)}`
}

const upper = (s: string) => s.toLocaleUpperCase("vi")

/** The stamp's heading and lines for a voided or replaced receipt; none for an issued one. */
const stampOf = (r: IssuedReceipt, replacement: Replacement | undefined): { readonly word: string; readonly lines: ReadonlyArray<string> } | undefined => {
  if (r.status === "voided" && r.voided !== undefined) {
    return { word: "ĐÃ HỦY", lines: [`Biên lai này đã bị hủy ngày ${formatShortDate(vietnamDateOf(r.voided.at))}.`, `Lý do: ${r.voided.reason}`] }
  }
  if (r.status === "replaced") {
    const by = replacement ?? r.replacedBy
    const named = by === undefined ? "" : ` bởi biên lai ký hiệu ${by.series.symbol} số ${formatReceiptNumber(by.number)}`
    const when = replacement === undefined ? "" : ` ngày ${formatShortDate(vietnamDateOf(replacement.issuedAt))}`
    return {
      word: "ĐÃ THAY THẾ",
      lines: [
        `Biên lai này đã được thay thế${named}${when}.`,
        ...(replacement === undefined ? [] : [`Lý do: biên lai thay thế ghi số tiền ${formatVndDigits(replacement.amount)} đồng, nội dung: ${replacement.reason}`])
      ]
    }
  }
  return undefined
}

/** The body's labels (corrections use "Đã đính chính:"), for the width of their column. */
const LABELS = ["Người nộp tiền:", "Số định danh:", "Địa chỉ:", "Đã đính chính:", "Quyết định THA:", "Bản án, quyết định:", "Nội dung thu:", "Số tiền:", "Bằng chữ:", "Hình thức nộp:", "Người lập biên lai:"]

/** Height of the bottom block (QR beside the signature) with the foot below it. */
const BLOCK_AND_FOOTER = 205

/** Lays the page out; dry, it only moves the cursor. Returns where the cursor ended and the signature box. */
const layout = (page: PDFPage, f: DocumentFonts, input: ReceiptPdfInput, bodySize: number, extra: number, dry: boolean, qr: Parameters<PDFPage["drawImage"]>[0] | undefined) => {
  const r = input.receipt
  const pen = new Pen(page, PAGE.height - MARGIN.top, dry)
  const { content, left: leftCol, right: rightCol } = COLUMNS

  // The heading, with the receipt's number, symbol and form under the body's name.
  drawHeading(pen, f, input.letterhead, r.issuedAt, () => {
    pen.down(24)
    pen.line(`Số: ${formatReceiptNumber(r.number)}`, { font: f.regular, size: 13 }, { center: leftCol })
    pen.down(16)
    pen.line(`Ký hiệu: ${r.series.symbol}`, { font: f.regular, size: 12 }, { center: leftCol })
    pen.down(15)
    pen.line(`Mẫu số: ${r.series.form}`, { font: f.regular, size: 12 }, { center: leftCol })
  })

  // The title.
  pen.down(40)
  pen.line("BIÊN LAI THU TIỀN THI HÀNH ÁN DÂN SỰ", { font: f.bold, size: 15 }, { center: content })
  pen.down(17)
  pen.line("(Biên lai điện tử)", { font: f.italic, size: 13 }, { center: content })
  pen.down(34)

  // The body: a label column and values wrapped beside it.
  const leading = bodySize * 1.45
  // As wide as the longest label and a space, at this size: a receipt drawn smaller gives its values the room.
  const labelWidth = Math.max(...LABELS.map((l) => textWidth(f.regular, l, bodySize))) + bodySize * 1.5
  const valueBox: Box = { left: content.left + labelWidth, right: content.right }
  const row = (label: string, value: string, font: PDFFont = f.regular) => {
    pen.line(label, { font: f.regular, size: bodySize }, { x: content.left })
    pen.paragraph(value, { font, size: bodySize }, valueBox, leading)
    pen.down(leading + bodySize * 0.3 + extra)
    rows++
  }
  let rows = 0
  row("Người nộp tiền:", input.full ? r.payer.name : maskName(r.payer.name), f.bold)
  if (r.payer.idNumber !== undefined) row("Số định danh:", maskIdentityNumber(r.payer.idNumber))
  if (input.full && r.payer.address !== undefined) row("Địa chỉ:", r.payer.address)
  // The signed name and address; approved corrections follow, labelled, never in their place.
  for (const [label, value] of correctionLines(approvedCorrections(r.annotations), { view: input.full ? "full" : "masked" })) row(label, value)
  if (r.case.decisionNumber !== undefined) {
    row("Quyết định THA:", `số ${r.case.decisionNumber}${r.case.decisionDate === undefined ? "" : ` ngày ${formatShortDate(r.case.decisionDate)}`}`)
  }
  if (r.case.judgmentNumber !== undefined) {
    row("Bản án, quyết định:", `số ${r.case.judgmentNumber}${r.case.judgmentDate === undefined ? "" : ` ngày ${formatShortDate(r.case.judgmentDate)}`}`)
  }
  row("Nội dung thu:", r.reason)
  row("Số tiền:", `${formatVndDigits(r.amount)} đồng`, f.bold)
  row("Bằng chữ:", r.amountInWords, f.italic)
  row("Hình thức nộp:", r.payment.method === "cash" ? "Tiền mặt" : `Chuyển khoản, số tham chiếu ${r.payment.reference}`)
  if (input.maker !== undefined) row("Người lập biên lai:", input.maker.name)

  const stamp = stampOf(r, input.replacement)
  if (stamp !== undefined) {
    pen.down(4)
    const boxTop = pen.y + bodySize + 6
    pen.line(stamp.word, { font: f.bold, size: bodySize + 3, color: RED }, { center: content })
    pen.down(leading + 2)
    const inner: Box = { left: content.left + 10, right: content.right - 10 }
    for (const l of stamp.lines) {
      pen.paragraph(l, { font: f.regular, size: bodySize - 1, color: RED }, inner, leading - 1, "center")
      pen.down(leading - 1)
    }
    const boxBottom = pen.y + bodySize - 4
    if (!dry) {
      page.drawRectangle({ x: content.left, y: boxBottom, width: content.right - content.left, height: boxTop - boxBottom, borderColor: RED, borderWidth: 1.5 })
      // Across the page, faint, so that no copy of it passes for a valid receipt.
      const size = 84
      const width = textWidth(f.bold, stamp.word, size)
      const angle = 32 * (Math.PI / 180)
      page.drawText(stamp.word, {
        x: PAGE.width / 2 - (width / 2) * Math.cos(angle) + (size / 3) * Math.sin(angle),
        y: PAGE.height / 2 - (width / 2) * Math.sin(angle) - (size / 3) * Math.cos(angle),
        size,
        font: f.bold,
        color: RED,
        opacity: 0.14,
        rotate: degrees(32)
      })
    }
    pen.down(8)
  }

  // The bottom block: QR and lookup code on the left, the signature on the right; anchored to the page's foot when there is room.
  const highest = MARGIN.bottom + BLOCK_AND_FOOTER
  // Room left above the block at its lowest: spread between the rows when laid out again, so the page is evenly full.
  const slack = pen.y - 10 - highest
  const blockTop = Math.min(pen.y - 10, highest)
  pen.y = blockTop

  // Left: the QR code.
  drawLookupBlock(pen, f, leftCol, {
    caption: "Quét mã QR để kiểm tra biên lai",
    qr,
    side: 112,
    lookupCode: r.lookupCode,
    verifyUrl: input.verifyUrl,
    whereToLook: (host) => `Tra cứu tại ${host}/tra-cuu`
  })
  const qrBottom = pen.y

  // Right: the approver's title, the signature appearance, the full name.
  pen.y = blockTop
  const title = input.approver?.title === undefined ? "NGƯỜI DUYỆT" : upper(input.approver.title)
  pen.paragraph(title, { font: f.bold, size: 13 }, rightCol, 16, "center")
  pen.down(14)
  const sigBox = { left: centerOf(rightCol) - 130, right: centerOf(rightCol) + 130 }
  const sigTop = pen.y
  pen.down(14)
  const sigStyle = { font: f.regular, size: 10, color: input.signature.kind === "signed" ? SIGNATURE_GREEN : RED }
  const sigInner: Box = { left: sigBox.left + 8, right: sigBox.right - 8 }
  if (input.signature.kind === "signed") {
    pen.paragraph(`Ký bởi: ${input.signature.by}`, sigStyle, sigInner, 12.5)
    pen.down(14)
    pen.line(`Ký ngày: ${vietnamDateTime(input.signature.at)}`, sigStyle, { x: sigInner.left })
  } else {
    pen.paragraph(`Bản PDF này không mang chữ ký số: ${input.signature.why}`, sigStyle, sigInner, 12.5)
  }
  pen.down(10)
  const sigBottom = pen.y
  if (!dry) {
    page.drawRectangle({ x: sigBox.left, y: sigBottom, width: sigBox.right - sigBox.left, height: sigTop - sigBottom, borderColor: sigStyle.color, borderWidth: 1 })
  }
  pen.down(26)
  if (input.approver !== undefined) pen.paragraph(input.approver.name, { font: f.bold, size: 13 }, rightCol, 16, "center")
  pen.y = Math.min(pen.y, qrBottom)

  // The foot: what the receipt is and how to check it.
  const footY = Math.min(pen.y - 24, MARGIN.bottom + 18)
  pen.y = footY
  pen.paragraph(
    `Biên lai điện tử được niêm phong bằng chữ ký số của cơ quan thu${r.seal === undefined ? "" : ` (khóa ${r.seal.keyId})`}; mã QR được kiểm tra ngay trên điện thoại, kể cả khi không có mạng.`,
    { font: f.italic, size: 9 },
    content,
    11,
    "center"
  )
  const signatureRect = [sigBox.left, sigBottom, sigBox.right, sigTop] as const
  return { endY: pen.y, signatureRect, slack, rows }
}

/** Body sizes tried in turn until the page holds everything (see ./pen.ts). */
const BODY_SIZES: ReadonlyArray<number> = [13, 12, 11, 10, 9, 8, 7.5, 7, 6.5, 6]
const SMALLEST = 6

export const receiptPdf = async (input: ReceiptPdfInput): Promise<ReceiptPdf> => {
  const r = input.receipt
  const { doc, fonts } = await openDocument({ title: `Biên lai ${r.series.symbol} số ${formatReceiptNumber(r.number)}`, author: input.letterhead.name, at: r.issuedAt })

  const page = doc.addPage([PAGE.width, PAGE.height])
  const size = BODY_SIZES.find((s) => layout(page, fonts, input, s, 0, true, undefined).endY >= MARGIN.bottom) ?? SMALLEST
  const measured = layout(page, fonts, input, size, 0, true, undefined)
  // At most 8 pt more between rows: a short receipt keeps its body together rather than scattered down the page.
  const extra = Math.max(0, Math.min(8, measured.slack / (measured.rows + 1)))
  const qr = await doc.embedPng(input.qrPng)
  const { signatureRect } = layout(page, fonts, input, size, extra, false, qr)
  return { bytes: await doc.save({ useObjectStreams: true }), signatureRect }
}
