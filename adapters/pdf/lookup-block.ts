/**
 * The block a reader checks a printed document with, as the receipt and the
 * payout notice print it: a caption, the QR code a phone verifies offline,
 * the lookup code under it, and where on the web to look it up.
 */
import type { PDFImage } from "pdf-lib"
import type { DocumentFonts } from "./heading.ts"
import { centerOf } from "./page.ts"
import type { Box, Pen } from "./pen.ts"

export interface LookupBlock {
  /** Above the QR code: "Quét mã QR để kiểm tra …". */
  readonly caption: string
  /** The QR code embedded in the document; none while the layout only measures. */
  readonly qr: PDFImage | undefined
  /** The QR code's side, in points. */
  readonly side: number
  readonly lookupCode: string
  readonly verifyUrl: string
  /** The last line, from the verify URL's host; left out when that URL has none. */
  readonly whereToLook: (host: string) => string
}

const hostOf = (url: string): string | undefined => {
  try {
    return new URL(url).host
  } catch {
    return undefined
  }
}

/** Draws the block centred in `box` from the cursor, which ends on its last line. */
export const drawLookupBlock = (pen: Pen, f: DocumentFonts, box: Box, block: LookupBlock): void => {
  const { side } = block
  pen.line(block.caption, { font: f.italic, size: 10.5 }, { center: box })
  if (!pen.dry && block.qr !== undefined) pen.page.drawImage(block.qr, { x: centerOf(box) - side / 2, y: pen.y - 6 - side, width: side, height: side })
  pen.down(side + 22)
  pen.line(`Mã tra cứu: ${block.lookupCode}`, { font: f.bold, size: 11.5 }, { center: box })
  pen.down(15)
  const host = hostOf(block.verifyUrl)
  if (host !== undefined) pen.line(block.whereToLook(host), { font: f.regular, size: 10.5 }, { center: box })
}
