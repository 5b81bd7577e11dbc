/**
 * Multi-page input with real OCR: a payment slip printed over two pages, as
 * a two-page PDF (made with pdf-lib, drawn by PDF.js) and as a
 * two-page TIFF (written by sharp). Fields from both pages must be found, so
 * both pages were read, in order.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { mkdir, writeFile } from "node:fs/promises"
import { join } from "node:path"
import { PDFDocument } from "pdf-lib"
import sharp from "sharp"
import { layOut } from "../support/corpus/layouts.ts"
import { seeded } from "../support/corpus/random.ts"
import { renderScan, type Scan } from "../support/corpus/render.ts"
import { drawTruth, type Truth } from "../support/corpus/truth.ts"
import { createOcrPool, type OcrPool } from "../../adapters/ocr/pool.ts"
import { readDocument } from "../../adapters/ocr/read-document.ts"

const dir = "test-output/ocr-multipage"
let pool: OcrPool
let pages: ReadonlyArray<Buffer>
let truth: Truth

const clean: Scan = { dpi: 200, font: "Tinos", rotation: 0, noise: 0, jpegQuality: undefined, blur: false }

beforeAll(async () => {
  await mkdir(dir, { recursive: true })
  pool = await createOcrPool({ size: 2 })
  const r = seeded(20250623)
  const layout = layOut(r, drawTruth(r, "payment_slip"), { blank: 0, faint: 0 })
  truth = layout.truth
  // Page 1: the title, the payer and the decision; page 2: the reason, the amount and the date.
  const split = 8
  const rendered = [await renderScan(layout.lines.slice(0, split), clean, r), await renderScan(layout.lines.slice(split), clean, r)]
  // Pages of one document share a size (a multi-page TIFF needs it too): pad the shorter one.
  const metas = await Promise.all(rendered.map((p) => sharp(p).metadata()))
  const height = Math.max(...metas.map((m) => m.height ?? 0))
  pages = await Promise.all(
    rendered.map((p, i) =>
      sharp(p).extend({ bottom: height - (metas[i]?.height ?? height), background: "#ffffff" }).png().toBuffer()
    )
  )
})
afterAll(async () => {
  await pool?.close()
})

const expectBothPagesRead = (r: Awaited<ReturnType<typeof readDocument>>) => {
  expect(r.error).toBeUndefined()
  expect(r.pages).toBe(2)
  expect(r.documentType).toBe("payment_slip")
  // Page 1.
  expect(r.fields.payerName).toBe(truth.payerName!)
  expect(r.fields.decisionNumber).toBe(truth.decisionNumber!)
  // Page 2.
  expect(r.fields.amount).toBe(truth.amount!)
  expect(r.fields.paymentDate).toBe(truth.paymentDate!)
}

describe("multi-page documents", () => {
  test("a two-page PDF", async () => {
    const pdf = await PDFDocument.create()
    for (const png of pages) {
      const image = await pdf.embedPng(png)
      // A4 in points; the scan fills the page as a scanner's PDF would.
      const page = pdf.addPage([595.28, (595.28 * image.height) / image.width])
      page.drawImage(image, { x: 0, y: 0, width: page.getWidth(), height: page.getHeight() })
    }
    const file = join(dir, "slip-2-pages.pdf")
    await writeFile(file, await pdf.save())
    expectBothPagesRead(await readDocument(pool, file, { currentYear: 2026 }))
  }, 60_000)

  test("a two-page TIFF", async () => {
    const file = join(dir, "slip-2-pages.tiff")
    await sharp([...pages], { join: { animated: true } }).tiff({ compression: "lzw" }).toFile(file)
    expect((await sharp(file).metadata()).pages).toBe(2)
    expectBothPagesRead(await readDocument(pool, file, { currentYear: 2026 }))
  }, 60_000)
})
