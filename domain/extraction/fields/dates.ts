/**
 * The decision date and the payment date: labelled ones first; otherwise by
 * where dates stand in each kind of document. Dates of judgments, of issue
 * of an identity card and of birth are never either.
 */
import { spanConfidence } from "../ocr-output.ts"
import { findDates, type FoundDate } from "../readers.ts"
import type { DecisionSpot } from "./decision.ts"
import type { Found, ReaderInput } from "./reader.ts"

type Placed = FoundDate & { readonly line: number; readonly confidence: number }

const placedDates = (input: ReaderInput, decision: DecisionSpot | undefined): ReadonlyArray<Placed> => {
  const placed: Array<Placed> = []
  input.lines.forEach((line, i) => {
    // Specks inside the words ("Bản. án") do not hide them.
    const words = line.folded.text.replace(/[^a-z0-9\s]/g, "").replace(/\s+/g, " ")
    if (/\b(ban an|cap ngay|ngay cap|ngay sinh)\b/.test(words)) return
    for (const d of findDates(line.text)) {
      if (i === decision?.line && d.index < decision.end) continue
      placed.push({ ...d, line: i, confidence: spanConfidence(line.ocr, d.index, d.index + 10) * (d.fixed ? 0.85 : 1) })
    }
  })
  return placed
}

export const readDates = (input: ReaderInput, found: Found, decision: DecisionSpot | undefined): void => {
  const placed = placedDates(input, decision)
  const labelled = (field: "paymentDate" | "decisionDate"): Placed | undefined => {
    const v = input.raw.get(field)
    return v === undefined ? undefined : placed.find((p) => p.line === v.lineIndex)
  }
  // A slip or a transfer dates the decision right after citing its number.
  const decisionDate = labelled("decisionDate") ??
    (input.documentType === "decision" ? placed[0] : placed.find((p) => p.line === decision?.line))
  if (decisionDate) found.set("decisionDate", decisionDate.iso, decisionDate.confidence)
  if (input.documentType === "decision") return
  const others = placed.filter((p) => p !== decisionDate)
  const paymentDate = labelled("paymentDate") ?? (input.documentType === "bank_advice" ? others[0] : others.at(-1))
  if (paymentDate) found.set("paymentDate", paymentDate.iso, paymentDate.confidence)
}

/** A decision dated after the payment it asks for is a misreading or a wrong document. */
export const checkDateOrder = (found: Found): void => {
  const { decisionDate, paymentDate } = found.fields
  if (decisionDate !== undefined && paymentDate !== undefined && decisionDate > paymentDate) {
    found.warn({
      code: "decision_after_payment",
      field: "decisionDate",
      message: `The decision date ${decisionDate} is after the payment date ${paymentDate}`
    })
  }
}
