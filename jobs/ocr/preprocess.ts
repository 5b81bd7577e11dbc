/**
 * Makes a scan easy for tesseract: grayscale, upscaled when the scan is low
 * resolution (tesseract reads best with capital letters 20–40 px tall),
 * rotated level when slightly skewed, and binarised at Otsu's threshold.
 */
import sharp from "sharp"
import { estimateSkew, otsuThreshold } from "./skew.ts"

export interface Preprocessed {
  readonly png: Buffer
  readonly width: number
  readonly height: number
  /** Degrees the page was turned to level its lines. */
  readonly deskewedBy: number
  readonly scale: number
  /** Share of ink pixels: next to nothing means an empty page. */
  readonly inkRatio: number
}

// A4 at 300 dpi is 2480 px wide; narrower scans are upscaled towards it.
const TARGET_WIDTH = 2480
const MIN_WIDTH_FOR_NO_UPSCALE = 1900
const SKEW_SAMPLE_WIDTH = 900

export const preprocess = async (page: Buffer): Promise<Preprocessed> => {
  const gray = sharp(page).flatten({ background: "#ffffff" }).grayscale()
  const meta = await sharp(page).metadata()
  const width0 = meta.width ?? TARGET_WIDTH
  const scale = width0 < MIN_WIDTH_FOR_NO_UPSCALE ? Math.min(2.5, TARGET_WIDTH / width0) : 1

  const sample = await gray
    .clone()
    .resize({ width: Math.min(SKEW_SAMPLE_WIDTH, width0) })
    .raw()
    .toBuffer({ resolveWithObject: true })
  const sampleData = new Uint8Array(sample.data.buffer, sample.data.byteOffset, sample.data.length)
  const threshold = otsuThreshold(sampleData)
  let ink = 0
  for (const v of sampleData) if (v < threshold && threshold > 40) ink++
  const inkRatio = ink / sampleData.length
  const skew = estimateSkew({ width: sample.info.width, height: sample.info.height, data: sampleData })

  let pipeline = gray.clone()
  if (scale > 1) pipeline = pipeline.resize({ width: Math.round(width0 * scale), kernel: "lanczos3" })
  if (Math.abs(skew) >= 0.2) pipeline = pipeline.rotate(-skew, { background: "#ffffff" })
  // Otsu on the paper-and-ink histogram sits between the two; a little above it keeps faint strokes.
  const upscaled = await pipeline.normalise().raw().toBuffer({ resolveWithObject: true })
  const data = new Uint8Array(upscaled.data.buffer, upscaled.data.byteOffset, upscaled.data.length)
  const cut = Math.min(230, otsuThreshold(data) + 20)
  const png = await sharp(upscaled.data, { raw: { width: upscaled.info.width, height: upscaled.info.height, channels: 1 } })
    .threshold(cut)
    .png({ compressionLevel: 1 })
    .toBuffer()
  return { png, width: upscaled.info.width, height: upscaled.info.height, deskewedBy: -skew, scale, inkRatio }
}
