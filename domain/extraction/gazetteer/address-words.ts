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

export const correctAddressWords = (address: string): { readonly value: string; readonly corrections: ReadonlyArray<Correction> } => {
  const corrections: Array<Correction> = []
  const value = address
    .split(" ")
    .map((token) => {
      const word = token.replace(/[,.;]+$/u, "")
      if (!/^\p{Ll}+$/u.test(word) || known.has(word) || !hasMarks(word)) return token
      const candidates = byFolded.get(fold(word))
      if (candidates === undefined || candidates.size !== 1) return token
      const to = [...candidates][0] ?? word
      corrections.push({ from: word, to, against: AGAINST })
      return to + token.slice(word.length)
    })
    .join(" ")
  return { value, corrections }
}
