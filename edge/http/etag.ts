/**
 * Strong ETags for the documents caches and phones keep (trust list, status
 * lists): a hash of the exact bytes, and 304 when the client already holds
 * them.
 */
import type { Context } from "hono"
import { toHex } from "../../domain/signing/bytes.ts"

export const etagOf = async (bytes: Uint8Array): Promise<string> =>
  `"${toHex(new Uint8Array(await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>)).subarray(0, 16))}"`

/** Whether an If-None-Match header names `etag` (or is `*`). */
export const matchesEtag = (header: string | undefined, etag: string): boolean =>
  header !== undefined && header.split(",").map((t) => t.trim().replace(/^W\//, "")).some((t) => t === etag || t === "*")

/** A cacheable response: 304 when the client's copy is current, else the bytes. */
export const cached = (
  c: Context,
  body: { readonly bytes: Uint8Array; readonly etag: string; readonly contentType: string; readonly maxAgeSeconds: number }
): Response => {
  const headers = {
    ETag: body.etag,
    "Cache-Control": `public, max-age=${body.maxAgeSeconds}, stale-while-revalidate=${body.maxAgeSeconds}`
  }
  if (matchesEtag(c.req.header("if-none-match"), body.etag)) return c.body(null, 304, headers)
  return c.body(body.bytes as Uint8Array<ArrayBuffer>, 200, { ...headers, "Content-Type": body.contentType })
}
