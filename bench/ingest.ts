/**
 * `npm run bench:ingest -- --rows 1000000`: bulk ingestion against its two
 * lower bounds, in one run on one PostgreSQL database.
 *
 *   (a) copy    a raw COPY of the generated CSV into a plain table of text
 *               columns: what the database alone needs to take the bytes;
 *   (b) sign    the same number of Ed25519 signatures over receipt-sized
 *               messages, alone, on every core (worker threads);
 *   (c) ingest  `bienlai ingest FILE --issue` as a separate process, end to
 *               end: parse, validate, number, sign, COPY, audit trigger.
 *   (d) floor   not a goal's term but its context: the same receipts, already
 *               signed, written again by the database alone (copied from the
 *               rows (c) stored, under new ids, into a series of their own,
 *               with their search entries) with every index and trigger of
 *               the schema, then rolled back. No ingest can be faster than
 *               its database's writes; d / (a + b) says how far the goal is
 *               from what this database can take on this machine.
 *
 * Goals for 1,000,000 rows on 2 cores: c ≤ 1.5 × (a + b), c < 30 s, peak
 * RSS of (c) < 512 MB. The last line printed is JSON with the figures.
 * Flags: --rows 1000000 --threads <cores> --schema bench_ingest --file PATH
 * Needs DATABASE_URL or TEST_DATABASE_URL. The receipts stay in the schema so
 * `bienlai audit numbering --schema bench_ingest` can check them afterwards.
 */
import { createWriteStream, existsSync, mkdirSync, rmSync, statSync } from "node:fs"
import { createReadStream } from "node:fs"
import { availableParallelism } from "node:os"
import { dirname, join } from "node:path"
import { pipeline } from "node:stream/promises"
import { parseArgs } from "node:util"
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads"
import postgres from "postgres"
import { amountInWords } from "../domain/amount-in-words.ts"
import { formatVndDigits } from "../domain/money.ts"
import { formatCsvRecord } from "../jobs/ingest/csv.ts"
import { initPki } from "../adapters/keys/manage.ts"
import { grantToken } from "../edge/officers/tokens.ts"
import { migrate } from "../store/database/migrate.ts"
import { auditNumbering, isClean } from "../store/receipts/numbering-audit.ts"
import { openPostgres } from "../store/database/postgres-db.ts"
import { databaseFloor } from "./database-floor.ts"

// ---------------------------------------------------------------------------
// (b) runs in worker threads of this same file.

const MESSAGE_BYTES = 620 // the size of a typical receipt's canonical JSON

if (!isMainThread) {
  const { count, seed } = workerData as { count: number; seed: number }
  const pair = (await crypto.subtle.generateKey({ name: "Ed25519" }, false, ["sign", "verify"])) as CryptoKeyPair
  const message = new Uint8Array(MESSAGE_BYTES).fill(0x61)
  const started = performance.now()
  // As ingestion signs: a batch of signatures in flight at once.
  for (let done = 0; done < count; done += 5000) {
    const n = Math.min(5000, count - done)
    await Promise.all(Array.from({ length: n }, (_, i) => {
      const m = message.slice()
      new DataView(m.buffer).setUint32(0, seed * 1e7 + done + i)
      return crypto.subtle.sign("Ed25519", pair.privateKey, m)
    }))
  }
  parentPort?.postMessage(performance.now() - started)
  process.exit(0)
}

const { values: flags } = parseArgs({
  options: {
    rows: { type: "string", default: "1000000" },
    threads: { type: "string", default: String(availableParallelism()) },
    schema: { type: "string", default: "bench_ingest" },
    file: { type: "string" }
  }
})
const rows = Number(flags.rows)
const threads = Number(flags.threads)
const schema = flags.schema
const url = process.env["DATABASE_URL"] || process.env["TEST_DATABASE_URL"]
if (url === undefined) {
  console.error("bench:ingest needs PostgreSQL: set DATABASE_URL (or TEST_DATABASE_URL), e.g. postgres://postgres@127.0.0.1:5432/test")
  process.exit(2)
}
if (!(Number.isInteger(rows) && rows > 0)) throw new Error(`--rows must be a positive whole number, got ${flags.rows}`)
if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`--schema must be a plain identifier, got ${schema}`)
const root = join(import.meta.dir, "..")
const file = flags.file ?? join(root, "test-output", "bench", `ingest-${rows}.csv`)
const log = (line: string) => console.error(`bench:ingest ${line}`)

// ---------------------------------------------------------------------------
// A realistic file: the columns of docs/INGEST.md, Vietnamese names and
// addresses, valid CCCDs, amounts from 50,000 đ to billions with their words.

const family = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý"]
const middle = ["Văn", "Thị", "Hữu", "Minh", "Ngọc", "Thanh", "Quốc", "Đức", "Thu", "Hoàng"]
const given = ["An", "Bình", "Châu", "Dũng", "Hòa", "Hùng", "Lan", "Mai", "Nam", "Ngọc", "Phúc", "Quân", "Sơn", "Thảo", "Tuấn", "Việt", "Yến"]
const streets = ["Lê Lợi", "Nguyễn Huệ", "Trần Hưng Đạo", "Hai Bà Trưng", "Lý Tự Trọng", "Pasteur", "Cách Mạng Tháng Tám", "Điện Biên Phủ"]
const wards = ["phường Bến Thành", "phường Sài Gòn", "phường Cầu Ông Lãnh", "phường Tân Định", "phường Bàn Cờ", "phường Xuân Hòa"]
const reasons = ["Nộp tiền thi hành án theo quyết định", "Nộp án phí dân sự sơ thẩm", "Nộp tiền bồi thường thiệt hại", "Nộp tiền phạt và truy thu"]
const header = ["external_id", "office", "form", "symbol", "payer_name", "payer_id_number", "payer_address", "judgment_number", "judgment_date",
  "decision_number", "decision_date", "reason", "amount", "amount_in_words", "payment_method", "bank_reference", "maker"]

const pick = <A>(list: ReadonlyArray<A>, n: number): A => list[n % list.length] as A
const yy = String((new Date(Date.now() + 7 * 3600_000).getUTCFullYear()) % 100).padStart(2, "0")
const symbol = `AA/${yy}E`

const rowOf = (i: number): Array<string> => {
  const h = Math.imul(i + 1, 2654435761) >>> 0
  const amount = (BigInt(h % 5_000_000) + 1n) * (h % 7 === 0 ? 100_000n : 1_000n)
  const cash = h % 4 === 0
  return [
    `QLTHA-${yy}-${String(i + 1).padStart(8, "0")}`,
    `HCM-KV${String(1 + (h % 16)).padStart(2, "0")}`,
    "01-BLTHADS",
    symbol,
    `${pick(family, h)} ${pick(middle, h >>> 5)} ${pick(given, h >>> 9)}`,
    // A CCCD of Hồ Chí Minh City (079), born in the 1900s or 2000s.
    `079${h % 4}${String(60 + (h % 40)).padStart(2, "0").slice(-2)}${String(h % 1_000_000).padStart(6, "0")}`,
    `${1 + (h % 300)} ${pick(streets, h >>> 3)}, ${pick(wards, h >>> 7)}, TP. Hồ Chí Minh`,
    `${1 + (h % 500)}/2024/DS-ST`,
    `${1 + (h % 28)}/0${1 + (h % 9)}/2024`,
    `${1 + (h % 9000)}/QĐ-CTHADS`,
    `${1 + (h % 28)}/${10 + (h % 3)}/2024`,
    pick(reasons, h >>> 11),
    formatVndDigits(amount),
    amountInWords(amount),
    cash ? "tiền mặt" : "chuyển khoản",
    cash ? "" : `FT${yy}${String(h).padStart(10, "0")}`,
    "lan.nguyen"
  ]
}

const generate = async (): Promise<void> => {
  if (existsSync(file)) return
  mkdirSync(dirname(file), { recursive: true })
  const out = createWriteStream(`${file}.part`)
  const write = (text: string) => (out.write(text) ? Promise.resolve() : new Promise<void>((r) => out.once("drain", () => r())))
  await write(formatCsvRecord(header) + "\n")
  for (let i = 0; i < rows; i += 10_000) {
    let chunk = ""
    for (let j = i; j < Math.min(rows, i + 10_000); j++) chunk += formatCsvRecord(rowOf(j)) + "\n"
    await write(chunk)
  }
  await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())))
  const { renameSync } = await import("node:fs")
  renameSync(`${file}.part`, file)
}

// ---------------------------------------------------------------------------

const t0 = performance.now()
await generate()
log(`file ${file}: ${rows.toLocaleString("en-US")} rows, ${(statSync(file).size / 1e6).toFixed(0)} MB (${((performance.now() - t0) / 1000).toFixed(1)} s to make)`)

const admin = openPostgres({ url, max: 1 })
await admin.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE; CREATE SCHEMA ${schema}`)
await admin.close()
const db = openPostgres({ url, max: 2, schema, applicationName: "bienlai-bench-ingest" })
await migrate(db)
await db.exec(`
  INSERT INTO agencies (code, name) VALUES ('HCM', 'Cục Thi hành án dân sự TP. Hồ Chí Minh');
  INSERT INTO officers (id, agency, name, role) VALUES ('lan.nguyen', 'HCM', 'Nguyễn Thị Lan', 'officer'), ('hung.tran', 'HCM', 'Trần Văn Hùng', 'approver');
  CREATE TABLE bench_raw (${header.map((h) => `${h} text`).join(", ")});`)
// Two officers, each proven by an API token: the maker's in BIENLAI_MAKER_TOKEN (the file's maker column names her), the approver's in BIENLAI_TOKEN.
const makerToken = await grantToken(db, "lan.nguyen", "bench ingest", (n) => crypto.getRandomValues(new Uint8Array(n)))
const approverToken = await grantToken(db, "hung.tran", "bench ingest", (n) => crypto.getRandomValues(new Uint8Array(n)))

// (a) raw COPY of the same file.
const raw = postgres(url, { max: 1, onnotice: () => {}, connection: { search_path: schema } })
let started = performance.now()
await pipeline(createReadStream(file, { highWaterMark: 1 << 20 }), await raw.unsafe("COPY bench_raw FROM STDIN (FORMAT csv, HEADER true)").writable())
const copySeconds = (performance.now() - started) / 1000
const [copied] = await raw.unsafe("SELECT count(*)::integer AS n FROM bench_raw")
await raw.unsafe("DROP TABLE bench_raw")
await raw.end()
log(`(a) raw COPY: ${copied?.["n"]} rows in ${copySeconds.toFixed(2)} s`)

// (b) signing alone, on every core.
started = performance.now()
await Promise.all(Array.from({ length: threads }, (_, w) =>
  new Promise<number>((resolve, reject) => {
    const count = Math.floor(rows / threads) + (w < rows % threads ? 1 : 0)
    const worker = new Worker(new URL(import.meta.url), { workerData: { count, seed: w } })
    worker.once("message", resolve)
    worker.once("error", reject)
  })
))
const signSeconds = (performance.now() - started) / 1000
log(`(b) ${rows} Ed25519 signatures on ${threads} threads: ${signSeconds.toFixed(2)} s`)

// (c) the real command, as a separate process.
const keys = join(root, "test-output", "bench", `keys-${process.pid}`)
// The root's key goes beside the key store unless told otherwise; a folder of this run's own, removed with the keys, so a second run can make its own.
const rootDir = join(root, "test-output", "bench", `root-${process.pid}`)
rmSync(keys, { recursive: true, force: true })
const passphrase = "bench-ingest-passphrase-not-secret"
await initPki({ dir: keys, rootDir, agencies: ["HCM"], algorithm: "Ed25519", passphrase, now: new Date() })
started = performance.now()
const child = Bun.spawn([join(root, "node_modules/.bin/bun"), join(root, "jobs/bin/bienlai.ts"), "ingest", file, "--agency", "HCM", "--issue",
  "--schema", schema, "--threads", String(threads), "--json", "--rejects", `${file}.rejects.ndjson`], {
  env: { ...process.env, DATABASE_URL: url, BIENLAI_KEYS_DIR: keys, BIENLAI_ROOT_DIR: rootDir, BIENLAI_KEY_PASSPHRASE: passphrase, BIENLAI_MAKER_TOKEN: makerToken, BIENLAI_TOKEN: approverToken },
  stdout: "pipe",
  stderr: "inherit"
})
const stdout = await new Response(child.stdout).text()
const exit = await child.exited
const ingestSeconds = (performance.now() - started) / 1000
const usage = child.resourceUsage()
rmSync(keys, { recursive: true, force: true })
rmSync(rootDir, { recursive: true, force: true })
if (exit !== 0) {
  log(`(c) bienlai ingest exited with ${exit}: ${stdout}`)
  process.exit(1)
}
const summary = JSON.parse(stdout) as { inserted: number; rejected: number; duplicates: number }
// Bun documents maxRSS in bytes; getrusage itself counts kilobytes. Told apart by size.
const peakRssMb = Math.round((usage?.maxRSS ?? 0) / (usage !== undefined && usage.maxRSS < 1e7 ? 1e3 : 1e6))
log(`(c) bienlai ingest --issue: ${summary.inserted} issued, ${summary.rejected} rejected, in ${ingestSeconds.toFixed(2)} s, peak RSS ${peakRssMb} MB`)
const audit = await auditNumbering(db, { agency: "HCM" })

// (d) the database's floor: what writing the same signed rows costs it alone.
const floor = await databaseFloor(db, { agency: "HCM", limit: summary.inserted })
const floorSeconds = floor.seconds
log(`(d) the database alone writing the same ${summary.inserted} signed receipts (indexes, triggers, search entries): ${floorSeconds.toFixed(2)} s`)
await db.close()

const ratio = ingestSeconds / (copySeconds + signSeconds)
const floorRatio = floorSeconds / (copySeconds + signSeconds)
console.log(JSON.stringify({
  rows,
  threads,
  seconds: { copy: round(copySeconds), sign: round(signSeconds), ingest: round(ingestSeconds), databaseFloor: round(floorSeconds) },
  rowsPerSecond: {
    copy: Math.round(rows / copySeconds),
    sign: Math.round(rows / signSeconds),
    ingest: Math.round(rows / ingestSeconds),
    databaseFloor: Math.round(summary.inserted / floorSeconds)
  },
  peakRssMb,
  ratio: round(ratio),
  floorRatio: round(floorRatio),
  issued: summary.inserted,
  rejected: summary.rejected,
  numberingClean: audit.length === 1 && audit.every(isClean) && audit[0]?.count === rows,
  goals: { ratioAtMost1_5: ratio <= 1.5, under30s: ingestSeconds < 30, rssUnder512MB: peakRssMb < 512 }
}))

function round(x: number): number {
  return Math.round(x * 100) / 100
}
