/**
 * Label matching ignores diacritics and case, because tesseract confuses
 * Vietnamese marks (ầ/ấ, ơ/ở) far more often than base letters. Folding keeps
 * a map back to the original text so the value after a label is cut from the
 * original, marks intact.
 */

export interface Folded {
  /** Lower-case, no diacritics, đ → d. */
  readonly text: string
  /** For each index of `text`, the index in the original string. */
  readonly origin: ReadonlyArray<number>
}

const foldChar = (c: string): string =>
  c.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/gi, "d").toLowerCase()

export const foldWithMap = (s: string): Folded => {
  const source = s.normalize("NFC")
  let text = ""
  const origin: Array<number> = []
  let index = 0
  for (const c of source) {
    const folded = foldChar(c)
    for (const f of folded) {
      text += f
      origin.push(index)
    }
    index += c.length
  }
  return { text, origin }
}

/** Index in the original string of folded position `i` (the end maps to the original's length). */
export const originAt = (folded: Folded, i: number, original: string): number =>
  i >= folded.origin.length ? original.normalize("NFC").length : (folded.origin[i] ?? 0)

export const fold = (s: string): string => foldWithMap(s).text
