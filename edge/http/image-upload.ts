/**
 * Reading an uploaded image (a photo of a QR code, a scan of a document)
 * from multipart form data or a raw body, and refusing anything that is not
 * PNG, JPEG or WebP (and, for scans, TIFF or PDF) by its first bytes,
 * whatever the client claims.
 */
import type { Context } from "hono"
import { ApiError } from "./errors.ts"

export type ImageType = "image/png" | "image/jpeg" | "image/webp"
export type ScanType = ImageType | "image/tiff" | "application/pdf"

export const sniffImage = (b: Uint8Array): ImageType | undefined => {
  if (b.length >= 8 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47) return "image/png"
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return "image/jpeg"
  if (b.length >= 12 && String.fromCharCode(...b.subarray(0, 4)) === "RIFF" && String.fromCharCode(...b.subarray(8, 12)) === "WEBP") return "image/webp"
  return undefined
}

const isTiff = (b: Uint8Array): boolean =>
  b.length >= 4 && ((b[0] === 0x49 && b[1] === 0x49 && b[2] === 0x2a && b[3] === 0x00) || (b[0] === 0x4d && b[1] === 0x4d && b[2] === 0x00 && b[3] === 0x2a))

/** A scanned document: an image, a (multi-page) TIFF or a PDF. */
export const sniffScan = (b: Uint8Array): ScanType | undefined =>
  sniffImage(b) ??
  (isTiff(b) ? "image/tiff" : b.length >= 5 && String.fromCharCode(...b.subarray(0, 5)) === "%PDF-" ? "application/pdf" : undefined)

/** The uploaded bytes (field `field` of a multipart form, or the whole body) and their sniffed type. */
export const readImage = async (c: Context, field: string): Promise<{ readonly bytes: Uint8Array; readonly type: ImageType }> => {
  const read = await readUpload(c, field, false)
  return read as { readonly bytes: Uint8Array; readonly type: ImageType }
}

/** As readImage; with `allowPdf`, a PDF (a scanned document) is accepted too. */
export const readUpload = async (c: Context, field: string, allowPdf: boolean): Promise<{ readonly bytes: Uint8Array; readonly type: ScanType }> => {
  const contentType = c.req.header("content-type") ?? ""
  let bytes: Uint8Array
  if (/^multipart\/form-data/i.test(contentType)) {
    let form: FormData
    try {
      form = await c.req.formData()
    } catch {
      throw new ApiError(400, "invalid_form", "the multipart form could not be read")
    }
    const file = form.get(field)
    if (file === null || typeof file === "string") throw new ApiError(400, "missing_file", `attach the image as the form field "${field}"`)
    bytes = new Uint8Array(await file.arrayBuffer())
  } else if (/^image\//i.test(contentType) || /^application\/(?:octet-stream|pdf)/i.test(contentType)) {
    bytes = new Uint8Array(await c.req.arrayBuffer())
  } else {
    throw new ApiError(415, "unsupported_media_type", `send a PNG, JPEG or WebP image, as multipart form field "${field}" or as the body`)
  }
  if (bytes.length === 0) throw new ApiError(400, "empty_file", "the uploaded file is empty")
  const type = allowPdf ? sniffScan(bytes) : sniffImage(bytes)
  if (type === undefined) {
    throw new ApiError(415, "not_an_image", `the uploaded file is not a PNG, JPEG or WebP image${allowPdf ? ", a TIFF or a PDF" : ""}`)
  }
  return { bytes, type }
}
