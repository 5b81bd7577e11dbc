/**
 * What the console shows of OCR: one scan → the fields found, a confidence
 * for each, and the extractor's warnings, as the OCR worker keeps them in
 * uploads.ocr_result (jobs/ocr-worker/worker.ts).
 */
import type { Extraction } from "../../domain/extraction/extraction.ts"

export interface ScanReading {
  readonly documentType: Extraction["documentType"]
  readonly fields: Extraction["fields"]
  readonly confidence: Extraction["confidence"]
  readonly warnings: ReadonlyArray<{ readonly code: string; readonly field?: string; readonly message: string }>
  /** Set when nothing could be read at all: why. */
  readonly error?: string
  readonly ms: number
}
