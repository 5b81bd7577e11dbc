/**
 * Corpus B's pages → images, with its own conditions: a clean office scan,
 * low contrast (grey toner on grey paper), a 150 dpi fax (hard black and
 * white, streaks and specks), and a phone photo (perspective, a shadow
 * across the page, JPEG). Seals are red and signatures blue before the page
 * turns grey, as on paper.
 */
import sharp from "sharp"
import type { FontFamily } from "../../../adapters/fonts/font-files.ts"
import { svgTextLine } from "../../../adapters/fonts/svg-text.ts"
import type { Random } from "../corpus/random.ts"
import { perspective } from "../photo.ts"
import { type Item, PAGE_HEIGHT, PAGE_WIDTH } from "./page.ts"

export type Condition = "office" | "low_contrast" | "fax" | "photo"

export interface ScanB {
  readonly condition: Condition
  readonly dpi: number
  readonly font: FontFamily
}

export const drawScanB = (r: Random): ScanB => {
  const condition = r.pick<Condition>(["office", "low_contrast", "fax", "photo"])
  return {
    condition,
    dpi: condition === "fax" ? 150 : condition === "photo" ? 200 : r.pick([200, 300]),
    font: r.pick<FontFamily>(["Tinos", "Arimo", "Noto Serif", "DejaVu Sans"])
  }
}

const seal = (cx: number, cy: number, radius: number, label: string, family: FontFamily, s: number): string =>
  `<g opacity="0.75"><circle cx="${cx * s}" cy="${cy * s}" r="${radius * s}" fill="none" stroke="#c8242b" stroke-width="${2.2 * s}"/>` +
  `<circle cx="${cx * s}" cy="${cy * s}" r="${(radius - 6) * s}" fill="none" stroke="#c8242b" stroke-width="${0.8 * s}"/>` +
  svgTextLine([{ text: label, fill: "#c8242b" }], { family, weight: "bold", size: 6.5 * s, x: cx * s, y: (cy + 2) * s, anchor: "middle" }) +
  svgTextLine([{ text: "★", fill: "#c8242b" }], { family: "DejaVu Sans", size: 12 * s, x: cx * s, y: (cy - 10) * s, anchor: "middle" }) +
  "</g>"

const scribble = (r: Random, x: number, y: number, width: number, s: number): string => {
  let d = `M${x * s} ${y * s}`
  for (let i = 1; i <= 8; i++) d += ` Q${(x + (width * (i - 0.5)) / 8) * s} ${(y + r.int(-22, 18)) * s} ${(x + (width * i) / 8) * s} ${(y + r.int(-8, 8)) * s}`
  return `<path d="${d}" fill="none" stroke="#1d3c9a" stroke-width="${1.6 * s}" opacity="0.85"/>`
}

export const pageSvg = (items: ReadonlyArray<Item>, scan: ScanB, r: Random): { readonly svg: string; readonly width: number; readonly height: number } => {
  const s = scan.dpi / 72
  const ink = scan.condition === "low_contrast" ? "#6e6e6e" : "#151515"
  const paper = scan.condition === "low_contrast" ? "#d6d4cc" : "#fcfcfa"
  const parts: Array<string> = []
  for (const item of items) {
    if (item.kind === "text") {
      parts.push(svgTextLine([{ text: item.text, fill: ink }], {
        family: scan.font,
        weight: item.bold === true ? "bold" : "regular",
        size: (item.size ?? 11.5) * s,
        x: item.x * s,
        y: item.y * s,
        anchor: item.anchor ?? "start"
      }))
    } else if (item.kind === "rule") {
      parts.push(`<line x1="${item.x1 * s}" y1="${item.y1 * s}" x2="${item.x2 * s}" y2="${item.y2 * s}" stroke="${ink}" stroke-width="${0.8 * s}"/>`)
    } else if (item.kind === "stamp") {
      parts.push(seal(item.cx, item.cy, item.r, item.text, scan.font, s))
    } else parts.push(scribble(r, item.x, item.y, item.width, s))
  }
  const width = Math.round(PAGE_WIDTH * s)
  const height = Math.round(PAGE_HEIGHT * s)
  return { svg: `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="${paper}"/>${parts.join("")}</svg>`, width, height }
}

// A soft shadow across part of the page, as a hand or a phone casts.
const shadow = (width: number, height: number, r: Random): Buffer => {
  const x = r.int(0, 1) === 0 ? "0" : "1"
  return Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><defs><linearGradient id="s" x1="${x}" y1="0" x2="${1 - Number(x)}" y2="1">` +
      `<stop offset="0" stop-color="#000" stop-opacity="0.45"/><stop offset="0.55" stop-color="#000" stop-opacity="0"/></linearGradient></defs>` +
      `<rect width="100%" height="100%" fill="url(#s)"/></svg>`
  )
}

export const renderB = async (items: ReadonlyArray<Item>, scan: ScanB, r: Random): Promise<{ readonly image: Buffer; readonly extension: "png" | "jpg" }> => {
  const { svg, width, height } = pageSvg(items, scan, r)
  const page = await sharp(Buffer.from(svg), { density: 72 }).flatten({ background: "#ffffff" }).png().toBuffer()
  switch (scan.condition) {
    case "office":
      return { image: await sharp(page).grayscale().rotate(r.next() * 1.6 - 0.8, { background: "#ffffff" }).png().toBuffer(), extension: "png" }
    case "low_contrast":
      return { image: await sharp(page).grayscale().blur(0.6).jpeg({ quality: 80 }).toBuffer(), extension: "jpg" }
    case "fax": {
      const { data, info } = await sharp(page).grayscale().rotate(r.next() * 2 - 1, { background: "#ffffff" }).raw().toBuffer({ resolveWithObject: true })
      const streaks = new Set(Array.from({ length: 4 }, () => r.int(0, info.height - 1)))
      for (let y = 0; y < info.height; y++) {
        for (let x = 0; x < info.width; x++) {
          const i = y * info.width + x
          const speck = r.next() < 0.0015
          data[i] = speck || (streaks.has(y) && r.next() < 0.6) ? 0 : (data[i] ?? 255) < 150 ? 0 : 255
        }
      }
      return { image: await sharp(data, { raw: { width: info.width, height: info.height, channels: 1 } }).png().toBuffer(), extension: "png" }
    }
    case "photo": {
      const m = (k: number) => Math.round(k * r.next() * 0.035)
      const corners = [[m(width), m(height)], [width - 1 - m(width), m(height)], [m(width), height - 1 - m(height)], [width - 1 - m(width), height - 1 - m(height)]] as const
      const warped = await perspective(await sharp(page).grayscale().png().toBuffer(), corners)
      const shaded = await sharp(warped).composite([{ input: shadow(width, height, r), blend: "multiply" }]).grayscale().png().toBuffer()
      return { image: await sharp(shaded).jpeg({ quality: r.int(60, 85) }).toBuffer(), extension: "jpg" }
    }
  }
}
