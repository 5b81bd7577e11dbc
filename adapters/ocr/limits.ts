/**
 * What one scanned document may cost. A few hundred bytes can declare pages
 * of any size (a PDF page box, a PNG header), so every limit is checked
 * against what the file declares before anything is decoded or drawn.
 * The OCR worker runs inside the web server: these keep one upload from
 * taking its memory or its time.
 */
export interface ScanLimits {
  /** Most pages one document may have; more is refused before any is decoded. */
  readonly maxPages: number
  /**
   * Most pixels an image page may declare; above it the file is refused
   * before decoding (decoding is the cost). 60 megapixels holds a 48
   * megapixel phone photo and A4 scanned at 600 dpi.
   */
  readonly maxDecodePixels: number
  /**
   * Most pixels a page is read at: a larger image is scaled down to it as it
   * is decoded, a larger PDF page is drawn at a lower resolution. 25
   * megapixels holds A3 at 300 dpi and A4 at 450 dpi.
   */
  readonly maxPagePixels: number
  /** Longest that drawing or reading one page may take. */
  readonly pageTimeMs: number
  /** Resolution PDF pages are drawn at when their size allows. */
  readonly pdfDpi: number
}

export const defaultScanLimits: ScanLimits = {
  maxPages: 20,
  maxDecodePixels: 60_000_000,
  maxPagePixels: 25_000_000,
  pageTimeMs: 60_000,
  pdfDpi: 300
}

const megapixels = (pixels: number): string => `${Math.round(pixels / 100_000) / 10}`

/** Why an image of `width` × `height` is refused, or undefined when it is within the limits. */
export const imageTooLarge = (width: number, height: number, limits: Pick<ScanLimits, "maxDecodePixels">): string | undefined =>
  width * height > limits.maxDecodePixels
    ? `the image is ${width} × ${height} pixels (${megapixels(width * height)} megapixels); at most ${megapixels(limits.maxDecodePixels)} megapixels per page are read`
    : undefined
