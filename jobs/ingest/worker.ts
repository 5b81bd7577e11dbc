/**
 * A worker thread of a bulk job: prepares batches (decode, parse, validate)
 * and signs them (canonical bytes, seal, COPY line). See work.ts.
 */
import { parentPort } from "node:worker_threads"
import type { BulkSignFn as SignFn } from "./signer-spec.ts"
import type { WorkerRequest, WorkerResponse } from "./pool.ts"
import { collectGarbage } from "./gc.ts"
import { openSigner } from "./signer-spec.ts"
import { type JobSetup, type Kept, prepareBatch, signBatch } from "./work.ts"

const port = parentPort
if (port === null) throw new Error("jobs/ingest/worker.ts runs as a worker thread")

let setup: JobSetup | undefined
let sign: Promise<SignFn> | undefined
const kept: Kept = new Map()

const handle = async (msg: WorkerRequest): Promise<unknown> => {
  switch (msg.type) {
    case "setup":
      setup = msg.setup
      sign = msg.signer === undefined ? undefined : openSigner(msg.signer)
      if (sign !== undefined) await sign
      return null
    case "prepare":
      if (setup === undefined) throw new Error("worker used before setup")
      return prepareBatch(setup, msg.batchId, msg.input, { now: msg.now }, kept)
    case "sign": {
      if (sign === undefined) throw new Error("this job has no signer")
      const templates = kept.get(msg.batchId)
      if (templates === undefined) throw new Error(`batch ${msg.batchId} was not prepared by this worker`)
      return signBatch(await sign, templates, msg.items)
    }
    case "release":
      kept.delete(msg.batchId)
      collectGarbage()
      return null
  }
}

port.on("message", (msg: WorkerRequest) => {
  handle(msg).then(
    (value) => port.postMessage({ id: msg.id, ok: true, value } satisfies WorkerResponse),
    (error: unknown) => port.postMessage({ id: msg.id, ok: false, error: error instanceof Error ? error.message : String(error) } satisfies WorkerResponse)
  )
})
