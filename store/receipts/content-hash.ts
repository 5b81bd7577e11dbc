/**
 * The SHA-256 (hex) of a draft's canonical content (domain/canonical.ts
 * `contentBytes`): what an approval names. The store writes it when a draft
 * is submitted and issues a stored draft only with the same hash; the edge
 * shows it to the approver and sends it with the approval.
 *
 * node:crypto, not WebCrypto: it is synchronous (bulk ingestion hashes
 * thousands of rows in a worker loop) and Bun, Deno and Node all provide it.
 */
import { createHash } from "node:crypto"
import { contentBytes } from "../../domain/canonical.ts"
import type { Receipt } from "../../domain/receipt.ts"

export const contentSha256 = (r: Receipt): string => createHash("sha256").update(contentBytes(r)).digest("hex")

/** A full hash as the API takes it: 64 lowercase hex digits. */
export const isContentHash = (value: unknown): value is string => typeof value === "string" && /^[0-9a-f]{64}$/.test(value)

/** The short form people compare on screen: the first 12 hex digits, in groups of four. */
export const shortContentHash = (hash: string): string => `${hash.slice(0, 4)} ${hash.slice(4, 8)} ${hash.slice(8, 12)}`
