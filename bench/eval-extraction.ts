/**
 * `npm run eval:extraction [-- --count N --seed S --verbose --no-reread --gray --median N]`: generates a corpus with
 * known ground truth, reads it through the real pipeline (preprocessing, the
 * tesseract.js pool, extraction) and scores exact-match accuracy per field and
 * per whole document. Names, addresses and other text compare after NFC; the
 * amount in words compares by the amount it names. A field read where the
 * truth has none (invented) counts as wrong for that field.
 */
import { Result } from "effect"
import { parseAmountInWords } from "../domain/amount-in-words.ts"
import { type FieldName, fieldNames } from "../domain/extraction/extraction.ts"
import { makeSample, type Sample } from "../test/support/corpus/corpus.ts"
import { createOcrPool } from "../adapters/ocr/pool.ts"
import { readImages } from "../adapters/ocr/read-document.ts"

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`)
  const v = i >= 0 ? Number(process.argv[i + 1]) : NaN
  return Number.isFinite(v) ? v : fallback
}
const count = arg("count", Number(process.env["EVAL_COUNT"] ?? 60))
const seed = arg("seed", 2025)
// --no-reread measures the first reading alone, to see what the second readings add.
const noReread = process.argv.includes("--no-reread")
// --gray and --median N try the preprocessing options (see docs/OCR.md).
const preprocessOptions = {
  ...(process.argv.includes("--gray") ? { mode: "gray" as const } : {}),
  ...(arg("median", 0) > 1 ? { median: arg("median", 0) } : {})
}

const goals: Partial<Record<FieldName, number>> = {
  amount: 0.99,
  payerIdNumber: 0.99,
  decisionNumber: 0.98,
  decisionDate: 0.98,
  paymentDate: 0.98,
  payerName: 0.95,
  payerAddress: 0.95
}

const same = (field: FieldName, truth: string, read: string): boolean => {
  if (field === "amountInWords") {
    const a = parseAmountInWords(truth)
    const b = parseAmountInWords(read)
    return Result.isSuccess(a) && Result.isSuccess(b) && a.success === b.success
  }
  return truth.normalize("NFC") === read.normalize("NFC")
}

const score = { expected: {} as Record<string, number>, correct: {} as Record<string, number>, invented: {} as Record<string, number> }
const bump = (table: Record<string, number>, key: string) => (table[key] = (table[key] ?? 0) + 1)
let documentsCorrect = 0
const misses: Array<string> = []

const pool = await createOcrPool()
const started = performance.now()
// Render a few samples ahead so the pool never waits for the generator.
const samples: Array<Promise<Sample>> = []
for (let i = 0; i < count; i++) samples.push(makeSample(seed, i))
const read = samples.map(async (s) => {
  const sample = await s
  const { extraction } = await readImages(pool, [sample.image], { currentYear: 2026, reread: !noReread, preprocess: preprocessOptions })
  return { sample, extraction }
})
for (const p of read) {
  const { sample, extraction } = await p
  let allRight = extraction.documentType === sample.documentType
  bump(score.expected, "documentType")
  if (extraction.documentType === sample.documentType) bump(score.correct, "documentType")
  for (const field of fieldNames) {
    const truth = sample.truth[field]
    const got = extraction.fields[field]
    if (truth !== undefined) {
      bump(score.expected, field)
      if (got !== undefined && same(field, truth, got)) bump(score.correct, field)
      else {
        allRight = false
        misses.push(`${sample.id} ${field}: expected ${JSON.stringify(truth)}, read ${JSON.stringify(got ?? null)}`)
      }
    } else if (got !== undefined) {
      bump(score.invented, field)
      bump(score.expected, field)
      allRight = false
      misses.push(`${sample.id} ${field}: expected nothing, read ${JSON.stringify(got)}`)
    }
  }
  if (allRight) documentsCorrect++
}
const seconds = (performance.now() - started) / 1000
await pool.close()

const accuracy: Record<string, number> = {}
const rows = ["documentType", ...fieldNames].map((field) => {
  const expected = score.expected[field] ?? 0
  const correct = score.correct[field] ?? 0
  const acc = expected === 0 ? 1 : correct / expected
  accuracy[field] = Math.round(acc * 10000) / 10000
  const goal = goals[field as FieldName]
  return `${field.padEnd(15)} ${String(correct).padStart(5)} / ${String(expected).padEnd(5)} ${(acc * 100).toFixed(1).padStart(6)}%  ${
    goal === undefined ? "" : `goal ${goal * 100}% ${acc >= goal ? "met" : "MISSED"}`
  }`
})
if (process.argv.includes("--verbose")) for (const m of misses) console.log(m)
console.log(`field           correct / total  accuracy`)
for (const r of rows) console.log(r)
const documentAccuracy = documentsCorrect / count
console.log(`whole document  ${documentsCorrect} / ${count}  ${(documentAccuracy * 100).toFixed(1)}%   (${count} pages in ${seconds.toFixed(1)} s)`)
console.log(
  JSON.stringify({
    documents: count,
    seed,
    reread: !noReread,
    preprocess: preprocessOptions,
    documentAccuracy: Math.round(documentAccuracy * 10000) / 10000,
    fieldAccuracy: accuracy,
    invented: score.invented,
    goalsMet: Object.entries(goals).every(([f, g]) => (accuracy[f] ?? 0) >= (g ?? 1)),
    seconds: Math.round(seconds * 10) / 10
  })
)
