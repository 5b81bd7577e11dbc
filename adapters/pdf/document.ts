/**
 * A new official PDF: pdf-lib with fontkit, the document faces embedded
 * (subset; a file that serves two faces, such as a regular face standing in
 * for a missing italic, embedded once), and the metadata every bienlai PDF
 * carries, dated by the instant it records rather than the clock, so the
 * same document gives the same bytes.
 */
import fontkit from "@pdf-lib/fontkit"
import { PDFDocument, type PDFFont } from "pdf-lib"
import { fontBytes, pdfFonts } from "./fonts.ts"
import type { DocumentFonts } from "./heading.ts"

export interface DocumentInfo {
  readonly title: string
  /** The issuing body. */
  readonly author: string
  /** When the document was issued or approved: its creation and modification dates. */
  readonly at: string
}

export const openDocument = async (info: DocumentInfo): Promise<{ readonly doc: PDFDocument; readonly fonts: DocumentFonts }> => {
  const files = pdfFonts()
  const doc = await PDFDocument.create()
  doc.registerFontkit(fontkit)
  const embedded = new Map<string, PDFFont>()
  const embed = async (file: string) => {
    let font = embedded.get(file)
    if (font === undefined) embedded.set(file, (font = await doc.embedFont(fontBytes(file), { subset: true })))
    return font
  }
  const fonts: DocumentFonts = { regular: await embed(files.regular), bold: await embed(files.bold), italic: await embed(files.italic) }
  doc.setTitle(info.title)
  doc.setAuthor(info.author)
  doc.setProducer("bienlai")
  doc.setCreator("bienlai")
  doc.setLanguage("vi-VN")
  doc.setCreationDate(new Date(Date.parse(info.at)))
  doc.setModificationDate(new Date(Date.parse(info.at)))
  return { doc, fonts }
}
