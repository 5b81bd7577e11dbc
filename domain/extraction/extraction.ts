/** The result of reading one document: its type, the fields found, a confidence for each, and warnings. */
import type { DocumentType } from "./document-type.ts"

export const fieldNames = [
  "payerName",
  "payerIdNumber",
  "payerAddress",
  "decisionNumber",
  "decisionDate",
  "amount",
  "amountInWords",
  "reason",
  "bankReference",
  "paymentDate"
] as const

export type FieldName = (typeof fieldNames)[number]

export type WarningCode =
  | "amount_words_mismatch"
  | "amount_words_unreadable"
  | "amount_from_words"
  | "invalid_identity_number"
  | "decision_after_payment"
  | "unknown_document"
  | "no_text"
  | "corrected"

export interface ExtractionWarning {
  readonly code: WarningCode
  readonly field?: FieldName
  readonly message: string
  /** For a correction: the text as read, and what it was corrected to. */
  readonly original?: string
  readonly corrected?: string
}

export interface Extraction {
  readonly documentType: DocumentType
  /** Only fields that were found; amount is whole đồng as a digit string, dates are YYYY-MM-DD. */
  readonly fields: Partial<Record<FieldName, string>>
  /** 0..1 for each field present in `fields`. */
  readonly confidence: Partial<Record<FieldName, number>>
  readonly warnings: ReadonlyArray<ExtractionWarning>
}
