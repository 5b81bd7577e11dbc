/**
 * The second, closer reading of the lines domain/extraction/reread.ts picks:
 * each line is cropped from the page before binarisation, scaled up twice
 * (a 150 dpi scan then reads like 600 dpi), and read by tesseract as one
 * line, digits only where a number is expected. The new words replace the
 * old only when extraction then finds what was missing or is surer of it.
 */
import sharp from "sharp"
import { extractFields, type ExtractOptions } from "../../domain/extraction/extract.ts"
import type { Extraction } from "../../domain/extraction/extraction.ts"
import type { OcrBox, OcrPage } from "../../domain/extraction/ocr-output.ts"
import { betterOf, replaceWords, rereadTargets, type RereadTarget } from "../../domain/extraction/reread.ts"
import type { OcrPool } from "./pool.ts"
import type { Preprocessed } from "./preprocess.ts"

const LINE_SCALE = 2

const median = (xs: ReadonlyArray<number>): number => {
  const sorted = [...xs].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] ?? 0
}

// Left and right from the extremes; top and bottom from the medians, because a speck or a
// tall misread glyph in the line would otherwise stretch the crop over the lines around it.
const lineBoxOf = (boxes: ReadonlyArray<OcrBox>): OcrBox | undefined =>
  boxes.length === 0 ? undefined : {
    x0: Math.min(...boxes.map((b) => b.x0)),
    y0: median(boxes.map((b) => b.y0)),
    x1: Math.max(...boxes.map((b) => b.x1)),
    y1: median(boxes.map((b) => b.y1))
  }

/** The target's words cropped with a margin, scaled up; undefined when the line has no boxes. */
const cropLine = async (pre: Preprocessed, page: OcrPage, target: RereadTarget): Promise<Buffer | undefined> => {
  const words = page.lines[target.line]?.words ?? []
  // Specks come as tiny boxes: only boxes at least a few pixels tall and wide describe the line.
  const boxes = words.flatMap((w) => (w.box === undefined || w.box.y1 - w.box.y0 < 8 || w.box.x1 - w.box.x0 < 4 ? [] : [w.box]))
  const lineBox = lineBoxOf(boxes)
  if (lineBox === undefined) return undefined
  const valueBox = lineBoxOf(words.slice(target.fromWord, target.toWord).flatMap((w) => (w.box === undefined ? [] : [w.box])))
  const h = lineBox.y1 - lineBox.y0
  // A value may have lost words at its end: a free reading runs to the page's edge, a number a little past its last digit.
  const x0 = Math.max(0, Math.round((valueBox?.x0 ?? (target.fromWord === 0 ? 0 : lineBox.x1)) - 0.6 * h))
  const x1 = Math.min(pre.width, Math.round(target.whitelist === undefined ? pre.width : (valueBox?.x1 ?? lineBox.x1) + 0.8 * h))
  const y0 = Math.max(0, Math.round(lineBox.y0 - 0.5 * h))
  const y1 = Math.min(pre.height, Math.round(lineBox.y1 + 0.5 * h))
  if (x1 - x0 < 8 || y1 - y0 < 8) return undefined
  return sharp(pre.gray, { raw: { width: pre.width, height: pre.height, channels: 1 } })
    .extract({ left: x0, top: y0, width: x1 - x0, height: y1 - y0 })
    .resize({ width: (x1 - x0) * LINE_SCALE, kernel: "lanczos3" })
    // White margin: tesseract reads a line best with room around it.
    .extend({ top: 20, bottom: 20, left: 20, right: 20, background: "#ffffff" })
    .png({ compressionLevel: 1 })
    .toBuffer()
}

/**
 * Extraction with second readings: extracts, reads again the lines of the
 * fields missing or unsure, keeps each second reading that helps.
 */
export const extractWithRereads = async (
  pool: OcrPool,
  pages: ReadonlyArray<OcrPage>,
  images: ReadonlyArray<Preprocessed | undefined>,
  options: ExtractOptions = {}
): Promise<{ readonly extraction: Extraction; readonly reread: number }> => {
  let current = pages
  let extraction = extractFields(current, options)
  let reread = 0
  for (const target of rereadTargets(current, extraction)) {
    const pre = images[target.page]
    const page = current[target.page]
    if (pre === undefined || page === undefined) continue
    const crop = await cropLine(pre, page, target)
    if (crop === undefined) continue
    const read = await pool.recognizeLine(crop, target.whitelist === undefined ? {} : { whitelist: target.whitelist })
    reread++
    const words = read.lines.flatMap((l) => l.words).map(({ text, confidence }) => ({ text, confidence }))
    if (words.length === 0) continue
    const candidate = replaceWords(current, target, words)
    const next = extractFields(candidate, options)
    if (betterOf(extraction, next, target)) {
      current = candidate
      extraction = next
    }
  }
  return { extraction, reread }
}
