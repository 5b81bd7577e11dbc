/**
 * The faces the receipt PDF is set in: Tinos from npm (@expo-google-fonts/
 * tinos), metric-compatible with the Times New Roman that Decree
 * 30/2020/NĐ-CP prescribes for administrative documents, in regular, bold
 * and italic (the place and date line and the amount in words are italic in
 * official documents), or the files named by BIENLAI_PDF_FONT,
 * BIENLAI_PDF_FONT_BOLD and BIENLAI_PDF_FONT_ITALIC.
 */
import { existsSync, readFileSync } from "node:fs"
import { withEvenGlyphs } from "../fonts/even-glyphs.ts"
import { fontFile, type Weight } from "../fonts/font-files.ts"

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

/** Tinos' italic sits beside its regular face in the same package. */
const tinosItalic = (regular: string): string => regular.replace(/400Regular[/\\]Tinos_400Regular\.ttf$/, "400Regular_Italic/Tinos_400Regular_Italic.ttf")

const chosenItalic = (regular: string): string => {
  const path = process.env["BIENLAI_PDF_FONT_ITALIC"]
  if (path !== undefined && path !== "") {
    if (!existsSync(path)) throw new PdfFontMissing(`BIENLAI_PDF_FONT_ITALIC=${path}: no such font file`)
    return path
  }
  // A regular face chosen by BIENLAI_PDF_FONT without an italic: set the italic lines upright in it rather than in another face.
  const italic = tinosItalic(regular)
  return italic !== regular && existsSync(italic) ? italic : regular
}

const prepared = new Map<string, Uint8Array>()

/** Read once per file and made safe for pdf-lib's subsetter (see ../fonts/even-glyphs.ts). */
export const fontBytes = (file: string): Uint8Array => {
  let bytes = prepared.get(file)
  if (bytes === undefined) {
    bytes = withEvenGlyphs(new Uint8Array(readFileSync(file)))
    prepared.set(file, bytes)
  }
  return bytes
}

export const pdfFonts = () => {
  const regular = chosenFont("BIENLAI_PDF_FONT", "regular")
  return { regular, bold: chosenFont("BIENLAI_PDF_FONT_BOLD", "bold"), italic: chosenItalic(regular) }
}
