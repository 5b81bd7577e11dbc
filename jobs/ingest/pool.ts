/**
 * The workers of a bulk job. A part of a batch is prepared by one worker
 * and later signed by the same one, which still holds its drafts; every
 * batch is cut into one part per worker (parts.ts), so signing a batch, which
 * holds the series lock, uses every core. With `threads: 0` everything runs
 * on the calling thread (small files, tests, debugging).
 */
import { Worker } from "node:worker_threads"
import type { BulkSignFn as SignFn } from "./signer-spec.ts"
import { openSigner, type SignerSpec } from "./signer-spec.ts"
import { type BatchInput, type JobSetup, type Kept, type Prepared, prepareBatch, type SignedText, type SignItem, signBatch } from "./work.ts"

export type WorkerRequest =
  | { readonly id: number; readonly type: "setup"; readonly setup: JobSetup; readonly signer: SignerSpec | undefined }
  | { readonly id: number; readonly type: "prepare"; readonly batchId: number; readonly input: BatchInput; readonly now: string }
  | { readonly id: number; readonly type: "sign"; readonly batchId: number; readonly items: ReadonlyArray<SignItem> }
  | { readonly id: number; readonly type: "release"; readonly batchId: number }

export type WorkerResponse = { readonly id: number; readonly ok: true; readonly value: unknown } | { readonly id: number; readonly ok: false; readonly error: string }

type Request = WorkerRequest extends infer R ? R extends { readonly id: number } ? Omit<R, "id"> : never : never

export interface WorkPool {
  readonly size: number
  /** Prepares a batch (or part of one) on worker `worker`, which keeps it for `sign` and `release`. */
  readonly prepare: (worker: number, batchId: number, input: BatchInput, now: string) => Promise<Prepared>
  readonly sign: (worker: number, batchId: number, items: ReadonlyArray<SignItem>) => Promise<SignedText>
  readonly release: (worker: number, batchId: number) => Promise<void>
  readonly close: () => Promise<void>
}

const inlinePool = async (setup: JobSetup, signer: SignerSpec | undefined): Promise<WorkPool> => {
  const kept: Kept = new Map()
  const sign: SignFn | undefined = signer === undefined ? undefined : await openSigner(signer)
  return {
    size: 1,
    prepare: async (_worker, batchId, input, now) => prepareBatch(setup, batchId, input, { now }, kept),
    sign: async (_worker, batchId, items) => {
      if (sign === undefined) throw new Error("this job has no signer")
      return signBatch(sign, kept.get(batchId) ?? new Map(), items)
    },
    release: async (_worker, batchId) => void kept.delete(batchId),
    close: async () => {}
  }
}

class Thread {
  private next = 0
  private readonly waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>()
  readonly worker: Worker

  constructor() {
    this.worker = new Worker(new URL("./worker.ts", import.meta.url))
    this.worker.on("message", (msg: WorkerResponse) => {
      const w = this.waiting.get(msg.id)
      if (w === undefined) return
      this.waiting.delete(msg.id)
      if (msg.ok) w.resolve(msg.value)
      else w.reject(new Error(msg.error))
    })
    this.worker.on("error", (error) => {
      for (const w of this.waiting.values()) w.reject(error instanceof Error ? error : new Error(String(error)))
      this.waiting.clear()
    })
  }

  call<A>(request: Request, transfer: ReadonlyArray<ArrayBuffer> = []): Promise<A> {
    const id = this.next++
    return new Promise<A>((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (v: unknown) => void, reject })
      this.worker.postMessage({ ...request, id }, [...transfer])
    })
  }
}

const transferables = (input: BatchInput): Array<ArrayBuffer> =>
  input.kind === "records"
    ? [input.batch.bytes.buffer, input.batch.starts.buffer, input.batch.ends.buffer, input.batch.rows.buffer] as Array<ArrayBuffer>
    : []

export const openPool = async (setup: JobSetup, signer: SignerSpec | undefined, threads: number): Promise<WorkPool> => {
  if (threads <= 0) return inlinePool(setup, signer)
  const workers = Array.from({ length: threads }, () => new Thread())
  try {
    await Promise.all(workers.map((w) => w.call({ type: "setup", setup, signer })))
  } catch (error) {
    await Promise.all(workers.map((w) => w.worker.terminate()))
    throw error
  }
  const at = (i: number): Thread => workers[i] as Thread
  return {
    size: threads,
    prepare: (worker, batchId, input, now) => at(worker).call<Prepared>({ type: "prepare", batchId, input, now }, transferables(input)),
    sign: (worker, batchId, items) => at(worker).call<SignedText>({ type: "sign", batchId, items }),
    release: (worker, batchId) => at(worker).call<void>({ type: "release", batchId }),
    close: async () => {
      await Promise.all(workers.map((w) => w.worker.terminate()))
    }
  }
}
