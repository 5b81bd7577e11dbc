/**
 * Corpus B: documents bienlai's first generator never made (tables, two
 * columns, sentences, the labels of 2024–2025 forms), under other conditions
 * (low contrast, fax, phone photo, seals and signatures). Sample i of a seed
 * is always the same. Its evaluation seed is not used while tuning the
 * extractor (docs/OCR.md).
 */
import type { Sample } from "../corpus/corpus.ts"
import { seeded } from "../corpus/random.ts"
import { creditAdvice, decisionInSentences, depositSlip, type DocumentB, treasurySlip } from "./documents.ts"
import { drawScanB, renderB } from "./render.ts"
import { drawFacts } from "./truth.ts"

const builders = [treasurySlip, depositSlip, creditAdvice, decisionInSentences] as const

export const makeDocumentB = (seed: number, index: number): DocumentB => {
  const r = seeded(seed * 7_919 + index * 104_729 + 17)
  const build = builders[index % builders.length] ?? treasurySlip
  return build(r, drawFacts(r))
}

export const makeSampleB = async (seed: number, index: number): Promise<Sample> => {
  const r = seeded(seed * 7_919 + index * 104_729 + 17)
  const build = builders[index % builders.length] ?? treasurySlip
  const doc = build(r, drawFacts(r))
  const scan = drawScanB(r)
  const { image, extension } = await renderB(doc.items, scan, r)
  return {
    id: `b-${doc.kind}-${seed}-${String(index).padStart(4, "0")}-${scan.condition}`,
    documentType: doc.documentType,
    truth: doc.truth,
    scan: { dpi: scan.dpi, font: scan.font, rotation: 0, noise: 0, jpegQuality: extension === "jpg" ? 75 : undefined, blur: false },
    image,
    extension
  }
}

if (import.meta.main) {
  const { mkdir, writeFile } = await import("node:fs/promises")
  const [dir = "test-output/corpus-b", count = "8", seed = "7"] = process.argv.slice(2)
  await mkdir(dir, { recursive: true })
  for (let i = 0; i < Number(count); i++) {
    const s = await makeSampleB(Number(seed), i)
    await writeFile(`${dir}/${s.id}.${s.extension}`, s.image)
    console.log(s.id, JSON.stringify(s.truth))
  }
}
