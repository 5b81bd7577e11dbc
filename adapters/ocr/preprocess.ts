/**
 * Makes a scan easy for tesseract: grayscale, upscaled when the scan is low
 * resolution (tesseract reads best with capital letters 20–40 px tall),
 * rotated level when slightly skewed, and binarised at Otsu's threshold.
 */
import sharp from "sharp"
import { flattenLight, unevenLight } from "./illumination.ts"
import { defaultScanLimits } from "./limits.ts"
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
  /** The same page before binarisation (one byte per pixel, same size as `png`), for second readings of a line. */
  readonly gray: Buffer
}

// A4 at 300 dpi is 2480 px wide; narrower scans are upscaled towards it.
const TARGET_WIDTH = 2480
const MIN_WIDTH_FOR_NO_UPSCALE = 1900
const SKEW_SAMPLE_WIDTH = 900

export interface PreprocessOptions {
  /** "binary": thresholded black and white; "gray": upscaled grayscale, left to tesseract's own binarisation. */
  readonly mode?: "binary" | "gray"
  /** Median filter window before upscaling (JPEG ringing, sensor specks); 0 for none. */
  readonly median?: number
  /** Width the page is upscaled towards when narrower than MIN_WIDTH_FOR_NO_UPSCALE. */
  readonly targetWidth?: number
  /** Upscaling never makes a page larger than this many pixels (limits.ts). */
  readonly maxPixels?: number
}

/** Grey levels of the ink (the darkest 0.1% of pixels) and of the paper (the median pixel). */
export const inkAndPaper = (data: Uint8Array): { readonly black: number; readonly white: number } => {
  const histogram = new Uint32Array(256)
  for (const v of data) histogram[v] = (histogram[v] ?? 0) + 1
  const quantile = (q: number): number => {
    const wanted = q * data.length
    let seen = 0
    for (let v = 0; v < 256; v++) {
      seen += histogram[v] ?? 0
      if (seen >= wanted) return v
    }
    return 255
  }
  return { black: quantile(0.001), white: quantile(0.5) }
}

export const preprocess = async (page: Buffer, options: PreprocessOptions = {}): Promise<Preprocessed> => {
  const mode = options.mode ?? "binary"
  const target = options.targetWidth ?? TARGET_WIDTH
  let source = page
  if ((options.median ?? 0) > 1) source = await sharp(page).flatten({ background: "#ffffff" }).grayscale().median(options.median).png({ compressionLevel: 0 }).toBuffer()
  let gray = sharp(source).flatten({ background: "#ffffff" }).grayscale()
  const meta = await sharp(source).metadata()
  const width0 = meta.width ?? TARGET_WIDTH
  const height0 = meta.height ?? width0
  const glance = await gray.clone().resize({ width: Math.min(SKEW_SAMPLE_WIDTH, width0) }).raw().toBuffer({ resolveWithObject: true })
  if (unevenLight(glance.data, glance.info.width, glance.info.height)) {
    const full = await gray.clone().toColourspace("b-w").raw().toBuffer({ resolveWithObject: true })
    const flat = await flattenLight(full.data, full.info.width, full.info.height)
    gray = sharp(flat, { raw: { width: full.info.width, height: full.info.height, channels: 1 } }).grayscale()
  }
  // A narrow but very tall page (a strip) is not blown up past the pixel budget.
  const budget = Math.sqrt((options.maxPixels ?? defaultScanLimits.maxPagePixels) / (width0 * height0))
  const scale = width0 < MIN_WIDTH_FOR_NO_UPSCALE ? Math.max(1, Math.min(3, target / width0, budget)) : 1

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

  const { black, white } = inkAndPaper(sampleData)
  let pipeline = gray.clone()
  // Ink to black and paper to white. Not sharp's normalise: its 1% percentile is paper itself
  // on a sparse page (a half-empty second page), which would turn the paper black.
  if (white - black >= 40) pipeline = pipeline.linear(255 / (white - black), (-255 * black) / (white - black))
  if (scale > 1) pipeline = pipeline.resize({ width: Math.round(width0 * scale), kernel: "lanczos3" })
  if (Math.abs(skew) >= 0.2) pipeline = pipeline.rotate(-skew, { background: "#ffffff" })
  // Otsu on the paper-and-ink histogram sits between the two; a little above it keeps faint strokes.
  const upscaled = await pipeline.raw().toBuffer({ resolveWithObject: true })
  if (mode === "gray") {
    const png = await sharp(upscaled.data, { raw: { width: upscaled.info.width, height: upscaled.info.height, channels: 1 } })
      .png({ compressionLevel: 1 })
      .toBuffer()
    return { png, width: upscaled.info.width, height: upscaled.info.height, deskewedBy: -skew, scale, inkRatio, gray: upscaled.data }
  }
  const data = new Uint8Array(upscaled.data.buffer, upscaled.data.byteOffset, upscaled.data.length)
  const cut = Math.min(230, otsuThreshold(data) + 20)
  const png = await sharp(upscaled.data, { raw: { width: upscaled.info.width, height: upscaled.info.height, channels: 1 } })
    .threshold(cut)
    .png({ compressionLevel: 1 })
    .toBuffer()
  return { png, width: upscaled.info.width, height: upscaled.info.height, deskewedBy: -skew, scale, inkRatio, gray: upscaled.data }
}
