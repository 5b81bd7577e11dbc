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
import { decideReading, type DigitField, digitFields, digitTargets, readingOf, withDecision } from "../../domain/extraction/ensemble.ts"
import type { ExtractionWarning } from "../../domain/extraction/extraction.ts"
import { correctionWarning } from "../../domain/extraction/gazetteer/correction.ts"
import { betterOf, replaceWords, rereadTargets, type RereadTarget, wantsSecondOpinions } from "../../domain/extraction/reread.ts"
import type { LineOptions, OcrPool } from "./pool.ts"
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

/** How a crop is prepared and read: one of the treatments whose readings vote (ensemble.ts). */
interface Treatment {
  readonly scale: number
  /** Grey below this is ink, the rest paper (thinner strokes than the page's cut); undefined keeps the grey. */
  readonly threshold?: number
  readonly mode: NonNullable<LineOptions["mode"]>
}

/** The first reading of a line; a value's digits are checked with the others too. */
const CLOSER: Treatment = { scale: LINE_SCALE, mode: "line" }
// Chosen on the tuning seeds' faxes (docs/OCR.md): each alone reads 84–90 % of digit fields right
// there; reading the crop as a raw line (no baseline analysis) or thinned (a cut at 100) did worse.
const SECOND_OPINIONS: ReadonlyArray<Treatment> = [
  CLOSER,
  { scale: 1, mode: "line" },
  { scale: 3, mode: "line" },
  { scale: LINE_SCALE, threshold: 200, mode: "line" }
]

/** The target's words cropped with a margin, scaled up; undefined when the line has no boxes. */
const cropLine = async (pre: Preprocessed, page: OcrPage, target: RereadTarget, treatment: Treatment = CLOSER): Promise<Buffer | undefined> => {
  const words = page.lines[target.line]?.words ?? []
  // Specks come as tiny boxes: only boxes at least a few pixels tall and wide describe the line.
  const boxes = words.flatMap((w) => (w.box === undefined || w.box.y1 - w.box.y0 < 8 || w.box.x1 - w.box.x0 < 4 ? [] : [w.box]))
  const lineBox = lineBoxOf(boxes)
  if (lineBox === undefined) return undefined
  const valueBox = lineBoxOf(words.slice(target.fromWord, target.toWord).flatMap((w) => (w.box === undefined ? [] : [w.box])))
  const h = lineBox.y1 - lineBox.y0
  // A value may have lost words at its end: a free reading runs to the page's edge, a number a little past its last digit.
  let x0 = Math.max(0, Math.round((valueBox?.x0 ?? (target.fromWord === 0 ? 0 : lineBox.x1)) - 0.6 * h))
  let x1 = Math.min(pre.width, Math.round(target.whitelist === undefined && target.tight !== true ? pre.width : (valueBox?.x1 ?? lineBox.x1) + 0.8 * h))
  if (target.tight === true && valueBox !== undefined) {
    // A value checked again is cropped halfway to its neighbours at most: the edge of the word
    // before it read as a leading "1", the first letter of the next as a trailing one.
    const before = words[target.fromWord - 1]?.box
    const after = words[target.toWord]?.box
    if (before !== undefined && before.x1 < valueBox.x0) x0 = Math.max(x0, Math.round((before.x1 + valueBox.x0) / 2))
    if (after !== undefined && after.x0 > valueBox.x1) x1 = Math.min(x1, Math.round((valueBox.x1 + after.x0) / 2))
  }
  const y0 = Math.max(0, Math.round(lineBox.y0 - 0.5 * h))
  const y1 = Math.min(pre.height, Math.round(lineBox.y1 + 0.5 * h))
  if (x1 - x0 < 8 || y1 - y0 < 8) return undefined
  let crop = sharp(pre.gray, { raw: { width: pre.width, height: pre.height, channels: 1 } })
    .extract({ left: x0, top: y0, width: x1 - x0, height: y1 - y0 })
    .resize({ width: Math.round((x1 - x0) * treatment.scale), kernel: "lanczos3" })
  if (treatment.threshold !== undefined) crop = crop.threshold(treatment.threshold)
  return crop
    // White margin: tesseract reads a line best with room around it.
    .extend({ top: 20, bottom: 20, left: 20, right: 20, background: "#ffffff" })
    .png({ compressionLevel: 1 })
    .toBuffer()
}

/** What an overruled first reading was corrected against, as its warning says (the console words it in Vietnamese). */
export const SECOND_OPINIONS_SOURCE = "value's second readings, read alike two times or more"

/** A scan this far below 300 dpi (a fax, a 150 dpi scan) has its digit fields checked by second opinions. */
const LOW_RESOLUTION_SCALE = 1.5

const readUnder = async (pool: OcrPool, pre: Preprocessed, page: OcrPage, target: RereadTarget, treatment: Treatment): Promise<ReadonlyArray<{ text: string; confidence: number }> | undefined> => {
  const crop = await cropLine(pre, page, target, treatment)
  if (crop === undefined) return undefined
  const read = await pool.recognizeLine(crop, { mode: treatment.mode, ...(target.whitelist === undefined ? {} : { whitelist: target.whitelist }) })
  const words = read.lines.flatMap((l) => l.words).map(({ text, confidence }) => ({ text, confidence }))
  return words.length === 0 ? undefined : words
}

/**
 * Second opinions on digit fields (ensemble.ts): the value's words read
 * under every treatment, and the vote decides. Checked: a digit field that
 * breaks its domain rules, or is unsure: below 0.9 on a low-resolution page
 * (where tesseract misreads digits with some confidence), below 0.8 on
 * others (domain/extraction/reread.ts). A value overruled is reported with
 * what was read.
 */
const secondOpinions = async (
  pool: OcrPool,
  pages: ReadonlyArray<OcrPage>,
  images: ReadonlyArray<Preprocessed | undefined>,
  first: Extraction,
  options: ExtractOptions
): Promise<{ readonly pages: ReadonlyArray<OcrPage>; readonly extraction: Extraction; readonly warnings: ReadonlyArray<ExtractionWarning>; readonly reread: number }> => {
  let current = pages
  let extraction = first
  let reread = 0
  const warnings: Array<ExtractionWarning> = []
  const lowResolution = images.some((pre) => pre !== undefined && pre.scale >= LOW_RESOLUTION_SCALE)
  const reading = (e: Extraction, f: DigitField) => readingOf(e, f, options.currentYear)
  const wanted = (f: DigitField) =>
    wantsSecondOpinions({ name: f, confidence: extraction.confidence[f] ?? 0, valid: reading(extraction, f).valid, lowResolution })
  const fields = digitFields.filter((f) => extraction.fields[f] !== undefined && wanted(f))
  for (const target of digitTargets(current, extraction, fields)) {
    const field = target.fields[0] as DigitField
    const pre = images[target.page]
    const page = current[target.page]
    if (pre === undefined || page === undefined) continue
    const candidates: Array<{ pages: ReadonlyArray<OcrPage>; extraction: Extraction }> = []
    for (const treatment of SECOND_OPINIONS) {
      const words = await readUnder(pool, pre, page, target, treatment)
      reread++
      if (words === undefined) continue
      const candidate = replaceWords(current, target, words)
      candidates.push({ pages: candidate, extraction: extractFields(candidate, options) })
    }
    const decision = decideReading(reading(extraction, field), candidates.map((c) => reading(c.extraction, field)))
    if (decision.kind === "keep") continue
    // The overruling reading is taken whole, as long as it changes no other field.
    const chosen = candidates.find(
      (c) => c.extraction.fields[field] === decision.value &&
        (Object.keys(extraction.fields) as Array<keyof Extraction["fields"]>).every((f) => f === field || c.extraction.fields[f] === extraction.fields[f])
    )
    if (chosen === undefined) continue
    const was = extraction.fields[field]
    if (was !== undefined) warnings.push(correctionWarning(field, { from: was, to: decision.value, against: SECOND_OPINIONS_SOURCE }))
    current = chosen.pages
    extraction = withDecision(chosen.extraction, field, decision)
  }
  return { pages: current, extraction, warnings, reread }
}

/**
 * Extraction with second readings: extracts, reads again the lines of the
 * fields missing or unsure, keeps each second reading that helps; then the
 * digit fields get second opinions.
 */
export const extractWithRereads = async (
  pool: OcrPool,
  pages: ReadonlyArray<OcrPage>,
  images: ReadonlyArray<Preprocessed | undefined>,
  options: ExtractOptions & { readonly secondOpinions?: boolean } = {}
): Promise<{ readonly extraction: Extraction; readonly reread: number }> => {
  let current = pages
  let extraction = extractFields(current, options)
  let reread = 0
  for (const target of rereadTargets(current, extraction)) {
    const pre = images[target.page]
    const page = current[target.page]
    if (pre === undefined || page === undefined) continue
    const words = await readUnder(pool, pre, page, target, CLOSER)
    reread++
    if (words === undefined) continue
    const candidate = replaceWords(current, target, words)
    const next = extractFields(candidate, options)
    if (betterOf(extraction, next, target)) {
      current = candidate
      extraction = next
    }
  }
  if (options.secondOpinions === false) return { extraction, reread }
  const checked = await secondOpinions(pool, current, images, extraction, options)
  const warnings = [...checked.extraction.warnings, ...checked.warnings]
  return { extraction: { ...checked.extraction, warnings }, reread: reread + checked.reread }
}
