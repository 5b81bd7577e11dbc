/**
 * `npm run bench:payout [-- --sizes 43108,1000000]`: plan, sign, store and
 * export one payout round of 43,108 creditors (the HCMC case) and of
 * 1,000,000, on PostgreSQL (BENCH_DATABASE_URL or DATABASE_URL, else the
 * local server postgres://postgres@127.0.0.1:5432/test), each in a fresh
 * schema.
 *
 * Per size, three processes, so that the measured one's peak RSS is its own:
 *   setup  (not timed) the synthetic creditors imported with COPY;
 *   run    the timed steps, as `bienlai payout plan/approve/export` do them:
 *            plan     read the claims and the history, planRound
 *            hash     the lines' and the planned header's SHA-256
 *            store    the round and its lines (COPY, with the checks of migration 0450)
 *            approve  the approval, the agency's signature (ECDSA P-256), every line approved
 *            export   the bank lines marked sent and the pain.001 written
 *          then the baseline in the same process: the same line rows with
 *          COPY into a table without index, check or trigger, and the same
 *          pain.001 bytes from a plain string join;
 *          and `exact`: the stored lines add up to the round's amount, the
 *          plan's columns too, the pain.001's control sum to the bank lines'
 *          net, to the đồng.
 * The last line is JSON. Goals (docs/PAYOUT.md): 43,108 end to end < 5 s;
 * 1,000,000 < 60 s and < 512 MB.
 */
import { spawnSync } from "node:child_process"
import { closeSync, mkdirSync, openSync, readSync, rmSync, statSync } from "node:fs"
import { join } from "node:path"
import { writePain001File } from "../adapters/bank/iso20022/pain001-file.ts"
import { lookupCodeFromBytes } from "../domain/ids.ts"
import { LINE_KINDS, lineId, SETTLEMENTS } from "../domain/payout/plan.ts"
import { ratioText } from "../domain/payout/ratio.ts"
import { migrate } from "../store/database/migrate.ts"
import { openPostgres } from "../store/database/postgres-db.ts"
import { approveRound } from "../store/payout/approve-round.ts"
import { exportRound } from "../store/payout/bank-export.ts"
import { importClaims } from "../store/payout/claims.ts"
import { planAndStoreRound } from "../store/payout/plan-round.ts"
import { makeTestSigner } from "../test/store/test-signer.ts"
import { ratioRound, syntheticCreditors } from "../test/payout/hcmc-case.ts"

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback
}
const url = process.env["BENCH_DATABASE_URL"] || process.env["DATABASE_URL"] || "postgres://postgres@127.0.0.1:5432/test"
const phase = arg("phase", "")
const outDir = join(import.meta.dir, "out")
const CASE = "3699/QĐ-CTHADS"
const OWED = 30_081_000_000_000n
const debtor = { name: "Cục Thi hành án dân sự TP. Hồ Chí Minh", account: "0071000123456", bankBin: "970436" }

const setup = async (n: number, schema: string) => {
  const db = openPostgres({ url, max: 2, schema })
  // One creditor in about 45 has no account on file (967 of 43,108 in the HCMC case).
  const claims = syntheticCreditors(n, OWED, { noAccount: Math.round(n / 44.6) })
  await importClaims(db, claims, { agency: "HCM", caseDecision: CASE, by: "bench", now: "2025-06-20T01:00:00.000Z" })
  await db.close()
}

const run = async (n: number, schema: string) => {
  const db = openPostgres({ url, max: 4, schema })
  const keys = await makeTestSigner(["HCM"])
  const seconds: Record<string, number> = {}
  let t = performance.now()
  let current = ""
  const step = (name: string) => {
    const now = performance.now()
    if (current !== "") seconds[current] = (seconds[current] ?? 0) + (now - t) / 1000
    if (process.env["BENCH_VERBOSE"]) {
      console.error(`${n}: ${current} done, ${name} begins; RSS ${Math.round(process.memoryUsage().rss / 1e6)} MB, peak ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`)
    }
    current = name
    t = now
  }
  const terms = ratioRound(1, "24.81%", { kind: "circular_216_2016", baseSalary: 2_340_000n }, 10_000_000_000_000n)
  const started = performance.now()
  const stored = await planAndStoreRound(db, {
    terms, planner: "lap.ke.hoach", now: "2025-07-20T02:00:00.000Z", id: crypto.randomUUID(),
    newLookupCode: () => lookupCodeFromBytes(crypto.getRandomValues(new Uint8Array(8))),
    step: (s) => step(s === "reading claims" ? "plan" : s === "planning" ? "plan" : s === "hashing" ? "hash" : "store")
  })
  step("approve")
  await approveRound(db, keys.sign, { agency: "HCM", roundId: stored.plan.id, approver: "duyet", planSha256: stored.planSha256, now: "2025-07-20T03:00:00.000Z" })
  step("export")
  const file = join(outDir, `payout-${n}.xml`)
  const batch = await exportRound(db, {
    agency: "HCM", roundId: stored.plan.id, debtor, by: "ke.toan", now: "2025-07-20T04:00:00.000Z",
    write: async (b) => {
      await writePain001File(file, { messageId: b.messageId, createdAt: b.createdAt, debtor: b.debtor }, b.lines, { count: b.count, sum: b.sum })
    }
  })
  step("")
  const total = (performance.now() - started) / 1000
  // Peak RSS of bienlai's steps, taken before the checks and the baseline (whose string join holds the whole XML).
  const peak = process.resourceUsage().maxRSS / 1024

  // exact, to the đồng.
  const plan = stored.plan
  const l = plan.lines
  let columns = 0n
  let bankNet = 0n
  let bankLines = 0
  const bank = SETTLEMENTS.indexOf("bank")
  for (let i = 0; i < l.count; i++) {
    columns += l.amount[i]!
    if (l.settlement[i] === bank && l.amount[i]! > l.fee[i]!) {
      bankNet += l.amount[i]! - l.fee[i]!
      bankLines++
    }
  }
  const [stats] = await db.query<{ amount: string; n: number }>("SELECT sum(amount)::text AS amount, count(*)::int AS n FROM payout_lines WHERE round_id = $1::uuid", [plan.id])
  const fd = openSync(file, "r")
  const headBytes = new Uint8Array(4096)
  readSync(fd, headBytes, 0, headBytes.length, 0)
  closeSync(fd)
  const head = new TextDecoder().decode(headBytes)
  const ctrlSum = /<CtrlSum>(\d+)<\/CtrlSum>/.exec(head)?.[1]
  const exact = BigInt(stats!.amount) === plan.totals.paid && stats!.n === l.count && columns === plan.totals.paid &&
    batch.sum === bankNet && batch.count === bankLines && ctrlSum === bankNet.toString()

  // Baseline: the same rows with COPY into a bare table, the same XML by a plain join.
  await db.exec("CREATE TABLE baseline_lines AS SELECT * FROM payout_lines WITH NO DATA")
  const baseStart = performance.now()
  const prefix = lineId(plan.id, 0).slice(0, 13)
  const ratios = plan.ratios.map((r) => `${r.round}\t${r.group}\t${ratioText(r.ratio)}`)
  async function* rows() {
    let text = ""
    for (let i = 0; i < l.count; i++) {
      const c = plan.claims.at(l.claim[i]!)!
      text += `HCM\t${plan.id}\t${i + 1}\t${prefix}${String(i + 1).padStart(7, "0")}\t${c.id}\t${c.rank}\t${LINE_KINDS[l.kind[i]!]}\t${ratios[l.ratio[i]!]}\t${l.base[i]}\t${l.amount[i]}\t${l.fee[i]}\t${SETTLEMENTS[l.settlement[i]!]}\t\\N\tplanned\t0\t\\N\t\\N\t\\N\t\\N\n`
      if (text.length > 1 << 20) {
        yield text
        text = ""
      }
    }
    yield text
  }
  await db.copyIn("baseline_lines", ["agency", "round_id", "line_no", "line_id", "claim_id", "rank", "kind", "for_round", "grp", "ratio", "base", "amount", "fee", "settlement", "lookup_code", "state", "sends", "batch", "reference", "state_by", "state_at"], rows())
  const copySeconds = (performance.now() - baseStart) / 1000
  const xmlStart = performance.now()
  const parts: Array<string> = [`<?xml version="1.0" encoding="UTF-8"?>\n<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.09">\n<CstmrCdtTrfInitn>\n<GrpHdr><MsgId>${batch.messageId}</MsgId></GrpHdr>\n<PmtInf>\n`]
  for (let i = 0; i < l.count; i++) {
    if (l.settlement[i] !== bank || l.amount[i]! <= l.fee[i]!) continue
    const c = plan.claims.at(l.claim[i]!)!
    parts.push(`<CdtTrfTxInf><PmtId><EndToEndId>${prefix}${String(i + 1).padStart(7, "0")}</EndToEndId></PmtId><Amt><InstdAmt Ccy="VND">${l.amount[i]! - l.fee[i]!}</InstdAmt></Amt><CdtrAgt><FinInstnId><ClrSysMmbId><MmbId>${c.bankAccount!.bin}</MmbId></ClrSysMmbId></FinInstnId></CdtrAgt><Cdtr><Nm>${c.creditor.name}</Nm></Cdtr><CdtrAcct><Id><Othr><Id>${c.bankAccount!.number}</Id></Othr></Id></CdtrAcct><RmtInf><Ustrd>Chi tra tien THA ${CASE} dot 1 ${c.id}</Ustrd></RmtInf></CdtTrfTxInf>\n`)
  }
  parts.push("</PmtInf>\n</CstmrCdtTrfInitn>\n</Document>\n")
  await Bun.write(join(outDir, `baseline-${n}.xml`), parts.join(""))
  const xmlSeconds = (performance.now() - xmlStart) / 1000
  const baseline = copySeconds + xmlSeconds
  const fileMb = statSync(file).size / 1e6
  rmSync(file, { force: true })
  rmSync(join(outDir, `baseline-${n}.xml`), { force: true })
  await db.close()
  const baselinePeak = process.resourceUsage().maxRSS / 1024
  console.log(JSON.stringify({
    n, lines: l.count, bankLines, seconds: total, steps: seconds, baseline: { copy: copySeconds, xml: xmlSeconds, total: baseline },
    ratio: total / baseline, peakRssMb: peak, peakRssMbWithBaseline: baselinePeak, pain001Mb: fileMb, paid: plan.totals.paid.toString(), exact
  }))
}

const orchestrate = async () => {
  mkdirSync(outDir, { recursive: true })
  const sizes = arg("sizes", "43108,1000000").split(",").map(Number)
  const results = new Map<number, Record<string, unknown>>()
  for (const n of sizes) {
    const schema = `bench_payout_${n}_${Date.now().toString(36)}`
    const admin = openPostgres({ url, max: 1 })
    await admin.exec(`CREATE SCHEMA ${schema}`)
    const db = openPostgres({ url, max: 1, schema })
    await migrate(db)
    await db.close()
    try {
      for (const p of ["setup", "run"] as const) {
        const child = spawnSync(process.execPath, [import.meta.path, "--phase", p, "--n", String(n), "--schema", schema], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], maxBuffer: 1 << 24 })
        if (child.status !== 0) throw new Error(`${p} for ${n} creditors failed (exit ${child.status})`)
        if (p === "run") {
          const result = JSON.parse(child.stdout.trim().split("\n").at(-1)!) as Record<string, unknown>
          results.set(n, result)
          const s = result["steps"] as Record<string, number>
          console.log(`${n.toLocaleString("en")} creditors: ${(result["seconds"] as number).toFixed(2)} s end to end (` +
            Object.entries(s).map(([k, v]) => `${k} ${v.toFixed(2)}`).join(", ") +
            `); baseline ${((result["baseline"] as { total: number }).total).toFixed(2)} s, ratio ${(result["ratio"] as number).toFixed(2)}; peak RSS ${Math.round(result["peakRssMb"] as number)} MB; exact ${result["exact"]}`)
        }
      }
    } finally {
      await admin.exec(`DROP SCHEMA ${schema} CASCADE`)
      await admin.close()
    }
  }
  const of = (n: number, k: string) => results.get(n)?.[k]
  const small = sizes[0]!
  const large = sizes[sizes.length - 1]!
  console.log(JSON.stringify({
    seconds_43k: of(small, "seconds"),
    seconds_1m: of(large, "seconds"),
    peak_rss_mb: Math.round(Math.max(...[...results.values()].map((r) => r["peakRssMb"] as number))),
    ratio_43k: of(small, "ratio"),
    ratio_1m: of(large, "ratio"),
    exact: [...results.values()].every((r) => r["exact"] === true),
    sizes,
    steps_43k: of(small, "steps"),
    steps_1m: of(large, "steps"),
    peak_rss_mb_43k: Math.round(of(small, "peakRssMb") as number),
    peak_rss_mb_1m: Math.round(of(large, "peakRssMb") as number),
    goals: { seconds_43k: 5, seconds_1m: 60, peak_rss_mb_1m: 512 }
  }))
}

if (phase === "setup") await setup(Number(arg("n", "43108")), arg("schema", ""))
else if (phase === "run") await run(Number(arg("n", "43108")), arg("schema", ""))
else await orchestrate()
