/**
 * The lower-case words addresses are written with, before and between
 * names: "Số 12 đường …", "tổ dân phố 4", "thôn", "ấp", "khu phố", "ngõ",
 * "xã", "phường", "tỉnh", "thành phố" … A lower-case word with marks that
 * is none of them but has the letters of exactly one ("dần" in "tổ dần
 * phố") takes that word's marks, reported as a correction. Capitalised
 * words (names of streets and units) are left to the gazetteer.
 */
import { fold } from "../fold.ts"
import type { Correction } from "./correction.ts"
import { hasMarks } from "./edit-distance.ts"

export const addressWords: ReadonlyArray<string> = (
  "số đường phố tổ dân khu thôn ấp xóm bản làng buôn khóm ngõ ngách hẻm kiệt lô tầng căn hộ chung cư tòa nhà " +
  "xã phường thị trấn quận huyện tỉnh thành đặc cụm công nghiệp " +
  // Words an address may hold that are none of the above, listed so that they are never "corrected" into them.
  "cũ mới gần cạnh trong ngoài sau trước đối diện"
).split(" ")

const known: ReadonlySet<string> = new Set(addressWords)
const byFolded = new Map<string, Set<string>>()
for (const w of addressWords) byFolded.set(fold(w), (byFolded.get(fold(w)) ?? new Set<string>()).add(w))

const AGAINST = "words of addresses"

const capitalised = (word: string): string => word.charAt(0).toUpperCase() + word.slice(1)

// A capitalised word is an address word only where it opens the address or a part of it and an address word or a
// number follows it: "Tố dân phố 4", "Sô 12"; never a name ("Tô Hiến Thành", "phường Nghĩa Lộ, tỉnh …").
const beforeAddressWord = (next: string | undefined): boolean =>
  next !== undefined && (/^\d/u.test(next) || known.has(next.replace(/[,.;]+$/u, "").toLowerCase()))

export const correctAddressWords = (address: string): { readonly value: string; readonly corrections: ReadonlyArray<Correction> } => {
  const corrections: Array<Correction> = []
  const tokens = address.split(" ")
  const value = tokens
    .map((token, i) => {
      const word = token.replace(/[,.;]+$/u, "")
      const lower = word.toLowerCase()
      // Only the first word of an address or of a part after a comma, with its part going on after it.
      const opensPart = i === 0 || /,$/u.test(tokens[i - 1] ?? "")
      const upper = opensPart && token === word && /^\p{Lu}\p{Ll}*$/u.test(word) && word.length > 1 && beforeAddressWord(tokens[i + 1])
      if (!(/^\p{Ll}+$/u.test(word) || upper) || known.has(lower) || !hasMarks(word)) return token
      const candidates = byFolded.get(fold(word))
      if (candidates === undefined || candidates.size !== 1) return token
      const found = [...candidates][0] ?? lower
      const to = upper ? capitalised(found) : found
      corrections.push({ from: word, to, against: AGAINST })
      return to + token.slice(word.length)
    })
    .join(" ")
  return { value, corrections }
}
