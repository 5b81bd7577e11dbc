/**
 * What the pipeline knows about a field beyond its raw confidence, and that
 * predicts a misreading: the page was a fax, faint or a photo; the value
 * came from a second reading; a vocabulary corrected it; it is printed in
 * unaccented capitals (a bank's memo, where OCR invents marks and doubles
 * letters); a warning stands on it. And what predicts a right reading: a
 * cross-check passed (the figures agree with the words, the identity number
 * keeps its rules, the decision precedes the payment). Confidence is
 * calibrated per (field, context): see calibration.ts.
 */
import type { Extraction, FieldName } from "./extraction.ts"

/** What preprocessing measured on a page (adapters/ocr/preprocess.ts). */
export interface PageFacts {
  /** Black and white already: a fax (cleaned as one). */
  readonly fax: boolean
  /** Grey levels between ink and paper (0–255) before stretching: low on a faint or low-contrast scan. */
  readonly contrast: number
  /** Light flattened: a phone photo or a scan with a shadow. */
  readonly unevenLight: boolean
}

export const contextFlags = ["fax", "faint", "photo", "reread", "corrected", "warned", "capitals", "checked"] as const
export type ContextFlag = (typeof contextFlags)[number]

/** Flags that say a field passed a check: they never lower a score where their bucket is too small to fit. */
export const passedFlags: ReadonlySet<ContextFlag> = new Set(["checked"])

export type FieldContexts = Partial<Record<FieldName, ReadonlyArray<ContextFlag>>>

// Ink and paper closer than this (of 255) before stretching: a faint scan (toner low, a copy of a copy).
export const FAINT_CONTRAST = 150

// Letters in capitals without a single mark: a transfer's content or an account name typed at a bank.
const unaccentedCapitals = (value: string): boolean => {
  const letters = value.match(/\p{L}/gu) ?? []
  return letters.length >= 4 && letters.every((c) => /[A-Z]/.test(c))
}

const warnedCodes = new Set(["amount_words_mismatch", "amount_words_unreadable", "amount_from_words", "invalid_identity_number", "decision_after_payment"])

// A cross-check that bears on the field passed.
const checked = (field: FieldName, e: Extraction): boolean => {
  const warned = (codes: ReadonlyArray<string>, fields: ReadonlyArray<FieldName>) =>
    e.warnings.some((w) => codes.includes(w.code) && (w.field === undefined || fields.includes(w.field)))
  switch (field) {
    case "amount":
    case "amountInWords":
      return e.fields.amount !== undefined && e.fields.amountInWords !== undefined &&
        !warned(["amount_words_mismatch", "amount_words_unreadable", "amount_from_words"], ["amount", "amountInWords"])
    case "payerIdNumber":
      // A CCCD's 12 digits carry a province, a century and sex, and a birth year: structure checked.
      return /^\d{12}$/.test(e.fields.payerIdNumber ?? "") && !warned(["invalid_identity_number"], ["payerIdNumber"])
    case "decisionDate":
    case "paymentDate":
      return e.fields.decisionDate !== undefined && e.fields.paymentDate !== undefined && !warned(["decision_after_payment"], ["decisionDate"])
    default:
      return false
  }
}

/**
 * Each field's context. `first` is the extraction before second readings
 * (a field it lacks, or read otherwise there, came from a second reading);
 * `pages` what preprocessing measured on each page read.
 */
export const fieldContexts = (final: Extraction, first: Extraction | undefined, pages: ReadonlyArray<PageFacts>): FieldContexts => {
  const page: Array<ContextFlag> = [
    ...(pages.some((p) => p.fax) ? (["fax"] as const) : []),
    ...(pages.some((p) => !p.fax && p.contrast < FAINT_CONTRAST) ? (["faint"] as const) : []),
    ...(pages.some((p) => p.unevenLight) ? (["photo"] as const) : [])
  ]
  const contexts: FieldContexts = {}
  for (const [field, value] of Object.entries(final.fields) as Array<[FieldName, string]>) {
    const flags = new Set<ContextFlag>(page)
    if (first !== undefined && first.fields[field] !== value) flags.add("reread")
    if (final.warnings.some((w) => w.code === "corrected" && w.field === field)) flags.add("corrected")
    if (final.warnings.some((w) => warnedCodes.has(w.code) && w.field === field)) flags.add("warned")
    if (unaccentedCapitals(value)) flags.add("capitals")
    if (checked(field, final)) flags.add("checked")
    contexts[field] = contextFlags.filter((f) => flags.has(f))
  }
  return contexts
}
