/**
 * The decision number, wherever it stands: a decision's header "Số: ...",
 * a slip's citation, a transfer's content. Where it was found matters to the
 * dates (a slip dates the decision right after citing it).
 */
import { spanConfidence } from "../ocr-output.ts"
import { findDecisionNumbers } from "../readers.ts"
import type { Found, ReaderInput } from "./reader.ts"

export interface DecisionSpot {
  /** The line the number was read on, and where on it the number ends. */
  readonly line: number
  readonly end: number
}

export const readDecisionNumber = (input: ReaderInput, found: Found): DecisionSpot | undefined => {
  for (let i = 0; i < input.lines.length; i++) {
    const line = input.lines[i]
    if (line === undefined) continue
    const first = findDecisionNumbers(line.text)[0]
    if (first) {
      found.set("decisionNumber", first.value, spanConfidence(line.ocr, first.index, first.end) * (first.fixed ? 0.85 : 1))
      return { line: i, end: first.end }
    }
  }
  return undefined
}

/** A transfer's content usually names the decision; so does a slip's reason: the last place to look. */
export const decisionFromReason = (input: ReaderInput, found: Found): void => {
  const reason = input.raw.get("reason")
  if (found.fields.decisionNumber !== undefined || reason === undefined) return
  const first = findDecisionNumbers(reason.text)[0]
  if (first) found.set("decisionNumber", first.value, reason.confidence * 0.9)
}
