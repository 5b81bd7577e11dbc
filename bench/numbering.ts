/**
 * `npm run bench:numbering`: how fast numbers can be handed out on one
 * PostgreSQL database, gap-free.
 *
 *   baseline  a bare `UPDATE counter SET n = n + 1 ... RETURNING`, one row
 *             per transaction, at the same concurrency: the ceiling of a
 *             hot counter;
 *   issue     bienlai's full path through the ReceiptStore: validation,
 *             number, Ed25519 signature through the Signer port (WebCrypto,
 *             as jobs/keys signs), receipt row and audit row, with group
 *             issuance;
 *   bulk      range reservation: k numbers, k signed receipts by COPY, one
 *             transaction; and the same with signing left out (a constant
 *             placeholder seal), to show what numbering and storage alone cost.
 *   algorithms  the full issue path (seal and QR token signed and stored, as
 *             the program does: store/receipts/layer.ts) with each seal
 *             algorithm side by side, interleaved in the same rounds:
 *             ECDSA P-256 (the default, the software signer every ratio is
 *             taken against), RSA-PSS-2048 (its tokens by a separate ECDSA
 *             token key) and Ed25519, all WebCrypto keys in memory; and the
 *             PKCS#11 signer over SoftHSM2 where it is installed (in a child
 *             process with its own token folder; skipped, with the reason
 *             printed, where it is not).
 *   floors    not goals but their context: what the database alone takes.
 *             The issuance statement itself (store/receipts/predicted-issuance.ts),
 *             fed groups of `concurrency` receipts signed beforehand, one
 *             after another (a series' groups run one at a time anyway, on
 *             its counter's lock); and a bulk range's rows, already signed,
 *             written by one INSERT with every index and trigger (rolled
 *             back). No issuance path can beat its floor, so floor / baseline
 *             bounds the ratio this machine allows.
 *
 * Baseline and issue run interleaved in rounds, so background load hits both
 * alike; the load average is printed with the figures.
 *
 * Flags: --concurrency 16 --series 1 --duration 6 (seconds per phase, split
 *        over the rounds) --rounds 3 --bulk-size 20000 --schema bench_numbering
 * Database: DATABASE_URL, else TEST_DATABASE_URL, else a local server at
 * postgres://postgres@127.0.0.1:5432/postgres if one answers. PGlite is not
 * offered: it runs one transaction at a time, so there is no concurrency to
 * measure. The data stays in the schema, for `bienlai audit numbering
 * --schema bench_numbering`.
 */
import { Effect, Result } from "effect"
import { spawnSync } from "node:child_process"
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs"
import { createRequire } from "node:module"
import { loadavg, tmpdir } from "node:os"
import { join } from "node:path"
import { parseArgs } from "node:util"
import type { Receipt, Seal } from "../domain/receipt.ts"
import { Signer } from "../domain/ports/signer.ts"
import { signToken } from "../domain/signing/issue-token.ts"
import { algorithmOfKeyType, generateKeyPair, type KeyType } from "../adapters/keys/pki.ts"
import { findSoftHsm2 } from "../adapters/keys/pkcs11-settings.ts"
import { memorySigner, type SigningKey } from "../adapters/keys/signer.ts"
import { withTokens } from "../store/receipts/qr-token.ts"
import type { Db } from "../store/database/db.ts"
import { errorMessage } from "../store/database/db.ts"
import { numberAndSign, prepareIssue, type SignFn } from "../store/receipts/issuance.ts"
import { issuePredicted } from "../store/receipts/predicted-issuance.ts"
import { migrate } from "../store/database/migrate.ts"
import { isClean } from "../store/receipts/numbering-audit.ts"
import { openPostgres } from "../store/database/postgres-db.ts"
import { makeReceiptStore } from "../store/receipts/receipt-repository.ts"
import { databaseFloor } from "./database-floor.ts"
import { now, requestFrom, template } from "./issue-workload.ts"

const LOCAL_DEFAULT = "postgres://postgres@127.0.0.1:5432/postgres"

const { values: flags } = parseArgs({
  options: {
    concurrency: { type: "string", default: "16" },
    series: { type: "string", default: "1" },
    duration: { type: "string", default: "6" },
    rounds: { type: "string", default: "3" },
    "bulk-size": { type: "string", default: "20000" },
    schema: { type: "string", default: "bench_numbering" },
    /** Internal: the PKCS#11 phase alone, in a child whose environment names a SoftHSM2 token folder. */
    "pkcs11-child": { type: "boolean", default: false }
  }
})
const concurrency = Number(flags.concurrency)
const seriesCount = Number(flags.series)
const rounds = Number(flags.rounds)
const sliceMs = (Number(flags.duration) * 1000) / rounds
const bulkSize = Number(flags["bulk-size"])
const schema = flags.schema
for (const [name, n] of [["concurrency", concurrency], ["series", seriesCount], ["rounds", rounds], ["bulk-size", bulkSize]] as const) {
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a whole number of at least 1`)
}
if (!(sliceMs > 0)) throw new Error("--duration must be a positive number of seconds")
if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`--schema must be a plain identifier, got ${schema}`)

const hidePassword = (url: string) => url.replace(/\/\/([^:@/]*):[^@/]*@/, "//$1:***@")

/** Whether a PostgreSQL server answers at `url` within a few seconds. */
const answers = async (url: string): Promise<boolean> => {
  const probe = openPostgres({ url, max: 1 })
  try {
    const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error("no answer within 3 s")), 3_000))
    await Promise.race([probe.query("SELECT 1"), timeout])
    return true
  } catch {
    return false
  } finally {
    void probe.close().catch(() => {})
  }
}

const chooseUrl = async (): Promise<{ url: string; from: string } | undefined> => {
  const fromEnv = process.env["DATABASE_URL"] ? "DATABASE_URL" : process.env["TEST_DATABASE_URL"] ? "TEST_DATABASE_URL" : undefined
  if (fromEnv !== undefined) return { url: process.env[fromEnv] as string, from: fromEnv }
  return (await answers(LOCAL_DEFAULT)) ? { url: LOCAL_DEFAULT, from: "the local default" } : undefined
}

const chosen = await chooseUrl()
if (chosen === undefined) {
  console.error(`bench:numbering needs a PostgreSQL server, and none was configured or found at ${LOCAL_DEFAULT}.
Point it at one (any database you may create a schema in), for example:
  DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench:numbering
or start one locally, e.g.: docker run -d -p 5432:5432 -e POSTGRES_HOST_AUTH_METHOD=trust postgres:17
(Embedded PGlite runs one transaction at a time, so a concurrency benchmark on it would measure nothing.)`)
  process.exit(2)
}
const { url } = chosen

// A real Ed25519 key for this run, signing through the Signer port as jobs/keys does.
const pair = (await crypto.subtle.generateKey({ name: "Ed25519" }, false, ["sign", "verify"])) as CryptoKeyPair
const sign: SignFn = memorySigner(new Map([["HCM", { keyId: "be0c4b0e4c4b0e4c", algorithm: "Ed25519", privateKey: pair.privateKey }]])).sign
// For the unsigned bulk figure only: what numbering and storage cost without the signature.
const placeholder: Seal = { algorithm: "Ed25519", keyId: "bench-placeholder", signature: "A".repeat(86) }
const noSign: SignFn = () => Effect.succeed(placeholder)

const pkcs11Child = flags["pkcs11-child"] === true
let db: Db
try {
  if (pkcs11Child) {
    // The parent made the schema; this child only adds its series.
    db = openPostgres({ url, max: concurrency + 4, schema, applicationName: "bienlai-bench-pkcs11" })
  } else {
    const admin = openPostgres({ url, max: 1 })
    await admin.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE; CREATE SCHEMA ${schema}`)
    await admin.close()
    db = openPostgres({ url, max: concurrency + 4, schema, applicationName: "bienlai-bench" })
    await migrate(db)
    await db.exec("CREATE TABLE bench_counter (series integer PRIMARY KEY, n bigint NOT NULL DEFAULT 0)")
    await db.query(`INSERT INTO bench_counter (series) SELECT generate_series(1, ${seriesCount})`)
  }
} catch (error) {
  console.error(`bench:numbering: cannot prepare schema ${schema} on ${hidePassword(url)}: ${errorMessage(error)}`)
  process.exit(2)
}

const year = new Date().getUTCFullYear() % 100
const symbolOf = (first: string, i: number) => `${first}${String.fromCharCode(65 + (i % 26))}/${year}E`

interface Tally {
  count: number
  seconds: number
  /** CPU time of this process (user + system), microseconds. */
  cpuUs: number
}
const tally = (): Tally => ({ count: 0, seconds: 0, cpuUs: 0 })
const rate = (t: Tally) => (t.seconds > 0 ? t.count / t.seconds : 0)

const timed = async (into: Tally, workers: number, ms: number, work: (worker: number) => Promise<number>) => {
  const start = performance.now()
  const cpu = process.cpuUsage()
  const deadline = start + ms
  await Promise.all(Array.from({ length: workers }, async (_, w) => {
    while (performance.now() < deadline) {
      const done = await work(w)
      into.count += done
    }
  }))
  into.seconds += (performance.now() - start) / 1000
  const used = process.cpuUsage(cpu)
  into.cpuUs += used.user + used.system
}

/** What the store signs with at issuance: the seal and the QR token, as the program's store does (store/receipts/layer.ts). */
const issuingSign = (signer: Signer["Service"]): SignFn => withTokens(signer.sign, (r) => Effect.provideService(signToken(r), Signer, signer))

const hexId = () => Buffer.from(crypto.getRandomValues(new Uint8Array(8))).toString("hex")

/** Software keys in memory (WebCrypto, non-extractable): one for seals and tokens, or with RSA an RSA seal key and an ECDSA token key. */
const softwareSigner = async (type: KeyType): Promise<Signer["Service"]> => {
  const seal: SigningKey = { keyId: hexId(), algorithm: algorithmOfKeyType(type), privateKey: (await generateKeyPair(type)).privateKey }
  if (!type.startsWith("RSA")) return memorySigner(new Map([["HCM", seal]]))
  const token: SigningKey = { keyId: hexId(), algorithm: "ECDSA-P256", purpose: "token", privateKey: (await generateKeyPair("ECDSA-P256")).privateKey }
  return memorySigner(new Map([["HCM", [{ ...seal, purpose: "seal" }, token]]]))
}

interface Contender {
  readonly name: string
  readonly store: ReturnType<typeof makeReceiptStore>
  readonly template: Receipt
  readonly tally: Tally
  failures: number
}

const contender = (name: string, signer: Signer["Service"], symbol: string): Contender =>
  ({ name, store: makeReceiptStore(db, issuingSign(signer)), template: template(symbol), tally: tally(), failures: 0 })

/** The full issue path per contender, interleaved in rounds so background load hits them alike. */
const runContenders = async (contenders: ReadonlyArray<Contender>) => {
  for (let round = 0; round < rounds; round++) {
    for (const c of contenders) {
      await timed(c.tally, concurrency, sliceMs, async () => {
        const r = await Effect.runPromise(Effect.result(c.store.issue(requestFrom(c.template))))
        if (Result.isSuccess(r)) return 1
        if (++c.failures === 1) console.error(`${c.name}: issue failed: ${r.failure.message}`)
        return 0
      })
    }
  }
}

/** In the child: SoftHSM2's ECDSA P-256 key on a token against the software ECDSA key, side by side. */
const pkcs11Phase = async (): Promise<Record<string, unknown>> => {
  const { openToken, generateOnToken, unloadModules } = await import("../adapters/keys/pkcs11-token.ts")
  const { pkcs11Signer, closeTokenSessions } = await import("../adapters/keys/pkcs11-signer.ts")
  const { agencyExtensions, createRoot } = await import("../adapters/keys/pki.ts")
  const { x509 } = await import("../adapters/keys/x509.ts")
  const { keyIdOf } = await import("../domain/signing/trust.ts")
  const module = findSoftHsm2() as string
  const label = process.env["BENCH_PKCS11_TOKEN"] ?? ""
  const pin = process.env["BENCH_PKCS11_PIN"] ?? ""
  const token = openToken(module, label, pin, { write: true })
  const { reference, spki } = generateOnToken(token, "ECDSA-P256", "bench-seal")
  token.close()
  // A certificate for the token key, from a throwaway root: the signer names its seals by the certificate's key id.
  const notBefore = new Date(Date.now() - 86_400_000)
  const notAfter = new Date(Date.now() + 86_400_000)
  const root = await createRoot({ algorithm: "ECDSA-P256", notBefore, notAfter })
  const publicKey = new x509.PublicKey(spki as Uint8Array<ArrayBuffer>)
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: "01" + hexId(),
    subject: "CN=Cục THADS HCM - receipt signing, OU=HCM, O=Bộ Tư pháp, C=VN",
    issuer: root.certificate.subject,
    notBefore,
    notAfter,
    signingAlgorithm: { name: "ECDSA", hash: "SHA-256" },
    publicKey,
    signingKey: root.keys.privateKey,
    extensions: await agencyExtensions(publicKey, root.keys.publicKey)
  })
  const stored = {
    agency: "HCM",
    keyId: await keyIdOf(new Uint8Array(certificate.rawData)),
    algorithm: "ECDSA-P256" as const,
    certificate,
    keyPath: "",
    location: { kind: "pkcs11" as const, path: "", reference }
  }
  const onToken = pkcs11Signer({ module, pin: async () => pin }, [{ agency: "HCM", certificate: stored, reference }])
  const contenders = [contender("software ECDSA P-256", await softwareSigner("ECDSA-P256"), symbolOf("P", 0)), contender("PKCS#11 SoftHSM2 ECDSA P-256", onToken, symbolOf("Q", 0))]
  try {
    await runContenders(contenders)
  } finally {
    await closeTokenSessions()
    unloadModules()
  }
  const [software, hsm] = contenders as [Contender, Contender]
  return {
    software_per_s: Math.round(rate(software.tally)),
    pkcs11_per_s: Math.round(rate(hsm.tally)),
    ratio_to_software: Number((rate(hsm.tally) / rate(software.tally)).toFixed(2)),
    failures: software.failures + hsm.failures,
    count: software.tally.count + hsm.tally.count
  }
}

if (pkcs11Child) {
  console.log(JSON.stringify(await pkcs11Phase()))
  await db.close()
  process.exit(0)
}

/** Why the PKCS#11 signer is not measured here, or undefined when it can be. */
const pkcs11Missing = (): string | undefined => {
  if (findSoftHsm2() === undefined) return "SoftHSM2 is not installed (Debian package softhsm2): the PKCS#11 signer is not measured"
  if (!["/usr/bin/softhsm2-util", "/usr/local/bin/softhsm2-util"].some((p) => existsSync(p))) return "softhsm2-util is missing: no token can be initialised, the PKCS#11 signer is not measured"
  try {
    createRequire(import.meta.url)("pkcs11js")
  } catch {
    return "the PKCS#11 binding pkcs11js did not build at npm ci: the PKCS#11 signer is not measured"
  }
  return undefined
}

/** The PKCS#11 phase in a child (SoftHSM2 reads SOFTHSM2_CONF when it loads, from the process's own environment), on a fresh token. */
const measurePkcs11 = (): Record<string, unknown> => {
  const missing = pkcs11Missing()
  if (missing !== undefined) {
    console.error(`PKCS#11: skipped: ${missing}`)
    return { skipped: missing }
  }
  const dir = mkdtempSync(join(tmpdir(), "bienlai-bench-softhsm-"))
  mkdirSync(join(dir, "tokens"))
  const conf = join(dir, "softhsm2.conf")
  writeFileSync(conf, `directories.tokendir = ${join(dir, "tokens")}\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n`)
  const util = ["/usr/bin/softhsm2-util", "/usr/local/bin/softhsm2-util"].find((p) => existsSync(p)) as string
  const env = { ...process.env, SOFTHSM2_CONF: conf, DATABASE_URL: url, BENCH_PKCS11_TOKEN: "bienlai-bench", BENCH_PKCS11_PIN: "246810" }
  const init = spawnSync(util, ["--init-token", "--free", "--label", "bienlai-bench", "--pin", "246810", "--so-pin", "13579135"], { encoding: "utf8", env })
  if (init.status !== 0) return { skipped: `softhsm2-util --init-token failed: ${init.stderr.trim()}` }
  const child = spawnSync(process.execPath, [process.argv[1] as string, "--pkcs11-child", "--schema", schema, "--concurrency", String(concurrency), "--rounds", String(rounds), "--duration", String(flags.duration)], { encoding: "utf8", env })
  const line = child.stdout.trim().split("\n").pop() ?? ""
  try {
    return JSON.parse(line) as Record<string, unknown>
  } catch {
    return { skipped: `the PKCS#11 run failed (exit ${child.status}): ${child.stderr.trim().split("\n").slice(-3).join(" ")}` }
  }
}

const loadBefore = loadavg()[0] ?? 0
console.error(
  `bench:numbering on ${hidePassword(url)} (from ${chosen.from}), schema ${schema}: concurrency ${concurrency}, ` +
    `${seriesCount} series, ${rounds} rounds of ${(sliceMs / 1000).toFixed(1)} s per phase, bulk ranges of ${bulkSize}; ` +
    `load average ${loadBefore.toFixed(2)}`
)

const store = makeReceiptStore(db, sign)
const unsignedStore = makeReceiptStore(db, noSign)
const issueTemplates = Array.from({ length: seriesCount }, (_, i) => template(symbolOf("A", i)))
const signedBulkTemplates = Array.from({ length: seriesCount }, (_, i) => template(symbolOf("B", i)))
const unsignedBulkTemplates = Array.from({ length: seriesCount }, (_, i) => template(symbolOf("C", i)))

// The floor's groups, signed beforehand and numbered as the statement will take them (a fresh series).
const floorSeries = { agency: "HCM", form: "01-BLTHADS", symbol: symbolOf("D", 0) }
await db.query("INSERT INTO series_counter (agency, form, symbol) VALUES ($1::text, $2::text, $3::text)", [floorSeries.agency, floorSeries.form, floorSeries.symbol])
const floorGroups: Array<Awaited<ReturnType<typeof numberAndSign>>> = []
{
  const floorTemplate = template(floorSeries.symbol)
  // Enough for 12,000 receipts a second; if the database is faster, the phase stops early and its rate stays right.
  const wanted = Math.ceil((12_000 * sliceMs * rounds) / 1000 / concurrency)
  for (let g = 0; g < wanted; g++) {
    const prepared = Array.from({ length: concurrency }, () => Result.getOrThrow(prepareIssue(requestFrom(floorTemplate))))
    floorGroups.push(await numberAndSign(prepared, 1 + g * concurrency, sign))
  }
}
let floorNext = 0

const baseline = tally()
const issued = tally()
const issueFloor = tally()
let issueFailures = 0
for (let round = 0; round < rounds; round++) {
  // 1. Baseline: one row per transaction on a hot counter.
  await timed(baseline, concurrency, sliceMs, async (w) => {
    await db.query("UPDATE bench_counter SET n = n + 1 WHERE series = $1::integer RETURNING n", [(w % seriesCount) + 1])
    return 1
  })
  // 2. The full issuance path with group issuance, at the same concurrency.
  await timed(issued, concurrency, sliceMs, async (w) => {
    const r = await Effect.runPromise(Effect.result(store.issue(requestFrom(issueTemplates[w % seriesCount] as Receipt))))
    if (Result.isSuccess(r)) return 1
    if (++issueFailures === 1) console.error(`issue failed: ${r.failure.message}`)
    return 0
  })
  // 3. The floor: the issuance statement alone, one pre-signed group after another.
  const started = performance.now()
  const deadline = started + sliceMs
  while (performance.now() < deadline && floorNext < floorGroups.length) {
    const group = floorGroups[floorNext] as (typeof floorGroups)[number]
    if (!(await issuePredicted(db, floorSeries, 1 + floorNext * concurrency, group.rows, group.search))) throw new Error("floor: the prediction missed")
    floorNext++
    issueFloor.count += group.rows.length
  }
  issueFloor.seconds += (performance.now() - started) / 1000
}

// 4. Bulk range reservation, one job per series at a time; signed, then with the signature left out.
const bulkPhase = async (target: typeof store, templates: Array<Receipt>): Promise<Tally> => {
  const t = tally()
  await timed(t, seriesCount, sliceMs * rounds, async (w) => {
    const requests = Array.from({ length: bulkSize }, () => requestFrom(templates[w] as Receipt))
    const r = await Effect.runPromise(Effect.result(target.issueRange(requests)))
    if (Result.isFailure(r)) throw new Error(`bulk failed: ${r.failure.message}`)
    return r.success.length
  })
  return t
}
const bulk = await bulkPhase(store, signedBulkTemplates)
const bulkUnsigned = await bulkPhase(unsignedStore, unsignedBulkTemplates)

// 5. The seal algorithms side by side, seal and token signed and stored, and the PKCS#11 signer where SoftHSM2 is installed.
const algorithmTypes = ["ECDSA-P256", "RSA-PSS-2048", "Ed25519"] as const satisfies ReadonlyArray<KeyType>
const algorithms: Array<Contender> = []
for (const [i, type] of algorithmTypes.entries()) algorithms.push(contender(type, await softwareSigner(type), symbolOf("E", i)))
await runContenders(algorithms)
const pkcs11 = measurePkcs11()

// 6. The bulk floor: a range's rows, signed, written again by one INSERT (rolled back).
const bulkFloor = tally()
{
  const floor = await databaseFloor(db, { agency: "HCM", symbol: symbolOf("B", 0), limit: bulkSize })
  bulkFloor.count = floor.rows
  bulkFloor.seconds = floor.seconds
}
const loadAfter = loadavg()[0] ?? 0

// Verification: every series gap-free and duplicate-free, and every success stored.
const audit = await Effect.runPromise(store.auditNumbering({}))
const gaps = audit.reduce((n, a) => n + a.gaps.length, 0)
const duplicates = audit.reduce((n, a) => n + a.duplicates.length, 0)
const stored = audit.reduce((n, a) => n + a.count, 0)
const reported = issued.count + bulk.count + bulkUnsigned.count + issueFloor.count + algorithms.reduce((n, c) => n + c.tally.count, 0) +
  (typeof pkcs11["count"] === "number" ? pkcs11["count"] : 0)
const defaultRate = rate(algorithms[0]!.tally)
await db.close()

// CPU per item of this process only (the database server's share is not counted): less noisy than rates on a busy machine.
const row = (name: string, t: Tally, unit: string) =>
  `${name.padEnd(44)} ${String(t.count).padStart(9)} ${t.seconds.toFixed(2).padStart(7)} s ${rate(t).toFixed(0).padStart(9)} ${unit}/s ${
    (t.count > 0 ? t.cpuUs / t.count : 0).toFixed(0).padStart(7)
  } µs`
console.log([
  `${"phase".padEnd(44)} ${"count".padStart(9)} ${"time".padStart(9)} ${"rate".padStart(9)} ${"".padEnd(10)} ${"JS CPU/item".padStart(10)}`,
  row(`baseline UPDATE ... RETURNING (${concurrency})`, baseline, "numbers"),
  row(`issue: number+sign+row+audit (${concurrency})`, issued, "receipts"),
  row(`bulk ranges of ${bulkSize} (COPY, signed)`, bulk, "receipts"),
  row(`bulk ranges of ${bulkSize} (COPY, signature left out)`, bulkUnsigned, "receipts"),
  row(`floor: the statement alone, groups of ${concurrency}`, { ...issueFloor, cpuUs: 0 }, "receipts"),
  row(`floor: ${bulkSize} signed rows, one INSERT`, bulkFloor, "receipts"),
  `issue / baseline: ${(rate(issued) / rate(baseline)).toFixed(2)}; load average ${loadBefore.toFixed(2)} before, ${loadAfter.toFixed(2)} after (${
    navigator.hardwareConcurrency
  } cores)`,
  ...algorithms.map((c) => `${row(`issue with seal+token, ${c.name} (${concurrency})`, c.tally, "receipts")}  ${(rate(c.tally) / defaultRate).toFixed(2)} of ECDSA`),
  `PKCS#11 (SoftHSM2): ${"skipped" in pkcs11 ? `skipped: ${String(pkcs11["skipped"])}` : `${String(pkcs11["pkcs11_per_s"])} receipts/s against ${String(pkcs11["software_per_s"])} with the software key in the same run: ${String(pkcs11["ratio_to_software"])}`}`,
  `series audited: ${audit.length}, receipts stored: ${stored} (reported ${reported}), gaps: ${gaps}, duplicates: ${duplicates}, failed issues: ${issueFailures}`
].join("\n"))
console.error(`check it again with: DATABASE_URL=${hidePassword(url)} npm run bienlai -- audit numbering --schema ${schema}`)
console.log(JSON.stringify({
  baseline_per_s: Math.round(rate(baseline)),
  issue_per_s: Math.round(rate(issued)),
  ratio: Number((rate(issued) / rate(baseline)).toFixed(2)),
  bulk_per_s: Math.round(rate(bulk)),
  bulk_unsigned_per_s: Math.round(rate(bulkUnsigned)),
  floor_issue_per_s: Math.round(rate(issueFloor)),
  floor_ratio: Number((rate(issueFloor) / rate(baseline)).toFixed(2)),
  floor_bulk_per_s: Math.round(rate(bulkFloor)),
  algorithms: Object.fromEntries(algorithms.map((c) => [c.name, {
    issue_per_s: Math.round(rate(c.tally)),
    ratio_to_ecdsa_software: Number((rate(c.tally) / defaultRate).toFixed(2)),
    cpu_us_per_receipt: c.tally.count > 0 ? Math.round(c.tally.cpuUs / c.tally.count) : 0,
    failures: c.failures
  }])),
  pkcs11,
  gaps,
  duplicates,
  load: Number(((loadBefore + loadAfter) / 2).toFixed(2))
}))
process.exitCode = gaps === 0 && duplicates === 0 && stored === reported && audit.every(isClean) && algorithms.every((c) => c.failures === 0) ? 0 : 1
