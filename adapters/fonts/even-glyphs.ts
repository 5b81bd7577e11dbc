/**
 * A TrueType font rewritten so that every glyph's data has an even length
 * (padded to 4 bytes), with a long-format `loca`. Why: pdf-lib's subsetter
 * (@pdf-lib/fontkit) copies glyphs as they are and, for a small subset,
 * writes a short-format `loca`, which stores offsets halved; after a glyph of
 * odd length every later offset is off by one byte and the glyphs after it
 * are garbage. Tinos, Arimo and Noto (hinted by ttfautohint) have about a
 * third of their glyphs of odd length; DejaVu has none, which is why the
 * receipt PDF looked right with it. Padding changes no outline or metric.
 */

interface Table {
  readonly tag: string
  readonly data: Uint8Array
}

const readTables = (font: Uint8Array): { readonly version: number; readonly tables: Array<Table> } => {
  const view = new DataView(font.buffer, font.byteOffset, font.byteLength)
  const version = view.getUint32(0)
  const count = view.getUint16(4)
  const tables: Array<Table> = []
  for (let i = 0; i < count; i++) {
    const at = 12 + i * 16
    const tag = String.fromCharCode(font[at]!, font[at + 1]!, font[at + 2]!, font[at + 3]!)
    const offset = view.getUint32(at + 8)
    const length = view.getUint32(at + 12)
    tables.push({ tag, data: font.subarray(offset, offset + length) })
  }
  return { version, tables }
}

const checksum = (data: Uint8Array): number => {
  let sum = 0
  for (let i = 0; i < data.length; i += 4) {
    sum = (sum + (((data[i] ?? 0) << 24) | ((data[i + 1] ?? 0) << 16) | ((data[i + 2] ?? 0) << 8) | (data[i + 3] ?? 0))) >>> 0
  }
  return sum
}

const writeFont = (version: number, tables: ReadonlyArray<Table>): Uint8Array => {
  const sorted = [...tables].sort((a, b) => (a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0))
  const headerLength = 12 + 16 * sorted.length
  const padded = (n: number) => (n + 3) & ~3
  const total = sorted.reduce((sum, t) => sum + padded(t.data.length), headerLength)
  const out = new Uint8Array(total)
  const view = new DataView(out.buffer)
  const power = 2 ** Math.floor(Math.log2(sorted.length))
  view.setUint32(0, version)
  view.setUint16(4, sorted.length)
  view.setUint16(6, power * 16)
  view.setUint16(8, Math.log2(power))
  view.setUint16(10, sorted.length * 16 - power * 16)
  let offset = headerLength
  let headOffset = -1
  sorted.forEach((t, i) => {
    const at = 12 + i * 16
    for (let k = 0; k < 4; k++) out[at + k] = t.tag.charCodeAt(k)
    view.setUint32(at + 4, checksum(t.data))
    view.setUint32(at + 8, offset)
    view.setUint32(at + 12, t.data.length)
    out.set(t.data, offset)
    if (t.tag === "head") headOffset = offset
    offset += padded(t.data.length)
  })
  // The whole font sums to 0xB1B0AFBA once head's checkSumAdjustment is set.
  if (headOffset >= 0) view.setUint32(headOffset + 8, (0xb1b0afba - checksum(out)) >>> 0)
  return out
}

/** The font with every glyph padded to a multiple of 4 bytes and a long `loca`; other fonts are returned as they are. */
export const withEvenGlyphs = (font: Uint8Array): Uint8Array => {
  const { version, tables } = readTables(font)
  const get = (tag: string) => tables.find((t) => t.tag === tag)
  const head = get("head")
  const loca = get("loca")
  const glyf = get("glyf")
  const maxp = get("maxp")
  if (head === undefined || loca === undefined || glyf === undefined || maxp === undefined) return font // CFF outlines: no glyf to fix
  const headView = new DataView(head.data.buffer, head.data.byteOffset, head.data.byteLength)
  const long = headView.getInt16(50) === 1
  const glyphs = new DataView(maxp.data.buffer, maxp.data.byteOffset, maxp.data.byteLength).getUint16(4)
  const locaView = new DataView(loca.data.buffer, loca.data.byteOffset, loca.data.byteLength)
  const offsetOf = (i: number) => (long ? locaView.getUint32(i * 4) : locaView.getUint16(i * 2) * 2)

  const pieces: Array<Uint8Array> = []
  const newLoca = new Uint8Array((glyphs + 1) * 4)
  const newLocaView = new DataView(newLoca.buffer)
  let position = 0
  for (let i = 0; i < glyphs; i++) {
    const piece = glyf.data.subarray(offsetOf(i), offsetOf(i + 1))
    newLocaView.setUint32(i * 4, position)
    pieces.push(piece)
    position += (piece.length + 3) & ~3
  }
  newLocaView.setUint32(glyphs * 4, position)
  const newGlyf = new Uint8Array(position)
  let at = 0
  for (const piece of pieces) {
    newGlyf.set(piece, at)
    at += (piece.length + 3) & ~3
  }
  const newHead = new Uint8Array(head.data)
  const newHeadView = new DataView(newHead.buffer)
  newHeadView.setInt16(50, 1) // indexToLocFormat: long
  newHeadView.setUint32(8, 0) // checkSumAdjustment, computed over the whole font
  const replaced = tables.map((t) =>
    t.tag === "glyf" ? { tag: t.tag, data: newGlyf } : t.tag === "loca" ? { tag: t.tag, data: newLoca } : t.tag === "head" ? { tag: t.tag, data: newHead } : t
  )
  return writeFont(version, replaced)
}
