/**
 * Where lines stand on the page, from the engine's word boxes: the cells a
 * line is made of (a gap wider than its letters are tall separates two
 * cells of a table), the line to the right on the same row (a value in the
 * next cell, which tesseract often reads as a line of its own), and the line
 * below. Lines without boxes (text input) fall back to reading order.
 */
import type { Line } from "./lines.ts"
import type { OcrBox, OcrLine } from "./ocr-output.ts"

export const lineBox = (line: OcrLine): OcrBox | undefined => {
  const boxes = line.words.flatMap((w) => (w.box === undefined ? [] : [w.box]))
  if (boxes.length === 0) return undefined
  return {
    x0: Math.min(...boxes.map((b) => b.x0)),
    y0: Math.min(...boxes.map((b) => b.y0)),
    x1: Math.max(...boxes.map((b) => b.x1)),
    y1: Math.max(...boxes.map((b) => b.y1))
  }
}

const median = (xs: ReadonlyArray<number>): number => {
  const sorted = [...xs].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] ?? 0
}

/** Offsets in the line's text where a table cell starts (after a gap wider than 1.5 letter heights). */
export const cellStartOffsets = (line: OcrLine): ReadonlyArray<number> => {
  const heights = line.words.flatMap((w) => (w.box === undefined ? [] : [w.box.y1 - w.box.y0]))
  if (heights.length < 2) return []
  const gap = median(heights) * 1.5
  const starts: Array<number> = []
  let offset = 0
  // A speck in the gap ("ˆ", "'") does not close it: only words with letters or digits count.
  let previous: OcrBox | undefined
  for (const w of line.words) {
    const real = /[\p{Lu}\p{Ll}\d]/u.test(w.text)
    if (real && previous !== undefined && w.box !== undefined && w.box.x0 - previous.x1 > gap) starts.push(offset)
    if (real && w.box !== undefined) previous = w.box
    offset += w.text.length + 1
  }
  return starts
}

const sameRow = (a: OcrBox, b: OcrBox): boolean => {
  const overlap = Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0)
  return overlap > 0.5 * Math.min(a.y1 - a.y0, b.y1 - b.y0)
}

/** The box of the word at `offset` of the line's text (or the first word after it). */
export const boxAt = (line: OcrLine, offset: number): OcrBox | undefined => {
  let start = 0
  for (const w of line.words) {
    if (start + w.text.length > offset) return w.box
    start += w.text.length + 1
  }
  return undefined
}

/** The index of the nearest line to the right of line `i` on its row, if any. */
export const lineToTheRight = (lines: ReadonlyArray<Line>, i: number): number | undefined => {
  const line = lines[i]
  const box = line === undefined ? undefined : lineBox(line.ocr)
  if (line === undefined || box === undefined) return undefined
  let best: number | undefined
  let bestGap = Infinity
  lines.forEach((other, j) => {
    const b = j === i || other.page !== line.page ? undefined : lineBox(other.ocr)
    if (b === undefined || !sameRow(box, b) || b.x0 < box.x1) return
    const gap = b.x0 - box.x1
    if (gap < bestGap) {
      best = j
      bestGap = gap
    }
  })
  return best
}

/** The indices of the lines to the left of line `i` on its row (the cells before it in a table). */
export const linesToTheLeft = (lines: ReadonlyArray<Line>, i: number): ReadonlyArray<number> => {
  const line = lines[i]
  const box = line === undefined ? undefined : lineBox(line.ocr)
  if (line === undefined || box === undefined) return []
  return lines.flatMap((other, j) => {
    const b = j === i || other.page !== line.page ? undefined : lineBox(other.ocr)
    return b !== undefined && sameRow(box, b) && b.x1 <= box.x0 ? [j] : []
  })
}

/** The index of the line just below line `i` that overlaps it horizontally; the next line when there are no boxes. */
export const lineBelow = (lines: ReadonlyArray<Line>, i: number): number | undefined => {
  const line = lines[i]
  if (line === undefined) return undefined
  const box = lineBox(line.ocr)
  if (box === undefined) return lines[i + 1]?.page === line.page ? i + 1 : undefined
  let best: number | undefined
  let bestY = Infinity
  lines.forEach((other, j) => {
    const b = j === i || other.page !== line.page ? undefined : lineBox(other.ocr)
    if (b === undefined || b.y0 < box.y1 - (box.y1 - box.y0) * 0.3 || b.x1 < box.x0 || b.x0 > box.x1 + (box.y1 - box.y0) * 6) return
    if (b.y0 < bestY) {
      best = j
      bestY = b.y0
    }
  })
  // Too far below to belong to this label (more than two line heights).
  return best !== undefined && bestY - box.y1 < (box.y1 - box.y0) * 2.5 ? best : undefined
}
