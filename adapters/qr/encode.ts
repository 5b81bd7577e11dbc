/**
 * QR code images: the module matrix from @zxing/library's encoder, drawn as
 * SVG by hand (one path, crisp at any size) or as PNG through sharp.
 *
 * Error correction is M (15% of the symbol can be lost) by default, the
 * level the token size was measured against (docs/QR-TOKEN.md). The quiet
 * zone is the standard 4 modules; readers need it.
 */
import { EncodeHintType, QRCodeDecoderErrorCorrectionLevel, QRCodeEncoder } from "@zxing/library"
import sharp from "sharp"

export type EccLevel = "L" | "M" | "Q" | "H"

export interface QrMatrix {
  readonly size: number
  readonly version: number
  /** "ALPHANUMERIC" or "BYTE": the encoding mode zxing chose for the whole text. */
  readonly mode: string
  readonly dark: (x: number, y: number) => boolean
}

export const qrMatrix = (text: string, ecc: EccLevel = "M"): QrMatrix => {
  const hints = new Map([[EncodeHintType.CHARACTER_SET, "UTF-8"]])
  const code = QRCodeEncoder.encode(text, QRCodeDecoderErrorCorrectionLevel.fromString(ecc), hints)
  const matrix = code.getMatrix()
  return {
    size: matrix.getWidth(),
    version: code.getVersion().getVersionNumber(),
    mode: code.getMode().toString(),
    dark: (x, y) => matrix.get(x, y) === 1
  }
}

export const qrSvg = (text: string, opts: { readonly ecc?: EccLevel; readonly margin?: number; readonly title?: string } = {}): string => {
  const m = qrMatrix(text, opts.ecc)
  const margin = opts.margin ?? 4
  const full = m.size + 2 * margin
  let path = ""
  // One rectangle per horizontal run of dark modules keeps the file small.
  for (let y = 0; y < m.size; y++) {
    for (let x = 0; x < m.size; x++) {
      if (!m.dark(x, y)) continue
      let run = 1
      while (x + run < m.size && m.dark(x + run, y)) run++
      path += `M${x + margin} ${y + margin}h${run}v1h-${run}z`
      x += run - 1
    }
  }
  const title = opts.title === undefined ? "" : `<title>${opts.title.replace(/[<&>]/g, (c) => `&#${c.charCodeAt(0)};`)}</title>`
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${full} ${full}" shape-rendering="crispEdges">${title}` +
    `<rect width="${full}" height="${full}" fill="#fff"/><path d="${path}" fill="#000" stroke="none"/></svg>`
}

export const qrPng = async (text: string, opts: { readonly ecc?: EccLevel; readonly margin?: number; readonly scale?: number } = {}): Promise<Uint8Array> => {
  const m = qrMatrix(text, opts.ecc)
  const margin = opts.margin ?? 4
  const scale = opts.scale ?? 8
  const full = (m.size + 2 * margin) * scale
  const pixels = new Uint8Array(full * full).fill(255)
  for (let y = 0; y < m.size; y++) {
    for (let x = 0; x < m.size; x++) {
      if (!m.dark(x, y)) continue
      for (let dy = 0; dy < scale; dy++) {
        const row = ((y + margin) * scale + dy) * full + (x + margin) * scale
        pixels.fill(0, row, row + scale)
      }
    }
  }
  return new Uint8Array(await sharp(pixels, { raw: { width: full, height: full, channels: 1 } }).png().toBuffer())
}
