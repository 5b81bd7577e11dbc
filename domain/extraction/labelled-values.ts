/**
 * The raw value each label introduces: cut from the original text after the
 * label, continued onto the next lines for fields that run long, trimmed of
 * the form's leaders and specks. A blank on the form gives no value.
 */
import { type LabelledField, type LabelMatch, matchLabel, matchLabels } from "./labels.ts"
import { boxAt, cellStartOffsets, lineBelow, lineBox, linesToTheLeft, lineToTheRight } from "./layout.ts"
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
    // A table's rule read as "|" (or "¦") standing apart is never part of a value.
    .replace(/(^|\s)[|¦](?=\s|$)/gu, "$1")
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
  // A colon standing alone (a speck: "Minh. :") introduces nothing; one after a word may end a label.
  return matchLabel(line.folded.text) !== undefined ||
    line.text.replace(/(?:^|\s)[:;.,'`|_-]+(?=\s|$)/gu, "").includes(":") ||
    findDates(line.text).length > 0 ||
    /^(nguoi nop|nguoi thu|ke toan|kiem soat|thu quy|noi nhan|giam doc|cuc truong|chi cuc truong|truong phong|dieu \d|quyet dinh|can cu|phai (?:nop|tra)|buoc)/.test(start) ||
    (line.text.length > 3 && line.text === line.text.toUpperCase() && /\p{L}{3}/u.test(line.text))
}

// Where the labels of a line are, with its table cells from the word boxes.
const labelsOf = (line: Line): ReadonlyArray<LabelMatch> => {
  const cellStarts = new Set(cellStartOffsets(line.ocr).map((offset) => foldedIndexOf(line, offset)))
  return matchLabels(line.folded.text, { cellStarts, original: line.text, originAt: (i) => originAt(line.folded, i, line.text) })
}

const foldedIndexOf = (line: Line, offset: number): number => {
  const i = line.folded.origin.findIndex((o) => o >= offset)
  return i < 0 ? line.folded.text.length : i
}

interface Cut {
  /** Where the value starts on the page, to tell its continuation from the next row. */
  readonly x?: number
  readonly text: string
  readonly confidence: number
  readonly lineIndex: number
  /** Whether nothing follows the value on its line, so it may continue on the next. */
  readonly lastOnLine: boolean
}

const cut = (line: Line, lineIndex: number, from: number, to: number | undefined): Cut => {
  const start = originAt(line.folded, from, line.text)
  const end = to === undefined ? line.text.length : originAt(line.folded, to, line.text)
  // Where the value's first letter or digit stands: a speck before it ("` KIEU …") is not where its cell starts.
  const first = line.text.slice(start, end).search(/[\p{L}\p{N}]/u)
  const x = boxAt(line.ocr, start + Math.max(0, first))?.x0
  return { text: line.text.slice(start, end), confidence: spanConfidence(line.ocr, start, end), lineIndex, lastOnLine: to === undefined, ...(x === undefined ? {} : { x }) }
}

// A value standing apart from its label: in the next cell of the row, or (after a colon) on the line below.
// Never a caption ("(Ký, ghi rõ họ tên)") nor a line that starts with a label of its own.
const valueElsewhere = (lines: ReadonlyArray<Line>, i: number, colon: boolean): Cut | undefined => {
  const right = lineToTheRight(lines, i)
  const below = colon ? lineBelow(lines, i) : undefined
  for (const j of [right, below]) {
    const line = j === undefined ? undefined : lines[j]
    if (j === undefined || line === undefined || /^\W*\(/u.test(line.text) || (j === below && startsSomethingElse(line))) continue
    const labels = labelsOf(line)
    const first = labels[0]
    if (first !== undefined && first.start <= 1) continue
    const value = cut(line, j, 0, first?.start)
    if (!blank.test(tidyValue(value.text))) return value
  }
  return undefined
}

/** The first non-blank value of each labelled field. */
export const labelledValues = (lines: ReadonlyArray<Line>): RawValues => {
  const values = new Map<LabelledField, RawValue>()
  lines.forEach((line, i) => {
    const labels = labelsOf(line)
    labels.forEach((label, k) => {
      const field = label.field
      if (field === "other" || values.has(field)) return
      let value: Cut | undefined = cut(line, i, label.valueStart, labels[k + 1]?.start)
      // A leader ("......") is a blank on the form; only a label with nothing after it has its value elsewhere,
      // or a speck or two a fax left there (". ", "ˆ.", "|"): a leader is longer.
      if (blank.test(tidyValue(value.text))) value = value.lastOnLine && /^[\s:;]*(?:[.,'`ˆ"“”|¦~]\s*){0,2}$/u.test(value.text) ? valueElsewhere(lines, i, label.colon) : undefined
      if (value === undefined) return
      let { text, confidence } = value
      if (continues.has(field) && value.lastOnLine) {
        for (let j = value.lineIndex + 1; j < Math.min(lines.length, value.lineIndex + 3); j++) {
          // The label's own line, listed after a value in the next cell that sits a little higher, continues nothing.
          if (j === i && value.lineIndex !== i) continue
          const next = lines[j]
          // The words end with "đồng", a sentence with its full stop: what follows is something else.
          if (next === undefined || next.page !== line.page || (field === "amountInWords" && /đồng\W*$/u.test(text))) break
          if (/[a-zà-ỹ]{2}[.;]\s*$/u.test(text) && field !== "amountInWords") break
          // The value cell of the next row of a table: its label in the cell to its left, or, when the
          // label is none bienlai knows, a cell to its left and a row's gap above it (a value wrapped in
          // its cell runs on at the line pitch).
          const left = linesToTheLeft(lines, j)
          if (left.some((k) => matchLabel(lines[k]?.folded.text ?? "") !== undefined)) break
          const above = lineBox((lines[j - 1] ?? line).ocr)
          const nextBox = lineBox(next.ocr)
          if (left.length > 0 && above !== undefined && nextBox !== undefined && nextBox.y0 - above.y1 > 0.85 * (above.y1 - above.y0)) break
          // Far below (a signature block under a transfer's content) is never the value's next line.
          if (above !== undefined && nextBox !== undefined && nextBox.y0 - above.y1 > 1.6 * (above.y1 - above.y0)) break
          // A line starting right under the value (in its table cell) continues it, even in capitals;
          // otherwise only a line that starts nothing else does.
          // Where its first letter or digit stands: a rule's "|" at the table's edge is not where it starts.
          const nextX = next.ocr.words.find((w) => /[\p{L}\p{N}]/u.test(w.text))?.box?.x0
          const underValue = value.x !== undefined && nextX !== undefined && Math.abs(nextX - value.x) < 40 && matchLabel(next.folded.text) === undefined
          if (!underValue && startsSomethingElse(next)) break
          text += ` ${next.text}`
          confidence = (confidence + spanConfidence(next.ocr, 0, next.text.length)) / 2
        }
      }
      const tidied = tidyValue(text)
      if (tidied === "" || blank.test(tidied) || isLeaderNoise(field, tidied)) return
      values.set(field, { text: tidied, confidence, lineIndex: value.lineIndex })
    })
  })
  return values
}
