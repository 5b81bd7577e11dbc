/** A word or a name changed by a vocabulary: always reported, with what was read. */
import type { ExtractionWarning, FieldName } from "../extraction.ts"

export interface Correction {
  readonly from: string
  readonly to: string
  /** What the correction was checked against ("2025 administrative units", "payment-reason words"). */
  readonly against: string
}

/** What a cut names as its reason: the piece that was no part of the reason ("KẾ TOÁN … KIỂM SOÁT"). */
export const notPartOfReason = (piece: string): string => `${NOT_PART_OF_REASON}"${piece}"`
export const NOT_PART_OF_REASON = "no part of a reason: "

export const correctionWarning = (field: FieldName, c: Correction): ExtractionWarning => ({
  code: "corrected",
  field,
  message: c.against.startsWith(NOT_PART_OF_REASON)
    ? `Corrected "${c.from}" to "${c.to}" (${c.against})`
    : `Corrected "${c.from}" to "${c.to}" (nearest in the ${c.against})`,
  original: c.from,
  corrected: c.to
})
