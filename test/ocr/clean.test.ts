/**
 * The page cleaning done before tesseract reads a page (adapters/ocr/clean.ts)
 * and the 1-bit PBM the page is handed over in (adapters/ocr/pbm.ts): what is
 * not text goes, and what is text stays.
 */
import { describe, expect, test } from "bun:test"
import fc from "fast-check"
import { isBilevel, removeRules, removeSpecks, removeStreaks } from "../../adapters/ocr/clean.ts"
import { encodePbm } from "../../adapters/ocr/pbm.ts"

const page = (width: number, height: number) => new Uint8Array(width * height).fill(255)
const ink = (data: Uint8Array, width: number, x: number, y: number) => (data[y * width + x] = 0)
const isInk = (data: Uint8Array, width: number, x: number, y: number) => data[y * width + x] === 0
const block = (data: Uint8Array, width: number, x0: number, y0: number, w: number, h: number) => {
  for (let y = y0; y < y0 + h; y++) for (let x = x0; x < x0 + w; x++) ink(data, width, x, y)
}
const inkCount = (data: Uint8Array) => data.reduce((n, v) => n + (v === 0 ? 1 : 0), 0)

describe("specks", () => {
  test("a lone pixel goes; a dot beside its letter stays", () => {
    const w = 60
    const d = page(w, 40)
    ink(d, w, 5, 5) // a speck
    block(d, w, 20, 10, 4, 12) // a stem
    ink(d, w, 21, 23) // the dot under it, one pixel apart
    expect(removeSpecks(d, w, 40)).toBe(1)
    expect(isInk(d, w, 5, 5)).toBe(false)
    expect(isInk(d, w, 21, 23)).toBe(true)
    expect(inkCount(d)).toBe(4 * 12 + 1)
  })
})

describe("streaks", () => {
  test("a fax streak across the page goes, the letters it crosses keep their strokes", () => {
    const w = 200
    const h = 40
    const d = page(w, h)
    block(d, w, 50, 10, 3, 20) // a stem crossing the streak's row
    for (let x = 0; x < w; x++) if (x % 5 !== 0) ink(d, w, x, 20) // the streak: 80 % of the row
    expect(removeStreaks(d, w, h)).toBe(1)
    for (let x = 0; x < w; x++) expect(isInk(d, w, x, 20)).toBe(x >= 50 && x < 53)
  })

  test("a line of text keeps every pixel, however dense", () => {
    const w = 200
    const d = page(w, 40)
    for (let x = 0; x < 190; x += 6) block(d, w, x, 10, 3, 14) // letters: stems 3 px wide, 3 px apart
    const before = inkCount(d)
    removeStreaks(d, w, 40)
    expect(inkCount(d)).toBe(before)
  })
})

describe("rules", () => {
  test("a table's rules go, even slanted a pixel, and the words in its cells stay", () => {
    const w = 400
    const h = 200
    const d = page(w, h)
    // A horizontal rule two pixels thick, stepping down one pixel every 100 px.
    for (let x = 10; x < 390; x++) block(d, w, x, 50 + Math.floor(x / 100), 1, 2)
    // A vertical rule.
    block(d, w, 200, 20, 2, 170)
    // A word: letters 3 px wide, 14 tall.
    for (let x = 40; x < 100; x += 6) block(d, w, x, 80, 3, 14)
    const wordInk = () => {
      let n = 0
      for (let y = 80; y < 94; y++) for (let x = 40; x < 100; x++) if (isInk(d, w, x, y)) n++
      return n
    }
    const word = wordInk()
    removeRules(d, w, h, 40, 30, 4)
    expect(inkCount(d.slice(40 * w, 60 * w))).toBe(0)
    for (let y = 20; y < 190; y++) expect(isInk(d, w, 200, y)).toBe(false)
    expect(wordInk()).toBe(word)
  })

  test("a word in capitals, its tops joined, is no rule: its stems cross it", () => {
    const w = 300
    const h = 60
    const d = page(w, h)
    // Capitals: a bar along the top of every letter, joined into one run, and a stem every 8 px.
    block(d, w, 10, 20, 200, 3)
    for (let x = 10; x < 210; x += 8) block(d, w, x, 20, 3, 20)
    const before = inkCount(d)
    removeRules(d, w, h, 40, 30, 4)
    expect(inkCount(d)).toBe(before)
  })
})

describe("bilevel pages", () => {
  test("a fax is black and white; a scan has greys", () => {
    const fax = new Uint8Array(1000).map((_, i) => (i % 7 === 0 ? 0 : 255))
    const scan = new Uint8Array(1000).map((_, i) => (i % 7) * 36)
    expect(isBilevel(fax)).toBe(true)
    expect(isBilevel(scan)).toBe(false)
  })
})

describe("PBM", () => {
  const decode = (pbm: Buffer): { width: number; height: number; data: Uint8Array } => {
    const header = /^P4\n(\d+) (\d+)\n/.exec(pbm.subarray(0, 32).toString("latin1"))
    if (header === null) throw new Error("no P4 header")
    const width = Number(header[1])
    const height = Number(header[2])
    const bits = pbm.subarray(header[0].length)
    const stride = (width + 7) >> 3
    expect(bits.length).toBe(stride * height)
    const data = new Uint8Array(width * height)
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data[y * width + x] = (bits[y * stride + (x >> 3)] ?? 0) & (0x80 >> (x & 7)) ? 0 : 255
    return { width, height, data }
  }

  test("every pixel comes back: ink as a set bit, paper as a clear one, rows padded to a byte", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 12 }),
        fc.infiniteStream(fc.boolean()),
        (width, height, inkStream) => {
          const it = inkStream[Symbol.iterator]()
          const data = Uint8Array.from({ length: width * height }, () => (it.next().value === true ? 0 : 255))
          const back = decode(encodePbm(data, width, height))
          expect(back.width).toBe(width)
          expect(back.height).toBe(height)
          expect([...back.data]).toEqual([...data])
        }
      )
    )
  })
})
