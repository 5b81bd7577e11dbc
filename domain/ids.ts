/**
 * Identifiers made from random bytes the caller got from the Entropy port
 * (domain/ports/entropy.ts): pure functions of those bytes.
 */

const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

/** 12 Crockford base32 characters from the first 60 bits of `bytes` (≥ 8 bytes). */
export const lookupCodeFromBytes = (bytes: Uint8Array): string => {
  if (bytes.length < 8) throw new RangeError("a lookup code needs 8 random bytes")
  let bits = 0n
  for (let i = 0; i < 8; i++) bits = (bits << 8n) | BigInt(bytes[i] ?? 0)
  bits >>= 4n
  let out = ""
  for (let i = 0; i < 12; i++) {
    out = CROCKFORD[Number(bits & 31n)] + out
    bits >>= 5n
  }
  return out
}

/** Normalises what a person types: case, spaces, dashes and the look-alikes I/L → 1, O → 0. */
export const normalizeLookupCode = (typed: string): string =>
  typed.toUpperCase().replace(/[\s-]/g, "").replace(/[IL]/g, "1").replace(/O/g, "0")

/** Whether `text` has a UUID's shape, in lower case as bienlai writes and stores them. */
export const isUuid = (text: string): boolean => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(text)

/** An RFC 4122 version 4 UUID from 16 random bytes. */
export const uuidFromBytes = (bytes: Uint8Array): string => {
  if (bytes.length < 16) throw new RangeError("a UUID needs 16 random bytes")
  const b = Array.from(bytes.slice(0, 16))
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x40
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80
  const hex = b.map((x) => x.toString(16).padStart(2, "0")).join("")
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}
