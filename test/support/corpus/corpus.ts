/**
 * The evaluation corpus: documents of the three types with known ground
 * truth, varied in layout, font, resolution, noise, JPEG quality, rotation
 * (±3°) and blank or faint fields. Sample i of a seed is always the same.
 */
import { mkdir, writeFile } from "node:fs/promises"
import { join } from "node:path"
import { type Draft, drawTruth, type Truth } from "./truth.ts"
import { layOut } from "./layouts.ts"
import { seeded } from "./random.ts"
import { drawScan, renderScan, type Scan } from "./render.ts"

export interface Sample {
  readonly id: string
  readonly documentType: Draft["documentType"]
  readonly truth: Truth
  readonly scan: Scan
  readonly image: Buffer
  readonly extension: "png" | "jpg"
}

const types: ReadonlyArray<Draft["documentType"]> = ["payment_slip", "bank_advice", "decision"]

/**
 * Sample `index` of `seed`. `scan` overrides how it is scanned (a font, a
 * resolution) while the document, its text and truth, stay the same.
 */
export const makeSample = async (seed: number, index: number, options: { readonly scan?: Partial<Scan> } = {}): Promise<Sample> => {
  const r = seeded(seed * 1_000_003 + index)
  const documentType = types[index % types.length] ?? "payment_slip"
  const draft = drawTruth(r, documentType)
  const layout = layOut(r, draft, { blank: 0.08, faint: 0.08 })
  const scan = { ...drawScan(r), ...options.scan }
  const image = await renderScan(layout.lines, scan, r)
  return {
    id: `${documentType}-${seed}-${String(index).padStart(4, "0")}`,
    documentType,
    truth: layout.truth,
    scan,
    image,
    extension: scan.jpegQuality === undefined ? "png" : "jpg"
  }
}

/** Writes images and a truth.json beside them; returns the samples' ids. */
export const writeCorpus = async (dir: string, count: number, seed: number): Promise<ReadonlyArray<string>> => {
  await mkdir(dir, { recursive: true })
  const index: Array<{ file: string; documentType: string; truth: Truth; scan: Scan }> = []
  for (let i = 0; i < count; i++) {
    const s = await makeSample(seed, i)
    const file = `${s.id}.${s.extension}`
    await writeFile(join(dir, file), s.image)
    index.push({ file, documentType: s.documentType, truth: s.truth, scan: s.scan })
  }
  await writeFile(join(dir, "truth.json"), JSON.stringify(index, null, 1))
  return index.map((e) => e.file)
}

if (import.meta.main) {
  const [dir = "test-output/corpus", count = "9", seed = "1"] = process.argv.slice(2)
  const files = await writeCorpus(dir, Number(count), Number(seed))
  console.log(`wrote ${files.length} documents and truth.json to ${dir}`)
}
