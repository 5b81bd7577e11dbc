/**
 * Real OCR on a 150 dpi fax of corpus B's tuning seed 7 (sample 4, a State
 * Treasury slip), whose decision number "1626/QĐ-CTHADS" tesseract reads
 * "1826/QĐ-CTHADS" at first: the second opinions read it right twice and
 * overrule the first reading, with a warning that keeps what was read.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { createOcrPool, type OcrPool } from "../../adapters/ocr/pool.ts"
import { readImages } from "../../adapters/ocr/read-document.ts"
import { warningText } from "../../edge/console/ocr-messages.ts"
import { makeSampleB } from "../support/corpus-b/corpus.ts"

let pool: OcrPool
beforeAll(async () => {
  pool = await createOcrPool({ size: 1, pageTimeMs: 240_000 })
})
afterAll(async () => {
  await pool?.close()
})

describe("second opinions on a fax's digits", () => {
  test("a decision number's 6 read as 8 is overruled by two agreeing readings, and said", async () => {
    const sample = await makeSampleB(7, 4)
    expect(sample.id).toEndWith("-fax")
    const first = await readImages(pool, [sample.image], { currentYear: 2026, secondOpinions: false })
    expect(first.extraction.fields.decisionNumber).toBe("1826/QĐ-CTHADS")
    const { extraction } = await readImages(pool, [sample.image], { currentYear: 2026 })
    expect(extraction.fields.decisionNumber).toBe(sample.truth.decisionNumber!)
    expect(extraction.warnings).toContainEqual(expect.objectContaining({ code: "corrected", field: "decisionNumber", original: "1826/QĐ-CTHADS", corrected: "1626/QĐ-CTHADS" }))
    // The officer reads it in Vietnamese.
    const said = extraction.warnings.find((w) => w.code === "corrected" && w.field === "decisionNumber")!
    expect(warningText("vi", said)).toBe('Đã sửa "1826/QĐ-CTHADS" thành "1626/QĐ-CTHADS" (gần nhất trong các lần đọc lại giá trị này, có ít nhất hai lần đọc ra như nhau)')
    // Every other field the page prints is read as it was: the vote changed the decision number alone.
    expect({ ...extraction.fields, decisionNumber: undefined }).toEqual({ ...first.extraction.fields, decisionNumber: undefined })
  }, 240_000)
})
