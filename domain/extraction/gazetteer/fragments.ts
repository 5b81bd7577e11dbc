/**
 * Fragments OCR leaves inside a value on faxes and phone photos, found by
 * shape alone (the vocabularies decide what becomes of them, in
 * correct-memo.ts and correct-words.ts):
 *  - a sign standing alone between words, a speck read as "." "'" "`" "~"
 *    ("Nộp tiền ' bồi thường");
 *  - a decision number whose dash was read twice or split by a space
 *    ("1431/QD- -CCTHADS", "1431/QD - CCTHADS");
 *  - the ligature "œ"/"Œ", which no Vietnamese text holds, read for the "Q"
 *    (or the "OE") of a word in capitals ("1431/œD-CCTHADS").
 */
import type { Correction } from "./correction.ts"

/**
 * A token made only of signs a text does not set apart with spaces: a speck. Dashes, slashes, brackets,
 * "&", "+", "%" and "#" may stand alone in a real reason ("án phí - lệ phí") and are kept.
 */
export const isSpeck = (token: string): boolean => /^[^\p{L}\p{N}]+$/u.test(token) && !/[-–—/\\()&+%#]/u.test(token)

/** A token that holds a letter or a digit: a word, a number or a code, which a speck may sit between. */
export const isSolid = (token: string | undefined): boolean => token !== undefined && /[\p{L}\p{N}]/u.test(token)

// A decision number ("1431/QD") followed by dashes and spaces, then its office's symbol.
const splitDecision = /(\d+\/\p{Lu}+)(\s*-[\s-]*)(\p{Lu}+)(?![\p{L}\p{N}])/gu

/** A decision number with its dash read twice or set apart ("QD- -CCTHADS") made one token with one dash. */
export const mendDecisionDashes = (text: string, against: string): { readonly value: string; readonly corrections: ReadonlyArray<Correction> } => {
  const corrections: Array<Correction> = []
  const value = text.replace(splitDecision, (whole, number: string, dashes: string, symbol: string) => {
    // One dash and nothing else is the number as printed.
    if (dashes === "-") return whole
    const to = `${number}-${symbol}`
    corrections.push({ from: whole, to, against })
    return to
  })
  return { value, corrections }
}

/**
 * The readings of a token holding "œ" or "Œ" (a "Q" or an "OE" in capitals), kept when every run of letters
 * in it is a word of `words`; the one reading that is, if exactly one.
 */
export const ligatureReading = (token: string, words: (word: string) => boolean): string | undefined => {
  if (!/[œŒ]/u.test(token)) return undefined
  const readings = ["Q", "OE"].map((r) => token.replace(/[œŒ]/gu, r)).filter((r) => (r.match(/\p{L}+/gu) ?? []).every(words))
  return readings.length === 1 ? readings[0] : undefined
}
