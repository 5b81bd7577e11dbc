/**
 * `npm run bench:ocr [-- --pages N]`: the same generated pages (corpus A,
 * seed 99) read three ways in one run:
 *
 * - native: Debian's `tesseract` used as an operator would on 2 cores: two
 *   processes, each given a list file of half the pages, OMP_THREAD_LIMIT=1
 *   (no oversubscribed OpenMP threads), `--oem 1` (LSTM), TSV output (word
 *   boxes, as the pipeline needs), and the same Vietnamese data file as the
 *   pipeline (the npm package's, unpacked).
 * - engine: the tesseract.js pool alone on the same files (no preprocessing,
 *   no extraction), to show what WebAssembly costs against native code.
 * - pipeline: what `bienlai extract` does (decode, preprocess, OCR, extract,
 *   second readings).
 * - previous pipeline: the same with the settings before issue 18's speed
 *   work (the page handed over as a PNG, pages under 1900 px wide upscaled,
 *   no cleaning), so the gain is measured in the same run.
 *
 * Prints pages per second and the ratio pipeline / native in a final JSON
 * line. The native program is an optional system tool (apt-get install
 * tesseract-ocr): where it is absent, that side is skipped and says so, and
 * the JSON line also gives the ratio to the native figure the issue measured
 * on this machine (4.42 pages/s, tesseract 5.3, two processes), named as
 * such. `--pool N` sets the number of engines (default: one per core).
 */
import { execFile } from "node:child_process"
import { availableParallelism, loadavg } from "node:os"
import { mkdir, mkdtemp, readFile, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { gunzipSync } from "node:zlib"
import { join, resolve } from "node:path"
import { promisify } from "node:util"
import { makeSample } from "../test/support/corpus/corpus.ts"
import { createOcrPool } from "../adapters/ocr/pool.ts"
import { readDocument } from "../adapters/ocr/read-document.ts"

const run = promisify(execFile)
const i = process.argv.indexOf("--pages")
const pages = i >= 0 ? Number(process.argv[i + 1]) : Number(process.env["BENCH_PAGES"] ?? 12)
const p = process.argv.indexOf("--pool")
const poolSize = p >= 0 ? Number(process.argv[p + 1]) : undefined
// Native tesseract 5.3 on these 12 pages as an operator runs it (OMP_THREAD_LIMIT=1, two processes
// with file lists), measured on this machine for issue 18; used only where tesseract is not installed.
const ISSUE_NATIVE_PAGES_PER_SECOND = 4.42
const dir = resolve("bench/out/ocr")
await mkdir(dir, { recursive: true })
const files: Array<string> = []
for (let n = 0; n < pages; n++) {
  const s = await makeSample(99, n)
  const file = join(dir, `${s.id}.${s.extension}`)
  await writeFile(file, s.image)
  files.push(file)
}
const round = (x: number) => Math.round(x * 100) / 100
const cores = availableParallelism()

const pool = await createOcrPool(poolSize === undefined ? {} : { size: poolSize })
await readDocument(pool, files[0] ?? "") // warm-up: the workers' first page pays for wasm compilation
let t = performance.now()
await Promise.all(files.map(async (f) => pool.recognize(await readFile(f))))
const engine = pages / ((performance.now() - t) / 1000)
// The previous settings first, then the shipped ones, on the same warm pool.
t = performance.now()
await Promise.all(files.map((f) => readDocument(pool, f, { preprocess: { encoding: "png", upscaleBelow: 1900, clean: false } })))
const previous = pages / ((performance.now() - t) / 1000)
t = performance.now()
await Promise.all(files.map((f) => readDocument(pool, f)))
const ours = pages / ((performance.now() - t) / 1000)
const data = pool.languageData
await pool.close()
console.log(`tesseract.js pool of ${pool.size}, engine alone:  ${engine.toFixed(2)} pages/s`)
console.log(`previous pipeline (PNG, no cleaning): ${previous.toFixed(2)} pages/s`)
console.log(`pipeline (bienlai extract):          ${ours.toFixed(2)} pages/s`)

let native: number | null = null
if (Bun.which("tesseract") === null) {
  console.log("native tesseract: skipped (not installed; apt-get install tesseract-ocr to compare)")
} else if (data !== undefined) {
  // The native program reads the same data as the pool, unpacked (it does not read .gz).
  let tessdata = data.langPath
  if (data.gzip) {
    tessdata = await mkdtemp(join(tmpdir(), "bienlai-tessdata-"))
    await writeFile(join(tessdata, "vie.traineddata"), gunzipSync(await readFile(join(data.langPath, "vie.traineddata.gz"))))
  }
  const env = { ...process.env, TESSDATA_PREFIX: tessdata, OMP_THREAD_LIMIT: "1" }
  const lists = await Promise.all(
    Array.from({ length: cores }, async (_, k) => {
      const list = join(dir, `list-${k}.txt`)
      await writeFile(list, files.filter((_, n) => n % cores === k).join("\n") + "\n")
      return list
    })
  )
  t = performance.now()
  await Promise.all(lists.map((list, k) => run("tesseract", [list, join(dir, `native-${k}`), "-l", "vie", "--oem", "1", "tsv"], { env, maxBuffer: 1 << 26 })))
  native = pages / ((performance.now() - t) / 1000)
  const version = (await run("tesseract", ["--version"])).stdout.split("\n")[0]
  console.log(`native ${version}, ${cores} processes with file lists, OMP_THREAD_LIMIT=1: ${native.toFixed(2)} pages/s (data: ${data.langPath})`)
}
console.log(
  JSON.stringify({
    pages,
    cores,
    poolSize: pool.size,
    languageData: data?.langPath ?? null,
    enginePagesPerSecond: round(engine),
    pipelinePagesPerSecond: round(ours),
    previousPipelinePagesPerSecond: round(previous),
    nativePagesPerSecond: native === null ? null : round(native),
    ratio: native === null ? null : round(ours / native),
    engineRatio: native === null ? null : round(engine / native),
    // Where native tesseract is absent: against the issue's figure, from another run (its load unknown): indicative only.
    issueNativePagesPerSecond: ISSUE_NATIVE_PAGES_PER_SECOND,
    ratioToIssueNative: round(ours / ISSUE_NATIVE_PAGES_PER_SECOND),
    loadAverage: round(loadavg()[0] ?? 0)
  })
)
