/**
 * Base45 (RFC 9285): bytes as characters of the QR alphanumeric set, so a QR
 * code stores them in alphanumeric mode (5.5 bits a character) instead of
 * byte mode. Every 2 bytes become 3 characters; a final odd byte becomes 2.
 *
 * Decoding is strict: a character outside the alphabet, a dangling single
 * character, or a group whose value does not fit is an error, so every byte
 * string has exactly one encoding and a changed character always changes the
 * bytes or fails.
 */
import { Result, Schema } from "effect"

export const BASE45_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"

const valueOf = new Int8Array(128).fill(-1)
for (let i = 0; i < BASE45_ALPHABET.length; i++) valueOf[BASE45_ALPHABET.charCodeAt(i)] = i

export class InvalidBase45 extends Schema.TaggedError<InvalidBase45>()("InvalidBase45", {
  position: Schema.Number,
  message: Schema.String
}) {}

export const encodeBase45 = (bytes: Uint8Array): string => {
  let out = ""
  let i = 0
  for (; i + 1 < bytes.length; i += 2) {
    let n = (bytes[i]! << 8) | bytes[i + 1]!
    const c = n % 45
    n = (n - c) / 45
    const d = n % 45
    const e = (n - d) / 45
    out += BASE45_ALPHABET[c]! + BASE45_ALPHABET[d]! + BASE45_ALPHABET[e]!
  }
  if (i < bytes.length) {
    const n = bytes[i]!
    out += BASE45_ALPHABET[n % 45]! + BASE45_ALPHABET[Math.floor(n / 45)]!
  }
  return out
}

const digit = (text: string, at: number): number => {
  const code = text.charCodeAt(at)
  return code < 128 ? valueOf[code]! : -1
}

export const decodeBase45 = (text: string): Result.Result<Uint8Array, InvalidBase45> => {
  if (text.length % 3 === 1) {
    return Result.fail(new InvalidBase45({ position: text.length - 1, message: `base45 text cannot have length ${text.length} (a dangling character)` }))
  }
  const out = new Uint8Array(Math.floor(text.length / 3) * 2 + (text.length % 3 === 2 ? 1 : 0))
  let o = 0
  for (let i = 0; i < text.length; i += 3) {
    const group = Math.min(3, text.length - i)
    let n = 0
    for (let k = group - 1; k >= 0; k--) {
      const v = digit(text, i + k)
      if (v < 0) {
        return Result.fail(new InvalidBase45({ position: i + k, message: `"${text[i + k]}" at position ${i + k} is not a base45 character` }))
      }
      n = n * 45 + v
    }
    if (group === 3) {
      if (n > 0xffff) return Result.fail(new InvalidBase45({ position: i, message: `the base45 group at position ${i} exceeds two bytes` }))
      out[o++] = n >> 8
      out[o++] = n & 0xff
    } else {
      if (n > 0xff) return Result.fail(new InvalidBase45({ position: i, message: `the final base45 pair at position ${i} exceeds one byte` }))
      out[o++] = n
    }
  }
  return Result.succeed(out)
}
