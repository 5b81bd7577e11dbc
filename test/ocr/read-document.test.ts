/** Real OCR (tesseract.js with the Vietnamese data), no mocks: one generated document of each type plus bad inputs. */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { mkdir, writeFile } from "node:fs/promises"
import { join } from "node:path"
import sharp from "sharp"
import { makeSample, type Sample } from "../support/corpus/corpus.ts"
import { findLanguageData } from "../../adapters/ocr/lang-data.ts"
import { createOcrPool, type OcrPool } from "../../adapters/ocr/pool.ts"
import { readDocument } from "../../adapters/ocr/read-document.ts"

const dir = "test-output/ocr-test"
let pool: OcrPool
const samples: Array<Sample> = []

beforeAll(async () => {
  await mkdir(dir, { recursive: true })
  pool = await createOcrPool({ size: 2 })
  // Seed 7 gives one clean-enough document of each type; indices 0,1,2 are slip, advice, decision.
  for (let i = 0; i < 3; i++) samples.push(await makeSample(7, i))
})
afterAll(async () => {
  await pool?.close()
})

const key = ["payerName", "decisionNumber", "amount"] as const

describe("readDocument with real OCR", () => {
  test("the Vietnamese data comes from npm (or OCR_LANG_PATH), and the pool says where from", () => {
    const search = findLanguageData({})
    expect(search.found?.source).toBe("npm")
    expect(search.found?.langPath).toContain(join("@tesseract.js-data", "vie"))
    expect(pool.languageData?.langPath).toBe(findLanguageData().found!.langPath)
    expect(findLanguageData({ OCR_LANG_PATH: "/nonexistent" })).toEqual({ found: undefined, tried: ["/nonexistent"] })
  })

  test("reads one document of each type", async () => {
    const files: Array<string> = []
    for (const s of samples) {
      const file = join(dir, `${s.id}.${s.extension}`)
      await writeFile(file, s.image)
      files.push(file)
    }
    const results = await Promise.all(files.map((f) => readDocument(pool, f, { currentYear: 2026 })))
    results.forEach((r, i) => {
      const s = samples[i]!
      expect(r.documentType).toBe(s.documentType)
      for (const f of key) if (s.truth[f] !== undefined) expect(r.fields[f]).toBe(s.truth[f]!)
      expect(r.error).toBeUndefined()
    })
  }, 60_000)

  test("corrupt file, empty page and a picture that is no document give reasons, not crashes", async () => {
    const corrupt = join(dir, "corrupt.png")
    await writeFile(corrupt, Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from("not really")]))
    const empty = join(dir, "empty.png")
    await sharp({ create: { width: 1240, height: 1754, channels: 3, background: "#ffffff" } }).png().toFile(empty)
    const picture = join(dir, "picture.png")
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="800" height="600"><rect width="800" height="600" fill="#7ab"/><circle cx="400" cy="300" r="200" fill="#f80"/><rect x="100" y="80" width="120" height="400" fill="#333"/></svg>`
    await sharp(Buffer.from(svg)).png().toFile(picture)
    const text = join(dir, "notes.txt")
    await writeFile(text, "hello")

    const [c, e, p, t, missing] = await Promise.all(
      [corrupt, empty, picture, text, join(dir, "missing.png")].map((f) => readDocument(pool, f))
    )
    expect(c!.error).toContain("could not be decoded")
    expect(t!.error).toContain("not a PNG, JPEG, WebP, TIFF or PDF")
    expect(missing!.error).toContain("ENOENT")
    expect(e!.warnings.map((w) => w.code)).toContain("empty_page")
    expect(e!.fields).toEqual({})
    expect(p!.documentType).toBe("unknown")
    expect(p!.fields).toEqual({})
  }, 30_000)
})
