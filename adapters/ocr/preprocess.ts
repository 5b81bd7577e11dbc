/**
 * Makes a scan easy for tesseract: grayscale, upscaled when the scan is low
 * resolution (tesseract reads best with capital letters 20–40 px tall),
 * rotated level when slightly skewed, and binarised at Otsu's threshold.
 */
import sharp from "sharp"
import { isBilevel, removeRules, removeSpecks, removeStreaks } from "./clean.ts"
import { flattenLight, unevenLight } from "./illumination.ts"
import { defaultScanLimits } from "./limits.ts"
import { encodePbm } from "./pbm.ts"
import { estimateSkew, otsuThreshold } from "./skew.ts"

export interface Preprocessed {
  /** The page handed to the engine: a 1-bit PBM when binarised, a PNG in "gray" mode. */
  readonly image: Buffer
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
  /** Pages narrower than this are upscaled (default MIN_WIDTH_FOR_NO_UPSCALE). */
  readonly upscaleBelow?: number
  /** Width the page is upscaled towards when narrower than MIN_WIDTH_FOR_NO_UPSCALE. */
  readonly targetWidth?: number
  /** Upscaling never makes a page larger than this many pixels (limits.ts). */
  readonly maxPixels?: number
  /** How the binarised page goes to the engine: a 1-bit PBM (default) or a PNG (as before, to measure the difference). */
  readonly encoding?: "pbm" | "png"
  /** Remove specks, streaks and table rules (default on; off to measure what it does). */
  readonly clean?: boolean
}

/** Grey levels of the ink (the darkest 0.1% of pixels) and of the paper (the median pixel). */
export const inkAndPaper = (data: Uint8Array): { readonly black: number; readonly white: number } => {
  const histogram = new Uint32Array(256)
  // Indexed loops over the pixels: a for-of over a typed array is an iterator call per pixel, ~15× slower.
  for (let i = 0; i < data.length; i++) histogram[data[i]!]!++
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

/**
 * Cleaning works on whole-page copies (a mark per pixel), so it is kept to pages of a size
 * paper comes in: an A4 page at 400 dpi is 15.5 megapixels, a 150 dpi fax upscaled about 9.
 * A larger page (a PDF page of 3000 points drawn at the 60-megapixel limit, say) is read
 * uncleaned rather than tripling its memory: the upload-bomb test holds that bound.
 */
const CLEAN_MAX_PIXELS = 20_000_000

/** Table borders and underlines: longer than any word's run of joined letters, thinner than a stem. */
const ruleSizes = (pageWidth: number): [number, number, number] => [
  Math.round(pageWidth / 10),
  Math.round(pageWidth / 35),
  Math.max(3, Math.ceil(pageWidth / 250))
]

export const preprocess = async (page: Buffer, options: PreprocessOptions = {}): Promise<Preprocessed> => {
  const mode = options.mode ?? "binary"
  const target = options.targetWidth ?? TARGET_WIDTH
  const clean = options.clean ?? true
  // Decoded once, to grey bytes; every later step starts from these bytes, not from the file again.
  let decoder = sharp(page).flatten({ background: "#ffffff" }).grayscale()
  if ((options.median ?? 0) > 1) decoder = decoder.median(options.median)
  // "b-w": one byte per pixel whatever the file held (grayscale() alone may still give three channels).
  const decoded = await decoder.toColourspace("b-w").raw().toBuffer({ resolveWithObject: true })
  if (decoded.info.channels !== 1) throw new Error(`the page decoded to ${decoded.info.channels} channels instead of one`)
  const width0 = decoded.info.width
  const height0 = decoded.info.height
  let grayBytes: Buffer = decoded.data
  const raw = () => sharp(grayBytes, { raw: { width: width0, height: height0, channels: 1 } })
  // A fax (black and white already): its rules, streaks and specks are removed at its own
  // resolution, where a speck is one pixel, before upscaling makes them blots.
  const bilevel = clean && mode === "binary" && width0 * height0 <= CLEAN_MAX_PIXELS && isBilevel(grayBytes)
  if (bilevel) {
    // Rules first: a rule is as dark as a streak, and a streak's removal would break it into pieces too short to be told from letters.
    removeRules(grayBytes, width0, height0, ...ruleSizes(width0))
    removeStreaks(grayBytes, width0, height0)
    removeSpecks(grayBytes, width0, height0)
  }
  const glance = () => raw().resize({ width: Math.min(SKEW_SAMPLE_WIDTH, width0) }).toColourspace("b-w").raw().toBuffer({ resolveWithObject: true })
  let sample = await glance()
  if (!bilevel && unevenLight(sample.data, sample.info.width, sample.info.height)) {
    grayBytes = await flattenLight(grayBytes, width0, height0)
    sample = await glance()
  }
  // A narrow but very tall page (a strip) is not blown up past the pixel budget.
  const budget = Math.sqrt((options.maxPixels ?? defaultScanLimits.maxPagePixels) / (width0 * height0))
  const scale = width0 < (options.upscaleBelow ?? MIN_WIDTH_FOR_NO_UPSCALE) ? Math.max(1, Math.min(3, target / width0, budget)) : 1

  const sampleData = new Uint8Array(sample.data.buffer, sample.data.byteOffset, sample.data.length)
  const threshold = otsuThreshold(sampleData)
  let ink = 0
  if (threshold > 40) for (let i = 0; i < sampleData.length; i++) if (sampleData[i]! < threshold) ink++
  const inkRatio = ink / sampleData.length
  const skew = estimateSkew({ width: sample.info.width, height: sample.info.height, data: sampleData })

  const { black, white } = inkAndPaper(sampleData)
  let pipeline = raw()
  // Ink to black and paper to white. Not sharp's normalise: its 1% percentile is paper itself
  // on a sparse page (a half-empty second page), which would turn the paper black.
  if (white - black >= 40) pipeline = pipeline.linear(255 / (white - black), (-255 * black) / (white - black))
  if (scale > 1) pipeline = pipeline.resize({ width: Math.round(width0 * scale), kernel: "lanczos3" })
  if (Math.abs(skew) >= 0.2) pipeline = pipeline.rotate(-skew, { background: "#ffffff" })
  // "b-w" again: sharp would hand grey raw input back as sRGB after some operations.
  const upscaled = await pipeline.toColourspace("b-w").raw().toBuffer({ resolveWithObject: true })
  const { width, height } = upscaled.info
  if (mode === "gray") {
    const png = await sharp(upscaled.data, { raw: { width, height, channels: 1 } }).png({ compressionLevel: 1 }).toBuffer()
    return { image: png, width, height, deskewedBy: -skew, scale, inkRatio, gray: upscaled.data }
  }
  const data = new Uint8Array(upscaled.data.buffer, upscaled.data.byteOffset, upscaled.data.length)
  // Otsu on the paper-and-ink histogram sits between the two; a little above it keeps faint strokes.
  // A fax upscaled is black and white with grey edges: cut in the middle.
  const cut = bilevel ? 150 : Math.min(230, otsuThreshold(data) + 20)
  const binary = new Uint8Array(data.length)
  for (let i = 0; i < data.length; i++) binary[i] = (data[i] ?? 255) < cut ? 0 : 255
  if (clean && width * height <= CLEAN_MAX_PIXELS) removeRules(binary, width, height, ...ruleSizes(width))
  const image = options.encoding === "png"
    ? await sharp(binary, { raw: { width, height, channels: 1 } }).png({ compressionLevel: 1 }).toBuffer()
    : encodePbm(binary, width, height)
  return { image, width, height, deskewedBy: -skew, scale, inkRatio, gray: upscaled.data }
}
