/**
 * Which lines deserve a second, closer OCR reading: the line of a field the
 * document must carry that was not found, or was found with low confidence.
 * The engine crops each line, reads it again at a higher scale as a single
 * line (digits only for numbers), puts the new words in place of the old and
 * extracts again; `betterOf` keeps the new reading only where it found what
 * was missing or read it with more confidence. Nothing here guesses a value:
 * a second reading is still read by the same parsers.
 */
import type { DocumentType } from "./document-type.ts"
import type { Extraction, FieldName } from "./extraction.ts"
import { fold } from "./fold.ts"
import { matchLabel } from "./labels.ts"
import { lineText, type OcrPage, type OcrWord } from "./ocr-output.ts"
import { findDecisionNumbers } from "./readers.ts"

export interface RereadTarget {
  readonly page: number
  readonly line: number
  /** The fields this line should give. */
  readonly fields: ReadonlyArray<FieldName>
  /** The words to read again: [fromWord, toWord) of the line (the value after its label). */
  readonly fromWord: number
  readonly toWord: number
  /** Characters allowed in the second reading; undefined for any. */
  readonly whitelist?: string
  /** Crop to the words alone (a value checked again), not to the page's edge (a value that may have lost words). */
  readonly tight?: boolean
}

// What each document must carry (identity number and address may be blank on the form).
const required: Readonly<Record<DocumentType, ReadonlyArray<FieldName>>> = {
  payment_slip: ["payerName", "payerIdNumber", "payerAddress", "decisionNumber", "decisionDate", "amount"],
  bank_advice: ["payerName", "payerIdNumber", "payerAddress", "decisionNumber", "amount"],
  decision: ["payerName", "payerIdNumber", "payerAddress", "decisionNumber", "decisionDate", "amount"],
  unknown: []
}

/** Below this a field found is read again, and the surer reading kept. */
export const LOW_CONFIDENCE = 0.8
/**
 * On a low-resolution page a digit field read at least this sure (raw) and
 * passing its checks gets no second opinions: on 276 tuning pages (corpus B
 * seeds 7, 11–30, A 2025) every first reading the vote overruled was below
 * 0.9 (0.35–0.89) or broke its rules; the 80 % above it only cost readings.
 */
export const SURE_ON_LOW_RESOLUTION = 0.9

/**
 * Whether a digit field's value is checked by second opinions (adapters/ocr/reread.ts). The identity
 * number always is, on every page, however sure: its goal is the highest (99 %), it is one short line
 * (four readings of a tight crop, a few per cent of a page's time), and a digit misread passes every
 * rule of a CCCD at 0.95 raw: a fax's "6" read "8" in a birth year (fourth round), a clean office
 * page's last "9" read "3" at 0.98 (fifth round, tuning seed B 51), each read right by the vote.
 */
export const wantsSecondOpinions = (field: {
  readonly name?: FieldName
  readonly confidence: number
  readonly valid: boolean
  readonly lowResolution: boolean
}): boolean =>
  !field.valid || field.name === "payerIdNumber" ||
  field.confidence < (field.lowResolution ? SURE_ON_LOW_RESOLUTION : LOW_CONFIDENCE)

/** How much surer a second reading must be to replace a different first one. */
export const CLEARLY_SURER = 0.15

const whitelists: Partial<Record<FieldName, string>> = {
  payerIdNumber: "0123456789",
  amount: "0123456789.,"
}

const labelled: ReadonlySet<FieldName> = new Set(["payerName", "payerIdNumber", "payerAddress", "amount"])

// The decision is cited on its own line: a slip's "Căn cứ Quyết định số ...", a decision's
// header "Số: ... ngày ...", a transfer's content "... QD 123/QD-THADS".
const citesDecision = (folded: string): boolean =>
  /quyet\s*dinh.*\bso\b|^\W*so\s*[:;.]|\bq\s*[dđ]{1,2}\b.*\d|\d\s*\/\s*q/.test(folded)

const wordIndexAt = (words: ReadonlyArray<OcrWord>, offset: number): number => {
  let end = 0
  for (let i = 0; i < words.length; i++) {
    end += (words[i]?.text.length ?? 0) + (i === 0 ? 0 : 1)
    if (end > offset) return i
  }
  return words.length
}

export const rereadTargets = (pages: ReadonlyArray<OcrPage>, extraction: Extraction): ReadonlyArray<RereadTarget> => {
  const wanted = required[extraction.documentType].filter((f) => {
    const c = extraction.confidence[f]
    return c === undefined || c < LOW_CONFIDENCE
  })
  if (wanted.length === 0) return []
  const targets: Array<RereadTarget> = []
  const decisionWanted = wanted.filter((f) => f === "decisionNumber" || f === "decisionDate")
  let decisionLineFound = false
  pages.forEach((page, p) => {
    page.lines.forEach((line, l) => {
      const text = lineText(line)
      const folded = fold(text)
      const label = matchLabel(folded)
      // A dotted leader is a blank on the form: there is nothing to read again.
      const blankOnForm = label !== undefined && /[.…·_]{3,}|^[^\p{L}\d]*$/u.test(folded.slice(label.valueStart))
      if (label !== undefined && labelled.has(label.field) && wanted.includes(label.field) && !blankOnForm) {
        const whitelist = whitelists[label.field]
        const fromWord = Math.min(wordIndexAt(line.words, label.valueStart), line.words.length)
        // A number is read again without the unit after it ("đồng", "VND"), which digits-only would garble.
        const lastDigit = line.words.findLastIndex((w, i) => i >= fromWord && /\d/.test(w.text))
        const toWord = whitelist !== undefined && lastDigit >= 0 ? lastDigit + 1 : line.words.length
        targets.push({ page: p, line: l, fields: [label.field], fromWord, toWord, ...(whitelist === undefined ? {} : { whitelist }) })
      } else if (decisionWanted.length > 0 && !decisionLineFound && label === undefined && citesDecision(folded)) {
        decisionLineFound = true
        // Only the date wanted: read again after the number, so the number read well is kept as it is.
        const number = decisionWanted.includes("decisionNumber") ? undefined : findDecisionNumbers(text)[0]
        const fromWord = number === undefined ? 0 : Math.min(wordIndexAt(line.words, number.end - 1) + 1, line.words.length)
        targets.push({ page: p, line: l, fields: decisionWanted, fromWord, toWord: line.words.length })
      }
    })
  })
  return targets
}

/** The pages with the target's words replaced by their second reading. */
export const replaceWords = (
  pages: ReadonlyArray<OcrPage>,
  target: RereadTarget,
  words: ReadonlyArray<OcrWord>
): ReadonlyArray<OcrPage> =>
  pages.map((page, p) =>
    p !== target.page ? page : {
      lines: page.lines.map((line, l) => (l !== target.line ? line : { words: [...line.words.slice(0, target.fromWord), ...words, ...line.words.slice(target.toWord)] }))
    }
  )

/**
 * Whether the second reading is better for the target's fields: it finds a
 * field the first missed, or reads one with more confidence, and loses or
 * changes no other field.
 */
export const betterOf = (before: Extraction, after: Extraction, target: RereadTarget): boolean => {
  let gained = false
  for (const f of target.fields) {
    const a = before.confidence[f]
    const b = after.confidence[f]
    if (a !== undefined && b === undefined) return false
    if (b === undefined) continue
    if (a === undefined) gained = true
    else if (after.fields[f] === before.fields[f]) gained ||= b > a
    // Two readings that disagree: the second wins only if clearly surer, else the first stands.
    else if (b >= a + CLEARLY_SURER) gained = true
    else return false
  }
  // Nothing else may be lost or changed: a second reading is trusted only for what it was asked.
  const disturbed = (Object.keys(before.fields) as Array<FieldName>).some(
    (f) => after.fields[f] === undefined || (!target.fields.includes(f) && after.fields[f] !== before.fields[f])
  )
  return gained && !disturbed
}
