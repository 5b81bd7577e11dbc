/**
 * OCR output → draft-receipt fields. Labels are matched on folded text so
 * diacritic slips do not hide them; values are cut from the original text and
 * read by the domain's parsers, one reader per field (fields/); fields
 * cross-check each other and every doubt becomes a warning. Nothing is
 * guessed: a field not found is absent.
 */
import { classifyDocument } from "./document-type.ts"
import type { Extraction } from "./extraction.ts"
import { readPayerAddress } from "./fields/address.ts"
import { readAmounts } from "./fields/amount.ts"
import { readReference } from "./fields/bank-reference.ts"
import { checkDateOrder, readDates } from "./fields/dates.ts"
import { decisionFromReason, readDecisionNumber } from "./fields/decision.ts"
import { readPayerIdNumber } from "./fields/identity-number.ts"
import { readPayerName } from "./fields/payer-name.ts"
import { Found, type ReaderInput } from "./fields/reader.ts"
import { readReason } from "./fields/reason.ts"
import { labelledValues } from "./labelled-values.ts"
import { linesOf } from "./lines.ts"
import { withSentenceValues } from "./sentence-values.ts"
import type { OcrPage } from "./ocr-output.ts"

export interface ExtractOptions {
  /** The year now, for the CCCD birth-year rule; the caller supplies it because domain/ reads no clock. */
  readonly currentYear?: number
}

export const extractFields = (pages: ReadonlyArray<OcrPage>, options: ExtractOptions = {}): Extraction => {
  const lines = linesOf(pages)
  if (lines.length === 0) {
    return {
      documentType: "unknown",
      fields: {},
      confidence: {},
      warnings: [{ code: "no_text", message: "No text was found: the page is empty or is not a scanned document" }]
    }
  }
  const found = new Found()
  const documentType = classifyDocument(lines.map((l) => l.text).join("\n"))
  if (documentType === "unknown") {
    found.warn({
      code: "unknown_document",
      message: "Not recognised as a payment slip, a bank credit advice or transfer order, or an enforcement decision"
    })
  }
  const input: ReaderInput = { lines, raw: withSentenceValues(lines, labelledValues(lines)), documentType, currentYear: options.currentYear }
  readPayerName(input, found)
  readPayerAddress(input, found)
  readPayerIdNumber(input, found)
  const decision = readDecisionNumber(input, found)
  readDates(input, found, decision)
  readAmounts(input, found)
  readReason(input, found)
  decisionFromReason(input, found)
  readReference(input, found)
  checkDateOrder(found)
  return { documentType, fields: found.fields, confidence: found.confidence, warnings: found.warnings }
}
