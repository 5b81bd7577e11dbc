/** A word or a name changed by a vocabulary: always reported, with what was read. */
import type { ExtractionWarning, FieldName } from "../extraction.ts"

export interface Correction {
  readonly from: string
  readonly to: string
  /** What the correction was checked against ("2025 administrative units", "payment-reason words"). */
  readonly against: string
}

export const correctionWarning = (field: FieldName, c: Correction): ExtractionWarning => ({
  code: "corrected",
  field,
  message: `Corrected "${c.from}" to "${c.to}" (nearest in the ${c.against})`,
  original: c.from,
  corrected: c.to
})
