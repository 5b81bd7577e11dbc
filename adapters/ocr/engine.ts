/**
 * The OCR engine as a service: opens a pool of tesseract.js engines
 * (pool.ts, unchanged) when a worker first needs one. Loaded only then:
 * tesseract.js and its language data are heavy, and most starts read no
 * scan.
 */
import { Context, Layer } from "effect"
import type { OcrPool } from "./pool.ts"

export class OcrEngine extends Context.Service<OcrEngine, {
  readonly openPool: (size: number) => Promise<OcrPool>
}>()("bienlai/adapters/ocr/OcrEngine") {
  static readonly layer: Layer.Layer<OcrEngine> = Layer.succeed(OcrEngine, {
    openPool: async (size) => (await import("./pool.ts")).createOcrPool({ size })
  })
}
