/**
 * The text of a PDF that pdf-lib wrote with an embedded (subset) font, for
 * tests on machines without poppler's pdftotext: each page's content
 * streams are decoded, the glyph ids of their Tj/TJ strings mapped back to
 * Unicode through the font's ToUnicode CMap, which pdf-lib always writes for
 * an embedded font. Lines are joined with "\n" per text operator; enough to
 * check what a receipt says, not a general text extractor.
 */
import { decodePDFRawStream, PDFArray, PDFDict, PDFDocument, PDFName, PDFRawStream, PDFRef, type PDFObject } from "pdf-lib"

const bytesOf = (stream: PDFRawStream): Uint8Array => decodePDFRawStream(stream).decode()

const latin1 = (bytes: Uint8Array): string => Buffer.from(bytes).toString("latin1")

/** glyph id (hex, upper case) → text, from a ToUnicode CMap. */
const cmapOf = (text: string): Map<string, string> => {
  const map = new Map<string, string>()
  const unicode = (hex: string) => String.fromCodePoint(...(hex.match(/.{4}/g) ?? []).map((h) => Number.parseInt(h, 16)))
  for (const block of text.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
    for (const m of (block[1] ?? "").matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>/g)) map.set((m[1] ?? "").toUpperCase(), unicode(m[2] ?? ""))
  }
  for (const block of text.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    for (const m of (block[1] ?? "").matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>/g)) {
      const from = Number.parseInt(m[1] ?? "0", 16)
      const to = Number.parseInt(m[2] ?? "0", 16)
      const start = Number.parseInt(m[3] ?? "0", 16)
      const width = (m[1] ?? "").length
      for (let g = from; g <= to; g++) map.set(g.toString(16).toUpperCase().padStart(width, "0"), String.fromCodePoint(start + g - from))
    }
  }
  return map
}

export const pdfText = async (bytes: Uint8Array): Promise<string> => {
  const doc = await PDFDocument.load(bytes)
  const lookup = (o: PDFObject | undefined): PDFObject | undefined => (o instanceof PDFRef ? doc.context.lookup(o) : o)
  const lines: Array<string> = []
  for (const page of doc.getPages()) {
    const fonts = lookup(page.node.Resources()?.get(PDFName.of("Font")))
    const maps = new Map<string, Map<string, string>>()
    if (fonts instanceof PDFDict) {
      for (const [name, ref] of fonts.entries()) {
        const font = lookup(ref)
        const toUnicode = font instanceof PDFDict ? lookup(font.get(PDFName.of("ToUnicode"))) : undefined
        if (toUnicode instanceof PDFRawStream) maps.set(name.asString(), cmapOf(latin1(bytesOf(toUnicode))))
      }
    }
    const contents = lookup(page.node.get(PDFName.of("Contents")))
    const streams = contents instanceof PDFArray ? contents.asArray().map(lookup) : [contents]
    for (const s of streams) {
      if (!(s instanceof PDFRawStream)) continue
      let font = new Map<string, string>()
      for (const op of latin1(bytesOf(s)).matchAll(/(\/[^\s/]+)\s+[\d.]+\s+Tf|(\[(?:[^\]]*)\]|<[0-9A-Fa-f]*>)\s*(TJ|Tj)/g)) {
        if (op[1] !== undefined) {
          font = maps.get(op[1]) ?? new Map()
          continue
        }
        const hex = [...(op[2] ?? "").matchAll(/<([0-9A-Fa-f]*)>/g)].map((m) => m[1] ?? "").join("")
        const width = [...font.keys()][0]?.length ?? 4
        const glyphs = hex.match(new RegExp(`.{${width}}`, "g")) ?? []
        lines.push(glyphs.map((g) => font.get(g.toUpperCase()) ?? "").join(""))
      }
    }
  }
  return lines.join("\n")
}
