/**
 * `npm run bench:ocr [-- --pages N]`: the same generated pages through our
 * pipeline (decode → preprocess → tesseract.js pool) and through Debian's
 * native `tesseract` program run once per page, in one run. Prints pages per
 * second for both and their ratio (ours / native) as a final JSON line.
 */
import { execFile } from "node:child_process"
import { mkdir, writeFile } from "node:fs/promises"
import { join } from "node:path"
import { promisify } from "node:util"
import { makeSample } from "../jobs/corpus/corpus.ts"
import { findLanguageData } from "../jobs/ocr/lang-data.ts"
import { createOcrPool } from "../jobs/ocr/pool.ts"
import { readDocument } from "../jobs/ocr/read-document.ts"

const run = promisify(execFile)
const i = process.argv.indexOf("--pages")
const pages = i >= 0 ? Number(process.argv[i + 1]) : Number(process.env["BENCH_PAGES"] ?? 12)
const dir = "bench/out/ocr"
await mkdir(dir, { recursive: true })
const files: Array<string> = []
for (let n = 0; n < pages; n++) {
  const s = await makeSample(99, n)
  const file = join(dir, `${s.id}.${s.extension}`)
  await writeFile(file, s.image)
  files.push(file)
}

const pool = await createOcrPool()
await readDocument(pool, files[0] ?? "") // warm-up: the workers' first page pays for wasm compilation
let t = performance.now()
await Promise.all(files.map((f) => readDocument(pool, f)))
const oursSeconds = (performance.now() - t) / 1000
await pool.close()

const data = findLanguageData()
const env = { ...process.env, ...(data.langPath ? { TESSDATA_PREFIX: data.langPath } : {}) }
t = performance.now()
for (const f of files) await run("tesseract", [f, "-", "-l", "vie"], { env, maxBuffer: 1 << 24 })
const nativeSeconds = (performance.now() - t) / 1000

const ours = pages / oursSeconds
const native = pages / nativeSeconds
console.log(`pipeline (tesseract.js pool of ${pool.size}): ${ours.toFixed(2)} pages/s`)
console.log(`native tesseract CLI, once per page:     ${native.toFixed(2)} pages/s`)
console.log(JSON.stringify({ pages, poolSize: pool.size, pipelinePagesPerSecond: Math.round(ours * 100) / 100, nativePagesPerSecond: Math.round(native * 100) / 100, ratio: Math.round((ours / native) * 100) / 100 }))
