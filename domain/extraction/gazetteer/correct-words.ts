/**
 * A payment reason's words corrected against its vocabulary: a lower-case
 * word with marks that is not a reason word but has the letters of exactly
 * one ("bối" → "bồi", "tiến" → "tiền") takes that word's marks; two reason
 * words run together ("thihành") are split. Capitalised words (names) and
 * unmarked text (transfer contents typed without marks) are left as read.
 */
import { fold } from "../fold.ts"
import type { Correction } from "./correction.ts"
import { hasMarks } from "./edit-distance.ts"
import { reasonWords } from "./reason-words.ts"

const AGAINST = "payment-reason words"
const known: ReadonlySet<string> = new Set(reasonWords)
// A set per folded form: a word listed twice ("thẩm" of "sơ thẩm" and of "thẩm định") is one word, not two candidates.
const byFolded = new Map<string, Set<string>>()
for (const w of reasonWords) byFolded.set(fold(w), (byFolded.get(fold(w)) ?? new Set<string>()).add(w))
const only = (folded: string): string | undefined => {
  const words = byFolded.get(folded)
  return words?.size === 1 ? [...words][0] : undefined
}

const correctWord = (word: string, lowerCaseLine: boolean): string | undefined => {
  // A reason word read in capitals inside a lower-case reason ("hình SỰ").
  if (lowerCaseLine && /^\p{Lu}{2,}$/u.test(word) && known.has(word.toLowerCase())) return word.toLowerCase()
  if (!/^\p{Ll}+$/u.test(word) || known.has(word)) return undefined
  const folded = fold(word)
  const same = hasMarks(word) ? only(folded) : undefined
  if (same !== undefined) return same
  // Two reason words run together: "thihành" is "thi hành".
  for (let i = 2; i < word.length - 1; i++) {
    const a = word.slice(0, i)
    const b = word.slice(i)
    if (known.has(a) && known.has(b)) return `${a} ${b}`
  }
  return undefined
}

export const correctReason = (reason: string): { readonly value: string; readonly corrections: ReadonlyArray<Correction> } => {
  if (!hasMarks(reason)) return { value: reason, corrections: [] }
  const corrections: Array<Correction> = []
  const lowerCaseLine = (reason.match(/\p{Ll}/gu) ?? []).length > 2 * (reason.match(/\p{Lu}/gu) ?? []).length
  const words = reason.split(" ")
  const value = words
    .map((word, i) => {
      // The reason's first word is capitalised as a sentence's is ("Nốp tiền …"): corrected as its lower case,
      // when a lower-case word follows it (before a capitalised one it opens a name: "Lê Văn An").
      const opening = i === 0 && /^\p{Lu}\p{Ll}+$/u.test(word) && /^\p{Ll}/u.test(words[1] ?? "")
      const lowered = opening ? correctWord(word.toLowerCase(), lowerCaseLine) : undefined
      const to = lowered === undefined ? correctWord(word, lowerCaseLine) : lowered.charAt(0).toUpperCase() + lowered.slice(1)
      if (to === undefined) return word
      corrections.push({ from: word, to, against: AGAINST })
      return to
    })
    .join(" ")
  return { value, corrections }
}
