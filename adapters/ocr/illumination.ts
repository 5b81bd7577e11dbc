/**
 * Uneven light (a phone photo's shadow, a fold, a lamp) defeats one
 * threshold for the whole page: the shaded part turns black. Such pages are
 * flattened first: each pixel divided by the paper's brightness around it
 * (the page shrunk, text removed by a median filter, blurred, enlarged
 * again). Even pages skip it, as it costs a pass over every pixel.
 */
import sharp from "sharp"

const TILES = 6

/** Whether the paper's brightness (the bright end of each tile) varies across the page by more than `spread` grey levels. */
export const unevenLight = (data: Uint8Array, width: number, height: number, spread = 45): boolean => {
  const levels: Array<number> = []
  const tw = Math.floor(width / TILES)
  const th = Math.floor(height / TILES)
  if (tw < 4 || th < 4) return false
  for (let ty = 0; ty < TILES; ty++) {
    for (let tx = 0; tx < TILES; tx++) {
      const histogram = new Uint32Array(256)
      for (let y = ty * th; y < (ty + 1) * th; y++) for (let x = tx * tw; x < (tx + 1) * tw; x++) histogram[data[y * width + x] ?? 0]!++
      // The paper: the level below which 80 % of the tile lies (text is sparse).
      let seen = 0
      const wanted = tw * th * 0.8
      let level = 255
      for (let v = 0; v < 256; v++) {
        seen += histogram[v] ?? 0
        if (seen >= wanted) {
          level = v
          break
        }
      }
      levels.push(level)
    }
  }
  return Math.max(...levels) - Math.min(...levels) > spread
}

// out = min(255, round(grey × 255 / background)) for every (grey, background) pair: a look-up
// instead of a division per pixel.
let quotients: Uint8Array | undefined
const quotientTable = (): Uint8Array => {
  if (quotients !== undefined) return quotients
  quotients = new Uint8Array(256 * 256)
  for (let g = 0; g < 256; g++) for (let b = 0; b < 256; b++) quotients[(g << 8) | b] = Math.min(255, Math.round((g * 255) / Math.max(1, b)))
  return quotients
}

/** The page (one grey byte per pixel) with its light made even: paper near white everywhere, ink dark. */
export const flattenLight = async (gray: Buffer, width: number, height: number): Promise<Buffer> => {
  const small = Math.max(32, Math.round(width / 8))
  // sharp does one resize per pipeline, the last asked for: the page is not shrunk here, so the
  // median and the blur run on the whole page (~500 ms a photo). Computing the background on the
  // shrunk page, as meant, is 5× cheaper but moved fields on the tuning photos (docs/OCR.md,
  // "Fourth round: speed"), so it stays as the calibration and the tuning knew it.
  const background = await sharp(gray, { raw: { width, height, channels: 1 } })
    .resize({ width: small })
    .median(7)
    .blur(4)
    .resize({ width, height, fit: "fill" })
    .toColourspace("b-w")
    .raw()
    .toBuffer()
  const table = quotientTable()
  const out = Buffer.allocUnsafe(gray.length)
  for (let i = 0; i < gray.length; i++) out[i] = table[(gray[i]! << 8) | background[i]!]!
  return out
}
