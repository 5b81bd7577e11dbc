/**
 * What OCR does around a decision number in a transfer's content, mended
 * before the words are checked against the memo vocabulary (correct-memo.ts),
 * each change returned to be reported:
 *  - the Q of the QĐ after the number read as O, before an enforcement
 *    office's code ("1222/OD-PTHADS");
 *  - a speck between QD and the number read as a sign ("THEO QD - 2847/…");
 *  - the space before the number read a figure late or lost ("QD1 166/…",
 *    "QD1166/…"): the figures stay the number's, or the vocabulary would take
 *    "QD1" for "QD" and lose one.
 */
import type { Correction } from "./correction.ts"

export const mendMemoNumbers = (memo: string, against: string): { readonly value: string; readonly corrections: ReadonlyArray<Correction> } => {
  const corrections: Array<Correction> = []
  const value = memo
    .replace(/(?<=\d[/⁄])[O0]D(?=-\s*[A-Z]*THADS)/gu, (whole) => {
      corrections.push({ from: whole, to: "QD", against })
      return "QD"
    })
    .replace(/(?<![\p{L}\p{N}])(QD|SO) ([-–—.:,'`]) (?=\d{1,5}[/⁄])/gu, (_whole, word: string, sign: string) => {
      corrections.push({ from: `${word} ${sign}`, to: word, against })
      return `${word} `
    })
    .replace(/(?<![\p{L}\p{N}])(QD|SO|THEO)(\d{1,5})(?: (?=(\d{1,5})[/⁄])|(?=[/⁄]))/gu, (whole, word: string, digits: string, next: string | undefined) => {
      const to = `${word} ${digits}`
      corrections.push(next === undefined ? { from: whole, to, against } : { from: `${word}${digits} ${next}`, to: `${to}${next}`, against })
      return to
    })
  return { value, corrections }
}
