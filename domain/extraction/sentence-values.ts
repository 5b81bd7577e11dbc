/**
 * Fields that decisions state in sentences rather than labelled lines:
 * "Cho thi hành án đối với ông Nguyễn Văn A, sinh năm …", "Buộc bà Trần Thị
 * B phải nộp số tiền 50.000.000 đồng (Năm mươi triệu đồng)". Keywords are
 * matched on folded text; the name is the run of capitalised words after the
 * title, the amount the first figures in đồng after "phải nộp/trả" or "số
 * tiền", with the words in brackets after them. A labelled value always
 * wins: these only fill what no label gave.
 */
import { foldWithMap, originAt } from "./fold.ts"
import type { LabelledField } from "./labels.ts"
import type { RawValue, RawValues } from "./labelled-values.ts"
import type { Line } from "./lines.ts"
import { spanConfidence } from "./ocr-output.ts"

// A value read from a sentence is a little less sure than one after its label.
const SENTENCE_DOUBT = 0.9

const debtorIntro = /(?:doi voi|buoc|cho|yeu cau)\s+(?:ong\s*\/\s*ba|ong\s*\(ba\)|ong|ba|anh|chi)\s*[:;]?\s*/gu
const name = /^\p{Lu}[\p{L}\p{M}]*(?:\s+\p{Lu}[\p{L}\p{M}]*){1,5}/u
const amountIntro = /(?:phai (?:nop|tra|thanh toan|hoan tra|boi thuong)|so tien)/gu
// The figures and their unit, with specks OCR puts between the groups ("64. 080. 000.đồng"), then the words in brackets.
const figures = /\d[\d\s.,']*?\s*[.,]?\s*(?:đồng|đ\b|VNĐ|VND)(?:\s*\(([^)]*)\)?)?/u

interface Joined {
  readonly text: string
  readonly lineAt: (offset: number) => number
}

// The body's lines as one text, so a sentence broken over lines reads whole.
const joinLines = (lines: ReadonlyArray<Line>): Joined => {
  const starts: Array<number> = []
  let text = ""
  for (const line of lines) {
    starts.push(text.length)
    text += `${line.text} `
  }
  return { text, lineAt: (offset) => Math.max(0, starts.findLastIndex((s) => s <= offset)) }
}

const valueAt = (lines: ReadonlyArray<Line>, joined: Joined, start: number, text: string): RawValue => {
  const lineIndex = joined.lineAt(start)
  const line = lines[lineIndex]
  const lineStart = joined.text.lastIndexOf(line?.text ?? "", start)
  const confidence = line === undefined ? 0 : spanConfidence(line.ocr, start - lineStart, start - lineStart + text.length)
  return { text, confidence: confidence * SENTENCE_DOUBT, lineIndex }
}

export const withSentenceValues = (lines: ReadonlyArray<Line>, labelled: RawValues): RawValues => {
  const values = new Map<LabelledField, RawValue>(labelled)
  const joined = joinLines(lines)
  const folded = foldWithMap(joined.text)
  if (!values.has("payerName")) {
    for (const m of folded.text.matchAll(debtorIntro)) {
      const start = originAt(folded, m.index + m[0].length, joined.text)
      const found = name.exec(joined.text.slice(start))?.[0]
      if (found !== undefined) {
        values.set("payerName", valueAt(lines, joined, start, found))
        break
      }
    }
  }
  if (!values.has("amount")) {
    for (const m of folded.text.matchAll(amountIntro)) {
      const start = originAt(folded, m.index + m[0].length, joined.text)
      // The figures follow within the sentence.
      const sentence = joined.text.slice(start).split(/[;]|\.\s+\p{Lu}/u)[0] ?? ""
      const f = figures.exec(sentence)
      if (f !== null) {
        values.set("amount", valueAt(lines, joined, start + f.index, f[0]))
        break
      }
    }
  }
  return values
}
