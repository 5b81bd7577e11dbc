/**
 * The one place that chooses the report PDF's typeface: Tinos, from npm
 * (adapters/fonts), the metric twin of Times New Roman that Decree
 * 30/2020/NĐ-CP prescribes for administrative documents, with every
 * Vietnamese letter. Its glyphs are padded (adapters/fonts/even-glyphs.ts)
 * because pdf-lib's subsetter garbles Tinos' odd-length glyphs otherwise.
 */
import { readFileSync } from "node:fs"
import { dirname, join } from "node:path"
import { fontFile } from "../fonts/font-files.ts"
import { withEvenGlyphs } from "../fonts/even-glyphs.ts"

export interface ReportFontFiles {
  readonly family: string
  readonly regular: Uint8Array
  readonly bold: Uint8Array
  readonly italic: Uint8Array
}

let cached: ReportFontFiles | undefined

const read = (path: string): Uint8Array => withEvenGlyphs(new Uint8Array(readFileSync(path)))

/** The regular, bold and italic faces, read once (a missing package is a FontMissing naming it). */
export const reportFontFiles = (): ReportFontFiles => {
  if (cached !== undefined) return cached
  const regular = fontFile("Tinos", "regular")
  // The italic sits beside the regular face in the same package (fonts/ lists only what the receipt and corpora use).
  const italic = join(dirname(dirname(regular)), "400Regular_Italic", "Tinos_400Regular_Italic.ttf")
  cached = { family: "Tinos", regular: read(regular), bold: read(fontFile("Tinos", "bold")), italic: read(italic) }
  return cached
}
