/**
 * Bulk files must be UTF-8. Vietnamese offices still hold files in the
 * pre-Unicode encodings TCVN3 (ABC, fonts ".VnTime") and VNI (fonts
 * "VNI-Times"); decoded as UTF-8 they are garbage, and decoded as Latin-1
 * they would be stored as mojibake forever. So a file in one of them is
 * refused by name, and a row with bytes that are not UTF-8 is rejected with
 * the encoding its bytes look like.
 *
 * How the two are told apart: VNI writes a Vietnamese vowel as the ASCII
 * vowel followed by a mark byte (≥ 0xC0), "Nguyễn" = "Nguye" 0xE3 "n";
 * TCVN3 replaces the whole vowel by one byte, "Nguyễn" = "Nguy" 0xD4 "n".
 */
import { Schema } from "effect"

export type Encoding = "UTF-8" | "UTF-16" | "TCVN3" | "VNI" | "unknown 8-bit"

export class EncodingRefused extends Schema.TaggedError<EncodingRefused>()("EncodingRefused", {
  encoding: Schema.String,
  message: Schema.String
}) {}

const fatalUtf8 = new TextDecoder("utf-8", { fatal: true })

export const isUtf8 = (bytes: Uint8Array): boolean => {
  try {
    fatalUtf8.decode(bytes)
    return true
  } catch {
    return false
  }
}

/** Decodes UTF-8, or undefined when the bytes are not UTF-8. */
export const decodeUtf8 = (bytes: Uint8Array): string | undefined => {
  try {
    return fatalUtf8.decode(bytes)
  } catch {
    return undefined
  }
}

const isAsciiVowel = (b: number): boolean => "aeiouyAEIOUY".includes(String.fromCharCode(b))
// VNI's stand-alone letters ơ/Ơ, ư/Ư (which take a tone byte after them) and đ/Đ.
const vniLetters = new Set([0xf4, 0xd4, 0xf6, 0xd6])
const vniStandalone = new Set([0xf4, 0xd4, 0xf6, 0xd6, 0xf1, 0xd1])

/**
 * Which legacy encoding non-UTF-8 bytes look like. VNI: most high bytes are
 * marks right after a vowel. TCVN3: high bytes stand alone, all in
 * 0xA1–0xFE, and some are the letters ă â ê ô ơ ư đ (0xA8–0xAE) or a/ă
 * with a tone (0xB5–0xBF): common in any Vietnamese text, while Latin-1
 * text has symbols there (µ ¶ · ¸ ¹ º « ¬ ®), rarely letters.
 */
export const guessLegacyEncoding = (bytes: Uint8Array): Encoding => {
  let high = 0
  let afterVowel = 0
  let tcvnRange = 0
  let tcvnLetters = 0
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i] as number
    if (b < 0x80) continue
    high++
    const prev = i > 0 ? (bytes[i - 1] as number) : 0
    if ((b >= 0xc0 && (isAsciiVowel(prev) || vniLetters.has(prev))) || vniStandalone.has(b)) afterVowel++
    if (b >= 0xa1 && b <= 0xfe) tcvnRange++
    if ((b >= 0xa8 && b <= 0xae) || (b >= 0xb5 && b <= 0xbf)) tcvnLetters++
  }
  if (high === 0) return "unknown 8-bit"
  if (afterVowel / high >= 0.6) return "VNI"
  if (tcvnRange / high >= 0.9 && tcvnLetters > 0) return "TCVN3"
  return "unknown 8-bit"
}

const advice = "save it as UTF-8 (in Excel: Save As → \"CSV UTF-8\"; for TCVN3/VNI files, convert with Unikey's toolkit first)"

/** Index of the first byte that does not belong to a valid UTF-8 sequence, or -1. */
export const firstInvalidByte = (bytes: Uint8Array): number => {
  let i = 0
  while (i < bytes.length) {
    const b = bytes[i] as number
    const need = b < 0x80 ? 0 : b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1
    if (need < 0) return i
    if (need > 0 && !isUtf8(bytes.subarray(i, i + need + 1))) return i
    i += need + 1
  }
  return -1
}

/** What a line that is not UTF-8 looks like, for the rejects file. */
export const describeBadBytes = (bytes: Uint8Array): string => {
  const at = Math.max(0, firstInvalidByte(bytes))
  const guess = guessLegacyEncoding(bytes)
  const looks = guess === "TCVN3" || guess === "VNI" ? `; it looks like ${guess}` : ""
  return `the row is not valid UTF-8 (byte 0x${(bytes[at] ?? 0).toString(16).toUpperCase().padStart(2, "0")} at byte ${at + 1} of the row)${looks}`
}

/**
 * Checks the start of a file. A byte-order mark of UTF-16, or a start that
 * holds no UTF-8 at all but legacy bytes, refuses the whole file; a UTF-8
 * file with a few broken rows goes on, and those rows are rejected one by one.
 */
export const sniffEncoding = (head: Uint8Array): EncodingRefused | undefined => {
  if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)) {
    return new EncodingRefused({ encoding: "UTF-16", message: `the file is UTF-16, not UTF-8; ${advice}` })
  }
  // A cut multi-byte character at the end of the sample is not an error.
  const sample = head.subarray(0, lastBoundary(head))
  if (isUtf8(sample)) return undefined
  let utf8Sequences = 0
  for (let i = 0; i + 1 < sample.length; i++) {
    const b = sample[i] as number
    const next = sample[i + 1] as number
    if (b >= 0xc2 && b <= 0xef && next >= 0x80 && next <= 0xbf && isUtf8(sample.subarray(i, i + (b >= 0xe0 ? 3 : 2)))) utf8Sequences++
  }
  if (utf8Sequences > 0) return undefined
  const guess = guessLegacyEncoding(sample)
  const named = guess === "TCVN3" || guess === "VNI" ? `the file is in the legacy Vietnamese encoding ${guess}, not UTF-8` : "the file is not UTF-8"
  return new EncodingRefused({ encoding: guess, message: `${named}; ${advice}` })
}

/** The length of `bytes` without a trailing incomplete UTF-8 sequence. */
const lastBoundary = (bytes: Uint8Array): number => {
  for (let back = 1; back <= 3 && back <= bytes.length; back++) {
    const b = bytes[bytes.length - back] as number
    if (b < 0x80) return bytes.length
    if (b >= 0xc0) {
      const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2
      return need > back ? bytes.length - back : bytes.length
    }
  }
  return bytes.length
}
