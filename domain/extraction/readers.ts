/**
 * Readers for one value each, written for OCR text: they undo digit
 * look-alikes where digits are expected, then hand the result to the domain's
 * own parser, so what they accept is exactly what the domain accepts.
 */
import { Result } from "effect"
import { parseAmountInWords } from "../amount-in-words.ts"
import { parseDecisionNumber } from "../case-numbers.ts"
import { parseVietnameseDate } from "../dates.ts"
import { type IdentityNumber, type InvalidIdentityNumber, validateIdentityNumber } from "../identity.ts"
import { parseVnd } from "../money.ts"
import { fold } from "./fold.ts"
import { fixDigits, hasRealDigit, lookalikeClass, numberLike } from "./ocr-fixes.ts"

export interface Read<A> {
  readonly value: A
  /** Whether look-alike characters had to be replaced to read it. */
  readonly fixed: boolean
}

/** The first amount in figures in `text`: "125.500.000 đồng", "125,500,000 VND", "1OO.000". */
export const readAmount = (text: string): Read<bigint> | undefined => {
  // OCR scatters spaces and doubled separators inside digit groups: "111, ,000, 000".
  const tidied = text
    .replace(new RegExp(`([${lookalikeClass}])\\s*([.,])[\\s.,]*(?=[${lookalikeClass}])`, "gu"), "$1$2")
    // A space inside the leading group: "37 1.000.000" is 371.000.000.
    .replace(/(\d)\s+(?=\d{1,2}(?:[.,]\d{3})+(?!\d))/gu, "$1")
  for (const m of tidied.matchAll(numberLike)) {
    if (!hasRealDigit(m[0])) continue
    const { text: digits, fixed } = fixDigits(m[0])
    const parsed = parseVnd(digits.trim())
    if (Result.isSuccess(parsed)) return { value: parsed.success, fixed }
  }
  return undefined
}

/** The amount named by words, with the words as printed (or undefined when they do not read). */
export const readAmountInWords = (text: string): bigint | undefined => {
  const parsed = parseAmountInWords(text)
  return Result.isSuccess(parsed) ? parsed.success : undefined
}

export interface ReadIdentity {
  /** The number as read, spaces and dots removed, look-alikes fixed. */
  readonly value: string
  readonly fixed: boolean
  readonly checked: Result.Result<IdentityNumber, InvalidIdentityNumber>
}

/**
 * The identity number at the start of `text`. A passport keeps its leading
 * letter; everything else is digits, so look-alikes are fixed throughout.
 * Stops at a comma or at the "cấp ngày ..." that often follows the number.
 */
export const readIdentityNumber = (text: string, currentYear?: number): ReadIdentity | undefined => {
  const head = text.split(/,|;|\bc[aấâ]p\b|\bng[aà]y\b|\bn[oơ]i\b/iu)[0] ?? ""
  const compactOf = (s: string) => s.replace(/[\s.]/g, "").replace(/^['"‘’“”`|_:;-]+/u, "").replace(/[-–—_]+$/u, "")
  const shape = /^([A-Za-z]?)([0-9OoQDØøÖölIi|!SsBZzGb-]{7,16})$/u
  let m = shape.exec(compactOf(head))
  // What is left of a garbled label before the number ("/C-CCD 001156190092", "CCCD/HC: ..."):
  // the number is the longest run of words ending the value that reads as one, with 7 real digits or more.
  const tokens = head.trim().split(/\s+/)
  for (let k = 1; !m && k < tokens.length; k++) {
    const tail = compactOf(tokens.slice(k).join(" "))
    // A word with no digit in it does not start the number (the "A" of a name before it is no passport's letter).
    if ((tail.match(/\d/g) ?? []).length >= 7 && /\d/.test(tokens[k] ?? "")) m = shape.exec(tail)
  }
  if (!m) return undefined
  const letter = m[1] ?? ""
  const { text: rest, fixed } = fixDigits(m[2] ?? "")
  // A leading letter is a passport's only when 7 digits follow; otherwise it was a misread digit.
  const value = letter !== "" && /^\d{7}$/.test(rest) ? letter.toUpperCase() + rest : fixDigits(letter).text + rest
  if (!/^\d|^[A-Z]\d{7}$/.test(value)) return undefined
  const options = currentYear === undefined ? undefined : { currentYear }
  return { value, fixed: fixed || (letter !== "" && !/^[A-Z]\d{7}$/.test(value)), checked: validateIdentityNumber(value, options) }
}

const lookalike = "[0-9oqdlii|!sbzg]"
// Between the parts: spaces and specks ("21 | tháng"); a part's last digit may be
// read twice ("ngày 23 3 tháng"), checked in code; "tháng" may lose its "h" ("táng").
const gap = "[\\s|,.'`()]*"
// A letter stuck to a number ("tháng 6n năm") is a speck.
const stray = "(?:[a-z](?=[\\s|,.]))?"
const wordsDate = new RegExp(
  `ngay${gap}(${lookalike}{1,2})(?:\\s+([0-9]))?${stray}${gap}th?ang${gap}(${lookalike}{1,2})(?:\\s+([0-9]))?${stray}${gap}nam${gap}(${lookalike}{4})`,
  "gu"
)
const numericDate = new RegExp(`(?<![0-9])(${lookalike}{1,2})\\s*[/.-]\\s*(${lookalike}{1,2})\\s*[/.-]\\s*(${lookalike}{4})(?![0-9])`, "gu")

export interface FoundDate {
  readonly iso: string
  /** Position in the folded text, to tell which date comes first on a line. */
  readonly index: number
  /** Where the date ends in the folded text (the folded text keeps the original's length). */
  readonly end: number
  readonly fixed: boolean
}

/** Every date in `text`, in order: "ngày 23 tháng 6 năm 2025", "23/06/2025", "23-6-2025". */
export const findDates = (text: string): ReadonlyArray<FoundDate> => {
  const folded = fold(text)
  const found: Array<FoundDate> = []
  for (const pattern of [wordsDate, numericDate]) {
    for (const m of folded.matchAll(pattern)) {
      const groups = pattern === wordsDate ? [m[1], m[3], m[5]] : [m[1], m[2], m[3]]
      // A repeated digit must repeat the part's last digit; anything else is not this date.
      if (pattern === wordsDate && ((m[2] !== undefined && m[2] !== m[1]?.at(-1)) || (m[4] !== undefined && m[4] !== m[3]?.at(-1)))) continue
      const parts = groups.map((p) => fixDigits(p ?? ""))
      const [d, mo, y] = parts.map((p) => p.text)
      // Numeric dates need a real digit in each part, so a word like "lo/ii/sbzg" is never a date.
      if (pattern === numericDate && !parts.every((p) => hasRealDigit(p.text) && /\d/.test(m[0]))) continue
      const parsed = parseVietnameseDate(`${d}/${mo}/${y}`)
      if (Result.isSuccess(parsed)) {
        found.push({ iso: parsed.success, index: m.index, end: m.index + m[0].length, fixed: parts.some((p) => p.fixed) || (pattern === wordsDate && (m[2] !== undefined || m[4] !== undefined)) })
      }
    }
  }
  return found.sort((a, b) => a.index - b.index)
}

// OCR doubles the dash ("QĐ- -CTHADS") and the Đ ("QĐĐ", "QĐ-ĐĐ-CCTHADS"), reads it as "+" or ":",
// and loses the slash ("2541QĐ"), or reads it twice or as a fraction slash ("2643⁄/QĐ"), a 5 as "s" ("s23/QĐ"),
// and the Đ before the dash as U or O, or as two signs ("1979/QU-CTHADS", "1557/Q0P-THADS"); it puts a mark
// on a letter of the agency's code ("CTHÁDS"), reads its Q as O before an enforcement office's code
// ("1222/OD-PTHADS"), and a speck after the code as a letter ("THADSN"). Each such repair makes the number `fixed`.
// The space before the number is lost or read a figure late ("QD1166/QD-THADS", "QD1 166/QD-THADS").
// A dash after a space starts what follows ("THADS -TP. Hồ Chí Minh").
const decisionPattern =
  /(?<=^|[^0-9A-Za-z]|Q[DĐ]|S[OỐ])([0-9OoQlI|Ss]{1,5}(?: [0-9]{1,4})?)(?:\s*[/⁄∕]{1,2}\s*|(?=Q))(?:([0-9OoQlI|]{4})\s*[/⁄∕]{1,2}\s*)?(?:Q|[O0](?=[DĐÐ][-–—]\s*[A-Z]*THADS))\s*(?:[DĐÐđd]{1,2}|[UO0][DĐÐPp]?(?=[-–—]))[\s\-–—~.+:=_]*([\p{Lu}\p{Ll}0-9]{2,12}(?:[-–—+:]+\s*[\p{Lu}\p{Ll}0-9]{1,12}){0,3})/gu

// "ĐĐ-CCTHADS" → "CCTHADS": a segment of Đs alone is the QĐ read twice, never an agency.
// An agency's code is in unmarked capitals (and Đ): a mark on one ("CTHÁDS") is OCR's.
const agencyOf = (raw: string): string => {
  const unmarked = raw.toUpperCase().replace(/Ð/g, "Đ").normalize("NFD").replace(/[\u0300-\u036f]/g, "").normalize("NFC")
  const segments = unmarked.replace(/\s+/g, "").split(/[-–—+:]+/).filter((p) => p !== "")
  while (segments.length > 1 && /^[ĐD]{1,2}$/.test(segments[0] ?? "")) segments.shift()
  return segments.join("-")
}

export interface FoundDecision {
  readonly value: string
  readonly index: number
  readonly end: number
  readonly fixed: boolean
}

/** Decision numbers in `text` ("1234/QĐ-CTHADS", "56/2025/QĐ-THADS"), normalised by the domain. */
export const findDecisionNumbers = (text: string): ReadonlyArray<FoundDecision> => {
  const found: Array<FoundDecision> = []
  for (const m of text.normalize("NFC").matchAll(decisionPattern)) {
    // OCR splits a number with a space ("7 12/QĐ"); the groups are joined back. A look-alike
    // standing alone before the space is a table's rule or a speck ("| 15/QĐ"), not a digit.
    const [head = "", tail] = (m[1] ?? "").split(" ")
    const number = fixDigits(tail !== undefined && !/[0-9]/.test(head) ? tail : head + (tail ?? ""))
    const year = m[2] === undefined ? undefined : fixDigits(m[2])
    const read = agencyOf(m[3] ?? "")
    // An enforcement office's code ends in THADS: one letter glued after it is a speck.
    const agency = read.replace(/(THADS)[A-Z]$/u, "$1")
    const glued = m.index > 0 && /\p{L}/u.test(text.normalize("NFC")[m.index - 1] ?? "")
    const repaired = glued || agency !== read || !/Q\s*[DĐÐđd]/u.test(m[0]) || /[^\x00-\x7FĐđÐ]/u.test(m[3] ?? "")
    if (!hasRealDigit(number.text)) continue
    const candidate = `${number.text}/${year === undefined ? "" : `${year.text}/`}QĐ-${agency}`
    const parsed = parseDecisionNumber(candidate)
    if (Result.isSuccess(parsed)) {
      found.push({ value: parsed.success, index: m.index, end: m.index + m[0].length, fixed: number.fixed || (year?.fixed ?? false) || repaired })
    }
  }
  return found
}

/** The first bank reference: a run of 6+ letters and digits holding at least 3 digits. */
export const readBankReference = (text: string): Read<string> | undefined => {
  for (const token of text.split(/[\s,;:]+/)) {
    const t = token.replace(/[^0-9A-Za-z]/g, "")
    if (t.length >= 6 && (t.match(/\d/g) ?? []).length >= 3) {
      // References start with letters (FT, TT, ...) and continue in digits: fix look-alikes after the prefix.
      const prefix = /^[A-Za-z]*/.exec(t)?.[0] ?? ""
      const { text: rest, fixed } = fixDigits(t.slice(prefix.length))
      return { value: (prefix + rest).toUpperCase(), fixed }
    }
  }
  return undefined
}
