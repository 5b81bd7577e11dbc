/**
 * The heading of an official document (Decree 30/2020/NĐ-CP), which the
 * receipt and the payout notice both open with: on the left the issuing
 * body (its parent above it, its name in bold capitals, underlined over a
 * third of its longest line), on the right the national motto (underlined)
 * and the place and date in italics, each centred in its column.
 */
import type { PDFFont } from "pdf-lib"
import { formatVietnameseDate, vietnamDateOf } from "../../domain/dates.ts"
import { COLUMNS, centerOf } from "./page.ts"
import { type Box, type Pen, textWidth, wrap } from "./pen.ts"

/** The heading of an official document: the issuing body and where it is. */
export interface Letterhead {
  readonly name: string
  /** The body it belongs to (cơ quan chủ quản), printed above its name. */
  readonly parentName?: string
  /** The province or city named before the date. */
  readonly place?: string
}

/** The faces a document is set in. */
export interface DocumentFonts {
  readonly regular: PDFFont
  readonly bold: PDFFont
  readonly italic: PDFFont
}

/** "Thành phố Hồ Chí Minh, ngày 05 tháng 12 năm 2026" (the place is left out when not known). */
export const placeAndDate = (place: string | undefined, isoInstant: string): string => {
  const date = formatVietnameseDate(vietnamDateOf(isoInstant))
  return place === undefined ? date.charAt(0).toUpperCase() + date.slice(1) : `${place}, ${date}`
}

const upper = (s: string) => s.toLocaleUpperCase("vi")

/** `size`, or smaller so that `s` fits the width of `b` on one line. */
const fitSize = (s: string, font: PDFFont, size: number, b: Box) => Math.min(size, (size * (b.right - b.left)) / textWidth(font, s, size))

/**
 * Draws the heading from the cursor, dated `isoInstant`. `underName` draws
 * what the document prints under the body's name in the left column (the
 * cursor is on the name's last line; the rule sits 6 pt below it). The
 * cursor ends at the lower of the two columns.
 */
export const drawHeading = (pen: Pen, f: DocumentFonts, letterhead: Letterhead, isoInstant: string, underName: () => void): void => {
  const { left, right } = COLUMNS
  const top = pen.y
  if (letterhead.parentName !== undefined) {
    pen.paragraph(upper(letterhead.parentName), { font: f.regular, size: 12 }, left, 14, "center")
    pen.down(14)
  }
  const nameLines = wrap(upper(letterhead.name), f.bold, 12, left.right - left.left)
  pen.paragraph(upper(letterhead.name), { font: f.bold, size: 12 }, left, 14, "center")
  const longest = Math.max(...nameLines.map((l) => textWidth(f.bold, l, 12)))
  pen.rule(centerOf(left), longest / 3, 6)
  underName()
  const leftBottom = pen.y

  pen.y = top
  const motto = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
  pen.line(motto, { font: f.bold, size: fitSize(motto, f.bold, 12, right) }, { center: right })
  pen.down(15)
  const independence = pen.line("Độc lập - Tự do - Hạnh phúc", { font: f.bold, size: 13 }, { center: right })
  pen.rule(centerOf(right), independence.width, 4)
  pen.down(31)
  const dated = placeAndDate(letterhead.place, isoInstant)
  pen.line(dated, { font: f.italic, size: fitSize(dated, f.italic, 13, right) }, { center: right })
  pen.y = Math.min(pen.y, leftBottom)
}
