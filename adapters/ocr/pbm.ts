/**
 * A black and white page as a binary PBM (P4): one bit per pixel, a header
 * of a few bytes, written in one pass with no compression. Leptonica, inside
 * tesseract.js, reads it directly, so the page reaches the engine as 1/8 of
 * its grey bytes instead of a PNG that costs time to deflate and inflate
 * again on the other side.
 */

/** `data`: one byte per pixel, below 128 is ink. */
export const encodePbm = (data: Uint8Array, width: number, height: number): Buffer => {
  const header = Buffer.from(`P4\n${width} ${height}\n`, "ascii")
  const stride = (width + 7) >> 3
  const out = Buffer.alloc(header.length + stride * height)
  header.copy(out, 0)
  let o = header.length
  for (let y = 0; y < height; y++) {
    const row = y * width
    for (let bx = 0; bx < stride; bx++) {
      let byte = 0
      const x0 = bx << 3
      const end = Math.min(8, width - x0)
      for (let b = 0; b < end; b++) if ((data[row + x0 + b] ?? 255) < 128) byte |= 0x80 >> b
      out[o++] = byte
    }
  }
  return out
}
