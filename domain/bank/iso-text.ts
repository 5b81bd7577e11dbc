/**
 * Text that goes into ISO 20022 XML: escaped, within the schema's length
 * limits, and, for identifiers, in the character set every bank's
 * system passes through unchanged.
 */
import { nfc, stripDiacritics } from "../text.ts"

const escapes: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&apos;" }

const special = /[&<>"']/

export const escapeXml = (text: string): string => (special.test(text) ? text.replace(/[&<>"']/g, (c) => escapes[c] as string) : text)

// Characters XML 1.0 cannot carry at all, and the C1 controls nobody means.
const forbidden = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ufffe\uffff]/u

/**
 * Identifiers (message id, payment information id, end-to-end id): 1 to 35
 * characters of the SWIFT set A–Z a–z 0–9 / - ? : ( ) . , ' +, no spaces,
 * as banks copy them into statements and status reports unchanged.
 */
const identifier = /^[A-Za-z0-9/\-?:().,'+]{1,35}$/

export const identifierProblem = (label: string, value: string): string | undefined => {
  if (identifier.test(value)) return undefined
  if (value.length === 0) return `${label} is empty`
  if (value.length > 35) return `${label} ${JSON.stringify(value)} has ${value.length} characters, at most 35 are allowed`
  const bad = Array.from(value).find((c) => !/^[A-Za-z0-9/\-?:().,'+]$/.test(c))
  return bad === undefined ? undefined : `${label} ${JSON.stringify(value)} contains ${JSON.stringify(bad)}; use letters, digits and / - ? : ( ) . , ' +`
}

export type TextForm = "unaccented" | "as-given"

const plainAscii = /^[\x20-\x7e]*$/

// stripDiacritics by table: every character below U+2000 whose folded form
// is one character maps to that character's code, built on first use. The
// same result as stripDiacritics on NFC text, without normalising every name
// of a million-line file; other text takes the slow path.
let foldTable: Uint16Array | undefined
const table = (): Uint16Array => {
  if (foldTable === undefined) {
    foldTable = new Uint16Array(0x2000)
    for (let code = 0; code < 0x2000; code++) {
      const f = code >= 0xd800 ? "" : stripDiacritics(String.fromCharCode(code))
      foldTable[code] = f.length === 1 ? f.charCodeAt(0) : 0xffff
    }
  }
  return foldTable
}
const units = new Uint16Array(256)
const unaccent = (text: string): string => {
  if (text.length > units.length) return stripDiacritics(text)
  const t = table()
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    const f = code < 0x2000 ? (t[code] as number) : 0xffff
    if (f === 0xffff) return stripDiacritics(text)
    units[i] = f
  }
  return String.fromCharCode.apply(null, units.subarray(0, text.length) as unknown as Array<number>)
}

/**
 * Free text (names, remittance information): NFC, runs of whitespace made
 * one space, trimmed; without Vietnamese diacritics when `form` is
 * "unaccented" (what domestic transfer systems carry). Returns the text or
 * the problem.
 */
export const freeText = (label: string, value: string, max: number, form: TextForm): { readonly text: string } | { readonly problem: string } => {
  const bad = forbidden.exec(value)
  if (bad !== null) return { problem: `${label} contains the control character U+${(bad[0].codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0")}` }
  // Plain ASCII (most remittance text, every name already unaccented) skips normalisation.
  const ascii = plainAscii.test(value)
  const cleaned = (ascii ? value : nfc(value)).replace(/\s+/g, " ").trim()
  const text = form === "unaccented" && !ascii ? unaccent(cleaned) : cleaned
  if (text.length === 0) return { problem: `${label} is empty` }
  if (text.length > max) return { problem: `${label} has ${text.length} characters, at most ${max} are allowed` }
  return { text }
}

/** ISO 8601 date-time with seconds and an explicit offset, as ISODateTime wants it for a file that means the same everywhere. */
export const isoDateTimePattern = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,3})?(Z|[+-](0\d|1[0-4]):[0-5]\d)$/
