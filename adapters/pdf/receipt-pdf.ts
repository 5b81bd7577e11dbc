/**
 * The printable receipt as a PDF (A5 portrait) with its QR code, drawn with
 * pdf-lib and an embedded, subsetted TrueType font that has every
 * Vietnamese glyph: Tinos from npm (@expo-google-fonts/tinos), metric-
 * compatible with the Times New Roman that Decree 30/2020/NĐ-CP prescribes
 * for administrative documents (adapters/fonts), or the files named by
 * BIENLAI_PDF_FONT / BIENLAI_PDF_FONT_BOLD.
 *
 * `full` false prints the citizen's masked view (name masked, identity
 * number masked, no address), for someone who has the lookup code only.
 */
import fontkit from "@pdf-lib/fontkit"
import { existsSync, readFileSync } from "node:fs"
import { PDFDocument, rgb } from "pdf-lib"
import type { PDFFont, PDFPage } from "pdf-lib"
import { withEvenGlyphs } from "../fonts/even-glyphs.ts"
import { fontFile, type Weight } from "../fonts/font-files.ts"
import { formatVietnameseDate, vietnamDateOf } from "../../domain/dates.ts"
import { maskIdentityNumber } from "../../domain/identity.ts"
import { approvedCorrections, correctionLines } from "../../domain/public-corrections.ts"
import { formatVnd } from "../../domain/money.ts"
import { maskName } from "../../domain/privacy.ts"
import { formatReceiptNumber, type IssuedReceipt } from "../../domain/receipt.ts"

export class PdfFontMissing extends Error {}

const chosenFont = (env: string, weight: Weight): string => {
  const path = process.env[env]
  if (path === undefined || path === "") {
    try {
      return fontFile("Tinos", weight)
    } catch (e) {
      throw new PdfFontMissing((e as Error).message)
    }
  }
  if (!existsSync(path)) throw new PdfFontMissing(`${env}=${path}: no such font file`)
  return path
}

const prepared = new Map<string, Uint8Array>()

// Read once per file and made safe for pdf-lib's subsetter (see even-glyphs.ts).
const fontBytes = (file: string): Uint8Array => {
  let bytes = prepared.get(file)
  if (bytes === undefined) {
    bytes = withEvenGlyphs(new Uint8Array(readFileSync(file)))
    prepared.set(file, bytes)
  }
  return bytes
}

export const pdfFonts = () => ({
  regular: chosenFont("BIENLAI_PDF_FONT", "regular"),
  bold: chosenFont("BIENLAI_PDF_FONT_BOLD", "bold")
})

const wrap = (text: string, font: PDFFont, size: number, width: number): Array<string> => {
  const lines: Array<string> = []
  let line = ""
  for (const word of text.split(/\s+/)) {
    const next = line === "" ? word : `${line} ${word}`
    if (font.widthOfTextAtSize(next, size) > width && line !== "") {
      lines.push(line)
      line = word
    } else line = next
  }
  if (line !== "") lines.push(line)
  return lines
}

export const receiptPdf = async (opts: {
  readonly receipt: IssuedReceipt
  readonly agencyName: string | undefined
  readonly qrPng: Uint8Array
  readonly verifyUrl: string
  readonly full: boolean
}): Promise<Uint8Array> => {
  const files = pdfFonts()
  const r = opts.receipt
  const doc = await PDFDocument.create()
  doc.registerFontkit(fontkit)
  const regular = await doc.embedFont(fontBytes(files.regular), { subset: true })
  const bold = await doc.embedFont(fontBytes(files.bold), { subset: true })
  doc.setTitle(`Biên lai ${r.series.symbol} số ${formatReceiptNumber(r.number)}`)
  doc.setProducer("bienlai")
  doc.setCreationDate(new Date(Date.parse(r.issuedAt)))
  doc.setModificationDate(new Date(Date.parse(r.issuedAt)))

  const page: PDFPage = doc.addPage([419.53, 595.28]) // A5
  const margin = 32
  const width = page.getWidth() - 2 * margin
  let y = page.getHeight() - margin
  const text = (s: string, o: { font?: PDFFont; size?: number; x?: number; center?: boolean } = {}) => {
    const font = o.font ?? regular
    const size = o.size ?? 9.5
    const x = o.center ? (page.getWidth() - font.widthOfTextAtSize(s, size)) / 2 : (o.x ?? margin)
    page.drawText(s, { x, y, size, font, color: rgb(0.1, 0.1, 0.12) })
  }
  const row = (label: string, value: string) => {
    const lines = wrap(value, regular, 9.5, width - 120)
    text(label, { font: bold })
    for (const [i, line] of lines.entries()) {
      text(line, { x: margin + 120 })
      if (i < lines.length - 1) y -= 13
    }
    y -= 16
  }

  text(opts.agencyName ?? `Cơ quan thi hành án dân sự ${r.agency}`, { font: bold, size: 9 })
  y -= 12
  text(`Mẫu số: ${r.series.form}   Ký hiệu: ${r.series.symbol}   Số: ${formatReceiptNumber(r.number)}`, { size: 9 })
  y -= 28
  text("BIÊN LAI THU TIỀN THI HÀNH ÁN DÂN SỰ", { font: bold, size: 13, center: true })
  y -= 16
  text(`(Biên lai điện tử) — ${formatVietnameseDate(vietnamDateOf(r.issuedAt))}`, { size: 9, center: true })
  y -= 28

  // The signed name and address; approved corrections follow, labelled, never in their place.
  row("Người nộp tiền:", opts.full ? r.payer.name : maskName(r.payer.name))
  if (r.payer.idNumber !== undefined) row("Số định danh:", opts.full ? r.payer.idNumber : maskIdentityNumber(r.payer.idNumber))
  if (opts.full && r.payer.address !== undefined) row("Địa chỉ:", r.payer.address)
  for (const [label, value] of correctionLines(approvedCorrections(r.annotations), { view: opts.full ? "full" : "masked" })) row(label, value)
  if (r.case.decisionNumber !== undefined) {
    row("Quyết định THA:", `${r.case.decisionNumber}${r.case.decisionDate === undefined ? "" : `, ${formatVietnameseDate(r.case.decisionDate)}`}`)
  }
  if (r.case.judgmentNumber !== undefined) row("Bản án:", r.case.judgmentNumber)
  row("Nội dung thu:", r.reason)
  row("Số tiền:", formatVnd(r.amount))
  row("Bằng chữ:", r.amountInWords)
  row("Hình thức:", r.payment.method === "cash" ? "Tiền mặt" : `Chuyển khoản (${r.payment.reference})`)
  row("Mã tra cứu:", r.lookupCode)
  if (r.status !== "issued") {
    y -= 4
    text(r.status === "voided" ? "BIÊN LAI ĐÃ BỊ HỦY" : "BIÊN LAI ĐÃ BỊ THAY THẾ", { font: bold, size: 14, center: true })
    y -= 20
  }

  const qr = await doc.embedPng(opts.qrPng)
  const side = 120
  y -= side
  page.drawImage(qr, { x: margin, y, width: side, height: side })
  const note = [
    "Quét mã QR để kiểm tra biên lai:",
    "chữ ký số của cơ quan thu được kiểm tra",
    "ngay trên điện thoại, kể cả khi không có mạng.",
    `Người lập: ${r.maker}    Người duyệt: ${r.approver}`,
    `Ký số bởi khóa ${r.seal?.keyId ?? "?"}`
  ]
  const keepY = y
  y = keepY + side - 14
  for (const line of note) {
    text(line, { x: margin + side + 12, size: 8.5 })
    y -= 13
  }
  return doc.save({ useObjectStreams: true })
}
