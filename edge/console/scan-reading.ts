/**
 * What the console needs from OCR: one uploaded scan → the fields found, a
 * confidence for each, and the extractor's warnings. The default reader runs
 * the OCR engine (jobs/ocr) in this process with one worker, created on the
 * first upload so a console nobody uses costs nothing; tests and other
 * deployments may inject their own.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import type { Extraction } from "../../domain/extraction/extraction.ts"
import type { ScanType } from "../http/image-upload.ts"

export interface ScanReading {
  readonly documentType: Extraction["documentType"]
  readonly fields: Extraction["fields"]
  readonly confidence: Extraction["confidence"]
  readonly warnings: ReadonlyArray<{ readonly code: string; readonly field?: string; readonly message: string }>
  /** Set when nothing could be read at all: why. */
  readonly error?: string
  readonly ms: number
}

export interface ScanReader {
  readonly read: (bytes: Uint8Array, type: ScanType, currentYear: number) => Promise<ScanReading>
  readonly close: () => Promise<void>
}

const extensionOf: Record<ScanType, string> = { "image/png": "png", "image/jpeg": "jpg", "image/webp": "webp", "application/pdf": "pdf" }

/** The OCR engine of jobs/ocr, loaded lazily (tesseract.js and the Vietnamese data are heavy). */
export const ocrScanReader = (options: { readonly workers?: number } = {}): ScanReader => {
  type Engine = { pool: import("../../jobs/ocr/pool.ts").OcrPool; readDocument: typeof import("../../jobs/ocr/read-document.ts").readDocument }
  let engine: Promise<Engine> | undefined
  const load = () =>
    engine ??= (async () => {
      const [{ createOcrPool }, { readDocument }] = await Promise.all([import("../../jobs/ocr/pool.ts"), import("../../jobs/ocr/read-document.ts")])
      return { pool: await createOcrPool({ size: options.workers ?? 1 }), readDocument }
    })()
  return {
    read: async (bytes, type, currentYear) => {
      const started = performance.now()
      let e: Engine
      try {
        e = await load()
      } catch (err) {
        engine = undefined
        return { documentType: "unknown", fields: {}, confidence: {}, warnings: [], error: String((err as Error).message ?? err), ms: Math.round(performance.now() - started) }
      }
      // The engine decodes files (PDF pages go through pdftoppm), so the upload visits a private temp folder.
      const dir = await mkdtemp(join(tmpdir(), "bienlai-scan-"))
      try {
        const file = join(dir, `scan.${extensionOf[type]}`)
        await writeFile(file, bytes)
        const r = await e.readDocument(e.pool, file, { currentYear })
        return {
          documentType: r.documentType,
          fields: r.fields,
          confidence: r.confidence,
          warnings: r.warnings,
          ...(r.error === undefined ? {} : { error: r.error }),
          ms: r.ms
        }
      } finally {
        await rm(dir, { recursive: true, force: true })
      }
    },
    close: async () => {
      const e = engine
      engine = undefined
      if (e !== undefined) await (await e.catch(() => undefined))?.pool.close()
    }
  }
}
