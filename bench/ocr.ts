/**
 * `npm run bench:ocr [-- --pages N]`: the same generated pages through our
 * pipeline (decode → preprocess → tesseract.js pool) and through Debian's
 * native `tesseract` program run once per page, in one run. Prints pages per
 * second for both and their ratio (ours / native) as a final JSON line. The
 * native program is an optional system tool (apt-get install tesseract-ocr):
 * where it is absent, that half is skipped and says so.
 */
import { execFile } from "node:child_process"
import { mkdir, mkdtemp, readFile, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { gunzipSync } from "node:zlib"
import { join } from "node:path"
import { promisify } from "node:util"
import { makeSample } from "../test/support/corpus/corpus.ts"
import { createOcrPool } from "../adapters/ocr/pool.ts"
import { readDocument } from "../adapters/ocr/read-document.ts"

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

const ours = pages / oursSeconds
console.log(`pipeline (tesseract.js pool of ${pool.size}): ${ours.toFixed(2)} pages/s`)
const round = (x: number) => Math.round(x * 100) / 100

if (Bun.which("tesseract") === null) {
  console.log("native tesseract CLI: skipped (not installed; apt-get install tesseract-ocr to compare)")
  console.log(JSON.stringify({ pages, poolSize: pool.size, pipelinePagesPerSecond: round(ours), nativePagesPerSecond: null, ratio: null }))
} else {
  // The native program reads the same data as the pool, unpacked (it does not read .gz).
  const data = pool.languageData!
  let tessdata = data.langPath
  if (data.gzip) {
    tessdata = await mkdtemp(join(tmpdir(), "bienlai-tessdata-"))
    await writeFile(join(tessdata, "vie.traineddata"), gunzipSync(await readFile(join(data.langPath, "vie.traineddata.gz"))))
  }
  const env = { ...process.env, TESSDATA_PREFIX: tessdata }
  t = performance.now()
  for (const f of files) await run("tesseract", [f, "-", "-l", "vie"], { env, maxBuffer: 1 << 24 })
  const native = pages / ((performance.now() - t) / 1000)
  console.log(`native tesseract CLI, once per page:     ${native.toFixed(2)} pages/s`)
  console.log(JSON.stringify({ pages, poolSize: pool.size, pipelinePagesPerSecond: round(ours), nativePagesPerSecond: round(native), ratio: round(ours / native) }))
}
