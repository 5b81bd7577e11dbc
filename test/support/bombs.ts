/**
 * Small files that declare huge work, for the limits' tests: a PDF of a few
 * hundred bytes whose pages are 3000 points square, and a blank PNG of
 * 1800 × 140000 pixels (written directly: a 1-bit grayscale PNG, built
 * without ever holding the decoded image).
 */
import { deflateSync } from "node:zlib"
import { PDFDocument } from "pdf-lib"

export const hugePagesPdf = async (pages = 3, points = 3000): Promise<Uint8Array> => {
  const doc = await PDFDocument.create()
  for (let i = 0; i < pages; i++) doc.addPage([points, points])
  return doc.save({ useObjectStreams: true })
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})
const crc32 = (bytes: Uint8Array): number => {
  let c = 0xffffffff
  for (const b of bytes) c = crcTable[(c ^ b) & 0xff]! ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}
const chunk = (type: string, data: Uint8Array): Buffer => {
  const head = Buffer.alloc(8)
  head.writeUInt32BE(data.length, 0)
  head.write(type, 4, "latin1")
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0)
  return Buffer.concat([head, data, crc])
}

/** A white PNG of `width` × `height`, 1 bit per pixel. */
export const blankPng = (width: number, height: number): Uint8Array => {
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(width, 0)
  ihdr.writeUInt32BE(height, 4)
  ihdr[8] = 1 // bit depth
  ihdr[9] = 0 // grayscale
  const row = 1 + Math.ceil(width / 8)
  const raw = Buffer.alloc(row * height, 0xff)
  for (let y = 0; y < height; y++) raw[y * row] = 0 // filter: none
  return new Uint8Array(Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", deflateSync(raw, { level: 9 })),
    chunk("IEND", new Uint8Array())
  ]))
}

/** One A4 page with many thousand strokes: slow to draw, for the time limit. */
export const busyPdf = async (strokes = 20_000): Promise<Uint8Array> => {
  const doc = await PDFDocument.create()
  const page = doc.addPage([595, 842])
  for (let i = 0; i < strokes; i++) {
    page.drawLine({ start: { x: (i * 7) % 595, y: (i * 13) % 842 }, end: { x: (i * 11) % 595, y: (i * 17) % 842 }, thickness: 0.5 })
  }
  return doc.save()
}
