/**
 * The OCR worker as a background job of the edge's process (`npm start`):
 * a scoped layer over the edge's services that starts the worker loop
 * (worker.ts) when the runtime is built and stops it when the runtime is
 * disposed, before the database closes: the worker finishes, or hands back,
 * the scans it holds. BIENLAI_OCR_WORKER=0 runs none (then `bienlai
 * ocr-worker` elsewhere reads the queue).
 */
import { Effect, Layer } from "effect"
import { hostname } from "node:os"
import { type AppConfig, type BackgroundJob, Edge, OcrEngine } from "../../edge/main.ts"
import { startInProcessWorker } from "./worker.ts"

const hex = (bytes: Uint8Array): string => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("")

export const ocrWorkerInEdge = (config: AppConfig): BackgroundJob | undefined => {
  const size = config.ocrWorkers
  if (size === undefined) return undefined
  const layer = Layer.effectDiscard(Effect.gen(function*() {
    const s = yield* Edge
    const engine = yield* OcrEngine
    yield* Effect.acquireRelease(
      Effect.sync(() =>
        startInProcessWorker({
          db: s.db,
          store: s.store,
          worker: `${hostname()}:edge:${hex(s.randomBytes(4))}`,
          size,
          now: s.now,
          createPool: engine.openPool,
          onError: (e) => s.logger.warn({ err: e instanceof Error ? e.message : String(e) }, "OCR worker")
        })),
      (worker) => Effect.promise(() => worker.stop())
    )
  }))
  return { layer, banner: `in this process, ${size} engines` }
}
