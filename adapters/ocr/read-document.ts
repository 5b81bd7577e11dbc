/**
 * One file → the JSON the `bienlai extract` command prints. Every failure
 * (unreadable file, empty page, OCR error) becomes a result with its reason,
 * so one bad file never stops the others.
 */
import { type CalibrationTable, calibrateExtraction } from "../../domain/extraction/calibration.ts"
import { shippedCalibration } from "../../domain/extraction/calibration-data.ts"
import { type FieldContexts, fieldContexts, type PageFacts } from "../../domain/extraction/calibration-context.ts"
import { extractFields, type ExtractOptions } from "../../domain/extraction/extract.ts"
import type { ExtractionWarning } from "../../domain/extraction/extraction.ts"
import type { Extraction } from "../../domain/extraction/extraction.ts"
import type { OcrPage } from "../../domain/extraction/ocr-output.ts"
import { type DecodedDocument, decodeBytes, decodeFile, type PageReduced } from "./decode.ts"
import { UnreadableInput } from "./errors.ts"
import { defaultScanLimits, type ScanLimits } from "./limits.ts"
import type { OcrPool } from "./pool.ts"
import { type Preprocessed, preprocess, type PreprocessOptions } from "./preprocess.ts"
import { extractWithRereads } from "./reread.ts"

export type EngineWarning =
  | ExtractionWarning
  | PageReduced
  | { readonly code: "unreadable_file" | "empty_page" | "ocr_failed"; readonly page?: number; readonly message: string }

export interface DocumentResult {
  readonly file: string
  readonly documentType: Extraction["documentType"]
  readonly fields: Extraction["fields"]
  readonly confidence: Extraction["confidence"]
  readonly warnings: ReadonlyArray<EngineWarning>
  /** Set when the file could not be read at all: why. */
  readonly error?: string
  readonly pages: number
  readonly ms: number
}

// Below this share of ink pixels a page holds no text worth reading.
const EMPTY_PAGE_INK = 0.0008

/** OCR of already-decoded pages; each page's preprocessed image is kept for second readings. */
export const ocrPages = async (
  pool: OcrPool,
  pages: ReadonlyArray<Buffer>,
  options: PreprocessOptions = {}
): Promise<{
  readonly pages: ReadonlyArray<OcrPage>
  readonly images: ReadonlyArray<Preprocessed | undefined>
  readonly warnings: ReadonlyArray<EngineWarning>
}> => {
  const warnings: Array<EngineWarning> = []
  const readPage = async (page: Buffer, i: number): Promise<{ page: OcrPage; image?: Preprocessed }> => {
    try {
      const pre = await preprocess(page, options)
      if (pre.inkRatio < EMPTY_PAGE_INK) {
        warnings.push({ code: "empty_page", page: i + 1, message: `Page ${i + 1} is empty` })
        return { page: { lines: [] } }
      }
      return { page: await pool.recognize(pre.image), image: pre }
    } catch (e) {
      warnings.push({ code: "ocr_failed", page: i + 1, message: `Page ${i + 1} could not be read: ${e instanceof Error ? e.message : String(e)}` })
      return { page: { lines: [] } }
    }
  }
  // As many pages in hand at once as the pool has engines, so a long document's pages are not all
  // preprocessed (upscaled, in memory) together. Every page asks for its turn up front, in order.
  const turns: Array<() => void> = []
  let running = 0
  const take = (): Promise<void> => {
    if (running < Math.max(1, pool.size)) {
      running++
      return Promise.resolve()
    }
    return new Promise((resolve) => turns.push(resolve))
  }
  const hand = () => {
    const next = turns.shift()
    if (next !== undefined) next()
    else running--
  }
  const results = await Promise.all(
    pages.map(async (page, i) => {
      await take()
      try {
        return await readPage(page, i)
      } finally {
        hand()
      }
    })
  )
  return { pages: results.map((r) => r.page), images: results.map((r) => r.image), warnings }
}

export interface ReadImagesOptions extends ExtractOptions {
  readonly preprocess?: PreprocessOptions
  /** Second readings of missing or unsure fields' lines (default on). */
  readonly reread?: boolean
  /** Second opinions on digit fields, by vote (default on with second readings; ensemble.ts). */
  readonly secondOpinions?: boolean
  /** The table that turns raw confidences into calibrated ones (default: the shipped one); false keeps them raw, to fit a table. */
  readonly calibration?: CalibrationTable | false
}

/** Decoded pages → extraction: OCR, extraction, second readings where they help, confidences calibrated in context. */
export const readImages = async (
  pool: OcrPool,
  images: ReadonlyArray<Buffer>,
  options: ReadImagesOptions = {}
): Promise<{
  readonly extraction: Extraction
  readonly warnings: ReadonlyArray<EngineWarning>
  readonly reread: number
  /** Each field's context (page, second reading, corrections, checks), which its confidence was calibrated in. */
  readonly contexts: FieldContexts
  /** The extraction before second readings (raw confidences) and what preprocessing measured per page: contexts are computed from them. */
  readonly first: Extraction
  readonly pageFacts: ReadonlyArray<PageFacts>
}> => {
  const ocr = await ocrPages(pool, images, options.preprocess)
  const facts = ocr.images.flatMap((i) => (i === undefined ? [] : [i.facts]))
  // Second readings compare raw confidences; the calibrated ones are what the reader is shown.
  const first = extractFields(ocr.pages, options)
  const { extraction, reread } = options.reread === false
    ? { extraction: first, reread: 0 }
    : await extractWithRereads(pool, ocr.pages, ocr.images, options)
  const contexts = fieldContexts(extraction, first, facts)
  const calibrated = options.calibration === false ? extraction : calibrateExtraction(options.calibration ?? shippedCalibration, extraction, contexts)
  return { extraction: calibrated, warnings: ocr.warnings, reread, contexts, first, pageFacts: facts }
}

export interface ReadOptions extends ReadImagesOptions {
  /** What one document may cost (pages, pixels per page, time per page). */
  readonly limits?: ScanLimits
}

export const readDocument = (pool: OcrPool, file: string, options: ReadOptions = {}): Promise<DocumentResult> =>
  readPages(pool, file, () => decodeFile(file, options.limits ?? defaultScanLimits), options)

/** As readDocument, for a file already in memory (an uploaded scan); `name` labels the result. */
export const readBytes = (pool: OcrPool, name: string, bytes: Uint8Array, options: ReadOptions = {}): Promise<DocumentResult> =>
  readPages(pool, name, () => decodeBytes(name, bytes, options.limits ?? defaultScanLimits), options)

const readPages = async (
  pool: OcrPool,
  file: string,
  decode: () => Promise<DecodedDocument>,
  options: ReadOptions
): Promise<DocumentResult> => {
  const started = performance.now()
  const ms = () => Math.round(performance.now() - started)
  let decoded: DecodedDocument
  try {
    decoded = await decode()
  } catch (e) {
    const message = e instanceof UnreadableInput ? e.message : String(e)
    return {
      file,
      documentType: "unknown",
      fields: {},
      confidence: {},
      warnings: [{ code: "unreadable_file", message: `The file could not be read: ${message}` }],
      error: message,
      pages: 0,
      ms: ms()
    }
  }
  const { extraction, warnings } = await readImages(pool, decoded.pages, options)
  return {
    file,
    documentType: extraction.documentType,
    fields: extraction.fields,
    confidence: extraction.confidence,
    warnings: [...decoded.warnings, ...warnings, ...extraction.warnings],
    pages: decoded.pages.length,
    ms: ms()
  }
}
