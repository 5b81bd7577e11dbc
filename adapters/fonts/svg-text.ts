/**
 * Text set as SVG outlines: each glyph's path, taken from a font file of
 * font-files.ts and laid out by fontkit (advances and kerning). An SVG of
 * paths draws the same everywhere; an SVG `<text>` would leave the choice of
 * font to whatever fontconfig finds on the machine, and a machine without
 * the font would quietly draw another.
 */
import fontkit from "@pdf-lib/fontkit"
import type { Font } from "@pdf-lib/fontkit"
import { readFileSync } from "node:fs"
import { type FontFamily, fontFile, type Weight } from "./font-files.ts"

const loaded = new Map<string, Font>()

export const loadFont = (family: FontFamily, weight: Weight = "regular"): Font => {
  const key = `${family}/${weight}`
  let font = loaded.get(key)
  if (font === undefined) {
    font = fontkit.create(readFileSync(fontFile(family, weight)))
    loaded.set(key, font)
  }
  return font
}

export interface TextStyle {
  readonly family: FontFamily
  readonly weight?: Weight
  /** Font size in SVG units (pixels). */
  readonly size: number
}

/** A stretch of text in one colour; a line may hold several. */
export interface Run {
  readonly text: string
  readonly fill: string
}

interface PathCommand {
  readonly command: "moveTo" | "lineTo" | "quadraticCurveTo" | "bezierCurveTo" | "closePath"
  readonly args: ReadonlyArray<number>
}

const letter: Record<PathCommand["command"], string> = { moveTo: "M", lineTo: "L", quadraticCurveTo: "Q", bezierCurveTo: "C", closePath: "Z" }

const round = (n: number): string => String(Math.round(n * 100) / 100)

/** Path data of `text` with its baseline starting at (x, y), and the advance it took. */
const outline = (font: Font, text: string, size: number, x: number, y: number): { readonly d: string; readonly advance: number } => {
  const scale = size / font.unitsPerEm
  const run = font.layout(text.normalize("NFC"))
  let pen = 0
  const parts: Array<string> = []
  run.glyphs.forEach((glyph, i) => {
    const position = run.positions[i]
    const ox = x + (pen + (position?.xOffset ?? 0)) * scale
    const oy = y - (position?.yOffset ?? 0) * scale
    for (const c of (glyph.path as unknown as { commands: ReadonlyArray<PathCommand> }).commands) {
      const points: Array<string> = []
      for (let k = 0; k < c.args.length; k += 2) points.push(`${round(ox + (c.args[k] ?? 0) * scale)} ${round(oy - (c.args[k + 1] ?? 0) * scale)}`)
      parts.push(letter[c.command] + points.join(" "))
    }
    pen += position?.xAdvance ?? glyph.advanceWidth
  })
  return { d: parts.join(""), advance: pen * scale }
}

/** Width of `text` in SVG units. */
export const textWidth = (text: string, style: TextStyle): number => {
  const font = loadFont(style.family, style.weight)
  return font.layout(text.normalize("NFC")).advanceWidth * (style.size / font.unitsPerEm)
}

/**
 * `<path>` elements drawing `runs` on one line; `anchor` places the line's
 * start, middle or end at `x`, like SVG's text-anchor.
 */
export const svgTextLine = (
  runs: ReadonlyArray<Run>,
  style: TextStyle & { readonly x: number; readonly y: number; readonly anchor?: "start" | "middle" | "end" }
): string => {
  const font = loadFont(style.family, style.weight)
  const total = runs.reduce((sum, r) => sum + textWidth(r.text, style), 0)
  let x = style.anchor === "middle" ? style.x - total / 2 : style.anchor === "end" ? style.x - total : style.x
  const paths: Array<string> = []
  for (const r of runs) {
    const { d, advance } = outline(font, r.text, style.size, x, style.y)
    if (d !== "") paths.push(`<path fill="${r.fill}" d="${d}"/>`)
    x += advance
  }
  return paths.join("")
}
