/**
 * node:crypto's SHA-256 in the shape the domain's hashing takes (NewHash):
 * the same digests as the pure one, about twice as fast over a million lines.
 */
import { createHash } from "node:crypto"
import type { NewHash } from "../../domain/payout/sha256.ts"

export const nativeSha256: NewHash = () => {
  const h = createHash("sha256")
  return { update: (d: Uint8Array) => h.update(d), digestHex: () => h.digest("hex") }
}

export const sha256HexOf = (text: string): string => createHash("sha256").update(text, "utf8").digest("hex")
