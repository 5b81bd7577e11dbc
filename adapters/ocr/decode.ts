/**
 * Input files → page images. PNG, JPEG, WebP and (multi-page) TIFF are decoded
 * by sharp; PDF pages are drawn at 300 dpi by PDF.js (adapters/pdf-raster).
 * Both from npm: nothing to install beyond `npm ci`.
 *
 * What a file declares (page count, pixel size, page box) is checked against
 * the limits (limits.ts) before anything is decoded: an image too large is
 * refused, a PDF page too large is drawn at a lower resolution, with a
 * warning saying so.
 */
import { readFile, stat } from "node:fs/promises"
import sharp from "sharp"
import { PdfRenderError, renderPdfPages } from "../pdfjs/pdf-pages.ts"
import { UnreadableInput } from "./errors.ts"
import { defaultScanLimits, imageTooLarge, type ScanLimits } from "./limits.ts"

type Kind = "pdf" | "tiff" | "image"

const kindOf = (bytes: Uint8Array): Kind | undefined => {
  const head = Buffer.from(bytes.subarray(0, 12))
  if (head.subarray(0, 5).toString("latin1") === "%PDF-") return "pdf"
  if (head.subarray(0, 4).equals(Buffer.from([0x49, 0x49, 0x2a, 0x00])) || head.subarray(0, 4).equals(Buffer.from([0x4d, 0x4d, 0x00, 0x2a]))) return "tiff"
  if (head.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return "image"
  if (head[0] === 0xff && head[1] === 0xd8) return "image"
  if (head.subarray(0, 4).toString("latin1") === "RIFF" && head.subarray(8, 12).toString("latin1") === "WEBP") return "image"
  return undefined
}

const fail = (file: string, reason: UnreadableInput["reason"], message: string) => new UnreadableInput({ file, reason, message })

/** A page drawn at less than the usual resolution, so that it fits the pixel budget. */
export interface PageReduced {
  readonly code: "page_reduced"
  readonly page: number
  readonly message: string
}

export interface DecodedDocument {
  readonly pages: ReadonlyArray<Buffer>
  readonly warnings: ReadonlyArray<PageReduced>
}

const centimetres = (points: number): string => `${Math.round((points / 72) * 25.4) / 10}`

const pdfPages = async (file: string, bytes: Uint8Array, limits: ScanLimits): Promise<DecodedDocument> => {
  try {
    const drawn = await renderPdfPages(bytes, {
      dpi: limits.pdfDpi,
      maxPagePixels: limits.maxPagePixels,
      maxPages: limits.maxPages,
      pageTimeMs: limits.pageTimeMs
    })
    const warnings = drawn.flatMap((p, i): Array<PageReduced> =>
      p.dpi < limits.pdfDpi
        ? [{
            code: "page_reduced",
            page: i + 1,
            message: `Page ${i + 1} is ${centimetres(p.widthPt)} × ${centimetres(p.heightPt)} cm, larger than a form: it was read at ${p.dpi} dpi instead of ${limits.pdfDpi}`
          }]
        : [])
    return { pages: drawn.map((p) => p.png), warnings }
  } catch (e) {
    if (!(e instanceof PdfRenderError)) throw fail(file, "corrupt", `the PDF could not be drawn (${(e as Error).message ?? String(e)})`)
    const reason = e.reason === "too_many_pages" ? "too_many_pages" : e.reason === "page_timeout" ? "too_slow" : e.reason === "encrypted" ? "encrypted" : "corrupt"
    throw fail(file, reason, e.message)
  }
}

const imagePages = async (file: string, bytes: Uint8Array, kind: Kind, limits: ScanLimits): Promise<DecodedDocument> => {
  try {
    // The header alone: page count and pixel size, before any pixel is decoded.
    const meta = await sharp(bytes, { limitInputPixels: false }).metadata()
    const count = kind === "tiff" ? (meta.pages ?? 1) : 1
    if (count > limits.maxPages) throw fail(file, "too_many_pages", `the file has ${count} pages; at most ${limits.maxPages} are read`)
    const tooLarge = imageTooLarge(meta.width ?? 0, meta.pageHeight ?? meta.height ?? 0, limits)
    if (tooLarge !== undefined) throw fail(file, "too_large", tooLarge)
    const pages: Array<Buffer> = []
    const warnings: Array<PageReduced> = []
    for (let page = 0; page < count; page++) {
      let image = sharp(bytes, { page, pages: 1, failOn: "error", limitInputPixels: limits.maxDecodePixels })
        .timeout({ seconds: Math.max(1, Math.ceil(limits.pageTimeMs / 1000)) })
      const pixels = (meta.width ?? 0) * (meta.pageHeight ?? meta.height ?? 0)
      if (pixels > limits.maxPagePixels) {
        // Scaled down as it is decoded (a JPEG is decoded at a fraction of its size directly).
        const factor = Math.sqrt(limits.maxPagePixels / pixels)
        image = image.resize({ width: Math.floor((meta.width ?? 0) * factor), kernel: "lanczos3" })
        warnings.push({
          code: "page_reduced",
          page: page + 1,
          message: `Page ${page + 1} is ${meta.width} × ${meta.pageHeight ?? meta.height} pixels: it was read at ${Math.round(factor * 100)}% of its size`
        })
      }
      // Grey, as preprocessing reads it: a third of the bytes to deflate here and inflate again there.
      pages.push(await image.flatten({ background: "#ffffff" }).grayscale().toColourspace("b-w").png({ compressionLevel: 1 }).toBuffer())
    }
    return { pages, warnings }
  } catch (e) {
    if (e instanceof UnreadableInput) throw e
    const detail = String((e as Error).message ?? e).split("\n")[0] ?? ""
    // A later page of a TIFF may be larger than the first, whose size the header gave.
    if (/pixel limit/i.test(detail)) throw fail(file, "too_large", `a page is larger than ${limits.maxDecodePixels / 1_000_000} megapixels, the most that is read`)
    if (/timeout/i.test(detail)) throw fail(file, "too_slow", `a page took longer than ${limits.pageTimeMs / 1000} s to decode and was given up`)
    throw fail(file, "corrupt", `the image could not be decoded (${detail})`)
  }
}

/** The pages of `file` as PNG buffers, or an UnreadableInput saying why not. Never throws anything else. */
export const decodeFile = async (file: string, limits: ScanLimits = defaultScanLimits): Promise<DecodedDocument> => {
  let bytes: Uint8Array
  try {
    if (!(await stat(file)).isFile()) throw fail(file, "missing", "not a file")
    bytes = await readFile(file)
  } catch (e) {
    if (e instanceof UnreadableInput) throw e
    throw fail(file, "missing", `the file cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})`)
  }
  return decodeBytes(file, bytes, limits)
}

/** The pages of a file already in memory (an upload); `name` only labels errors. */
export const decodeBytes = async (name: string, bytes: Uint8Array, limits: ScanLimits = defaultScanLimits): Promise<DecodedDocument> => {
  if (bytes.length === 0) throw fail(name, "empty_file", "the file is empty (0 bytes)")
  const kind = kindOf(bytes)
  if (kind === undefined) throw fail(name, "unsupported_type", "not a PNG, JPEG, WebP, TIFF or PDF file")
  return kind === "pdf" ? pdfPages(name, bytes, limits) : imagePages(name, bytes, kind, limits)
}
