/** Ids in request paths, refused as "not found" when they cannot name anything. */
import type { Context } from "hono"
import { refusal } from "./errors.ts"
import { isUuid } from "../../domain/ids.ts"


/** A receipt id from the path; anything that is not a UUID names no receipt. */
export const receiptIdParam = (c: Context): string => {
  const id = (c.req.param("id") ?? "").toLowerCase()
  if (!isUuid(id)) {
    const shown = id.slice(0, 64)
    throw refusal(404, "not_found", { vi: `"${shown}" không phải mã biên lai (UUID).`, en: `"${shown}" is not a receipt id (a UUID)` })
  }
  return id
}
