/**
 * What an OCR engine hands to extraction: pages of lines of words, each word
 * with its box and the engine's confidence. Extraction depends only on this
 * shape, so it is tested on synthetic output without running an engine.
 */

export interface OcrBox {
  readonly x0: number
  readonly y0: number
  readonly x1: number
  readonly y1: number
}

export interface OcrWord {
  readonly text: string
  /** The engine's confidence in this word, 0..1. */
  readonly confidence: number
  readonly box?: OcrBox
}

export interface OcrLine {
  readonly words: ReadonlyArray<OcrWord>
}

export interface OcrPage {
  readonly lines: ReadonlyArray<OcrLine>
}

/** A line's text is its words joined by single spaces, so word offsets are exact. */
export const lineText = (line: OcrLine): string => line.words.map((w) => w.text).join(" ")

/** Synthetic OCR output from plain text (one word per space-separated token), for tests and text input. */
export const pageFromText = (text: string, confidence = 0.95): OcrPage => ({
  lines: text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== "")
    .map((l) => ({ words: l.split(/\s+/).map((w) => ({ text: w, confidence })) }))
})

/** Mean confidence of the words overlapping [start, end) of the line's text; 0 when none do. */
export const spanConfidence = (line: OcrLine, start: number, end: number): number => {
  let offset = 0
  let sum = 0
  let count = 0
  for (const word of line.words) {
    const wordEnd = offset + word.text.length
    if (wordEnd > start && offset < end) {
      sum += word.confidence
      count++
    }
    offset = wordEnd + 1
  }
  return count === 0 ? 0 : sum / count
}
