/**
 * A cursor that writes lines of text down a page between margins, wrapping
 * them, and that can run dry (measuring only): the receipt is laid out dry
 * at its usual size first, and at smaller sizes while it would run past
 * the bottom margin, so the longest names, addresses and reasons the schema
 * allows still fit on one A4 page without overflowing it.
 */
import { rgb } from "pdf-lib"
import type { Color, PDFFont, PDFPage } from "pdf-lib"

export const INK = rgb(0.08, 0.08, 0.1)

export interface Box {
  readonly left: number
  readonly right: number
}

const advances = new WeakMap<PDFFont, Map<string, number>>()

/**
 * The width of `s` at `size`, from each character's advance, cached per
 * font: pdf-lib's own measure lays the whole string out with fontkit at
 * every call, which made a receipt with long fields take seconds to fit.
 * pdf-lib draws without kerning, so the sum of advances is what it draws.
 */
export const textWidth = (font: PDFFont, s: string, size: number): number => {
  let cache = advances.get(font)
  if (cache === undefined) advances.set(font, (cache = new Map()))
  let units = 0
  for (const ch of s) {
    let w = cache.get(ch)
    if (w === undefined) cache.set(ch, (w = font.widthOfTextAtSize(ch, 1000)))
    units += w
  }
  return (units * size) / 1000
}

/** Lines of `text` no wider than `width`; a word wider than the line is broken between letters. */
export const wrap = (text: string, font: PDFFont, size: number, width: number): Array<string> => {
  const fits = (s: string) => textWidth(font, s, size) <= width
  const lines: Array<string> = []
  let line = ""
  for (const word of text.split(/\s+/).filter((w) => w !== "")) {
    const next = line === "" ? word : `${line} ${word}`
    if (fits(next)) {
      line = next
      continue
    }
    if (line !== "") lines.push(line)
    line = ""
    let rest = word
    // Only a word longer than a whole line gets here: cut it where it stops fitting.
    while (!fits(rest)) {
      const letters = Array.from(rest)
      let n = letters.length - 1
      while (n > 1 && !fits(letters.slice(0, n).join(""))) n--
      lines.push(letters.slice(0, n).join(""))
      rest = letters.slice(n).join("")
    }
    line = rest
  }
  if (line !== "") lines.push(line)
  return lines.length === 0 ? [""] : lines
}

export interface TextStyle {
  readonly font: PDFFont
  readonly size: number
  readonly color?: Color
}

export class Pen {
  readonly page: PDFPage
  readonly dry: boolean
  y: number

  constructor(page: PDFPage, y: number, dry: boolean) {
    this.page = page
    this.y = y
    this.dry = dry
  }

  /** One line at the cursor's baseline, at `x`, centred in `box`, or ending at `box.right`. */
  line(s: string, style: TextStyle, at: { readonly x: number } | { readonly center: Box } | { readonly right: number }): { readonly x: number; readonly width: number } {
    const width = textWidth(style.font, s, style.size)
    const x = "x" in at ? at.x : "center" in at ? (at.center.left + at.center.right - width) / 2 : at.right - width
    if (!this.dry && s !== "") this.page.drawText(s, { x, y: this.y, size: style.size, font: style.font, color: style.color ?? INK })
    return { x, width }
  }

  /** A paragraph wrapped in `box`, each line centred or from the left, `leading` apart; the cursor ends on its last line. */
  paragraph(text: string, style: TextStyle, box: Box, leading: number, align: "left" | "center" = "left"): number {
    const lines = wrap(text, style.font, style.size, box.right - box.left)
    for (const [i, l] of lines.entries()) {
      if (i > 0) this.y -= leading
      this.line(l, style, align === "center" ? { center: box } : { x: box.left })
    }
    return lines.length
  }

  /** A horizontal rule under the current line, centred on `center` and `width` long. */
  rule(center: number, width: number, below: number, thickness = 0.6): void {
    if (!this.dry) this.page.drawLine({ start: { x: center - width / 2, y: this.y - below }, end: { x: center + width / 2, y: this.y - below }, thickness, color: INK })
  }

  down(by: number): void {
    this.y -= by
  }
}
