/**
 * Printed lines → a scanned-looking page image: SVG typeset in serif and sans
 * faces (as government documents use) from npm, as outlines (adapters/fonts),
 * so every machine draws the same page; rendered by sharp at 150–300 dpi,
 * then degraded with rotation, blur, noise and JPEG artefacts.
 */
import sharp from "sharp"
import type { FontFamily } from "../../../adapters/fonts/font-files.ts"
import { svgTextLine } from "../../../adapters/fonts/svg-text.ts"
import type { PrintedLine } from "./layouts.ts"
import type { Random } from "./random.ts"

// Tinos and Arimo have the metrics of Times New Roman and Arial, the faces offices print with.
export const fontFamilies = {
  serif: ["Tinos", "DejaVu Serif", "Noto Serif"],
  sans: ["Arimo", "DejaVu Sans", "Noto Sans"]
} as const satisfies Record<string, ReadonlyArray<FontFamily>>

export interface Scan {
  readonly dpi: number
  readonly font: FontFamily
  readonly rotation: number
  readonly noise: number
  readonly jpegQuality: number | undefined
  readonly blur: boolean
}

export const drawScan = (r: Random): Scan => ({
  dpi: r.pick([150, 200, 240, 300]),
  font: r.pick([...fontFamilies.serif, ...fontFamilies.sans]),
  rotation: Math.round((r.next() * 6 - 3) * 10) / 10,
  noise: r.pick([0, 0, 8, 16]),
  jpegQuality: r.chance(0.5) ? r.int(35, 90) : undefined,
  blur: r.chance(0.25)
})

// Rough advance width of a character, in ems, to wrap long values the way a form would.
const EM_PER_CHAR = 0.5

const wrapLine = (line: PrintedLine, maxChars: number): ReadonlyArray<PrintedLine> => {
  const full = line.segments.map((s) => s.text).join("")
  if (!line.wrap || full.length <= maxChars) return [line]
  // Wrap inside the last segment (the value); the label stays on the first line.
  const label = line.segments.slice(0, -1)
  const value = line.segments.at(-1) ?? { text: "" }
  const labelLength = label.map((s) => s.text).join("").length
  const words = value.text.split(" ")
  const out: Array<PrintedLine> = []
  let current = ""
  let room = maxChars - labelLength
  for (const w of words) {
    if (current !== "" && current.length + 1 + w.length > room) {
      out.push({ ...line, segments: out.length === 0 ? [...label, { ...value, text: current }] : [{ ...value, text: current }] })
      current = w
      room = maxChars
    } else current = current === "" ? w : `${current} ${w}`
  }
  out.push({ ...line, segments: out.length === 0 ? [...label, { ...value, text: current }] : [{ ...value, text: current }] })
  return out
}

export const renderSvg = (lines: ReadonlyArray<PrintedLine>, scan: Scan): { readonly svg: string; readonly width: number; readonly height: number } => {
  const width = Math.round(8.27 * scan.dpi)
  const margin = Math.round(0.7 * scan.dpi)
  const size = Math.round((12.5 * scan.dpi) / 72)
  const lineHeight = Math.round(size * 1.9)
  const maxChars = Math.floor((width - 2 * margin) / (size * EM_PER_CHAR * 1.08))
  let y = margin
  const texts: Array<string> = []
  for (const line of lines.flatMap((l) => wrapLine(l, maxChars))) {
    if (!line.sameRow) y += line.big ? Math.round(lineHeight * 1.4) : lineHeight
    const fontSize = line.big ? Math.round(size * 1.3) : size
    const [x, anchor] = line.align === "left" ? [margin, "start" as const] : line.align === "right" ? [width - margin, "end" as const] : [width / 2, "middle" as const]
    const runs = line.segments.map((s) => ({ text: s.text, fill: s.faint ? "#8c8c8c" : "#141414" }))
    texts.push(svgTextLine(runs, { family: scan.font, weight: line.bold ? "bold" : "regular", size: fontSize, x, y, anchor }))
  }
  const height = y + margin * 2
  return {
    svg: `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="#fbfbf8"/>${texts.join("")}</svg>`,
    width,
    height
  }
}

/** Renders and degrades; returns the encoded image (PNG, or JPEG when the scan has a JPEG quality). */
export const renderScan = async (lines: ReadonlyArray<PrintedLine>, scan: Scan, r: Random): Promise<Buffer> => {
  const { svg } = renderSvg(lines, scan)
  let image = sharp(Buffer.from(svg), { density: 72 }).flatten({ background: "#ffffff" }).grayscale()
  if (scan.blur) image = image.blur(0.3 + scan.dpi / 600)
  if (scan.rotation !== 0) image = image.rotate(scan.rotation, { background: "#f4f4f0" })
  const raw = await image.raw().toBuffer({ resolveWithObject: true })
  if (scan.noise > 0) {
    const data = raw.data
    for (let i = 0; i < data.length; i++) {
      // Sum of two uniforms: cheap, roughly bell-shaped sensor noise, plus rare specks.
      const n = (r.next() + r.next() - 1) * scan.noise * 1.7
      const speck = r.next() < 0.0004 ? -160 : 0
      data[i] = Math.max(0, Math.min(255, (data[i] ?? 0) + n + speck))
    }
  }
  const out = sharp(raw.data, { raw: { width: raw.info.width, height: raw.info.height, channels: raw.info.channels } })
  return scan.jpegQuality === undefined ? out.png({ compressionLevel: 2 }).toBuffer() : out.jpeg({ quality: scan.jpegQuality }).toBuffer()
}
