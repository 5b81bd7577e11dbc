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
import { isSpeck, mendDecisionDashes } from "./fragments.ts"
import { correctByPairs } from "./reason-phrases.ts"
import { reasonWords } from "./reason-words.ts"
import { maybeSyllable } from "./syllables.ts"

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

// A reason word as it may stand at `i`: itself, or capitalised as the reason's first word.
const asReasonWord = (word: string, i: number): string | undefined => {
  if (known.has(word)) return word
  const lower = word.toLowerCase()
  if (i !== 0 || word !== lower.charAt(0).toUpperCase() + lower.slice(1)) return undefined
  const to = known.has(lower) ? lower : hasMarks(lower) ? only(fold(lower)) : undefined
  return to === undefined ? undefined : to.charAt(0).toUpperCase() + to.slice(1)
}

/**
 * Two pieces that together are a reason word, one of them no word on its own; or, neither a word on its own,
 * together a reason word with a slipped mark ("N ốp" → "Nộp"; "l án" is a stray letter before "án", not "lần").
 */
const joined = (a: string, b: string, i: number): string | undefined => {
  if (!/^\p{L}+$/u.test(a) || !/^\p{Ll}+$/u.test(b)) return undefined
  const words = [known.has(a.toLowerCase()), known.has(b)].filter(Boolean).length
  if (words === 2) return undefined
  const whole = (a + b).normalize("NFC")
  const exact = known.has(whole) || known.has(whole.toLowerCase()) ? asReasonWord(whole, i) : undefined
  if (exact !== undefined || words > 0) return exact
  return asReasonWord(whole, i) ?? (/^\p{Ll}+$/u.test(whole) && hasMarks(whole) ? only(fold(whole)) : undefined)
}

/** A letter standing alone that no word is: neither a reason word nor a Vietnamese syllable ("l", "r", "ỵ" is one). */
const strayLetter = (token: string): boolean => /^\p{L}$/u.test(token) && !known.has(token.toLowerCase()) && !maybeSyllable(fold(token))

/**
 * Fragments OCR left inside the reason (fragments.ts): a word split in two pieces, one of them no word on its own,
 * joined when together they are a reason word ("N ộp tiền" → "Nộp tiền"); a speck or a stray letter between two
 * words dropped. Each reported.
 */
const mendFragments = (reason: string): { readonly words: ReadonlyArray<string>; readonly corrections: ReadonlyArray<Correction> } => {
  const dashes = mendDecisionDashes(reason, AGAINST)
  const tokens = dashes.value.split(" ")
  const corrections: Array<Correction> = [...dashes.corrections]
  const out: Array<string> = []
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] ?? ""
    const next = tokens[i + 1]
    const whole = next === undefined ? undefined : joined(token, next, out.length)
    if (whole !== undefined) {
      corrections.push({ from: `${token} ${next}`, to: whole, against: AGAINST })
      out.push(whole)
      i++
      continue
    }
    // Specks and stray letters between two words, a run at once; a letter that begins a split word is no stray.
    // A capital after a capitalised word may be a name's initial ("Nguyễn Văn B nộp"), no stray.
    const initial = (k: number) => /^\p{Lu}$/u.test(tokens[k] ?? "") && /^\p{Lu}/u.test(k === i ? (out.at(-1) ?? "") : (tokens[k - 1] ?? ""))
    const stray = (k: number) => {
      const t = tokens[k]
      return t !== undefined && (isSpeck(t) || (strayLetter(t) && !initial(k) && joined(t, tokens[k + 1] ?? "", out.length) === undefined))
    }
    let end = i
    while (stray(end)) end++
    if (end > i && out.length > 0 && /\p{L}/u.test(out.at(-1) ?? "") && /\p{L}/u.test(tokens[end] ?? "")) {
      corrections.push({ from: tokens.slice(i, end + 1).join(" "), to: tokens[end] ?? "", against: AGAINST })
      i = end - 1
      continue
    }
    // Specks after the last word; after a last reason word, short lower-case scraps too ("… sơ thẩm co U": a seal's
    // strokes read as letters), which no reason word is.
    const last = out.at(-1) ?? ""
    const scrap = (t: string) => isSpeck(t) || (known.has(last.toLowerCase()) && /^(?:\p{L}|\p{Ll}{2})$/u.test(t) && !hasMarks(t) && !known.has(t.toLowerCase()))
    if (out.length > 0 && /[\p{L}\p{N}]/u.test(last) && tokens.slice(i).every(scrap)) {
      corrections.push({ from: [out.at(-1), ...tokens.slice(i)].join(" "), to: out.at(-1) ?? "", against: AGAINST })
      break
    }
    out.push(token)
  }
  return { words: out, corrections }
}

export const correctReason = (reason: string): { readonly value: string; readonly corrections: ReadonlyArray<Correction> } => {
  if (!hasMarks(reason)) return { value: reason, corrections: [] }
  const lowerCaseLine = (reason.match(/\p{Ll}/gu) ?? []).length > 2 * (reason.match(/\p{Lu}/gu) ?? []).length
  // Dropping a fragment may bring a split word's pieces together: again until nothing changes.
  const corrections: Array<Correction> = []
  let words = reason.split(" ")
  for (let pass = 0; pass < 4; pass++) {
    const mended = mendFragments(words.join(" "))
    if (mended.corrections.length === 0) break
    corrections.push(...mended.corrections)
    words = [...mended.words]
  }
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
  // Then the words that are real but pair with no neighbour ("Nộp liền", "chi phi"), by the reasons' word pairs.
  const paired = correctByPairs(value.split(" "))
  return { value: paired.words.join(" "), corrections: [...corrections, ...paired.corrections] }
}
