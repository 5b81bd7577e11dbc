/**
 * The OCR lines extraction works on: each line's text (NFC), its folded form
 * for matching labels, and the engine's words for confidence and position.
 */
import { type Folded, foldWithMap } from "./fold.ts"
import { lineText, type OcrLine, type OcrPage } from "./ocr-output.ts"

export interface Line {
  readonly text: string
  readonly folded: Folded
  readonly ocr: OcrLine
  /** Which page the line is on (0-based). */
  readonly page: number
}

/** Every non-blank line of the pages, in reading order. */
export const linesOf = (pages: ReadonlyArray<OcrPage>): ReadonlyArray<Line> =>
  pages.flatMap((p, page) =>
    p.lines
      .map((ocr) => {
        const text = lineText(ocr).normalize("NFC")
        return { text, folded: foldWithMap(text), ocr, page }
      })
      .filter((l) => l.text.trim() !== "")
  )
