/**
 * A file uploaded for paying out (a creditor list, a bank's answer): the
 * form field `file` of a multipart form, or the whole body. Its bytes and
 * the name it came with, for messages; what it holds is checked by its
 * reader (adapters/payout/claims-upload.ts, adapters/bank/payout-answers.ts).
 */
import type { Context } from "hono"
import { refusal } from "./errors.ts"

export interface UploadedFile {
  readonly bytes: Uint8Array
  readonly name: string
  /** The other (text) fields of a multipart form. */
  readonly fields: Readonly<Record<string, string>>
}

export const readPayoutUpload = async (c: Context, field = "file"): Promise<UploadedFile> => {
  const contentType = c.req.header("content-type") ?? ""
  let bytes: Uint8Array
  let name = "upload"
  const fields: Record<string, string> = {}
  if (/^multipart\/form-data/i.test(contentType)) {
    let form: FormData
    try {
      form = await c.req.formData()
    } catch {
      throw refusal(400, "invalid_form", { vi: "Không đọc được biểu mẫu tải lên.", en: "The multipart form could not be read." })
    }
    for (const [k, v] of form.entries()) if (typeof v === "string") fields[k] = v
    const file = form.get(field)
    if (file === null || typeof file === "string") {
      throw refusal(400, "missing_file", { vi: "Hãy chọn tệp để tải lên.", en: `Attach the file as the form field "${field}".` })
    }
    bytes = new Uint8Array(await file.arrayBuffer())
    name = (file as File).name || name
  } else {
    bytes = new Uint8Array(await c.req.arrayBuffer())
    name = c.req.header("x-file-name") ?? (/xml/i.test(contentType) ? "upload.xml" : /spreadsheetml/i.test(contentType) ? "upload.xlsx" : "upload.csv")
  }
  if (bytes.length === 0) throw refusal(400, "empty_file", { vi: "Tệp tải lên không có nội dung.", en: "The uploaded file is empty." })
  return { bytes, name: name.replace(/[^\p{L}\p{N}._ -]/gu, "_").slice(0, 120), fields }
}
