/**
 * The background jobs of `npm start` (and start-node, start-deno): the OCR
 * worker and the notification dispatcher, each a scoped layer of the edge's
 * runtime, each off with its own variable (BIENLAI_OCR_WORKER=0,
 * BIENLAI_NOTIFY_WORKER=0). The banner keeps the OCR line where it was and
 * adds one for notifications.
 */
import { Layer } from "effect"
import type { AppConfig, BackgroundJob } from "../../edge/main.ts"
import { notifyWorkerInEdge } from "../notify/in-edge.ts"
import { ocrWorkerInEdge } from "../ocr-worker/in-edge.ts"

export const backgroundJobs = (config: AppConfig): BackgroundJob | undefined => {
  const ocr = ocrWorkerInEdge(config)
  const notify = notifyWorkerInEdge(config)
  if (notify === undefined) return ocr
  const notifyLine = `\n  notifications   ${notify.banner}`
  if (ocr === undefined) return { layer: notify.layer, banner: `off (BIENLAI_OCR_WORKER=0): run bienlai ocr-worker against this database${notifyLine}` }
  return { layer: Layer.mergeAll(ocr.layer, notify.layer), banner: `${ocr.banner}${notifyLine}` }
}
