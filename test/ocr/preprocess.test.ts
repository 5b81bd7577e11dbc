/**
 * Preprocessing's geometry (adapters/ocr/preprocess.ts): a scan narrower than
 * 1900 px is upscaled towards 300 dpi A4, one of 230 dpi or more is read at
 * its own size, and a skewed page is turned level after its upscaling.
 */
import { describe, expect, test } from "bun:test"
import sharp from "sharp"
import { preprocess } from "../../adapters/ocr/preprocess.ts"

/** An A4-proportioned page `width` px wide with dark bars where lines of text would be, turned by `degrees`. */
const page = async (width: number, degrees = 0): Promise<Buffer> => {
  const height = Math.round(width * 1.414)
  const bars = Array.from({ length: 12 }, (_, i) => {
    const y = Math.round(height * (0.1 + i * 0.06))
    return `<rect x="${Math.round(width * 0.1)}" y="${y}" width="${Math.round(width * 0.8)}" height="${Math.max(2, Math.round(width / 200))}" fill="#202020"/>`
  }).join("")
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="#f8f8f4"/>${bars}</svg>`
  let image = sharp(Buffer.from(svg)).flatten({ background: "#ffffff" })
  if (degrees !== 0) image = sharp(await image.png().toBuffer()).rotate(degrees, { background: "#f8f8f4" })
  return image.png().toBuffer()
}

/** Rows of the binarised page (1 byte a pixel in `gray`'s size) holding ink in a column band. */
const inkRows = (gray: Buffer, width: number, height: number, x0: number, x1: number): Array<number> => {
  const rows: Array<number> = []
  for (let y = 0; y < height; y++) {
    for (let x = x0; x < x1; x++) {
      if ((gray[y * width + x] ?? 255) < 128) {
        rows.push(y)
        break
      }
    }
  }
  return rows
}

describe("preprocess geometry", () => {
  test("150 and 200 dpi pages are upscaled to 300 dpi; a 240 dpi page is read at its own size", async () => {
    const low = await preprocess(await page(1240))
    expect(low.scale).toBeCloseTo(2, 2)
    expect(low.width).toBe(2480)
    const mid = await preprocess(await page(1654))
    expect(mid.width).toBe(2480)
    const high = await preprocess(await page(1985))
    expect(high.scale).toBe(1)
    expect(high.width).toBe(1985)
  })

  test("a skewed low-resolution page is upscaled and turned level", async () => {
    const pre = await preprocess(await page(1240, 2))
    // The turned scan is a little wider than the page (its corners), so a little under 2×.
    expect(pre.scale).toBeGreaterThan(1.8)
    expect(Math.abs(pre.deskewedBy + 2)).toBeLessThan(0.3)
    // Level bars: the first bar's ink at the left of the page and at its right lies in the same rows.
    const left = inkRows(pre.gray, pre.width, pre.height, Math.round(pre.width * 0.2), Math.round(pre.width * 0.22))
    const right = inkRows(pre.gray, pre.width, pre.height, Math.round(pre.width * 0.78), Math.round(pre.width * 0.8))
    expect(left.length).toBeGreaterThan(0)
    expect(Math.abs((left[0] ?? 0) - (right[0] ?? 0))).toBeLessThan(8)
  })
})
