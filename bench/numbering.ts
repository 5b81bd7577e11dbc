/**
 * `npm run bench:numbering`: how fast numbers can be handed out on one
 * PostgreSQL database, gap-free.
 *
 *   baseline  a bare `UPDATE counter SET n = n + 1 ... RETURNING`, one row
 *             per transaction, at the same concurrency: the ceiling of a
 *             hot counter;
 *   issue     bienlai's full path: validation, number, Ed25519 signature,
 *             receipt row and audit row, with group issuance;
 *   bulk      range reservation: k numbers, k signed receipts by COPY, one
 *             transaction.
 *
 * Flags: --concurrency 16 --series 1 --duration 5 (seconds per phase)
 *        --bulk-size 20000 --schema bench_numbering
 * Needs DATABASE_URL or TEST_DATABASE_URL. The data stays in the schema so
 * `bienlai audit numbering --schema bench_numbering` can check it afterwards.
 */
import { Effect, Result } from "effect"
import { parseArgs } from "node:util"
import { createDraft } from "../domain/lifecycle.ts"
import { lookupCodeFromBytes, uuidFromBytes } from "../domain/ids.ts"
import type { Receipt, Seal } from "../domain/receipt.ts"
import { Signer, SigningError } from "../domain/ports/signer.ts"
import type { IssueRequest } from "../domain/ports/receipt-store.ts"
import type { SignFn } from "../store/issuance.ts"
import { migrate } from "../store/migrate.ts"
import { isClean } from "../store/numbering-audit.ts"
import { openPostgres } from "../store/postgres-db.ts"
import { makeReceiptStore } from "../store/receipt-repository.ts"

const { values: flags } = parseArgs({
  options: {
    concurrency: { type: "string", default: "16" },
    series: { type: "string", default: "1" },
    duration: { type: "string", default: "5" },
    "bulk-size": { type: "string", default: "20000" },
    schema: { type: "string", default: "bench_numbering" }
  }
})
const concurrency = Number(flags.concurrency)
const seriesCount = Number(flags.series)
const durationMs = Number(flags.duration) * 1000
const bulkSize = Number(flags["bulk-size"])
const schema = flags.schema
const url = process.env["DATABASE_URL"] || process.env["TEST_DATABASE_URL"]
if (url === undefined) {
  console.error("bench:numbering needs PostgreSQL: set DATABASE_URL (or TEST_DATABASE_URL), e.g. postgres://postgres@127.0.0.1:5432/test")
  process.exit(2)
}
if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`--schema must be a plain identifier, got ${schema}`)

// A real Ed25519 key made for this run (the bench measures real signing cost).
const pair = (await crypto.subtle.generateKey({ name: "Ed25519" }, false, ["sign", "verify"])) as CryptoKeyPair
const keyId = "be0c4b0e4c4b0e4c"
const sign: SignFn = async (_agency, bytes) => {
  const signature = new Uint8Array(await crypto.subtle.sign("Ed25519", pair.privateKey, bytes as Uint8Array<ArrayBuffer>))
  const seal: Seal = { algorithm: "Ed25519", keyId, signature: Buffer.from(signature).toString("base64url") }
  return Result.succeed(seal)
}
void Signer
void SigningError

const admin = openPostgres({ url, max: 1 })
await admin.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE; CREATE SCHEMA ${schema}`)
await admin.close()
const db = openPostgres({ url, max: Math.max(concurrency, 4), schema, applicationName: "bienlai-bench" })
await migrate(db)
await db.exec("CREATE TABLE bench_counter (series integer PRIMARY KEY, n bigint NOT NULL DEFAULT 0)")
await db.query(`INSERT INTO bench_counter (series) SELECT generate_series(1, ${seriesCount})`)

const random = (n: number) => crypto.getRandomValues(new Uint8Array(n))
const year = new Date().getUTCFullYear() % 100
const now = () => new Date().toISOString()
const symbols = Array.from({ length: seriesCount }, (_, i) => `${String.fromCharCode(65 + Math.floor(i / 26))}${String.fromCharCode(65 + (i % 26))}/${year}E`)
const template = (symbol: string): Receipt =>
  Result.getOrThrow(createDraft({
    agency: "HCM",
    office: "HCM-KV01",
    series: { form: "01-BLTHADS", symbol },
    payer: { name: "Nguyễn Văn An", idNumber: "079090001234", address: "12 Lý Tự Trọng, phường Sài Gòn, TP. Hồ Chí Minh" },
    case: { decisionNumber: "1234/QĐ-CTHADS" },
    reason: "Nộp tiền thi hành án theo quyết định",
    amount: 125_500_000n,
    payment: { method: "bank_transfer", reference: "FT25174123456" }
  }, { id: uuidFromBytes(random(16)), maker: "lan.nguyen", now: now() }))
const templates = symbols.map(template)
const request = (series: number): IssueRequest => ({
  draft: { ...(templates[series] as Receipt), id: uuidFromBytes(random(16)) },
  approver: "hung.tran",
  lookupCode: lookupCodeFromBytes(random(8)),
  now: now()
})

const timed = async (workers: number, work: (worker: number) => Promise<number>): Promise<{ count: number; seconds: number }> => {
  const start = performance.now()
  const deadline = start + durationMs
  let count = 0
  await Promise.all(Array.from({ length: workers }, async (_, w) => {
    while (performance.now() < deadline) {
      const done = await work(w)
      count += done
    }
  }))
  return { count, seconds: (performance.now() - start) / 1000 }
}

console.error(`bench:numbering on ${url.replace(/\/\/[^@/]*@/, "//")} schema ${schema}: concurrency ${concurrency}, ${seriesCount} series, ${durationMs / 1000}s per phase`)

// 1. Baseline: one row per transaction on a hot counter.
const baseline = await timed(concurrency, async (w) => {
  await db.query("UPDATE bench_counter SET n = n + 1 WHERE series = $1::integer RETURNING n", [(w % seriesCount) + 1])
  return 1
})

// 2. The full issuance path with group issuance.
const store = makeReceiptStore(db, sign)
let issueFailures = 0
const issued = await timed(concurrency, async (w) => {
  const r = await Effect.runPromise(Effect.result(store.issue(request(w % seriesCount))))
  if (Result.isFailure(r)) {
    issueFailures++
    if (issueFailures === 1) console.error(`issue failed: ${r.failure.message}`)
    return 0
  }
  return 1
})

// 3. Bulk range reservation, one job per series.
const bulkSymbols = symbols.map((s) => `B${s.slice(1)}`)
const bulkTemplates = bulkSymbols.map(template)
let signMs = 0
const timedSign: SignFn = async (agency, bytes) => {
  const t = performance.now()
  const r = await sign(agency, bytes)
  signMs += performance.now() - t
  return r
}
void timedSign
const bulk = await timed(seriesCount, async (w) => {
  const requests = Array.from({ length: bulkSize }, (): IssueRequest => ({
    draft: { ...(bulkTemplates[w] as Receipt), id: uuidFromBytes(random(16)) },
    approver: "hung.tran",
    lookupCode: lookupCodeFromBytes(random(8)),
    now: now()
  }))
  const r = await Effect.runPromise(Effect.result(store.issueRange(requests)))
  if (Result.isFailure(r)) throw new Error(`bulk failed: ${r.failure.message}`)
  return r.success.length
})

// Verification: every series gap-free and duplicate-free, and every success stored.
const audit = await Effect.runPromise(store.auditNumbering({}))
const gaps = audit.reduce((n, a) => n + a.gaps.length, 0)
const duplicates = audit.reduce((n, a) => n + a.duplicates.length, 0)
const stored = audit.reduce((n, a) => n + a.count, 0)
await db.close()

const rate = (r: { count: number; seconds: number }) => r.count / r.seconds
const row = (name: string, r: { count: number; seconds: number }, unit: string) =>
  `${name.padEnd(34)} ${String(r.count).padStart(9)} ${r.seconds.toFixed(2).padStart(7)} s ${rate(r).toFixed(0).padStart(9)} ${unit}/s`
console.log(["phase                                  count    time        rate",
  row(`baseline UPDATE ... RETURNING (${concurrency})`, baseline, "numbers"),
  row(`issue: number+sign+row+audit (${concurrency})`, issued, "receipts"),
  row(`bulk range of ${bulkSize} (COPY, signed)`, bulk, "receipts"),
  `series audited: ${audit.length}, receipts stored: ${stored} (reported ${issued.count + bulk.count}), gaps: ${gaps}, duplicates: ${duplicates}, failed issues: ${issueFailures}`
].join("\n"))
console.log(JSON.stringify({
  baseline_per_s: Math.round(rate(baseline)),
  issue_per_s: Math.round(rate(issued)),
  ratio: Number((rate(issued) / rate(baseline)).toFixed(2)),
  bulk_per_s: Math.round(rate(bulk)),
  gaps,
  duplicates
}))
process.exitCode = gaps === 0 && duplicates === 0 && stored === issued.count + bulk.count && audit.every(isClean) ? 0 : 1
