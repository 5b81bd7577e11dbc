/**
 * PDF pages → grayscale PNG images, drawn by PDF.js (open.ts) on
 * @napi-rs/canvas.
 *
 * Nothing is drawn before its cost is known: the page count and every page's
 * size come from the document's page boxes first, so a tiny file that
 * declares huge or many pages is refused or drawn at a lower resolution
 * (a pixel budget per page), never allowed to fill the memory. Each page
 * also has a time budget; a page that exceeds it is cancelled.
 */
import sharp from "sharp"
import { openPdf, PdfRenderError } from "./open.ts"

export { PdfRenderError } from "./open.ts"

export interface PdfLimits {
  /** Resolution pages are drawn at when their size allows it. */
  readonly dpi: number
  /** Most pixels a drawn page may have; bigger pages are drawn at a lower resolution. */
  readonly maxPagePixels: number
  /** Most pages a document may have; more is refused before anything is drawn. */
  readonly maxPages: number
  /** Longest a page may take to draw. */
  readonly pageTimeMs: number
}

export interface PdfPage {
  readonly png: Buffer
  /** Page size in points (1/72 inch), from its page box. */
  readonly widthPt: number
  readonly heightPt: number
  /** Resolution it was drawn at: below `dpi` when the pixel budget capped it. */
  readonly dpi: number
}

interface Canvas {
  readonly width: number
  readonly height: number
  /** The pixels, RGBA, without encoding them (encoding a large page as PNG took seconds). */
  data(): Buffer
}
interface CanvasAndContext {
  readonly canvas: Canvas
  readonly context: unknown
}

/** Resolution for a page of `widthPt` × `heightPt`: `dpi`, or less so that it fits the pixel budget. */
export const pageDpi = (widthPt: number, heightPt: number, limits: Pick<PdfLimits, "dpi" | "maxPagePixels">): number => {
  const inches = (widthPt / 72) * (heightPt / 72)
  if (!(inches > 0)) return limits.dpi
  const fitting = Math.sqrt(limits.maxPagePixels / inches)
  return Math.min(limits.dpi, Math.floor(fitting))
}

/**
 * The number of pages and, when there are at most `maxPages`, each page's
 * size in points, from the page boxes, without drawing anything.
 */
export const pdfPageSizes = async (
  bytes: Uint8Array,
  maxPages: number
): Promise<{ readonly pages: number; readonly sizes: ReadonlyArray<{ readonly widthPt: number; readonly heightPt: number }> }> => {
  const doc = await openPdf(bytes)
  try {
    if (doc.numPages > maxPages) return { pages: doc.numPages, sizes: [] }
    const sizes: Array<{ widthPt: number; heightPt: number }> = []
    for (let n = 1; n <= doc.numPages; n++) {
      const viewport = (await doc.getPage(n)).getViewport({ scale: 1 })
      sizes.push({ widthPt: viewport.width, heightPt: viewport.height })
    }
    return { pages: doc.numPages, sizes }
  } finally {
    await doc.destroy()
  }
}

const withinTime = async <A>(work: Promise<A>, ms: number, onTimeout: () => void, error: () => Error): Promise<A> => {
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      // Rejected first: cancelling makes the work itself reject, which must not win the race.
      reject(error())
      onTimeout()
    }, ms)
  })
  try {
    return await Promise.race([work, timeout])
  } finally {
    clearTimeout(timer)
  }
}

/**
 * Draws every page as a grayscale PNG. Refuses a document with more than
 * `maxPages` pages before drawing any; draws a page whose size at `dpi` would
 * exceed `maxPagePixels` at the resolution that fits (its `dpi` says which).
 */
export const renderPdfPages = async (bytes: Uint8Array, limits: PdfLimits): Promise<ReadonlyArray<PdfPage>> => {
  const doc = await openPdf(bytes)
  try {
    if (doc.numPages === 0) throw new PdfRenderError("no_pages", "the PDF has no pages")
    if (doc.numPages > limits.maxPages) {
      throw new PdfRenderError("too_many_pages", `the PDF has ${doc.numPages} pages; at most ${limits.maxPages} are read`)
    }
    const factory = (doc as unknown as { canvasFactory: { create(w: number, h: number): CanvasAndContext; destroy(c: CanvasAndContext): void } }).canvasFactory
    const pages: Array<PdfPage> = []
    for (let n = 1; n <= doc.numPages; n++) {
      const page = await doc.getPage(n)
      const box = page.getViewport({ scale: 1 })
      const dpi = pageDpi(box.width, box.height, limits)
      const viewport = page.getViewport({ scale: dpi / 72 })
      const target = factory.create(Math.max(1, Math.floor(viewport.width)), Math.max(1, Math.floor(viewport.height)))
      try {
        const task = page.render({ canvas: target.canvas as never, canvasContext: target.context as never, viewport, background: "#ffffff" })
        await withinTime(task.promise, limits.pageTimeMs, () => task.cancel(), () =>
          new PdfRenderError("page_timeout", `page ${n} took longer than ${limits.pageTimeMs / 1000} s to draw and was given up`, n))
        const { width, height } = target.canvas
        const png = await sharp(target.canvas.data(), { raw: { width, height, channels: 4 } }).grayscale().png({ compressionLevel: 1 }).toBuffer()
        pages.push({ png, widthPt: box.width, heightPt: box.height, dpi })
      } finally {
        factory.destroy(target)
        page.cleanup()
      }
    }
    return pages
  } finally {
    await doc.destroy()
  }
}
