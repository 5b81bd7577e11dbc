/**
 * Fragments OCR leaves inside a value on faxes and phone photos, found by
 * shape alone (the vocabularies decide what becomes of them, in
 * correct-memo.ts and correct-words.ts):
 *  - a sign standing alone between words, a speck read as "." "'" "`" "~"
 *    ("Nộp tiền ' bồi thường");
 *  - a decision number whose dash was read twice or split by a space
 *    ("1431/QD- -CCTHADS", "1431/QD - CCTHADS"), whose figures were read as
 *    look-alike letters ("s23/QD") or whose slash was read twice or as
 *    another slash ("2643⁄/QD");
 *  - the ligature "œ"/"Œ", which no Vietnamese text holds, read for the "Q"
 *    (or the "OE") of a word in capitals ("1431/œD-CCTHADS").
 */
import { fixDigits } from "../ocr-fixes.ts"
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

// A decision number's figures before its slash and "QD"/"QĐ": digits, or their look-alikes on a fax ("s23" for
// 523), the slash read as a fraction or division slash, or twice ("2643⁄/QD"), the D before the dash as U or O.
const decisionHead = /(?<![\p{L}\p{N}])([0-9OoIlSsB]{1,5})(\s*[/⁄∕]{1,2}\s*)(Q[DĐ]|Q[UO0](?=[-–—]))(?![\p{Ll}])/gu

/**
 * A decision number made as printed: its figures' look-alikes read as digits and its slash one "/"
 * ("s23/QD" → "523/QD", "2643⁄/QD" → "2643/QD"), as long as it holds two real digits; and its dash
 * read twice or set apart ("QD- -CCTHADS") made one.
 */
export const mendDecisionDashes = (text: string, against: string): { readonly value: string; readonly corrections: ReadonlyArray<Correction> } => {
  const corrections: Array<Correction> = []
  const headed = text.replace(decisionHead, (whole, figures: string, slash: string, read: string) => {
    const digits = fixDigits(figures).text
    if ((figures.match(/[0-9]/g) ?? []).length < 2 || !/^[0-9]+$/.test(digits)) return whole
    // "QU-", "QO-": the Đ (or the D of a memo without marks) read as its look-alike.
    const qd = /^Q[DĐ]$/u.test(read) ? read : /\p{M}|[^\u0000-\u007f]/u.test(text.normalize("NFD").replace(/[⁄∕]/gu, "")) ? "QĐ" : "QD"
    const to = `${digits}/${qd}`
    if (to !== whole) corrections.push({ from: whole, to, against })
    return to
  })
  const value = headed.replace(splitDecision, (whole, number: string, dashes: string, symbol: string) => {
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
