/**
 * The OCR worker on a real database (PGlite, and PostgreSQL in a fresh
 * schema when TEST_DATABASE_URL is set) with real tesseract: a queued scan
 * fills its draft; two workers racing on one queue read each scan once; a
 * crashed worker's lease expires and the scan is read by another; a scan
 * that cannot be read fails with its reason.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { Effect, Result } from "effect"
import { NOT_READ } from "../../domain/extraction/fill-draft.ts"
import { createDraft } from "../../domain/lifecycle.ts"
import type { Receipt } from "../../domain/receipt.ts"
import { SigningError } from "../../domain/ports/signer.ts"
import { makeSample, type Sample } from "../support/corpus/corpus.ts"
import { createOcrPool, type OcrPool } from "../../adapters/ocr/pool.ts"
import { claimScans, finishScan, scanStatus } from "../../jobs/ocr-worker/queue.ts"
import { type OcrWorkerDeps, runOnce, startInProcessWorker } from "../../jobs/ocr-worker/worker.ts"
import { makeReceiptStore } from "../../store/receipts/receipt-repository.ts"
import { targets, type TestDatabase } from "../store/databases.ts"
import { draftInput, newId } from "../store/fixtures.ts"

let pool: OcrPool
let slip: Sample

beforeAll(async () => {
  pool = await createOcrPool({ size: 2 })
  // Seed 7, index 0: a payment slip that reads cleanly (see read-document.test.ts).
  slip = await makeSample(7, 0)
})
afterAll(async () => {
  await pool?.close()
})

const refuseToSign = (agency: string) =>
  Effect.fail(new SigningError({ agency, reason: "no_key", message: "the OCR worker never signs" }))

const T0 = Date.parse("2025-06-23T03:00:00.000Z")

interface Setup {
  readonly db: TestDatabase
  readonly store: ReturnType<typeof makeReceiptStore>
  readonly clock: { now: number }
  readonly deps: (worker: string, over?: Partial<OcrWorkerDeps>) => OcrWorkerDeps
  readonly draft: () => Promise<Receipt>
  readonly upload: (draft: Receipt, bytes: Uint8Array, at?: number) => Promise<string>
}

const setUp = async (make: () => Promise<TestDatabase>): Promise<Setup> => {
  const db = await make()
  const store = makeReceiptStore(db.db, refuseToSign)
  const clock = { now: T0 }
  let uploads = 0
  return {
    db,
    store,
    clock,
    deps: (worker, over = {}) => ({ db: db.db, store, pool, worker, now: () => new Date(clock.now), queue: { leaseMs: 60_000, maxAttempts: 3 }, ...over }),
    draft: async () => {
      // A draft made for a scan: the payer not read yet, the amount still 0.
      const input = draftInput({ payer: { name: NOT_READ }, case: {}, reason: "Nộp tiền thi hành án", amount: 0n, payment: { method: "cash" } })
      const draft = Result.getOrThrow(createDraft(input, { id: newId(), maker: "lan.nguyen", now: "2025-06-23T02:00:00.000Z" }))
      return Effect.runPromise(store.saveDraft(draft, { now: "2025-06-23T02:00:00.000Z" }))
    },
    upload: async (draft, bytes, at = T0 - 60_000 + uploads++) => {
      const id = newId()
      await db.db.query(
        `INSERT INTO uploads (agency, id, receipt_id, content_type, size, sha256, content, uploaded_by, uploaded_at)
         VALUES ($1::text, $2::uuid, $3::uuid, 'image/png', $4::integer, 'x', decode($5::text, 'base64'), 'lan.nguyen', $6::timestamptz)`,
        [draft.agency, id, draft.id, bytes.length, Buffer.from(bytes).toString("base64"), new Date(at).toISOString()]
      )
      return id
    }
  }
}

const get = (s: Setup, r: Receipt) => Effect.runPromise(s.store.get(r.agency, r.id))

for (const target of targets) {
  describe(`OCR worker on ${target.name}`, () => {
    test("a queued scan fills its draft and keeps the extraction with the upload", async () => {
      const s = await setUp(target.make)
      try {
        const draft = await s.draft()
        const upload = await s.upload(draft, slip.image)
        expect(await runOnce(s.deps("w1"))).toEqual(["done"])

        const filled = await get(s, draft)
        expect(filled.status).toBe("draft")
        expect(filled.maker).toBe("lan.nguyen")
        expect(filled.payer.name).toBe(slip.truth.payerName!)
        expect(filled.amount).toBe(BigInt(slip.truth.amount!))
        expect(filled.case.decisionNumber).toBe(slip.truth.decisionNumber!)
        expect(filled.amountInWords).not.toBe(draft.amountInWords)
        // The reason was typed before the scan was read: OCR leaves it as typed.
        expect(filled.reason).toBe("Nộp tiền thi hành án")

        const status = await scanStatus(s.db.db, draft.agency, upload)
        expect(status?.status).toBe("done")
        expect(status?.attempts).toBe(1)
        const result = status?.result as { documentType: string; fields: Record<string, string>; confidence: Record<string, number>; draft: { applied: Array<string> } }
        expect(result.documentType).toBe("payment_slip")
        expect(result.fields["payerName"]).toBe(slip.truth.payerName!)
        expect(result.confidence["amount"]).toBeGreaterThan(0.5)
        expect(result.draft.applied).toContain("amount")
        // Nothing left to do.
        expect(await runOnce(s.deps("w1"))).toEqual([])
      } finally {
        await s.db.dispose()
      }
    }, 60_000)

    test("two workers racing on one queue read every scan exactly once", async () => {
      const s = await setUp(target.make)
      try {
        const drafts = await Promise.all([s.draft(), s.draft()])
        const uploads = await Promise.all(drafts.map((d) => s.upload(d, slip.image)))
        const work = async (name: string) => {
          const outcomes: Array<string> = []
          for (;;) {
            const batch = await runOnce(s.deps(name), 1)
            if (batch.length === 0) return outcomes
            outcomes.push(...batch)
          }
        }
        const [a, b] = await Promise.all([work("worker-a"), work("worker-b")])
        expect([...a, ...b].sort()).toEqual(["done", "done"])
        const rows = await s.db.db.query<{ ocr_attempts: number; ocr_worker: string }>(
          "SELECT ocr_attempts, ocr_worker FROM uploads ORDER BY uploaded_at"
        )
        expect(rows.map((r) => Number(r.ocr_attempts))).toEqual([1, 1])
        for (const [i, d] of drafts.entries()) {
          expect((await get(s, d)).payer.name).toBe(slip.truth.payerName!)
          expect((await scanStatus(s.db.db, d.agency, uploads[i]!))?.status).toBe("done")
        }
      } finally {
        await s.db.dispose()
      }
    }, 90_000)

    test("a crashed worker's lease expires and another worker reads the scan; the stale worker is fenced out", async () => {
      const s = await setUp(target.make)
      try {
        const draft = await s.draft()
        const upload = await s.upload(draft, slip.image)
        // Worker A claims the scan and dies without a word.
        const [claimed] = await claimScans(s.db.db, "worker-a", 1, new Date(s.clock.now), { leaseMs: 60_000, maxAttempts: 3 })
        expect(claimed?.attempt).toBe(1)
        // While the lease holds, nobody else takes it.
        s.clock.now += 30_000
        expect(await runOnce(s.deps("worker-b"))).toEqual([])
        // Past the lease, worker B takes it over as a second attempt.
        s.clock.now += 31_000
        expect(await runOnce(s.deps("worker-b"))).toEqual(["done"])
        const status = await scanStatus(s.db.db, draft.agency, upload)
        expect(status?.status).toBe("done")
        expect(status?.attempts).toBe(2)
        expect((await get(s, draft)).payer.name).toBe(slip.truth.payerName!)
        // Worker A wakes up and tries to record its own result: refused.
        expect(await finishScan(s.db.db, claimed!, "worker-a", { stale: true }, new Date(s.clock.now))).toBe(false)
        expect((await scanStatus(s.db.db, draft.agency, upload))?.result).not.toEqual({ stale: true })
      } finally {
        await s.db.dispose()
      }
    }, 60_000)

    test("a scan whose worker dies on every attempt is given up with its reason", async () => {
      const s = await setUp(target.make)
      try {
        const draft = await s.draft()
        const upload = await s.upload(draft, slip.image)
        const options = { leaseMs: 1000, maxAttempts: 2 }
        expect((await claimScans(s.db.db, "a", 1, new Date(s.clock.now), options)).length).toBe(1)
        s.clock.now += 2000
        expect((await claimScans(s.db.db, "b", 1, new Date(s.clock.now), options))[0]?.attempt).toBe(2)
        s.clock.now += 2000
        expect(await claimScans(s.db.db, "c", 1, new Date(s.clock.now), options)).toEqual([])
        const status = await scanStatus(s.db.db, draft.agency, upload)
        expect(status?.status).toBe("failed")
        expect(status?.error).toContain("2 attempts")
      } finally {
        await s.db.dispose()
      }
    })

    test("in the edge's process: the engines load only once a scan waits; stop ends the loop and closes them", async () => {
      const s = await setUp(target.make)
      try {
        let created = 0
        let closed = 0
        const w = startInProcessWorker({
          ...s.deps("edge"),
          size: 1,
          idleMs: 20,
          read: async (_content, file) => ({ file, pages: 1, documentType: "payment_slip", fields: { amount: "2500000" }, confidence: { amount: 0.97 }, warnings: [], ms: 1 }),
          createPool: async () => {
            created++
            return { ...pool, close: async () => void closed++ }
          },
          onError: (e) => {
            throw e
          }
        })
        await Bun.sleep(150)
        expect(created).toBe(0)
        const draft = await s.draft()
        const upload = await s.upload(draft, slip.image)
        for (let i = 0; i < 200 && (await scanStatus(s.db.db, draft.agency, upload))?.status !== "done"; i++) await Bun.sleep(25)
        expect((await scanStatus(s.db.db, draft.agency, upload))?.status).toBe("done")
        expect((await get(s, draft)).amount).toBe(2_500_000n)
        expect(created).toBe(1)
        await w.stop()
        expect(closed).toBe(1)
      } finally {
        await s.db.dispose()
      }
    }, 30_000)

    test("an unreadable scan fails at once with its reason and leaves the draft alone", async () => {
      const s = await setUp(target.make)
      try {
        const draft = await s.draft()
        const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from("torn in the scanner")])
        const upload = await s.upload(draft, png)
        expect(await runOnce(s.deps("w1"))).toEqual(["failed"])
        const status = await scanStatus(s.db.db, draft.agency, upload)
        expect(status?.status).toBe("failed")
        expect(status?.attempts).toBe(1)
        expect(status?.error).toContain("could not be decoded")
        expect((await get(s, draft)).payer.name).toBe(NOT_READ)
      } finally {
        await s.db.dispose()
      }
    })
  })
}
