/**
 * `bun bench/ocr-split.ts [--pages N]`: where a page's time goes, against
 * native tesseract on the very same inputs. The pages of `bench:ocr`
 * (corpus A, seed 99) are read one at a time, one engine, and each step's
 * CPU time is measured (this process's for ours, all threads; the native
 * process's own from its resource usage), so the figures hold under a
 * shared machine's load:
 *
 * - decode, preprocess, ocr (tesseract.js on the preprocessed page),
 *   extract (extraction and the second readings of unsure lines);
 * - engineRaw: tesseract.js on the file as it is;
 * - nativeRaw / nativePre: native tesseract (OMP_THREAD_LIMIT=1, LSTM, TSV,
 *   the same data) on the file as it is and on our preprocessed page.
 *
 * ocr / nativePre is WebAssembly against native code on the same input;
 * nativeRaw against the sum of ours is the pipeline's CPU ratio.
 */
import { mkdtemp, readFile, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { gunzipSync } from "node:zlib"
import { makeSample } from "../test/support/corpus/corpus.ts"
import { decodeFile } from "../adapters/ocr/decode.ts"
import { createOcrPool } from "../adapters/ocr/pool.ts"
import { preprocess } from "../adapters/ocr/preprocess.ts"
import { extractWithRereads } from "../adapters/ocr/reread.ts"

const i = process.argv.indexOf("--pages")
const pages = i >= 0 ? Number(process.argv[i + 1]) : 12
const dir = await mkdtemp(join(tmpdir(), "bienlai-ocr-split-"))
const files: Array<string> = []
for (let n = 0; n < pages; n++) {
  const s = await makeSample(99, n)
  const file = join(dir, `${s.id}.${s.extension}`)
  await writeFile(file, s.image)
  files.push(file)
}
const pool = await createOcrPool({ size: 1 })
const data = pool.languageData
if (data === undefined) throw new Error("no language data")
let tessdata = data.langPath
if (data.gzip) {
  tessdata = await mkdtemp(join(tmpdir(), "bienlai-tessdata-"))
  await writeFile(join(tessdata, "vie.traineddata"), gunzipSync(await readFile(join(data.langPath, "vie.traineddata.gz"))))
}
const hasNative = Bun.which("tesseract") !== null
const native = async (file: string): Promise<number | null> => {
  if (!hasNative) return null
  const p = Bun.spawn(["tesseract", file, join(dir, "native"), "-l", "vie", "--oem", "1", "tsv"], {
    env: { ...process.env, TESSDATA_PREFIX: tessdata, OMP_THREAD_LIMIT: "1" },
    stdout: "ignore",
    stderr: "ignore"
  })
  await p.exited
  const u = p.resourceUsage()
  return u === undefined ? null : Number(u.cpuTime.user + u.cpuTime.system) / 1000
}
const cpu = () => {
  const u = process.cpuUsage()
  return (u.user + u.system) / 1000
}
const timed = async <A>(work: () => Promise<A>): Promise<[A, number]> => {
  const c = cpu()
  const a = await work()
  return [a, cpu() - c]
}

await pool.recognize(await readFile(files[0] ?? "")) // warm-up: wasm compilation
const total: Record<string, number> = {}
let rereads = 0
for (const file of files) {
  const [decoded, decode] = await timed(() => decodeFile(file))
  const page = decoded.pages[0]
  if (page === undefined) continue
  const [pre, prep] = await timed(() => preprocess(page))
  const [ocrPage, ocr] = await timed(() => pool.recognize(pre.image))
  const [extracted, extract] = await timed(() => extractWithRereads(pool, [ocrPage], [pre]))
  rereads += extracted.reread
  const [, engineRaw] = await timed(async () => pool.recognize(await readFile(file)))
  const preFile = join(dir, "page.pbm")
  await writeFile(preFile, pre.image)
  const row = { decode, preprocess: prep, ocr, extract, engineRaw, nativeRaw: await native(file), nativePre: await native(preFile) }
  for (const [k, v] of Object.entries(row)) if (v !== null) total[k] = (total[k] ?? 0) + v
  console.log(JSON.stringify({ file: file.split("/").pop(), width: pre.width, scale: Math.round(pre.scale * 100) / 100, ...Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v === null ? null : Math.round(v)])) }))
}
await pool.close()
const perPage = Object.fromEntries(Object.entries(total).map(([k, v]) => [k, Math.round(v / files.length)]))
const ours = (perPage["decode"] ?? 0) + (perPage["preprocess"] ?? 0) + (perPage["ocr"] ?? 0) + (perPage["extract"] ?? 0)
console.log(
  JSON.stringify({
    pages: files.length,
    cpuMsPerPage: { ...perPage, pipeline: ours },
    rereadLines: rereads,
    wasmVsNativeSameInput: perPage["nativePre"] === undefined ? null : Math.round(((perPage["nativePre"] ?? 0) / (perPage["ocr"] || 1)) * 100) / 100,
    cpuRatio: perPage["nativeRaw"] === undefined ? null : Math.round(((perPage["nativeRaw"] ?? 0) / (ours || 1)) * 100) / 100
  })
)
