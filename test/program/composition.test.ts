/**
 * The program's composition: the runtime's Clock and Entropy are what the
 * handlers see, the bridge maps every typed failure to its HTTP answer, the
 * Database layer closes what it opened when the runtime is disposed, and
 * the Entropy doubles behave.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import fc from "fast-check"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Clock, Effect, ManagedRuntime, Schema } from "effect"
import { CorrectionError } from "../../domain/corrections.ts"
import { TransitionError } from "../../domain/lifecycle.ts"
import { Entropy } from "../../domain/ports/entropy.ts"
import { ReceiptNotFound, SeriesExhausted, StoreConflict, StoreUnavailable, SymbolYearMismatch } from "../../domain/ports/receipt-store.ts"
import { SigningError } from "../../domain/ports/signer.ts"
import { InvalidReceipt } from "../../domain/receipt.ts"
import { BankFileRefused } from "../../domain/bank/statement.ts"
import { InvalidVietQr } from "../../domain/bank/vietqr.ts"
import { InvalidPaymentRequest } from "../../domain/reconciliation/payment-request.ts"
import { MappingRefused } from "../../adapters/bank/mappings.ts"
import { ReconciliationRefusal } from "../../store/reconciliation/refusals.ts"
import { PayoutRefused } from "../../store/payout/errors.ts"
import { SeededEntropy, SystemEntropy } from "../../adapters/system/entropy.ts"
import { ApiError } from "../../edge/http/errors.ts"
import { apiErrorOf, httpOf, type MappedFailure } from "../../edge/http/domain-errors.ts"
import { Database } from "../../store/database/database.ts"
import { freshPglite } from "../store/databases.ts"
import { type Harness, makeHarness } from "../edge/harness.ts"

const subject = { symbol: "AA/25E", payerName: "Nguyễn Văn Hòa", amount: "125500000" }

// One instance of every mapped failure, with the status and code a client gets.
const samples: ReadonlyArray<readonly [MappedFailure, number, string]> = [
  [new InvalidReceipt({ issues: [{ path: "amount", message: "must be positive" }], message: "invalid" }), 422, "invalid_receipt"],
  [new TransitionError({ receiptId: "x", from: "draft", action: "issue", reason: "not_submitted", message: "not submitted", subject }), 409, "invalid_transition"],
  [new CorrectionError({ requestId: "r", receiptId: "x", reason: "invalid_value", message: "bad value", subject }), 422, "invalid_correction"],
  [new ReceiptNotFound({ agency: "HCM", id: "x", message: "no receipt" }), 404, "not_found"],
  [new StoreConflict({ agency: "HCM", id: "x", reason: "state_changed", message: "changed" }), 409, "conflict"],
  [new SeriesExhausted({ agency: "HCM", form: "01-BLTHADS", symbol: "AA/25E", message: "exhausted" }), 409, "series_exhausted"],
  [new SymbolYearMismatch({ agency: "HCM", symbol: "AA/25E", symbolYear: 2025, issueYear: 2026, message: "year" }), 422, "symbol_year_mismatch"],
  [new SigningError({ agency: "HCM", reason: "device", message: "token unplugged" }), 503, "signing_unavailable"],
  [new StoreUnavailable({ operation: "reading", message: "connection refused" }), 503, "store_unavailable"],
  [new ReconciliationRefusal({ reason: "sums_differ", message: "the sums differ" }), 422, "sums_differ"],
  [new BankFileRefused({ format: "mt940", where: "line 3", message: "bad :61:" }), 422, "bank_file_unreadable"],
  [new MappingRefused({ file: "m.json", problems: ["no amount column"], message: "bad mapping" }), 422, "mapping_refused"],
  [new InvalidPaymentRequest({ problems: ["amount"], message: "bad request" }), 422, "invalid_payment_request"],
  [new InvalidVietQr({ reason: "crc", message: "wrong CRC" }), 422, "invalid_vietqr"],
  [new PayoutRefused({ reason: "maker_cannot_approve", problems: [], message: "the planner cannot approve" }), 403, "payout_maker_cannot_approve"]
]

describe("errors to HTTP", () => {
  test("every tag of the mapping has its sample, and none of them is a 500", () => {
    expect(samples.map(([e]) => e._tag as string).sort()).toEqual(Object.keys(httpOf).sort())
    for (const [e, status, code] of samples) {
      const answer = apiErrorOf(e)
      expect(answer).toBeInstanceOf(ApiError)
      expect([answer.status as number, answer.code]).toEqual([status, code])
    }
  })

  test("an ApiError passes through as it is", () => {
    const refusal = new ApiError(403, "forbidden", "no")
    expect(apiErrorOf(refusal)).toBe(refusal)
  })
})

describe("the edge's runtime", () => {
  let h: Harness
  beforeAll(async () => {
    h = await makeHarness(await freshPglite())
  })
  afterAll(async () => {
    await h?.close()
  })

  test("effects run through the bridge read the runtime's Clock, which the test moves", async () => {
    h.setNow("2025-07-01T01:02:03.000Z")
    expect(await h.services.run(Clock.currentTimeMillis)).toBe(Date.parse("2025-07-01T01:02:03.000Z"))
    expect(h.services.now().toISOString()).toBe("2025-07-01T01:02:03.000Z")
    h.advance(60_000)
    expect(new Date(await h.services.run(Clock.currentTimeMillis)).toISOString()).toBe("2025-07-01T01:03:03.000Z")
  })

  test("a typed failure through the bridge is thrown as its ApiError", async () => {
    const thrown = await h.services.run(h.services.store.get("HCM", "00000000-0000-4000-8000-000000000000")).then(() => undefined, (e: unknown) => e)
    expect(thrown).toBeInstanceOf(ApiError)
    expect((thrown as ApiError).status).toBe(404)
  })

  test("the bridge's effects get the runtime's services (the store is the one the handlers hold)", async () => {
    const d = await h.draft()
    expect((await h.services.run(h.services.store.get("HCM", d.id))).id).toBe(d.id)
  })
})

describe("the Database layer", () => {
  const dir = mkdtempSync(join(tmpdir(), "bienlai-layer-"))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  test("opens and migrates when the runtime is built, and closes when it is disposed", async () => {
    const runtime = ManagedRuntime.make(Database.layer({ dataDir: join(dir, "data") }))
    const db = await runtime.runPromise(Database)
    const rows = await db.query<{ n: string }>("SELECT count(*)::text AS n FROM receipts")
    expect(rows[0]?.n).toBe("0")
    await runtime.dispose()
    expect(await db.query("SELECT 1").then(() => "open", () => "closed")).toBe("closed")
  })

  test("a database that cannot be opened is a StoreUnavailable naming it", async () => {
    const runtime = ManagedRuntime.make(Database.layer({ databaseUrl: "postgres://nobody@127.0.0.1:1/none" }))
    const failure = await runtime.runPromise(Effect.flip(Database)).catch((e: unknown) => e)
    await runtime.dispose()
    expect(Schema.is(StoreUnavailable)(failure)).toBe(true)
    expect((failure as StoreUnavailable).message).toContain("cannot open PostgreSQL at postgres://127.0.0.1:1/none")
  })
})

describe("Entropy", () => {
  const bytesOf = (layer: typeof SystemEntropy.layer, n: number) => Effect.runSync(Effect.provide(Entropy.use((e) => e.bytes(n)), layer))

  test("the seeded double gives the same bytes for the same seed, of the length asked, and differs between seeds", () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 2 ** 31 }), fc.integer({ min: 1, max: 64 }), (seed, n) => {
      const a = bytesOf(SeededEntropy.layerTest(seed), n)
      expect(a.length).toBe(n)
      expect(bytesOf(SeededEntropy.layerTest(seed), n)).toEqual(a)
    }))
    expect(bytesOf(SeededEntropy.layerTest(1), 16)).not.toEqual(bytesOf(SeededEntropy.layerTest(2), 16))
  })

  test("the system's gives fresh bytes each time, synchronously too", () => {
    const a = bytesOf(SystemEntropy.layer, 16)
    const b = bytesOf(SystemEntropy.layer, 16)
    expect(a.length).toBe(16)
    expect(a).not.toEqual(b)
    const unsafe = Effect.runSync(Effect.provide(Entropy.use((e) => Effect.succeed(e.bytesUnsafe(32))), SystemEntropy.layer))
    expect(unsafe.length).toBe(32)
  })
})
