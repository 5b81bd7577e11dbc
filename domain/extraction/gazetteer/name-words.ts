/**
 * The words of a name with marks after its family name (surnames.ts does the
 * first): a word read with a slipped mark ("Hà Văn Chị", "Trịnh Bảo Chỉ")
 * that is no name word but has the letters of exactly one word of its place
 * takes its marks: the last word against the given names, a word between
 * against the middle names; failing that, one letter a fax confuses (o, u)
 * with the marks kept ("Bảu" → "Bảo"), if that makes exactly one. A word that is a name word of any place, a word
 * without marks, and a word whose letters two names of its place share
 * ("Chi" as a middle name: Chí) are left as read.
 */
import { fold } from "../fold.ts"
import type { Correction } from "./correction.ts"
import { hasMarks } from "./edit-distance.ts"
import { givenNames, middleNames } from "./given-names.ts"
import { familyNames } from "./surnames.ts"

const known: ReadonlySet<string> = new Set([...familyNames, ...middleNames, ...givenNames])
const byFolded = (names: ReadonlyArray<string>): ReadonlyMap<string, ReadonlySet<string>> => {
  const map = new Map<string, Set<string>>()
  for (const n of names) map.set(fold(n), (map.get(fold(n)) ?? new Set<string>()).add(n))
  return map
}
const middle = byFolded(middleNames)
const given = byFolded(givenNames)

const givenSet: ReadonlySet<string> = new Set(givenNames)
const middleSet: ReadonlySet<string> = new Set(middleNames)

// Letters a fax or a photo confuses while keeping the marks on them ("Bảu" for "Bảo").
const lookAlike: Readonly<Record<string, string>> = { o: "u", u: "o" }

/** The names of `place` one look-alike letter away from `word`, its marks kept; undefined when none. */
const lookAlikes = (word: string, place: ReadonlySet<string>): ReadonlySet<string> | undefined => {
  const letters = [...word.normalize("NFD")]
  const found = new Set<string>()
  letters.forEach((c, j) => {
    const other = lookAlike[c]
    if (other === undefined) return
    const candidate = [...letters.slice(0, j), other, ...letters.slice(j + 1)].join("").normalize("NFC")
    if (place.has(candidate)) found.add(candidate)
  })
  return found.size === 0 ? undefined : found
}

const AGAINST = "Vietnamese middle and given names"

export const correctNameWords = (name: string): { readonly value: string; readonly corrections: ReadonlyArray<Correction> } => {
  const words = name.split(" ")
  if (words.length < 2) return { value: name, corrections: [] }
  const corrections: Array<Correction> = []
  const value = words
    .map((word, i) => {
      if (i === 0 || known.has(word) || !hasMarks(word) || !/^\p{Lu}\p{Ll}+$/u.test(word)) return word
      const last = i === words.length - 1
      const candidates = (last ? given : middle).get(fold(word)) ?? lookAlikes(word, last ? givenSet : middleSet)
      if (candidates === undefined || candidates.size !== 1) return word
      const to = [...candidates][0] ?? word
      corrections.push({ from: word, to, against: AGAINST })
      return to
    })
    .join(" ")
  return { value, corrections }
}
