/**
 * Photo-like distortions of test images, made with sharp (an npm dependency)
 * instead of ImageMagick: rotation, blur, perspective (as a phone held at an
 * angle), JPEG, and a busy background with text. Deterministic, so a failing
 * test can be looked at in test-output/.
 */
import sharp from "sharp"
import { svgTextLine } from "../../adapters/fonts/svg-text.ts"

/** A busy background: a vertical gradient, two dark translucent stripes and a line of Vietnamese text. */
export const busyBackground = (width = 1000, height = 800): Promise<Buffer> => {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
  <defs><linearGradient id="g" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#c9b48a"/><stop offset="1" stop-color="#5a6e7d"/></linearGradient></defs>
  <rect width="100%" height="100%" fill="url(#g)"/>
  <rect x="0" y="100" width="${width}" height="40" fill="#000" fill-opacity="0.25"/>
  <rect x="0" y="500" width="${width}" height="20" fill="#000" fill-opacity="0.25"/>
  ${svgTextLine([{ text: "CỤC THI HÀNH ÁN DÂN SỰ", fill: "#333" }], { family: "DejaVu Sans", size: 40, x: 40, y: 60 })}
</svg>`
  return sharp(Buffer.from(svg)).png().toBuffer()
}

/** Turned by `degrees` (clockwise) onto a larger white canvas, as ImageMagick's -rotate does. */
export const rotate = (png: Buffer, degrees: number): Promise<Buffer> =>
  sharp(png).rotate(degrees, { background: "#ffffff" }).png().toBuffer()

/** Gaussian blur of the given sigma, in pixels. */
export const blur = (png: Buffer, sigma: number): Promise<Buffer> => sharp(png).blur(sigma).png().toBuffer()

type Point = readonly [number, number]

/** The 3×3 projective map (row-major, last entry 1) that sends each `from` corner to its `to` corner. */
export const homography = (from: ReadonlyArray<Point>, to: ReadonlyArray<Point>): Array<number> => {
  // Eight equations in the eight unknowns h0..h7, solved by Gaussian elimination.
  const rows: Array<Array<number>> = []
  from.forEach(([x, y], i) => {
    const [u, v] = to[i]!
    rows.push([x, y, 1, 0, 0, 0, -u * x, -u * y, u])
    rows.push([0, 0, 0, x, y, 1, -v * x, -v * y, v])
  })
  for (let col = 0; col < 8; col++) {
    let pivot = col
    for (let r = col + 1; r < 8; r++) if (Math.abs(rows[r]![col]!) > Math.abs(rows[pivot]![col]!)) pivot = r
    ;[rows[col], rows[pivot]] = [rows[pivot]!, rows[col]!]
    for (let r = 0; r < 8; r++) {
      if (r === col) continue
      const f = rows[r]![col]! / rows[col]![col]!
      for (let k = col; k < 9; k++) rows[r]![k]! -= f * rows[col]![k]!
    }
  }
  return [...rows.map((r, i) => r[8]! / r[i]!), 1]
}

/**
 * Perspective: the image's corners (top-left, top-right, bottom-left,
 * bottom-right) move to `corners`, the rest follows; uncovered parts are
 * white. Same size as the input, as ImageMagick's -distort Perspective.
 */
export const perspective = async (png: Buffer, corners: readonly [Point, Point, Point, Point]): Promise<Buffer> => {
  const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true })
  const { width: w, height: h, channels } = info
  const source: ReadonlyArray<Point> = [[0, 0], [w - 1, 0], [0, h - 1], [w - 1, h - 1]]
  // For every output pixel, where it comes from: the map from the moved corners back to the originals.
  const m = homography(corners, source)
  const out = Buffer.alloc(w * h * channels, 255)
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const z = m[6]! * x + m[7]! * y + m[8]!
      const sx = (m[0]! * x + m[1]! * y + m[2]!) / z
      const sy = (m[3]! * x + m[4]! * y + m[5]!) / z
      if (sx < 0 || sy < 0 || sx > w - 1 || sy > h - 1) continue
      const x0 = Math.floor(sx)
      const y0 = Math.floor(sy)
      const x1 = Math.min(x0 + 1, w - 1)
      const y1 = Math.min(y0 + 1, h - 1)
      const fx = sx - x0
      const fy = sy - y0
      for (let c = 0; c < channels; c++) {
        const at = (px: number, py: number) => data[(py * w + px) * channels + c]!
        const top = at(x0, y0) * (1 - fx) + at(x1, y0) * fx
        const bottom = at(x0, y1) * (1 - fx) + at(x1, y1) * fx
        out[(y * w + x) * channels + c] = Math.round(top * (1 - fy) + bottom * fy)
      }
    }
  }
  return sharp(out, { raw: { width: w, height: h, channels } }).png().toBuffer()
}

/** `png` laid on `background` at (left, top), saved as JPEG of the given quality. */
export const onBackgroundAsJpeg = (background: Buffer, png: Buffer, left: number, top: number, quality: number): Promise<Buffer> =>
  sharp(background).composite([{ input: png, left, top }]).jpeg({ quality }).toBuffer()
