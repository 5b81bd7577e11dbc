/** Reading request bodies without letting bad input become a 500. */
import type { Context } from "hono"
import { refusal } from "./errors.ts"

export const jsonBody = async (c: Context): Promise<unknown> => {
  const type = c.req.header("content-type") ?? ""
  if (!/^application\/(?:[\w.+-]+\+)?json\b/i.test(type)) {
    const got = type.slice(0, 100)
    throw refusal(415, "unsupported_media_type", {
      vi: `Hãy gửi nội dung dạng JSON với Content-Type: application/json (nhận được "${got}").`,
      en: `send the body as JSON with Content-Type: application/json (got "${got}")`
    })
  }
  const text = await c.req.text()
  try {
    return JSON.parse(text) as unknown
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e)
    throw refusal(400, "invalid_json", { vi: `Nội dung gửi lên không phải JSON hợp lệ (${why}).`, en: `the body is not valid JSON: ${why}` })
  }
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

/** A receipt id from the path; anything that is not a UUID names no receipt. */
export const receiptIdParam = (c: Context): string => {
  const id = (c.req.param("id") ?? "").toLowerCase()
  if (!uuidPattern.test(id)) {
    const shown = id.slice(0, 64)
    throw refusal(404, "not_found", { vi: `"${shown}" không phải mã biên lai (UUID).`, en: `"${shown}" is not a receipt id (a UUID)` })
  }
  return id
}
