/**
 * Whether an uploaded scan is within what one document may cost
 * (limits.ts), judged from what it declares (an image's header, a PDF's page
 * count) without decoding it: the officer API and the console refuse an
 * upload beyond the limits at once, with a message in Vietnamese and in
 * English, instead of queueing work the OCR worker would refuse later. A
 * PDF page larger than a form is not refused: the worker draws it at a lower
 * resolution. A file that cannot be read at all is left to the worker, which
 * records why.
 */
import sharp, { type Metadata } from "sharp"
import { pdfPageSizes } from "../pdfjs/pdf-pages.ts"
import { defaultScanLimits, imageTooLarge, type ScanLimits } from "./limits.ts"

export interface Refusal {
  readonly code: "scan_too_many_pages" | "scan_too_large"
  readonly message: string
  readonly vi: string
}

const tooManyPages = (pages: number, limits: ScanLimits): Refusal => ({
  code: "scan_too_many_pages",
  message: `the file has ${pages} pages; at most ${limits.maxPages} pages of one document are read`,
  vi: `Tệp có ${pages} trang; mỗi tài liệu chỉ được đọc tối đa ${limits.maxPages} trang.`
})

const megapixels = (pixels: number) => Math.round(pixels / 100_000) / 10

/** Why the scan is refused, or undefined when it may be queued. */
export const refusalOf = async (bytes: Uint8Array, type: string, limits: ScanLimits = defaultScanLimits): Promise<Refusal | undefined> => {
  if (type === "application/pdf") {
    let declared: { readonly pages: number }
    try {
      declared = await pdfPageSizes(bytes, limits.maxPages)
    } catch {
      return undefined
    }
    return declared.pages > limits.maxPages ? tooManyPages(declared.pages, limits) : undefined
  }
  let meta: Metadata
  try {
    meta = await sharp(bytes, { limitInputPixels: false }).metadata()
  } catch {
    return undefined
  }
  const pages = type === "image/tiff" ? (meta.pages ?? 1) : 1
  if (pages > limits.maxPages) return tooManyPages(pages, limits)
  const width = meta.width ?? 0
  const height = meta.pageHeight ?? meta.height ?? 0
  const message = imageTooLarge(width, height, limits)
  if (message === undefined) return undefined
  return {
    code: "scan_too_large",
    message,
    vi: `Ảnh có kích thước ${width} × ${height} điểm ảnh (${megapixels(width * height)} megapixel); mỗi trang chỉ được đọc tối đa ${megapixels(limits.maxDecodePixels)} megapixel. Hãy quét lại ở độ phân giải 300 dpi.`
  }
}
