/**
 * The one place that chooses the report PDF's typeface.
 *
 * Decree 30/2020/NĐ-CP prescribes Times New Roman (a Unicode font of TCVN
 * 6909:2001) for administrative documents. Until the npm-provided Tinos
 * (Times New Roman's metric twin, adapters/fonts on branch h4-fresh) is
 * merged, the report uses the font loading of the receipt PDF
 * (edge/pdf/receipt-pdf.ts): files named by environment variables, else
 * Debian's DejaVu fonts, preferring DejaVu Serif, a serif with every
 * Vietnamese letter, and falling back to the receipt's DejaVu Sans.
 * Switching to Tinos changes only this file (pad its glyphs with
 * adapters/fonts/even-glyphs.ts before pdf-lib subsets it).
 */
import { existsSync, readFileSync } from "node:fs"
import { pdfFonts } from "../../edge/pdf/receipt-pdf.ts"

export interface ReportFontFiles {
  readonly family: string
  readonly regular: Uint8Array
  readonly bold: Uint8Array
  readonly italic: Uint8Array
}

export class ReportFontMissing extends Error {
  constructor(message: string) {
    super(message)
    this.name = "ReportFontMissing"
  }
}

const dejavu = "/usr/share/fonts/truetype/dejavu"

const file = (env: string, fallback: string): string | undefined => {
  const path = process.env[env] ?? fallback
  return existsSync(path) ? path : undefined
}

let cached: ReportFontFiles | undefined

/** The regular, bold and italic faces, read once. */
export const reportFontFiles = (): ReportFontFiles => {
  if (cached !== undefined) return cached
  const serif = {
    regular: file("BIENLAI_REPORT_FONT", `${dejavu}/DejaVuSerif.ttf`),
    bold: file("BIENLAI_REPORT_FONT_BOLD", `${dejavu}/DejaVuSerif-Bold.ttf`),
    italic: file("BIENLAI_REPORT_FONT_ITALIC", `${dejavu}/DejaVuSerif-Italic.ttf`)
  }
  if (serif.regular !== undefined && serif.bold !== undefined) {
    cached = {
      family: "serif",
      regular: readFileSync(serif.regular),
      bold: readFileSync(serif.bold),
      italic: readFileSync(serif.italic ?? serif.regular)
    }
    return cached
  }
  const receipt = pdfFonts()
  if (receipt.regular === undefined || receipt.bold === undefined) {
    throw new ReportFontMissing(
      "no font with Vietnamese glyphs for the report PDF: install fonts-dejavu-core or set BIENLAI_REPORT_FONT and BIENLAI_REPORT_FONT_BOLD"
    )
  }
  cached = { family: "sans", regular: readFileSync(receipt.regular), bold: readFileSync(receipt.bold), italic: readFileSync(receipt.regular) }
  return cached
}
