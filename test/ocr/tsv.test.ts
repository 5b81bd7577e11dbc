/**
 * tesseract's TSV output read into lines of words (adapters/ocr/tsv.ts): the
 * pool reads every page through it, so a line lost, two lines merged or a
 * box shifted here would change every extraction.
 */
import { describe, expect, test } from "bun:test"
import fc from "fast-check"
import { pageFromTsv } from "../../adapters/ocr/tsv.ts"

// As tesseract 5 prints it: a row per page, block, paragraph and line (confidence -1, no text), then the words.
const sample = [
  "1\t1\t0\t0\t0\t0\t0\t0\t2480\t3508\t-1\t",
  "2\t1\t1\t0\t0\t0\t210\t300\t1900\t120\t-1\t",
  "3\t1\t1\t1\t0\t0\t210\t300\t1900\t120\t-1\t",
  "4\t1\t1\t1\t1\t0\t210\t300\t900\t50\t-1\t",
  "5\t1\t1\t1\t1\t1\t210\t300\t120\t50\t96.903465\tHọ",
  "5\t1\t1\t1\t1\t2\t340\t302\t110\t48\t91.751579\tvà",
  "5\t1\t1\t1\t1\t3\t460\t301\t90\t49\t95.000000\t",
  "4\t1\t1\t1\t2\t0\t210\t370\t700\t50\t-1\t",
  "5\t1\t1\t1\t2\t1\t210\t370\t300\t50\t88.5\tNguyễn",
  "2\t1\t2\t0\t0\t0\t1500\t300\t400\t50\t-1\t",
  "3\t1\t2\t1\t0\t0\t1500\t300\t400\t50\t-1\t",
  "4\t1\t2\t1\t1\t0\t1500\t300\t400\t50\t-1\t",
  "5\t1\t2\t1\t1\t1\t1500\t300\t400\t50\t12.3\t|",
  ""
].join("\n")

describe("TSV", () => {
  test("words grouped into their lines, boxes from left/top/width/height, whole-percent confidences, blank words dropped", () => {
    const page = pageFromTsv(sample)
    expect(page.lines.map((l) => l.words.map((w) => w.text))).toEqual([["Họ", "và"], ["Nguyễn"], ["|"]])
    expect(page.lines[0]?.words[0]).toEqual({ text: "Họ", confidence: 0.96, box: { x0: 210, y0: 300, x1: 330, y1: 350 } })
    expect(page.lines[0]?.words[1]?.confidence).toBe(0.91)
    expect(page.lines[1]?.words[0]?.confidence).toBe(0.88)
  })

  test("decomposed marks come out composed (NFC), as the extraction's labels expect", () => {
    const decomposed = "Nguyễn".normalize("NFD")
    const page = pageFromTsv(`5\t1\t1\t1\t1\t1\t0\t0\t10\t10\t90\t${decomposed}`)
    expect(page.lines[0]?.words[0]?.text).toBe("Nguyễn")
  })

  test("no output, or only layout rows: no lines", () => {
    expect(pageFromTsv(undefined).lines).toEqual([])
    expect(pageFromTsv("").lines).toEqual([])
    expect(pageFromTsv(sample.split("\n").filter((r) => !r.startsWith("5\t")).join("\n")).lines).toEqual([])
  })

  test("any page written as TSV reads back as the same lines and words", () => {
    const word = fc.record({
      text: fc.stringMatching(/^[A-Za-zÀ-ỹ0-9.,:\/|-]{1,12}$/).map((t) => t.normalize("NFC")),
      confidence: fc.integer({ min: 0, max: 100 }),
      x0: fc.nat(3000),
      y0: fc.nat(4000),
      w: fc.integer({ min: 1, max: 400 }),
      h: fc.integer({ min: 1, max: 120 })
    })
    // Lines: [block, paragraph] changes mark where blocks and paragraphs begin.
    const line = fc.record({ newBlock: fc.boolean(), newParagraph: fc.boolean(), words: fc.array(word, { minLength: 1, maxLength: 8 }) })
    fc.assert(
      fc.property(fc.array(line, { maxLength: 12 }), (lines) => {
        const rows: Array<string> = ["1\t1\t0\t0\t0\t0\t0\t0\t3000\t4000\t-1\t"]
        let block = 0
        let paragraph = 0
        let lineNum = 0
        lines.forEach((l, i) => {
          if (i === 0 || l.newBlock) {
            block++
            paragraph = 0
            lineNum = 0
            rows.push(`2\t1\t${block}\t0\t0\t0\t0\t0\t1\t1\t-1\t`)
          }
          if (paragraph === 0 || l.newParagraph) {
            paragraph++
            lineNum = 0
            rows.push(`3\t1\t${block}\t${paragraph}\t0\t0\t0\t0\t1\t1\t-1\t`)
          }
          lineNum++
          rows.push(`4\t1\t${block}\t${paragraph}\t${lineNum}\t0\t0\t0\t1\t1\t-1\t`)
          l.words.forEach((w, k) => rows.push(`5\t1\t${block}\t${paragraph}\t${lineNum}\t${k + 1}\t${w.x0}\t${w.y0}\t${w.w}\t${w.h}\t${w.confidence}.25\t${w.text}`))
        })
        const page = pageFromTsv(rows.join("\n"))
        expect(page.lines).toEqual(
          lines.map((l) => ({
            words: l.words.map((w) => ({ text: w.text, confidence: w.confidence / 100, box: { x0: w.x0, y0: w.y0, x1: w.x0 + w.w, y1: w.y0 + w.h } }))
          }))
        )
      })
    )
  })
})
