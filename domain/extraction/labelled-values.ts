/**
 * The raw value each label introduces: cut from the original text after the
 * label, continued onto the next lines for fields that run long, trimmed of
 * the form's leaders and specks. A blank on the form gives no value.
 */
import { type LabelledField, matchLabel } from "./labels.ts"
import type { Line } from "./lines.ts"
import { originAt } from "./fold.ts"
import { spanConfidence } from "./ocr-output.ts"
import { findDates } from "./readers.ts"

export interface RawValue {
  readonly text: string
  readonly confidence: number
  readonly lineIndex: number
}

export type RawValues = ReadonlyMap<LabelledField, RawValue>

// Fields whose values run onto the next line when long (broken lines).
const continues: ReadonlySet<LabelledField> = new Set(["payerAddress", "reason", "amountInWords", "payerName"])

const blank = /^[\s.…·_\-–—:;,]*$/u

export const tidyValue = (s: string): string =>
  s
    .replace(/^[\s:;.,\-–—]+/u, "")
    .replace(/[.…·_]{3,}.*$/u, "")
    // Trailing specks and rules from the form: "Lê Hữu Thảo -", "... án | | |".
    .replace(/[\s,;:|_\-–—'"“”‘’ˆ¬~`^]+$/u, "")
    .replace(/\s+/g, " ")
    .trim()

// A dotted leader of a blank field that OCR read as letters: "occccccc", "cv", "\"—".
const textFields: ReadonlySet<LabelledField> = new Set(["payerName", "payerAddress", "reason", "amountInWords"])
// Symbols no name, address or wording holds ("€", "©", "%", "$") mark such noise too.
// A name or an address starts its words in capitals somewhere ("Số", "Thôn", "Lê"); "c.cse" is a leader.
const properNoun = /(?:^|[\s,])(?:\p{Lu}|\d)/u
const isLeaderNoise = (field: LabelledField, value: string): boolean =>
  textFields.has(field) &&
  (/(\p{L})\1{3,}/u.test(value) || (value.match(/\p{L}/gu) ?? []).length < 3 ||
    ((field === "payerName" || field === "payerAddress") && !properNoun.test(value)) ||
    (value.match(/[^\p{L}\p{M}\d\s,.\/()'-]/gu) ?? []).length > Math.max(1, value.length * 0.05))

// A line that starts something new rather than continuing the value above it.
const startsSomethingElse = (line: Line): boolean => {
  const start = line.folded.text.replace(/^[^\p{L}]+/u, "")
  return matchLabel(line.folded.text) !== undefined ||
    line.text.includes(":") ||
    findDates(line.text).length > 0 ||
    /^(nguoi nop|nguoi thu|ke toan|kiem soat|thu quy|noi nhan|giam doc|cuc truong|chi cuc truong|truong phong|dieu \d|quyet dinh|can cu)/.test(start) ||
    (line.text.length > 3 && line.text === line.text.toUpperCase() && /\p{L}{3}/u.test(line.text))
}

/** The first non-blank value of each labelled field. */
export const labelledValues = (lines: ReadonlyArray<Line>): RawValues => {
  const values = new Map<LabelledField, RawValue>()
  lines.forEach((line, i) => {
    const label = matchLabel(line.folded.text)
    if (label === undefined || values.has(label.field)) return
    const start = originAt(line.folded, label.valueStart, line.text)
    let text = line.text.slice(start)
    let confidence = spanConfidence(line.ocr, start, line.text.length)
    if (continues.has(label.field) && !blank.test(tidyValue(text))) {
      for (let j = i + 1; j < Math.min(lines.length, i + 3); j++) {
        const next = lines[j]
        // The words end with "đồng": what follows is something else.
        if (next === undefined || startsSomethingElse(next) || (label.field === "amountInWords" && /đồng\W*$/u.test(text))) break
        text += ` ${next.text}`
        confidence = (confidence + spanConfidence(next.ocr, 0, next.text.length)) / 2
      }
    }
    const value = tidyValue(text)
    if (value === "" || blank.test(value) || isLeaderNoise(label.field, value)) return
    values.set(label.field, { text: value, confidence, lineIndex: i })
  })
  return values
}
