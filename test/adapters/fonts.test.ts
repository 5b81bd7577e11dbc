/**
 * The npm fonts and what is done to them: every family is there in both
 * weights with every Vietnamese letter, glyph padding (even-glyphs.ts)
 * changes no outline, and a pdf-lib subset of a padded font has every glyph
 * whole (without the padding, the subset of Tinos is garbage after the first
 * glyph of odd length).
 */
import { describe, expect, test } from "bun:test"
import fontkit from "@pdf-lib/fontkit"
import { readFileSync } from "node:fs"
import { decodePDFRawStream, PDFDict, PDFDocument, PDFName, type PDFRawStream, type PDFRef } from "pdf-lib"
import { withEvenGlyphs } from "../../adapters/fonts/even-glyphs.ts"
import { fontFamilies, fontFile } from "../../adapters/fonts/font-files.ts"
import { svgTextLine, textWidth } from "../../adapters/fonts/svg-text.ts"

const vietnamese = "Nguyễn Thị Hồng Nhung, Đặng Văn Ước, Phường Bến Thành — Một trăm hai mươi lăm triệu đồng"

/** Every glyph of the TrueType fonts that `pdf` embeds, decoded: the number of glyphs that decode, and the errors of those that do not. */
const embeddedGlyphs = async (pdf: Uint8Array): Promise<{ readonly glyphs: number; readonly errors: ReadonlyArray<string> }> => {
  const doc = await PDFDocument.load(pdf)
  let glyphs = 0
  const errors: Array<string> = []
  for (const [, object] of doc.context.enumerateIndirectObjects()) {
    if (!(object instanceof PDFDict) || object.get(PDFName.of("FontFile2")) === undefined) continue
    const stream = doc.context.lookup(object.get(PDFName.of("FontFile2")) as PDFRef) as PDFRawStream
    const font = fontkit.create(Buffer.from(decodePDFRawStream(stream).decode()))
    for (let g = 0; g < font.numGlyphs; g++) {
      try {
        void font.getGlyph(g).path.bbox
        glyphs++
      } catch (e) {
        errors.push(`glyph ${g}: ${(e as Error).message}`)
      }
    }
  }
  return { glyphs, errors }
}

const subsetPdf = async (font: Uint8Array): Promise<Uint8Array> => {
  const doc = await PDFDocument.create()
  doc.registerFontkit(fontkit)
  const embedded = await doc.embedFont(font, { subset: true })
  doc.addPage([500, 100]).drawText(vietnamese, { x: 10, y: 50, size: 10, font: embedded })
  return doc.save()
}

describe("fonts from npm", () => {
  test("every family is installed in both weights and has every letter of Vietnamese text", () => {
    for (const family of fontFamilies) {
      for (const weight of ["regular", "bold"] as const) {
        const font = fontkit.create(readFileSync(fontFile(family, weight)))
        expect([...vietnamese].filter((c) => !font.hasGlyphForCodePoint(c.codePointAt(0)!))).toEqual([])
      }
    }
  })

  test("text becomes outlines: paths only, as wide as the font says", () => {
    const svg = svgTextLine([{ text: "Hồ ", fill: "#111" }, { text: "Chí Minh", fill: "#888" }], { family: "Tinos", size: 40, x: 0, y: 50 })
    expect(svg).not.toContain("<text")
    expect(svg.match(/<path fill="#111"/g)).toHaveLength(1)
    expect(svg.match(/<path fill="#888"/g)).toHaveLength(1)
    expect(textWidth("Hồ Chí Minh", { family: "Tinos", size: 40 })).toBeGreaterThan(textWidth("Hồ Chí", { family: "Tinos", size: 40 }))
  })

})

describe("glyph padding for pdf-lib's subsetter", () => {
  for (const family of ["Tinos", "Arimo", "Noto Serif"] as const) {
    test(`${family}: a subset of the padded font has every glyph whole; the padding changes no outline`, async () => {
      const original = new Uint8Array(readFileSync(fontFile(family)))
      const padded = withEvenGlyphs(original)
      const before = fontkit.create(Buffer.from(original))
      const after = fontkit.create(Buffer.from(padded))
      expect(after.numGlyphs).toBe(before.numGlyphs)
      for (let g = 0; g < before.numGlyphs; g += 7) {
        expect(after.getGlyph(g).path.toSVG()).toBe(before.getGlyph(g).path.toSVG())
        expect(after.getGlyph(g).advanceWidth).toBe(before.getGlyph(g).advanceWidth)
      }
      const good = await embeddedGlyphs(await subsetPdf(padded))
      expect(good.errors).toEqual([])
      expect(good.glyphs).toBeGreaterThan(30)
      // The reason for the padding: the same subset of the font as shipped is broken.
      expect((await embeddedGlyphs(await subsetPdf(original))).errors.length).toBeGreaterThan(0)
    })
  }

  test("a font without odd glyphs (DejaVu) comes out with the same outlines", () => {
    const original = new Uint8Array(readFileSync(fontFile("DejaVu Sans")))
    const after = fontkit.create(Buffer.from(withEvenGlyphs(original)))
    const before = fontkit.create(Buffer.from(original))
    for (const c of vietnamese) expect(after.glyphForCodePoint(c.codePointAt(0)!).path.toSVG()).toBe(before.glyphForCodePoint(c.codePointAt(0)!).path.toSVG())
  })
})
