/** Reading request bodies without letting bad input become a 500. */
import type { Context } from "hono"
import { ApiError } from "./errors.ts"

export const jsonBody = async (c: Context): Promise<unknown> => {
  const type = c.req.header("content-type") ?? ""
  if (!/^application\/(?:[\w.+-]+\+)?json\b/i.test(type)) {
    throw new ApiError(415, "unsupported_media_type", `send the body as JSON with Content-Type: application/json (got "${type.slice(0, 100)}")`)
  }
  const text = await c.req.text()
  try {
    return JSON.parse(text) as unknown
  } catch (e) {
    throw new ApiError(400, "invalid_json", `the body is not valid JSON: ${e instanceof Error ? e.message : String(e)}`)
  }
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

/** A receipt id from the path; anything that is not a UUID names no receipt. */
export const receiptIdParam = (c: Context): string => {
  const id = (c.req.param("id") ?? "").toLowerCase()
  if (!uuidPattern.test(id)) throw new ApiError(404, "not_found", `"${id.slice(0, 64)}" is not a receipt id (a UUID)`)
  return id
}
