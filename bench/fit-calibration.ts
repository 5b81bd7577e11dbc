/**
 * `npm run fit:calibration [-- --from FILE | --resume] [--out FILE] [--min N] [--no-write]`
 *
 * Fits the confidence calibration (domain/extraction/calibration.ts) and checks it on pages
 * held out from the fit. The pages are those of bench/calibration-plan.ts (tuning seeds
 * only). Each page is read through the whole pipeline with raw confidences; what was read,
 * the first reading and the page's facts are appended to the observations file (default
 * bench/out/calibration-observations.jsonl) as each page is done, so:
 *   --resume     reads only the pages the file does not hold yet (after an interruption);
 *   --from FILE  reads no page at all: refits from a file written before (the contexts are
 *                computed again from what it holds, so a change to calibration-context.ts
 *                needs no new reading).
 * Writes domain/extraction/calibration-data.ts (unless --no-write) and prints, for the
 * held-out pages, the calibration bins with the context-aware table and with a table per
 * field alone (the previous design) fitted on the same pages, and one JSON line.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs"
import { dirname } from "node:path"
import { fieldContexts, type PageFacts } from "../domain/extraction/calibration-context.ts"
import { calibrate, calibrationBins, type CalibrationTable, fitCalibration, MIN_SAMPLES, type Observation } from "../domain/extraction/calibration.ts"
import { type Extraction, type FieldName, fieldNames } from "../domain/extraction/extraction.ts"
import { createOcrPool } from "../adapters/ocr/pool.ts"
import { readImages } from "../adapters/ocr/read-document.ts"
import { makeSample, type Sample } from "../test/support/corpus/corpus.ts"
import { makeSampleB } from "../test/support/corpus-b/corpus.ts"
import { calibrationPlan, type PageSet } from "./calibration-plan.ts"
import { sameValue } from "./field-truth.ts"

interface PageRecord {
  readonly set: "fit" | "heldOut"
  readonly corpus: "a" | "b"
  readonly seed: number
  readonly index: number
  readonly id: string
  readonly truth: Partial<Record<FieldName, string>>
  /** Raw confidences. */
  readonly extraction: Extraction
  readonly first: Extraction
  readonly pageFacts: ReadonlyArray<PageFacts>
}

const option = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 ? process.argv[i + 1] : undefined
}
const from = option("from")
const out = option("out") ?? new URL("./out/calibration-observations.jsonl", import.meta.url).pathname
const minSamples = Number(option("min") ?? MIN_SAMPLES)
const write = !process.argv.includes("--no-write")

// A line cut off by an interruption is skipped (its page is read again on --resume).
const readRecords = (file: string): Array<PageRecord> =>
  (existsSync(file) ? readFileSync(file, "utf8").split("\n") : []).flatMap((l) => {
    if (l.trim() === "") return []
    try {
      return [JSON.parse(l) as PageRecord]
    } catch {
      return []
    }
  })

const started = performance.now()
let pagesRead = 0
let records: Array<PageRecord>
if (from !== undefined) records = readRecords(from)
else {
  const resume = process.argv.includes("--resume")
  mkdirSync(dirname(out), { recursive: true })
  if (!resume) writeFileSync(out, "")
  // A line cut off mid-write must not swallow the next record.
  else if (existsSync(out) && !readFileSync(out, "utf8").endsWith("\n") && readFileSync(out, "utf8") !== "") appendFileSync(out, "\n")
  const done = new Set(readRecords(out).map((r) => `${r.corpus}/${r.seed}/${r.index}`))
  const jobs = (["fit", "heldOut"] as const).flatMap((set) =>
    calibrationPlan[set].flatMap((p: PageSet) => Array.from({ length: p.count }, (_, index) => ({ set, ...p, index })))
  )
    .filter((j) => !done.has(`${j.corpus}/${j.seed}/${j.index}`))
    // Every set and seed advances together, so a run cut short still holds some of each.
    .sort((a, b) => a.index / a.count - b.index / b.count)
  const pool = await createOcrPool()
  // A few pages in hand at once: enough that the engines never wait for the renderer, few enough to bound memory.
  let next = 0
  const worker = async () => {
    while (next < jobs.length) {
      const job = jobs[next++]
      if (job === undefined) break
      const sample: Sample = job.corpus === "a" ? await makeSample(job.seed, job.index) : await makeSampleB(job.seed, job.index)
      const read = await readImages(pool, [sample.image], { currentYear: 2026, calibration: false })
      const record: PageRecord = {
        set: job.set,
        corpus: job.corpus,
        seed: job.seed,
        index: job.index,
        id: sample.id,
        truth: sample.truth,
        extraction: read.extraction,
        first: read.first,
        pageFacts: read.pageFacts
      }
      appendFileSync(out, `${JSON.stringify(record)}\n`)
      pagesRead++
      if (pagesRead % 10 === 0) console.error(`${pagesRead}/${jobs.length} pages read (${((performance.now() - started) / 1000).toFixed(0)} s)`)
    }
  }
  await Promise.all(Array.from({ length: pool.size + 1 }, worker))
  await pool.close()
  records = readRecords(out)
}
const readSeconds = (performance.now() - started) / 1000

// Every field read is an observation (right or wrong); a field the truth lacks but was read is wrong.
const observationsOf = (r: PageRecord): Array<Observation> => {
  const contexts = fieldContexts(r.extraction, r.first, r.pageFacts)
  return (Object.entries(r.extraction.fields) as Array<[FieldName, string]>).flatMap(([field, value]) => {
    const confidence = r.extraction.confidence[field]
    if (confidence === undefined) return []
    const truth = r.truth[field]
    return [{ field, confidence, correct: truth !== undefined && sameValue(field, truth, value), context: contexts[field] ?? [], page: r.id }]
  })
}
const fitRecords = records.filter((r) => r.set === "fit")
const heldRecords = records.filter((r) => r.set === "heldOut")
const fitObs = fitRecords.flatMap(observationsOf)
const heldObs = heldRecords.flatMap(observationsOf)
const table = fitCalibration(fitObs, minSamples)
// The previous design, for comparison: one table per field, no context.
const fieldOnly = fitCalibration(fitObs.map(({ field, confidence, correct }) => ({ field, confidence, correct })), Number.POSITIVE_INFINITY)

const scored = (t: CalibrationTable, obs: ReadonlyArray<Observation>) =>
  obs.map((o) => ({ ...o, confidence: calibrate(t, o.field, o.confidence, o.context ?? []) }))
const sureOf = (obs: ReadonlyArray<{ confidence: number; correct: boolean }>) => {
  const sure = obs.filter((o) => o.confidence >= 0.9)
  return { fields: sure.length, right: sure.filter((o) => o.correct).length, accuracy: sure.length === 0 ? null : Math.round((sure.filter((o) => o.correct).length / sure.length) * 10000) / 10000 }
}
const printBins = (title: string, obs: ReadonlyArray<{ confidence: number; correct: boolean }>) => {
  console.log(`${title}\nconfidence      fields  right  accuracy`)
  for (const b of calibrationBins(obs)) {
    console.log(`[${b.from.toFixed(2)}, ${b.to.toFixed(2)}${b.to >= 1 ? "]" : ")"}  ${String(b.count).padStart(6)} ${String(b.right).padStart(6)}  ${b.count === 0 ? "   -" : `${((b.right / b.count) * 100).toFixed(1)}%`}`)
  }
  const s = sureOf(obs)
  console.log(`≥ 0.9: ${s.right}/${s.fields}${s.accuracy === null ? "" : ` = ${(s.accuracy * 100).toFixed(1)} %`}`)
}

const heldContext = scored(table, heldObs)
const heldField = scored(fieldOnly, heldObs)
printBins(`held-out pages (${heldRecords.length}, ${heldObs.length} fields), calibrated in context:`, heldContext)
printBins(`held-out pages, one table per field (previous design) fitted on the same pages:`, heldField)
for (const o of heldContext) {
  if (o.confidence >= 0.9 && !o.correct) console.log(`confident miss: ${(o as Observation & { page: string }).page} ${o.field} ${o.confidence} [${(o.context ?? []).join(",")}]`)
}
// Where the flags are: how many held-out fields carry each, and how sure they came out.
const flagCounts = Object.fromEntries(
  ["fax", "faint", "photo", "reread", "corrected", "warned", "capitals", "checked"].map((flag) => {
    const withFlag = heldContext.filter((o) => (o.context ?? []).includes(flag as never))
    return [flag, { fields: withFlag.length, right: withFlag.filter((o) => o.correct).length, sure: sureOf(withFlag) }]
  })
)
console.log(`held-out fields by context flag: ${JSON.stringify(flagCounts)}`)

// What the readings scored, per corpus and seed (as eval:extraction counts: a field read where the truth has none is wrong).
for (const key of [...new Set(records.map((r) => `${r.corpus} ${r.seed}`))]) {
  const pages = records.filter((r) => `${r.corpus} ${r.seed}` === key)
  const fieldAccuracy: Record<string, string> = {}
  for (const field of fieldNames) {
    let expected = 0
    let right = 0
    for (const r of pages) {
      const truth = r.truth[field]
      const read = r.extraction.fields[field]
      if (truth === undefined && read === undefined) continue
      expected++
      if (truth !== undefined && read !== undefined && sameValue(field, truth, read)) right++
    }
    if (expected > 0) fieldAccuracy[field] = `${right}/${expected}`
  }
  console.log(JSON.stringify({ corpus: key.split(" ")[0], seed: Number(key.split(" ")[1]), pages: pages.length, fieldAccuracy }))
}

// One table a line, so a refit reads as a diff of the tables that moved.
const tableSource = (t: CalibrationTable): string => {
  const block = (o: Readonly<Record<string, unknown>>) =>
    `{\n${Object.entries(o).map(([k, v]) => `    ${JSON.stringify(k)}: ${JSON.stringify(v)}`).join(",\n")}\n  }`
  return `{\n  fields: ${block(t.fields)},\n  contexts: ${block(t.contexts)},\n  samples: ${block(t.samples ?? {})}\n}`
}

if (write) {
  const plan = JSON.stringify(calibrationPlan)
  writeFileSync(
    new URL("../domain/extraction/calibration-data.ts", import.meta.url),
    `/**\n * Generated by \`npm run fit:calibration\` (bench/fit-calibration.ts, docs/OCR.md "Confidence"): fitted on\n` +
      ` * ${fitObs.length} fields of ${fitRecords.length} pages (minimum ${minSamples} per context table); plan ${plan}.\n */\n` +
      `import type { CalibrationTable } from "./calibration.ts"\n\nexport const shippedCalibration: CalibrationTable = ${tableSource(table)}\n`
  )
  console.log(`calibration fitted on ${fitObs.length} fields of ${fitRecords.length} pages and written to domain/extraction/calibration-data.ts`)
}
const h = sureOf(heldContext)
const hf = sureOf(heldField)
console.log(
  JSON.stringify({
    fitPages: fitRecords.length,
    fitFields: fitObs.length,
    heldOutPages: heldRecords.length,
    heldOutFields: heldObs.length,
    contextTables: Object.keys(table.contexts).length,
    heldOutConfident: h.fields,
    heldOutConfidentAccuracy: h.accuracy,
    heldOutConfidentFieldOnly: hf.fields,
    heldOutConfidentAccuracyFieldOnly: hf.accuracy,
    heldOutBins: calibrationBins(heldContext).map((b) => ({ from: b.from, to: b.to, fields: b.count, right: b.right })),
    pagesRead,
    seconds: Math.round(readSeconds)
  })
)

