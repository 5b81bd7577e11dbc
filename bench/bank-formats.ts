/**
 * `npm run bench:bank-formats -- [--n 1000000]`: the bank file formats at
 * scale, each step in its own process so its peak RSS is its own.
 *
 *   pain.001  write N payout lines to a file (validated, deterministic, streaming)
 *             baseline: the same bytes written by a plain template-string join
 *   camt.053  read a statement of N entries (balances checked)
 *             baseline: saxes alone over the same file, counting <Ntry>
 *   MT940     read a statement of N entries (balances checked)
 *             baseline: reading the same file's lines
 *   CSV       read N rows through the bienlai-standard mapping
 *             baseline: splitting the same file into CSV records
 *
 * Input files are generated first (not timed) under bench/out/ and removed
 * after. The last line is JSON with seconds, peak RSS (MB) and ratio per
 * format. Goals: N = 1,000,000 within about 512 MB and a few seconds each.
 */
import { spawnSync } from "node:child_process"
import { createHash } from "node:crypto"
import { once } from "node:events"
import { createReadStream, createWriteStream, mkdirSync, rmSync, statSync } from "node:fs"
import { join } from "node:path"
import { createInterface } from "node:readline"
import { SaxesParser } from "saxes"
import { readCamt053 } from "../adapters/bank/iso20022/camt.ts"
import { writePain001File } from "../adapters/bank/iso20022/pain001-file.ts"
import { loadStatementMappings } from "../adapters/bank/mappings.ts"
import { readCsvStatement } from "../adapters/bank/statement-sheets.ts"
import { bankByBin, banks } from "../domain/bank/banks.ts"
import { createCsvSplitter } from "../domain/bank/csv.ts"
import { readMt940Async } from "../domain/bank/mt940.ts"
import type { Pain001Header, Pain001Line } from "../domain/bank/pain001.ts"
import type { StatementMapping } from "../domain/bank/statement-mapping.ts"
import { camtChunks } from "../test/bank/iso-writers.ts"

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback
}
const N = Number(arg("n", "1000000"))
const phase = arg("phase", "")
const outDir = join(import.meta.dir, "out")
const file = (name: string) => join(outDir, name)

const bins = banks.filter((b) => b.kind === "bank").map((b) => b.bin)
// Deterministic amounts: a linear congruential sequence, whole đồng from 50,000 to about 500 million.
const amountOf = (i: number) => 50_000n + BigInt((i * 2_654_435_761) % 499_950_000)

const header: Pain001Header = {
  messageId: "BENCH-PAYOUT",
  createdAt: "2025-06-16T09:30:00+07:00",
  debtor: { name: "Cục Thi hành án dân sự TP. Hồ Chí Minh", account: "0071000123456", bankBin: "970436" }
}
const line = (i: number): Pain001Line => ({
  endToEndId: `PAY-${i}`,
  creditorName: `Nguyễn Văn Người Nhận ${i}`,
  creditorAccount: String(1_000_000_000 + i),
  creditorBankBin: bins[i % bins.length] as string,
  amount: amountOf(i),
  remittance: `Chi trả tiền THA vụ án 3699 đợt 8 dòng ${i}`
})
const totals = () => {
  let sum = 0n
  for (let i = 1; i <= N; i++) sum += amountOf(i)
  return { count: N, sum }
}

/** Writes chunks to a file in 1 MiB batches with backpressure. */
const writeChunks = async (path: string, chunks: Iterable<string>) => {
  const out = createWriteStream(path)
  let batch: Array<string> = []
  let size = 0
  for (const c of chunks) {
    batch.push(c)
    size += c.length
    if (size >= 1 << 20) {
      if (!out.write(batch.join(""))) await once(out, "drain")
      batch = []
      size = 0
    }
  }
  out.write(batch.join(""))
  out.end()
  await once(out, "finish")
}

const agent = (bin: string) => {
  const bank = bankByBin(bin)
  return `<FinInstnId>${bank?.bic === undefined ? "" : `<BICFI>${bank.bic}</BICFI>`}<ClrSysMmbId><ClrSysId><Prtry>NAPAS</Prtry></ClrSysId><MmbId>${bin}</MmbId></ClrSysMmbId></FinInstnId>`
}

/** The same pain.001 bytes by plain string join: no checks, names already unaccented. */
function* plainPain001(): Generator<string> {
  const t = totals()
  const name = "Cuc Thi hanh an dan su TP. Ho Chi Minh"
  yield `<?xml version="1.0" encoding="UTF-8"?>\n<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.09">\n<CstmrCdtTrfInitn>\n` +
    `<GrpHdr><MsgId>BENCH-PAYOUT</MsgId><CreDtTm>2025-06-16T09:30:00+07:00</CreDtTm><NbOfTxs>${t.count}</NbOfTxs><CtrlSum>${t.sum}</CtrlSum><InitgPty><Nm>${name}</Nm></InitgPty></GrpHdr>\n` +
    `<PmtInf><PmtInfId>BENCH-PAYOUT</PmtInfId><PmtMtd>TRF</PmtMtd><BtchBookg>false</BtchBookg><NbOfTxs>${t.count}</NbOfTxs><CtrlSum>${t.sum}</CtrlSum>` +
    `<ReqdExctnDt><Dt>2025-06-16</Dt></ReqdExctnDt><Dbtr><Nm>${name}</Nm></Dbtr><DbtrAcct><Id><Othr><Id>0071000123456</Id></Othr></Id><Ccy>VND</Ccy></DbtrAcct>` +
    `<DbtrAgt>${agent("970436")}</DbtrAgt>\n`
  const agents = new Map(bins.map((b) => [b, agent(b)]))
  for (let i = 1; i <= N; i++) {
    const bin = bins[i % bins.length] as string
    yield `<CdtTrfTxInf><PmtId><EndToEndId>PAY-${i}</EndToEndId></PmtId><Amt><InstdAmt Ccy="VND">${amountOf(i)}</InstdAmt></Amt>` +
      `<CdtrAgt>${agents.get(bin)}</CdtrAgt><Cdtr><Nm>Nguyen Van Nguoi Nhan ${i}</Nm></Cdtr><CdtrAcct><Id><Othr><Id>${1_000_000_000 + i}</Id></Othr></Id></CdtrAcct>` +
      `<RmtInf><Ustrd>Chi tra tien THA vu an 3699 dot 8 dong ${i}</Ustrd></RmtInf></CdtTrfTxInf>\n`
  }
  yield "</PmtInf>\n</CstmrCdtTrfInitn>\n</Document>\n"
}

const statementEntries = function*() {
  for (let i = 1; i <= N; i++) {
    yield { date: "2025-06-16", amount: amountOf(i), direction: i % 10 === 0 ? "debit" as const : "credit" as const, reference: `FT${String(i).padStart(12, "0")}`, memo: `NGUYEN VAN A${i} NOP TIEN THA THEO QD ${i % 9999}/QD-CTHADS` }
  }
}
const closing = () => {
  let b = 0n
  for (const e of statementEntries()) b += e.direction === "credit" ? e.amount : -e.amount
  return b
}

const generate = async () => {
  const c = closing()
  const statement = { id: "BENCH", account: "0071000123456", date: "2025-06-16", opening: 0n, entries: [] }
  const camt = camtChunks("053", [statement], () => statementEntries())
  await writeChunks(file("camt053.xml"), (function*() {
    for (const chunk of camt) yield chunk.replace("<Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy=\"VND\">0</Amt><CdtDbtInd>CRDT</CdtDbtInd>", `<Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy="VND">${c < 0n ? -c : c}</Amt><CdtDbtInd>${c < 0n ? "DBIT" : "CRDT"}</CdtDbtInd>`)
  })())
  await writeChunks(file("statement.mt940"), (function*() {
    yield ":20:BENCH\n:25:0071000123456\n:28C:1/1\n:60F:C250616VND0,\n"
    for (const e of statementEntries()) yield `:61:2506160616${e.direction === "credit" ? "C" : "D"}${e.amount},NTRFNONREF//${e.reference.slice(2)}\n:86:${e.memo}\n`
    yield `:62F:${c < 0n ? "D" : "C"}250616VND${c < 0n ? -c : c},\n-\n`
  })())
  await writeChunks(file("statement.csv"), (function*() {
    yield "Số tài khoản:;0071000123456\nSố dư đầu kỳ:;0\nNgày hạch toán;Số tham chiếu;Ghi nợ;Ghi có;Nội dung\n"
    for (const e of statementEntries()) yield `16/06/2025;${e.reference};${e.direction === "debit" ? e.amount : ""};${e.direction === "credit" ? e.amount : ""};${e.memo}\n`
    yield `Số dư cuối kỳ:;${c < 0n ? `-${-c}` : c}\n`
  })())
}

const phases: Record<string, () => Promise<Record<string, unknown>>> = {
  "pain001": async () => {
    const lines = function*() {
      for (let i = 1; i <= N; i++) yield line(i)
    }
    const written = await writePain001File(file("pain001.xml"), header, lines(), totals())
    return { bytes: written.bytes }
  },
  "pain001-baseline": async () => {
    await writeChunks(file("pain001-plain.xml"), plainPain001())
    return {}
  },
  "camt053": async () => {
    let entries = 0
    let check = ""
    for await (const e of readCamt053(createReadStream(file("camt053.xml")))) {
      if (e.type === "entry") entries++
      else if (e.type === "end") check = e.summary.balanceCheck
    }
    return { entries, check }
  },
  "camt053-baseline": async () => {
    let entries = 0
    // The parser as the reader configures it: no namespace processing, positions on.
    const parser = new SaxesParser({ xmlns: false, position: true })
    parser.on("opentag", (t) => {
      if (t.name === "Ntry") entries++
    })
    parser.on("text", () => {})
    const decoder = new TextDecoder()
    for await (const chunk of createReadStream(file("camt053.xml"))) parser.write(decoder.decode(chunk as Uint8Array, { stream: true }))
    parser.close()
    return { entries }
  },
  "mt940": async () => {
    let entries = 0
    let check = ""
    for await (const e of readMt940Async(createInterface({ input: createReadStream(file("statement.mt940"), { encoding: "utf8" }), crlfDelay: Number.POSITIVE_INFINITY }))) {
      if (e.type === "entry") entries++
      else if (e.type === "end") check = e.summary.balanceCheck
    }
    return { entries, check }
  },
  "mt940-baseline": async () => {
    let lines = 0
    for await (const _ of createInterface({ input: createReadStream(file("statement.mt940"), { encoding: "utf8" }), crlfDelay: Number.POSITIVE_INFINITY })) lines++
    return { lines }
  },
  "csv": async () => {
    const mapping = loadStatementMappings().get("bienlai-standard") as StatementMapping
    let entries = 0
    let check = ""
    for await (const e of readCsvStatement(createReadStream(file("statement.csv")), mapping, { statementId: "bench" })) {
      if (e.type === "entry") entries++
      else if (e.type === "end") check = e.summary.balanceCheck
    }
    return { entries, check }
  },
  "csv-baseline": async () => {
    const splitter = createCsvSplitter("auto")
    const decoder = new TextDecoder()
    let records = 0
    for await (const chunk of createReadStream(file("statement.csv"))) records += splitter.push(decoder.decode(chunk as Uint8Array, { stream: true })).length
    records += splitter.end().length
    return { records }
  }
}

if (phase !== "") {
  // Child: one step, timed, with this process's own peak RSS.
  const run = phases[phase]
  if (run === undefined) throw new Error(`unknown phase ${phase}`)
  const t0 = performance.now()
  const extra = await run()
  const seconds = (performance.now() - t0) / 1000
  const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024)
  console.log(JSON.stringify({ phase, seconds, peakRssMb, ...extra }))
} else {
  mkdirSync(outDir, { recursive: true })
  const log = (s: string) => console.log(s)
  log(`bank formats at N = ${N.toLocaleString("en")} (bun ${typeof Bun !== "undefined" ? Bun.version : "?"})`)
  const t0 = performance.now()
  await generate()
  log(`inputs generated in ${((performance.now() - t0) / 1000).toFixed(1)} s: camt.053 ${(statSync(file("camt053.xml")).size / 1e6).toFixed(0)} MB, MT940 ${(statSync(file("statement.mt940")).size / 1e6).toFixed(0)} MB, CSV ${(statSync(file("statement.csv")).size / 1e6).toFixed(0)} MB`)
  const child = (name: string): { seconds: number; peakRssMb: number } & Record<string, unknown> => {
    const run = spawnSync(process.execPath, [import.meta.path, "--phase", name, "--n", String(N)], { encoding: "utf8", maxBuffer: 1 << 20 })
    if (run.status !== 0) throw new Error(`${name} failed: ${run.stderr}`)
    const result = JSON.parse(run.stdout.trim().split("\n").at(-1) as string)
    log(`${name.padEnd(18)} ${result.seconds.toFixed(2).padStart(7)} s   peak RSS ${String(result.peakRssMb).padStart(4)} MB   ${JSON.stringify(Object.fromEntries(Object.entries(result).filter(([k]) => !["phase", "seconds", "peakRssMb"].includes(k))))}`)
    return result
  }
  const sha = async (path: string) => {
    const h = createHash("sha256")
    for await (const chunk of createReadStream(path)) h.update(chunk as Uint8Array)
    return h.digest("hex")
  }
  const results: Record<string, unknown> = { n: N }
  for (const [name, base] of [["pain001", "pain001-baseline"], ["camt053", "camt053-baseline"], ["mt940", "mt940-baseline"], ["csv", "csv-baseline"]] as const) {
    const ours = child(name)
    const baseline = child(base)
    results[`${name}_seconds`] = Number(ours.seconds.toFixed(2))
    results[`${name}_peak_rss_mb`] = ours.peakRssMb
    results[`${name}_baseline_seconds`] = Number(baseline.seconds.toFixed(2))
    results[`${name}_ratio`] = Number((ours.seconds / baseline.seconds).toFixed(2))
    if (name === "pain001") {
      results.pain001_same_bytes_as_baseline = (await sha(file("pain001.xml"))) === (await sha(file("pain001-plain.xml")))
      results.pain001_mb = Math.round(statSync(file("pain001.xml")).size / 1e6)
      rmSync(file("pain001.xml"))
      rmSync(file("pain001-plain.xml"))
    } else {
      results[`${name}_all_read`] = ours.entries === N && ours.check === "balanced"
    }
  }
  for (const f of ["camt053.xml", "statement.mt940", "statement.csv"]) rmSync(file(f), { force: true })
  const peak = Math.max(...Object.entries(results).filter(([k]) => k.endsWith("_peak_rss_mb")).map(([, v]) => v as number))
  results.peak_rss_mb = peak
  results.goals = { under512MB: peak < 512 }
  console.log(JSON.stringify(results))
}
