/**
 * `npm run bench:reconcile [-- --credits 1000000]`: a month of statements
 * for one large agency, 1,000,000 credits against 1,000,000 receipts, on
 * PostgreSQL (DATABASE_URL or TEST_DATABASE_URL), in a schema of its own.
 *
 * Synthetic data, one account, 30 daily MT940 statements that add up: 90 %
 * of the credits carry the receipt's bienlai payment reference in the memo
 * (a third of them split by a space, as banks do), 7 % only the decision
 * number, amount and payer's name, 3 % nothing to match by. The receipts go
 * straight into recon_targets (setup, not timed).
 *
 *   ours      `bienlai reconcile import` + `run` in one child process (the same
 *             functions the CLI calls): stream the file, read every memo,
 *             COPY, idempotency checks, the unambiguous payment references
 *             matched in one statement, then the domain matcher chunk by
 *             chunk for the rest, matches with evidence, queue, proposals
 *             (importSeconds and runSeconds say which half took the time);
 *   baseline  COPY of the same credits, their exact reference given as a
 *             clean column, plus one SQL join on it.
 *
 * Goals: ours under 60 s and 512 MB peak RSS; at least 98 % of the credits
 * that carry a bienlai reference matched with no officer. The final line
 * is JSON.
 */
import { spawnSync } from "node:child_process"
import { createWriteStream, mkdirSync, rmSync, statSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { parseArgs } from "node:util"
import { formatPaymentReference } from "../domain/reconciliation/payment-reference.ts"
import { readStatementFile } from "../adapters/bank/statement-file.ts"
import { copyLine } from "../store/database/db.ts"
import { migrate } from "../store/database/migrate.ts"
import { openPostgres } from "../store/database/postgres-db.ts"
import { registerBankAccount } from "../store/reconciliation/accounts.ts"
import { runReconciliation } from "../store/reconciliation/run.ts"
import { importStatementEvents } from "../store/reconciliation/statement-import.ts"

const { values } = parseArgs({
  options: { credits: { type: "string", default: "1000000" }, phase: { type: "string", default: "" }, schema: { type: "string", default: "" }, dir: { type: "string", default: "" }, "setup-only": { type: "boolean", default: false } }
})
const N = Number(values.credits)
const url = process.env["DATABASE_URL"] || process.env["TEST_DATABASE_URL"]
if (url === undefined) throw new Error("bench:reconcile needs DATABASE_URL or TEST_DATABASE_URL (a PostgreSQL server)")
const AGENCY = "HCM"
const ACCOUNT = "0071000123456"
const alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// Deterministic data: the i-th receipt and its credit.
const mix = (i: number): number => {
  let x = (i + 0x9e3779b9) | 0
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b)
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35)
  return (x ^ (x >>> 16)) >>> 0
}
const referenceOf = (i: number): string => {
  let v = BigInt(i) * 0x2545f4914f6cdd1dn % 2n ** 50n
  let body = ""
  for (let k = 0; k < 10; k++) {
    body = alphabet[Number(v & 31n)] + body
    v >>= 5n
  }
  return formatPaymentReference(body)
}
const amountOf = (i: number): bigint => 100_000n + BigInt(mix(i) % 1_000_000) * 1_000n
const family = ["NGUYEN", "TRAN", "LE", "PHAM", "HOANG", "VU", "DANG", "BUI"]
const middle = ["VAN", "THI", "DUC", "MINH", "NGOC"]
const given = ["AN", "BINH", "CHAU", "DUNG", "HOA", "KHANH", "LAN", "PHUC", "QUANG", "TAM"]
const nameOf = (i: number): string => `${family[mix(i) % 8]} ${middle[mix(i + 1) % 5]} ${given[mix(i + 2) % 10]}`
const kindOf = (i: number): "ref" | "decision" | "nothing" => {
  const r = mix(i + 7) % 100
  return r < 90 ? "ref" : r < 97 ? "decision" : "nothing"
}
const decisionOf = (i: number) => `${(i % 999_999) + 1}/${2000 + (i % 26)}/QĐ-CTHADS`
const dayOf = (i: number) => Math.floor((i * 30) / N) + 1

const writeStatements = async (path: string, baselinePath: string): Promise<void> => {
  const out = createWriteStream(path)
  const base = createWriteStream(baselinePath)
  const write = (s: string, b: string) => {
    const more = out.write(s)
    const moreB = b === "" || base.write(b)
    return more && moreB ? undefined : Promise.all([more ? undefined : new Promise((r) => out.once("drain", r)), moreB ? undefined : new Promise((r) => base.once("drain", r))])
  }
  let balance = 1_000_000_000n
  let i = 0
  for (let day = 1; day <= 30; day++) {
    const yymmdd = `2506${String(day).padStart(2, "0")}`
    await write(`:20:BENCH${yymmdd}\n:25:${ACCOUNT}\n:28C:${day}/1\n:60F:C${yymmdd}VND${balance},\n`, "")
    for (; i < N && dayOf(i) === day; i++) {
      const amount = amountOf(i)
      balance += amount
      const ref = referenceOf(i)
      const kind = kindOf(i)
      const memo = kind === "ref"
        ? `${nameOf(i)} NOP TIEN THA ${i % 3 === 0 ? `${ref.slice(0, 6)} ${ref.slice(6)}` : ref}`
        : kind === "decision"
        ? `${nameOf(i)} NOP TIEN THA THEO QD ${decisionOf(i).replace("Đ", "D")}`
        : "CHUYEN TIEN"
      const bankRef = `FT${String(i).padStart(10, "0")}`
      const p = write(`:61:${yymmdd}${yymmdd.slice(2)}C${amount},NTRFNONREF//${bankRef}\n:86:${memo}\n`, copyLine([ACCOUNT, bankRef, amount.toString(), memo, kind === "ref" ? ref : null]))
      if (p !== undefined) await p
    }
    await write(`:62F:C${yymmdd}VND${balance},\n-\n`, "")
  }
  await Promise.all([new Promise((r) => out.end(r)), new Promise((r) => base.end(r))])
}

const receiptsCopy = async function* (): AsyncGenerator<string> {
  let chunk: Array<string> = []
  for (let i = 0; i < N; i++) {
    chunk.push(copyLine([AGENCY, "receipt", `r${i}`, "issued", amountOf(i).toString(), referenceOf(i), kindOf(i) === "nothing" ? null : decisionOf(i), nameOf(i), "bank_transfer", "2025-06-01"]))
    if (chunk.length === 10_000) {
      yield chunk.join("")
      chunk = []
    }
  }
  if (chunk.length > 0) yield chunk.join("")
}

const phases: Record<string, (schema: string, dir: string) => Promise<Record<string, unknown>>> = {
  ours: async (schema, dir) => {
    const db = openPostgres({ url, max: 2, schema, applicationName: "bench-reconcile" })
    const now = new Date().toISOString()
    const t0 = performance.now()
    const imported = await importStatementEvents(db, readStatementFile(join(dir, "month.mt940")), { agency: AGENCY, now, source: "month.mt940", chunk: 10_000, timeoutMs: 3_600_000 })
    const importSeconds = Number(((performance.now() - t0) / 1000).toFixed(2))
    const t1 = performance.now()
    const run = await runReconciliation(db, { agency: AGENCY, now, today: "2025-07-01", timeoutMs: 3_600_000 })
    const runSeconds = Number(((performance.now() - t1) / 1000).toFixed(2))
    const refCredits = Number((await db.query<{ n: string }>("SELECT count(*)::text AS n FROM bank_entries WHERE agency = $1::text AND cardinality(memo_refs) > 0", [AGENCY]))[0]?.n)
    const refMatched = Number((await db.query<{ n: string }>(
      "SELECT count(DISTINCT bank_reference)::text AS n FROM recon_matches WHERE agency = $1::text AND rule = 'payment_reference'", [AGENCY]
    ))[0]?.n)
    await db.close()
    return { importSeconds, runSeconds, entries: imported.entries, newEntries: imported.newEntries, ...run, refCredits, refMatched }
  },
  baseline: async (schema, dir) => {
    const db = openPostgres({ url, max: 2, schema, applicationName: "bench-reconcile-baseline" })
    const { createReadStream } = await import("node:fs")
    await db.exec("CREATE UNLOGGED TABLE baseline_credits (account text, bank_reference text, amount bigint, memo text, reference text)")
    const chunks = async function* () {
      for await (const c of createReadStream(join(dir, "baseline.tsv"), { encoding: "utf8", highWaterMark: 1 << 20 })) yield c as string
    }
    await db.copyIn("baseline_credits", ["account", "bank_reference", "amount", "memo", "reference"], chunks())
    const matched = await db.query<{ n: string }>(
      `CREATE TABLE baseline_matches AS SELECT c.account, c.bank_reference, t.id, c.amount FROM baseline_credits c JOIN recon_targets t ON t.agency = 'HCM' AND t.payment_reference = c.reference`
    ).then(() => db.query<{ n: string }>("SELECT count(*)::text AS n FROM baseline_matches"))
    await db.close()
    return { matched: Number(matched[0]?.n) }
  }
}

if (values.phase !== "") {
  const run = phases[values.phase]
  if (run === undefined) throw new Error(`unknown phase ${values.phase}`)
  const t0 = performance.now()
  const extra = await run(values.schema, values.dir)
  const seconds = (performance.now() - t0) / 1000
  console.log(JSON.stringify({ phase: values.phase, seconds, peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024), ...extra }))
} else {
  const log = (s: string) => console.log(s)
  const dir = join(tmpdir(), `bienlai-bench-reconcile-${process.pid}`)
  mkdirSync(dir, { recursive: true })
  const schema = `bench_reconcile_${process.pid}`
  const admin = openPostgres({ url, max: 1 })
  await admin.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE; CREATE SCHEMA ${schema}`)
  const db = openPostgres({ url, max: 2, schema })
  try {
    log(`reconciliation at ${N.toLocaleString("en")} credits against ${N.toLocaleString("en")} receipts`)
    const t0 = performance.now()
    await migrate(db)
    await registerBankAccount(db, { agency: AGENCY, account: ACCOUNT, bankBin: "970436" })
    await db.copyIn("recon_targets", ["agency", "kind", "id", "receipt_status", "amount", "payment_reference", "decision_number", "payer_name", "method", "issued_on"], receiptsCopy())
    await db.exec("ANALYZE recon_targets")
    await writeStatements(join(dir, "month.mt940"), join(dir, "baseline.tsv"))
    log(`setup ${((performance.now() - t0) / 1000).toFixed(1)} s: receipts in recon_targets, MT940 ${(statSync(join(dir, "month.mt940")).size / 1e6).toFixed(0)} MB`)
    const child = (phase: string) => {
      const r = spawnSync(process.execPath, [import.meta.path, "--phase", phase, "--credits", String(N), "--schema", schema, "--dir", dir], { encoding: "utf8", maxBuffer: 1 << 22, env: process.env })
      if (r.status !== 0) throw new Error(`${phase} failed: ${r.stderr}`)
      const result = JSON.parse(r.stdout.trim().split("\n").at(-1) as string)
      log(`${phase.padEnd(9)} ${result.seconds.toFixed(2).padStart(7)} s   peak RSS ${String(result.peakRssMb).padStart(4)} MB   ${JSON.stringify(Object.fromEntries(Object.entries(result).filter(([k]) => !["phase", "seconds", "peakRssMb"].includes(k))))}`)
      return result
    }
    if (values["setup-only"]) {
      log(`kept schema ${schema} and ${dir} (run: --phase ours --schema ${schema} --dir ${dir})`)
      process.exit(0)
    }
    const baseline = child("baseline")
    const ours = child("ours")
    const result = {
      credits: N,
      seconds: Number(ours.seconds.toFixed(2)),
      peak_rss_mb: ours.peakRssMb,
      ratio: Number((ours.seconds / baseline.seconds).toFixed(2)),
      auto_matched_share: Number((ours.refMatched / ours.refCredits).toFixed(4)),
      baseline_seconds: Number(baseline.seconds.toFixed(2)),
      matched_share_all: Number((ours.matchedCredits / N).toFixed(4)),
      by_rule: ours.byRule,
      queued: ours.queued,
      proposals: ours.unmatched,
      goals: { under60s: ours.seconds < 60, under512MB: ours.peakRssMb < 512, refMatched98: ours.refMatched / ours.refCredits >= 0.98 }
    }
    console.log(JSON.stringify(result))
  } finally {
    await db.close()
    await admin.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
    await admin.close()
    rmSync(dir, { recursive: true, force: true })
  }
}
