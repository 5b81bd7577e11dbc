/**
 * tesseract's TSV output → the pages of lines of words extraction reads.
 *
 * The pool asks tesseract.js for TSV rather than its `blocks` tree: the
 * tree carries every symbol and its alternatives, serialised as JSON in the
 * engine, parsed there and copied to the main thread, which cost about 15 %
 * of a page's reading time for words extraction never looks at. The TSV
 * holds one row per word with its box and confidence, which is all that is
 * used, and is what native tesseract prints for the same request.
 *
 * Rows: level, page, block, paragraph, line, word, left, top, width,
 * height, confidence (0–100, with decimals), text. Words are level 5; a line is the run of
 * words sharing block, paragraph and line numbers.
 */
import type { OcrLine, OcrPage, OcrWord } from "../../domain/extraction/ocr-output.ts"

const WORD_LEVEL = "5"

export const pageFromTsv = (tsv: string | null | undefined): OcrPage => {
  const lines: Array<OcrLine> = []
  let words: Array<OcrWord> = []
  let key = ""
  const close = () => {
    if (words.length > 0) lines.push({ words })
    words = []
  }
  for (const row of (tsv ?? "").split("\n")) {
    const f = row.split("\t")
    if (f[0] !== WORD_LEVEL || f.length < 12) continue
    const rowKey = `${f[2]} ${f[3]} ${f[4]}`
    if (rowKey !== key) {
      close()
      key = rowKey
    }
    const text = f.slice(11).join("\t").replace(/\r$/, "")
    if (text.trim() === "") continue
    const x0 = Number(f[6])
    const y0 = Number(f[7])
    words.push({
      text: text.normalize("NFC"),
      // Whole percents, as the blocks tree gave them: the calibration and the second readings' thresholds were fitted on those.
      confidence: Math.floor(Number(f[10])) / 100,
      box: { x0, y0, x1: x0 + Number(f[8]), y1: y0 + Number(f[9]) }
    })
  }
  close()
  return { lines }
}
