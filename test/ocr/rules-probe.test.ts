/**
 * removeRules (adapters/ocr/clean.ts) looks only at every n-th pixel first
 * and follows a run from there: it must find exactly the rules the plain
 * scan of every pixel finds. The plain scan is kept here as the reference.
 */
import { describe, expect, test } from "bun:test"
import fc from "fast-check"
import { removeRules } from "../../adapters/ocr/clean.ts"

const INK = 0
const PAPER = 255

/** The rule removal as it was before it probed: every pixel of every row, then of every column. */
const reference = (data: Uint8Array, width: number, height: number, minRun: number, minRunVertical: number, maxThickness: number): void => {
  const thickV = (x: number, y: number) => {
    let n = 1
    for (let yy = y - 1; n <= maxThickness && yy >= 0 && data[yy * width + x] === INK; yy--) n++
    for (let yy = y + 1; n <= maxThickness && yy < height && data[yy * width + x] === INK; yy++) n++
    return n
  }
  const thickH = (x: number, y: number) => {
    let n = 1
    for (let xx = x - 1; n <= maxThickness && xx >= 0 && data[y * width + xx] === INK; xx--) n++
    for (let xx = x + 1; n <= maxThickness && xx < width && data[y * width + xx] === INK; xx++) n++
    return n
  }
  const run = (cells: Array<[number, number]>, thick: (x: number, y: number) => number, gone: Uint8Array) => {
    const inked = cells.filter(([x, y]) => data[y * width + x] === INK)
    const thin = inked.filter(([x, y]) => thick(x, y) <= maxThickness)
    if (thin.length >= 0.85 * inked.length) for (const [x, y] of thin) gone[y * width + x] = 1
  }
  const apply = (gone: Uint8Array) => gone.forEach((g, i) => g === 1 && (data[i] = PAPER))
  let gone = new Uint8Array(data.length)
  for (let y = 1; y < height - 1; y++) {
    let start = -1
    for (let x = 0; x <= width; x++) {
      const near = x < width && [y - 1, y, y + 1].some((yy) => data[yy * width + x] === INK)
      if (near) {
        if (start < 0) start = x
        continue
      }
      if (start >= 0 && x - start >= minRun) run(Array.from({ length: x - start }, (_, k) => [start + k, y]), thickV, gone)
      start = -1
    }
  }
  apply(gone)
  gone = new Uint8Array(data.length)
  for (let x = 1; x < width - 1; x++) {
    let start = -1
    for (let y = 0; y <= height; y++) {
      const near = y < height && [x - 1, x, x + 1].some((xx) => data[y * width + xx] === INK)
      if (near) {
        if (start < 0) start = y
        continue
      }
      if (start >= 0 && y - start >= minRunVertical) run(Array.from({ length: y - start }, (_, k) => [x, start + k]), thickH, gone)
      start = -1
    }
  }
  apply(gone)
}

/** A page of random strokes: rules, blocks (letters, thick bars) and specks, with greys that are not ink. */
const pages = fc.record({
  width: fc.integer({ min: 3, max: 70 }),
  height: fc.integer({ min: 3, max: 70 }),
  strokes: fc.array(
    fc.record({ x: fc.nat(69), y: fc.nat(69), w: fc.integer({ min: 1, max: 60 }), h: fc.integer({ min: 1, max: 60 }), value: fc.constantFrom(0, 0, 0, 30, 200) }),
    { maxLength: 25 }
  ),
  minRun: fc.integer({ min: 0, max: 40 }),
  minRunVertical: fc.integer({ min: 0, max: 40 }),
  maxThickness: fc.integer({ min: 1, max: 5 })
})

describe("rules found by probing", () => {
  test("the same pixels go as with a scan of every pixel", () => {
    fc.assert(
      fc.property(pages, ({ width, height, strokes, minRun, minRunVertical, maxThickness }) => {
        const data = new Uint8Array(width * height).fill(PAPER)
        for (const s of strokes) {
          for (let y = s.y; y < Math.min(height, s.y + s.h); y++) for (let x = s.x; x < Math.min(width, s.x + s.w); x++) data[y * width + x] = s.value
        }
        const expected = data.slice()
        reference(expected, width, height, minRun, minRunVertical, maxThickness)
        removeRules(data, width, height, minRun, minRunVertical, maxThickness)
        expect([...data]).toEqual([...expected])
      }),
      { numRuns: 400 }
    )
  })

  test("a rule just long enough goes wherever it lies between the probes", () => {
    // Probes every 40 px: a rule of exactly 40 px covers one probe, at one of its ends or inside.
    const width = 130
    const height = 120
    for (let offset = 0; offset + 40 <= width; offset++) {
      const data = new Uint8Array(width * height).fill(PAPER)
      for (let x = offset; x < offset + 40; x++) data[5 * width + x] = INK
      for (let y = offset % 80; y < (offset % 80) + 40; y++) data[y * width + 100] = INK
      removeRules(data, width, height, 40, 40, 3)
      expect(data.every((v) => v === PAPER)).toBe(true)
    }
  })
})
