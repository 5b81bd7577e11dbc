/**
 * OCR output → draft-receipt fields. Labels are matched on folded text so
 * diacritic slips do not hide them; values are cut from the original text and
 * read by the domain's parsers; fields cross-check each other and every doubt
 * becomes a warning. Nothing is guessed: a field not found is absent.
 */
import { formatVnd } from "../money.ts"
import { stripDiacritics } from "../text.ts"
import { classifyDocument } from "./document-type.ts"
import type { Extraction, ExtractionWarning, FieldName } from "./extraction.ts"
import { type Folded, foldWithMap, originAt } from "./fold.ts"
import { tidyAddress } from "./address.ts"
import { type LabelledField, matchLabel } from "./labels.ts"
import { dropEchoes } from "./ocr-fixes.ts"
import { lineText, type OcrLine, type OcrPage, spanConfidence } from "./ocr-output.ts"
import {
  findDates,
  findDecisionNumbers,
  type FoundDate,
  readAmount,
  readAmountInWords,
  readBankReference,
  readIdentityNumber
} from "./readers.ts"

export interface ExtractOptions {
  /** The year now, for the CCCD birth-year rule; the caller supplies it because domain/ reads no clock. */
  readonly currentYear?: number
}

interface Line {
  readonly text: string
  readonly folded: Folded
  readonly ocr: OcrLine
}

interface RawValue {
  readonly text: string
  readonly confidence: number
  readonly lineIndex: number
}

// Fields whose values run onto the next line when long (broken lines).
const continues: ReadonlySet<LabelledField> = new Set(["payerAddress", "reason", "amountInWords", "payerName"])

const blank = /^[\s.…·_\-–—:;,]*$/u

const tidyValue = (s: string): string =>
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

const labelledValues = (lines: ReadonlyArray<Line>): Map<LabelledField, RawValue> => {
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

const round = (x: number): number => Math.round(Math.max(0, Math.min(1, x)) * 1000) / 1000
// A cross-check that passes leaves little room for doubt.
const corroborated = (c: number): number => c + (1 - c) * 0.8

// Figures that differ from the words' amount in one or two digits of the same length are an
// OCR slip (3095 read 3025); words seldom garble into another amount that still parses.
const digitSlips = (figures: bigint, words: bigint): boolean => {
  const a = figures.toString()
  const b = words.toString()
  if (a.length !== b.length) return false
  let differ = 0
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) differ++
  return differ > 0 && differ <= 2
}

export const extractFields = (pages: ReadonlyArray<OcrPage>, options: ExtractOptions = {}): Extraction => {
  const lines: Array<Line> = pages.flatMap((p) =>
    p.lines
      .map((ocr) => {
        const text = lineText(ocr).normalize("NFC")
        return { text, folded: foldWithMap(text), ocr }
      })
      .filter((l) => l.text.trim() !== "")
  )
  const fields: Partial<Record<FieldName, string>> = {}
  const confidence: Partial<Record<FieldName, number>> = {}
  const warnings: Array<ExtractionWarning> = []
  const set = (field: FieldName, value: string, c: number) => {
    fields[field] = value
    confidence[field] = round(c)
  }

  if (lines.length === 0) {
    return {
      documentType: "unknown",
      fields,
      confidence,
      warnings: [{ code: "no_text", message: "No text was found: the page is empty or is not a scanned document" }]
    }
  }
  const documentType = classifyDocument(lines.map((l) => l.text).join("\n"))
  if (documentType === "unknown") {
    warnings.push({
      code: "unknown_document",
      message: "Not recognised as a payment slip, a bank credit advice or transfer order, or an enforcement decision"
    })
  }
  const raw = labelledValues(lines)

  const name = raw.get("payerName")
  if (name) {
    // Names hold only letters and spaces: anything else is a speck read as a mark.
    const cleaned = name.text
      .replace(/^(?:ông\s*\/\s*bà|ông|bà)\s+(?=\p{Lu})/iu, "")
      .replace(/[^\p{L}\p{M}\s'-]/gu, " ")
      .replace(/\s+/g, " ")
      .trim()
    // No Vietnamese name has a word of one letter: such a token is a speck ("Lê Văn Khánh l").
    // Nor a capital inside a word: two words run together ("Hoàng ThịNam"). A name starts with a capital.
    const words = dropEchoes(cleaned.replace(/(\p{Ll})(\p{Lu})/gu, "$1 $2")).split(" ").filter((w) => !/^\p{L}$/u.test(w)).join(" ")
    const capitalised = words.charAt(0).toUpperCase() + words.slice(1)
    if (capitalised !== "" && /\p{L}/u.test(capitalised)) set("payerName", capitalised, name.confidence)
  }

  const address = raw.get("payerAddress")
  if (address) set("payerAddress", tidyAddress(address.text), address.confidence)

  const id = raw.get("payerIdNumber")
  if (id) {
    const read = readIdentityNumber(id.text, options.currentYear)
    if (read) {
      let c = id.confidence * (read.fixed ? 0.85 : 1)
      if (read.checked._tag === "Failure") {
        c *= 0.4
        warnings.push({
          code: "invalid_identity_number",
          field: "payerIdNumber",
          message: `The identity number ${read.value} breaks its rules: ${read.checked.failure.message}`
        })
      }
      set("payerIdNumber", read.value, c)
    }
  }

  // Decision number: wherever it stands (header "Số: ...", the slip's citation, a transfer's content).
  let decisionLine = -1
  let decisionEnd = 0
  for (let i = 0; i < lines.length && decisionLine < 0; i++) {
    const line = lines[i]
    if (line === undefined) continue
    const found = findDecisionNumbers(line.text)[0]
    if (found) {
      decisionLine = i
      decisionEnd = found.end
      set("decisionNumber", found.value, spanConfidence(line.ocr, found.index, found.end) * (found.fixed ? 0.85 : 1))
    }
  }

  // Dates: labelled ones first; otherwise by where they stand in each kind of document.
  type Placed = FoundDate & { readonly line: number; readonly confidence: number }
  const placed: Array<Placed> = []
  lines.forEach((line, i) => {
    if (/\b(ban an|cap ngay|ngay cap|ngay sinh)\b/.test(line.folded.text)) return
    for (const d of findDates(line.text)) {
      if (i === decisionLine && d.index < decisionEnd) continue
      placed.push({ ...d, line: i, confidence: spanConfidence(line.ocr, d.index, d.index + 10) * (d.fixed ? 0.85 : 1) })
    }
  })
  const labelledDate = (field: "paymentDate" | "decisionDate"): Placed | undefined => {
    const v = raw.get(field)
    return v === undefined ? undefined : placed.find((p) => p.line === v.lineIndex)
  }
  // A slip or a transfer dates the decision right after citing its number.
  const decisionDate = labelledDate("decisionDate") ??
    (documentType === "decision" ? placed[0] : placed.find((p) => p.line === decisionLine))
  if (decisionDate) set("decisionDate", decisionDate.iso, decisionDate.confidence)
  if (documentType !== "decision") {
    const others = placed.filter((p) => p !== decisionDate)
    const paymentDate = labelledDate("paymentDate") ?? (documentType === "bank_advice" ? others[0] : others.at(-1))
    if (paymentDate) set("paymentDate", paymentDate.iso, paymentDate.confidence)
  }

  // Amount in figures and in words, checked against each other.
  const amountRaw = raw.get("amount")
  const wordsRaw = raw.get("amountInWords")
  const figures = amountRaw === undefined ? undefined : readAmount(amountRaw.text.split(/\(|bằng chữ/iu)[0] ?? "")
  let wordsText = wordsRaw?.text
  if (wordsText === undefined && amountRaw !== undefined) {
    const inline = /\((?:bằng chữ\s*:?)?\s*([^)]*\p{L}[^)]*)\)?/iu.exec(amountRaw.text)?.[1]
    if (inline !== undefined && /đồng|dong/iu.test(inline)) wordsText = inline
  }
  if (wordsText !== undefined) wordsText = wordsText.replace(/^\(|\)\.?$/gu, "").trim()
  const wordsValue = wordsText === undefined ? undefined : readAmountInWords(wordsText)
  if (wordsText !== undefined && wordsText !== "") {
    set("amountInWords", wordsText, (wordsRaw?.confidence ?? amountRaw?.confidence ?? 0) * (wordsValue === undefined ? 0.5 : 1))
  }
  if (figures && amountRaw) {
    let figuresTaken = true
    let c = amountRaw.confidence * (figures.fixed ? 0.85 : 1)
    if (wordsValue !== undefined && wordsValue === figures.value) {
      c = corroborated(c)
      if (confidence.amountInWords !== undefined) confidence.amountInWords = round(corroborated(confidence.amountInWords))
    } else if (wordsValue !== undefined) {
      c *= 0.5
      // Only figures OCR was unsure of, or had to repair, are overruled; sure figures stand with the warning.
      const misread = (figures.fixed || amountRaw.confidence < 0.85) && digitSlips(figures.value, wordsValue)
      warnings.push({
        code: "amount_words_mismatch",
        field: "amount",
        message: `The amount in figures (${formatVnd(figures.value)}) disagrees with the amount in words (${formatVnd(wordsValue)})` +
          (misread ? `; the figures look misread (${formatVnd(wordsValue)} was taken, as the words say)` : "")
      })
      if (misread) {
        set("amount", wordsValue.toString(), c)
        figuresTaken = false
      }
    } else if (wordsText !== undefined && wordsText !== "") {
      warnings.push({
        code: "amount_words_unreadable",
        field: "amountInWords",
        message: `The amount in words could not be read to check the figures: "${wordsText}"`
      })
    }
    if (figuresTaken) set("amount", figures.value.toString(), c)
  } else if (wordsValue !== undefined) {
    set("amount", wordsValue.toString(), (confidence.amountInWords ?? 0) * 0.6)
    warnings.push({
      code: "amount_from_words",
      field: "amount",
      message: `No amount in figures was found; the amount ${formatVnd(wordsValue)} was read from the words`
    })
  }

  const reason = raw.get("reason")
  if (reason) {
    // Transfer contents are typed without marks in capitals; a mark there is OCR's invention.
    const letters = reason.text.match(/\p{L}/gu) ?? []
    const unmarked = letters.filter((c) => /[A-Z]/.test(c)).length
    const text = letters.length > 0 && unmarked / letters.length >= 0.85 && reason.text === reason.text.toUpperCase()
      ? stripDiacritics(reason.text)
      : reason.text
    set("reason", text.replace(/\.$/u, ""), reason.confidence)
  }
  // A transfer's content usually names the decision; so does a slip's reason.
  if (fields.decisionNumber === undefined && reason) {
    const found = findDecisionNumbers(reason.text)[0]
    if (found) set("decisionNumber", found.value, reason.confidence * 0.9)
  }

  const reference = raw.get("bankReference")
  const ref = reference === undefined ? undefined : readBankReference(reference.text)
  if (ref && reference) set("bankReference", ref.value, reference.confidence * (ref.fixed ? 0.85 : 1))

  if (fields.decisionDate !== undefined && fields.paymentDate !== undefined && fields.decisionDate > fields.paymentDate) {
    warnings.push({
      code: "decision_after_payment",
      field: "decisionDate",
      message: `The decision date ${fields.decisionDate} is after the payment date ${fields.paymentDate}`
    })
  }

  return { documentType, fields, confidence, warnings }
}
