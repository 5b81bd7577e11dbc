/**
 * What every field reader is given and where it writes. Readers run in a
 * fixed order (see extract.ts) and later ones may read what earlier ones
 * found (the reason is searched for a decision number only when none was
 * found elsewhere).
 */
import type { DocumentType } from "../document-type.ts"
import type { ExtractionWarning, FieldName } from "../extraction.ts"
import type { RawValues } from "../labelled-values.ts"
import type { Line } from "../lines.ts"

export interface ReaderInput {
  readonly lines: ReadonlyArray<Line>
  readonly raw: RawValues
  readonly documentType: DocumentType
  /** The year now, for the CCCD birth-year rule. */
  readonly currentYear: number | undefined
}

export class Found {
  readonly fields: Partial<Record<FieldName, string>> = {}
  readonly confidence: Partial<Record<FieldName, number>> = {}
  readonly warnings: Array<ExtractionWarning> = []

  set(field: FieldName, value: string, confidence: number): void {
    this.fields[field] = value
    this.confidence[field] = roundConfidence(confidence)
  }

  warn(warning: ExtractionWarning): void {
    this.warnings.push(warning)
  }
}

export const roundConfidence = (x: number): number => Math.round(Math.max(0, Math.min(1, x)) * 1000) / 1000

// A cross-check that passes leaves little room for doubt.
export const corroborated = (c: number): number => c + (1 - c) * 0.8
