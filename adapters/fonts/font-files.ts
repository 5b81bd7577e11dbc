/**
 * The fonts bienlai draws with, all from npm so that every machine draws the
 * same letters (a font the system happens to have would change the receipt
 * PDF and the test corpora from one machine to the next):
 *
 * - Tinos (@expo-google-fonts/tinos): metric-compatible with Times New Roman,
 *   the face Decree 30/2020/NĐ-CP prescribes for administrative documents,
 *   with every Vietnamese letter. The receipt PDF and the corpora's serif.
 * - Arimo (@expo-google-fonts/arimo): Tinos' sans sibling (Arial's metrics).
 * - Noto Serif and Noto Sans (@expo-google-fonts/noto-*), DejaVu Serif and
 *   DejaVu Sans (dejavu-fonts-ttf): the corpora's other faces.
 *
 * Only Tinos is a runtime dependency; the others are devDependencies that
 * the corpora and tests use.
 */
import { existsSync } from "node:fs"
import { createRequire } from "node:module"
import { dirname, join } from "node:path"

export type Weight = "regular" | "bold"

interface Source {
  readonly pkg: string
  readonly regular: string
  readonly bold: string
}

const sources = {
  Tinos: { pkg: "@expo-google-fonts/tinos", regular: "400Regular/Tinos_400Regular.ttf", bold: "700Bold/Tinos_700Bold.ttf" },
  Arimo: { pkg: "@expo-google-fonts/arimo", regular: "400Regular/Arimo_400Regular.ttf", bold: "700Bold/Arimo_700Bold.ttf" },
  "Noto Serif": { pkg: "@expo-google-fonts/noto-serif", regular: "400Regular/NotoSerif_400Regular.ttf", bold: "700Bold/NotoSerif_700Bold.ttf" },
  "Noto Sans": { pkg: "@expo-google-fonts/noto-sans", regular: "400Regular/NotoSans_400Regular.ttf", bold: "700Bold/NotoSans_700Bold.ttf" },
  "DejaVu Serif": { pkg: "dejavu-fonts-ttf", regular: "ttf/DejaVuSerif.ttf", bold: "ttf/DejaVuSerif-Bold.ttf" },
  "DejaVu Sans": { pkg: "dejavu-fonts-ttf", regular: "ttf/DejaVuSans.ttf", bold: "ttf/DejaVuSans-Bold.ttf" }
} as const satisfies Record<string, Source>

export type FontFamily = keyof typeof sources
export const fontFamilies = Object.keys(sources) as ReadonlyArray<FontFamily>

export class FontMissing extends Error {
  constructor(message: string) {
    super(message)
    this.name = "FontMissing"
  }
}

const packageFolder = (pkg: string): string | undefined => {
  try {
    return dirname(createRequire(import.meta.url).resolve(`${pkg}/package.json`))
  } catch {
    return undefined
  }
}

/** The TrueType file of `family` in `weight`, or a FontMissing saying which package to install. */
export const fontFile = (family: FontFamily, weight: Weight = "regular"): string => {
  const source: Source = sources[family]
  const folder = packageFolder(source.pkg)
  const file = folder === undefined ? undefined : join(folder, source[weight])
  if (file === undefined || !existsSync(file)) {
    throw new FontMissing(`the font ${family} (${weight}) is missing: the npm package ${source.pkg} is not installed. Run \`npm ci\`.`)
  }
  return file
}
