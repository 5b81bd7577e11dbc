/**
 * Words in unaccented capitals (a transfer's content, a bank's account name)
 * corrected against their vocabulary (memo-words.ts) when OCR slipped in one
 * of the ways it typically does on such lines:
 *  - a letter read twice: "NOOP" → "NOP", "QUAACH" → "QUACH";
 *  - two words run together, where no slip above or below gives a word: "NOPTIEN" → "NOP TIEN";
 *    last, two run together with a letter read twice: "NOPTIEEN" → "NOP TIEN";
 *  - a glyph too many (a speck), where no other slip gives a word: "QOD" → "QD";
 *  - one word split in two: "NGUY EN" → "NGUYEN";
 *  - one glyph read as its look-alike: V/Y, U/V, I/L/1/T, O/0/D/Q/C, C/G,
 *    E/F, B/8, S/5, G/6, H/N, M/N, RN/M, CL/D, VV/W; a letter read in lower
 *    case ("TlEN");
 *  - a lone "I", "l" or "|" before a number (a rule or a speck), dropped; a decision number split after
 *    its dash ("3095/QD- CCTHADS") joined.
 * The rule: a real word (a word of the vocabulary, or any word spelled as a
 * Vietnamese syllable may be; in a name, a name word) is never changed; any
 * other word is changed only when exactly one word (or one pair of words) of
 * the vocabulary is one such slip away, otherwise it stays as read. Every
 * change is returned, with what was read, to be reported.
 */
import type { Correction } from "./correction.ts"
import { mendMemoNumbers } from "./memo-numbers.ts"
import { mendMemoPhrases } from "./memo-phrases.ts"
import { maybeSyllable } from "./syllables.ts"
import { isSolid, isSpeck, ligatureReading, mendDecisionDashes } from "./fragments.ts"
import { memoCoreWords, memoWords, plainFamilyNames, plainNameWords } from "./memo-words.ts"

const FAMILY = "Vietnamese family names, without marks"
const NAMES = "Vietnamese middle and given names, without marks"
const MEMO = "words of transfer contents, without marks"

/** Glyphs tesseract reads one for the other on capitals (both ways). */
const lookAlikes: ReadonlyArray<readonly [string, string]> = [
  ["V", "Y"], ["U", "V"], ["I", "L"], ["I", "1"], ["L", "1"], ["I", "T"], ["O", "0"], ["O", "D"], ["O", "Q"],
  ["O", "C"], ["C", "G"], ["E", "F"], ["B", "8"], ["S", "5"], ["G", "6"], ["H", "N"], ["M", "N"], ["RN", "M"],
  ["CL", "D"], ["VV", "W"]
]

const replacements = (word: string): ReadonlyArray<string> => {
  const out: Array<string> = []
  for (const [a, b] of lookAlikes) {
    for (const [from, to] of [[a, b], [b, a]] as const) {
      for (let i = word.indexOf(from); i >= 0; i = word.indexOf(from, i + 1)) out.push(word.slice(0, i) + to + word.slice(i + from.length))
    }
  }
  return out
}

const undoubled = (word: string): ReadonlyArray<string> => {
  const out: Array<string> = []
  for (let i = 0; i + 1 < word.length; i++) if (word[i] === word[i + 1]) out.push(word.slice(0, i) + word.slice(i + 1))
  return out
}

// A glyph too many (a speck read as a letter: "QOD" for "QD"); the word left must be at least two letters.
const withoutOne = (word: string): ReadonlyArray<string> =>
  word.length < 3 ? [] : Array.from({ length: word.length }, (_, i) => word.slice(0, i) + word.slice(i + 1))

const splits = (word: string, vocabulary: ReadonlySet<string>): ReadonlyArray<string> => {
  const out: Array<string> = []
  for (let i = 2; i <= word.length - 2; i++) {
    const a = word.slice(0, i)
    const b = word.slice(i)
    if (vocabulary.has(a) && vocabulary.has(b)) out.push(`${a} ${b}`)
  }
  return out
}

/** A real word: one of the vocabulary, or one spelled as a Vietnamese syllable may be ("VEN"), never changed. */
export const isWord = (token: string): boolean => memoWords.has(token) || maybeSyllable(token)

/**
 * A token that may be a word: capitals (a look-alike digit or lower-case letters allowed), no other signs.
 * More than one digit is a code ("FT25123456"), not a word with a look-alike.
 */
const wordLike = (token: string): boolean =>
  /^[A-Za-z0-9]+$/u.test(token) && (token.match(/[A-Z]/gu) ?? []).length >= 2 && (token.match(/\d/gu) ?? []).length <= 1

/**
 * The one word (or two words) of `targets` a token that is no word of `known`
 * (by default: a word of the vocabulary, or any word that may be a Vietnamese
 * syllable) is one slip away from, if exactly one.
 */
export const nearestWord = (token: string, targets: ReadonlySet<string>, known: (word: string) => boolean = isWord): string | undefined => {
  if (!wordLike(token) || known(token) || targets.has(token)) return undefined
  const upper = token.toUpperCase()
  const candidates = new Set<string>()
  if (upper !== token && targets.has(upper)) candidates.add(upper)
  for (const c of [...undoubled(upper), ...replacements(upper)]) if (targets.has(c)) candidates.add(c)
  // Two words run together, then a glyph too many, are the rarer slips: looked for only when the others give
  // no word ("HAANH" is "HANH" with an A read twice before it is "HA ANH").
  if (candidates.size === 0) for (const c of splits(upper, targets)) candidates.add(c)
  if (candidates.size === 0) for (const c of withoutOne(upper)) if (targets.has(c)) candidates.add(c)
  // Last, two words run together with a letter read twice ("NOPTIEEN"): still one reading only, or none.
  if (candidates.size === 0) for (const u of undoubled(upper)) for (const c of splits(u, targets)) candidates.add(c)
  return candidates.size === 1 ? [...candidates][0] : undefined
}

/** A single letter, as OCR leaves one split off a word. */
const lone = (token: string): boolean => /^[A-Z]$/u.test(token)
const piece = (token: string): boolean => wordLike(token) || lone(token)

/** What sits inside a line in capitals and is no word: see correctCapitals. */
const fragment = (token: string, targets: ReadonlySet<string>, known: (word: string) => boolean): boolean => {
  if (isSpeck(token)) return true
  if (/\d/u.test(token)) return false
  const upper = token.toUpperCase()
  if (/\p{Ll}/u.test(token)) return !/^\p{L}+$/u.test(token) || !(memoCoreWords.has(upper) || (upper.length > 2 && (targets.has(upper) || known(upper))))
  return lone(token) && !targets.has(token) && !known(token) && !maybeSyllable(token)
}

/**
 * A line of words in unaccented capitals, each word that is no real word
 * corrected to the one word of `targets` a slip away (see above); two tokens
 * that are a split word are joined.
 */
export const correctCapitals = (
  text: string,
  targets: ReadonlySet<string>,
  against: string,
  known: (word: string) => boolean = isWord
): { readonly value: string; readonly corrections: ReadonlyArray<Correction> } => {
  // Dropping a fragment may bring a split word's pieces together ("N . HE" → "N HE" → "NHE"): again until nothing changes
  // (every pass only joins, drops or turns a non-word into a word, so two or three passes suffice).
  let value = text
  const corrections: Array<Correction> = []
  for (let pass = 0; pass < 4; pass++) {
    const once = correctCapitalsOnce(value, targets, against, known)
    if (once.corrections.length === 0) break
    corrections.push(...once.corrections)
    value = once.value
  }
  return { value, corrections }
}

const correctCapitalsOnce = (
  text: string,
  targets: ReadonlySet<string>,
  against: string,
  known: (word: string) => boolean
): { readonly value: string; readonly corrections: ReadonlyArray<Correction> } => {
  const mended = mendDecisionDashes(text, against)
  const corrections: Array<Correction> = [...mended.corrections]
  const tokens = mended.value.split(" ").map((token) => {
    // "œ" read for the "Q" of "QD": the reading whose every word is a word of the list.
    const to = ligatureReading(token, (w) => targets.has(w) || known(w))
    if (to === undefined) return token
    corrections.push({ from: token, to, against })
    return to
  })
  const out: Array<string> = []
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] ?? ""
    const next = tokens[i + 1]
    // A rule or a speck read as a lone "I", "l" or "|" before a number ("QD I 1666/QD-PTHADS"): no word.
    if (/^[Il|]$/u.test(token) && /^\d/u.test(next ?? "") && i > 0) {
      corrections.push({ from: `${token} ${next}`, to: next ?? "", against })
      continue
    }
    // A decision number split after its dash ("3095/QD- CCTHADS"): one token again.
    if (/^\d+\/[A-Z]+-$/u.test(token) && /^[A-Z]+$/u.test(next ?? "")) {
      corrections.push({ from: `${token} ${next}`, to: token + (next ?? ""), against })
      out.push(token + (next ?? ""))
      i++
      continue
    }
    // A word split in two: neither half a word on its own (or only one), together a word of the list. A piece may be
    // a lone letter ("NGHI A" in a name: "A" is no name word), unless the letter joins the word on its other side as well.
    if (next !== undefined && piece(token) && piece(next) && !(known(token) && known(next)) && targets.has(token + next)) {
      const tie = (lone(next) && targets.has(next + (tokens[i + 2] ?? ""))) || (lone(token) && targets.has((out.at(-1) ?? "") + token))
      if (!tie) {
        corrections.push({ from: `${token} ${next}`, to: token + next, against })
        out.push(token + next)
        i++
        continue
      }
    }
    // Fragments between two words: specks, tokens with lower-case letters that are no word in any case ("QD Oc 1431":
    // a transfer's content is typed in capitals), lone letters that are no word and no syllable; dropped, a run at once.
    // A lone letter that would make a word with a neighbour is a piece of one (a tie above), not a fragment.
    const joins = (k: number) => lone(tokens[k] ?? "") && (targets.has((k === i ? out.at(-1) : tokens[k - 1]) + (tokens[k] ?? "")) || targets.has((tokens[k] ?? "") + tokens[k + 1]))
    // A lone letter after a name word may be an initial ("NGUYEN VAN B"), no fragment.
    const initial = (k: number) => lone(tokens[k] ?? "") && k === i && plainNameWords.has(out.at(-1) ?? "")
    const isFragment = (k: number) => {
      const t = tokens[k]
      return t !== undefined && nearestWord(t, targets, known) === undefined && fragment(t, targets, known) && !joins(k) && !initial(k)
    }
    let end = i
    while (isFragment(end)) end++
    if (end > i && i > 0 && isSolid(out.at(-1)) && isSolid(tokens[end])) {
      corrections.push({ from: tokens.slice(i, end + 1).join(" "), to: tokens[end] ?? "", against })
      i = end - 1
      continue
    }
    // Specks and lower-case junk after the last word ("1334/QD-CTHADS |": a table's rule).
    if (i > 0 && isSolid(out.at(-1)) && tokens.slice(i).every((t) => isSpeck(t) || (/\p{Ll}/u.test(t) && fragment(t, targets, known)))) {
      corrections.push({ from: [out.at(-1), ...tokens.slice(i)].join(" "), to: out.at(-1) ?? "", against })
      break
    }
    const to = nearestWord(token, targets, known)
    if (to === undefined) out.push(token)
    else {
      corrections.push({ from: token, to, against })
      out.push(to)
    }
  }
  return { value: out.join(" "), corrections }
}

/**
 * A name in unaccented capitals ("QUAACH THI BAO VEN"): its first word, which
 * is a family name in every Vietnamese name, against the family names (a
 * first word that is no family name but a slip away from exactly one is
 * corrected even if it is another word); the other words against the middle
 * and given names, as above.
 */
export const correctCapitalName = (name: string): { readonly value: string; readonly corrections: ReadonlyArray<Correction> } => {
  const [first = "", ...rest] = name.split(" ")
  if (rest.length === 0 || rest.length > 5) return { value: name, corrections: [] }
  const family = nearestWord(first, plainFamilyNames, (w) => plainFamilyNames.has(w))
  const others = correctCapitals(rest.join(" "), plainNameWords, NAMES, (w) => plainNameWords.has(w))
  const corrections = [...(family === undefined ? [] : [{ from: first, to: family, against: FAMILY }]), ...others.corrections]
  return { value: [family ?? first, others.value].join(" "), corrections }
}

// The name a memo opens with: see correctMemo.
const openingName = (tokens: ReadonlyArray<string>): ReadonlyArray<string> => {
  // A lone letter stays in the run: it may be the end of a name word split off ("NGHI A"), joined by correctCapitalName.
  const end = tokens.findIndex((t) => !piece(t) || (!lone(t) && memoWords.has(t) && !plainNameWords.has(t)))
  const run = end < 0 ? tokens : tokens.slice(0, end)
  return run.length < 2 || run.length > 6 || !plainFamilyNames.has(run[0] ?? "") ? [] : run
}

const withCorrections = (
  r: { readonly value: string; readonly corrections: ReadonlyArray<Correction> },
  before: ReadonlyArray<Correction>
): { readonly value: string; readonly corrections: ReadonlyArray<Correction> } => (before.length === 0 ? r : { value: r.value, corrections: [...before, ...r.corrections] })

/**
 * A transfer's content in unaccented capitals: its words against the memo
 * vocabulary; then, when it opens with a name, as banks write the payer's
 * name before the content ("QUACH THI BAO VEN NOP TIEN …"), that name against
 * the names' vocabulary too. The name is the opening run of words none of
 * which is a memo word that no name holds ("NOP", "THA", "THEO"), of two to
 * six words, the first a family name.
 */
export const correctMemo = (memo: string): { readonly value: string; readonly corrections: ReadonlyArray<Correction> } => {
  // Two memo words a speck joined ("THEO.QD"): set apart again, reported.
  const apart: Array<Correction> = []
  const spaced = memo.replace(/(?<![\p{L}\p{N}])([A-Z]{2,})[.,'`](?=[A-Z]{2,}(?![\p{L}\p{N}]))([A-Z]+)/gu, (whole, a: string, b: string) => {
    if (!memoWords.has(a) || !memoWords.has(b)) return whole
    apart.push({ from: whole, to: `${a} ${b}`, against: MEMO })
    return `${a} ${b}`
  })
  // What OCR does around a decision number ("QD1 166/", "1222/OD-", "QD - 2847/"), mended first (memo-numbers.ts).
  const numbers = mendMemoNumbers(spaced, MEMO)
  apart.push(...numbers.corrections)
  const numbered = numbers.value
  const capitals = withCorrections(correctCapitals(numbered, memoWords, MEMO), apart)
  // A set phrase's word split with a letter read twice ("THI HA ANH AN"): both pieces are words, only the phrase tells.
  const phrased = mendMemoPhrases(capitals.value, MEMO)
  const words = withCorrections(phrased, capitals.corrections)
  const tokens = words.value.split(" ")
  const run = openingName(tokens)
  if (run.length === 0) return words
  const name = correctCapitalName(run.join(" "))
  return { value: [name.value, ...tokens.slice(run.length)].join(" "), corrections: [...words.corrections, ...name.corrections] }
}

/**
 * The payer's name a transfer's content opens with, when every word of it is
 * a name word (after the corrections above) and a memo word follows it
 * ("KIEU TRONG BAO NOP TIEN …" → "KIEU TRONG BAO"): what a bank's credit
 * advice says of the payer when its account-name line was not read.
 */
export const memoPayerName = (memo: string): string | undefined => {
  const tokens = correctMemo(memo).value.split(" ")
  const run = openingName(tokens)
  // The run must end at a memo word: one ended by a letter or a sign ("NGUYEN VAN A …") is no whole name.
  const after = tokens[run.length] ?? ""
  return run.length > 0 && wordLike(after) && memoWords.has(after) && run.every((w) => plainNameWords.has(w)) ? run.join(" ") : undefined
}
