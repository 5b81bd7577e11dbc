/**
 * Where tesseract's Vietnamese data lives, in this order:
 *
 * 1. OCR_LANG_PATH (an override: any folder holding vie.traineddata[.gz]);
 * 2. the npm package @tesseract.js-data/vie, installed by `npm ci`, so a fresh
 *    clone needs nothing else (OCR_DATA picks its data set, see below);
 * 3. TESSDATA_PREFIX and the folders Debian's tesseract-ocr-vie (and other
 *    distributions) install into.
 *
 * When none holds it, the OCR pool fails at once naming what is missing: it
 * never lets tesseract.js try its download, which on a machine without the
 * network hangs instead of failing.
 */
import { closeSync, existsSync, openSync, readSync } from "node:fs"
import { createRequire } from "node:module"
import { dirname, join } from "node:path"

export const LANGUAGE = "vie"

/**
 * The two data sets the npm package holds. "best_int" is tessdata_best made
 * integer (LSTM only, 1.4 MB); "standard" is tessdata's 4.0.0 model (3.8 MB).
 * The default is the one that read the evaluation corpus better (docs/OCR.md).
 */
export const npmDataSets = { best_int: "4.0.0_best_int", standard: "4.0.0" } as const
export type NpmDataSet = keyof typeof npmDataSets
export const DEFAULT_DATA_SET: NpmDataSet = "best_int"

export const NPM_PACKAGE = "@tesseract.js-data/vie"

export const standardTessdataFolders: ReadonlyArray<string> = [
  "/usr/share/tesseract-ocr/5/tessdata",
  "/usr/share/tesseract-ocr/4.00/tessdata",
  "/usr/share/tessdata",
  "/usr/local/share/tessdata",
  "/opt/homebrew/share/tessdata",
  "/usr/local/share/tesseract-ocr/tessdata"
]

export interface LanguageData {
  /** Folder holding vie.traineddata or vie.traineddata.gz. */
  readonly langPath: string
  readonly gzip: boolean
  /** Where it came from, for the banner and the docs' figures. */
  readonly source: "OCR_LANG_PATH" | "npm" | "system"
}

export interface LanguageDataSearch {
  readonly found: LanguageData | undefined
  /** Every folder looked at, for the error message. */
  readonly tried: ReadonlyArray<string>
  /** A problem with the settings themselves (an unknown OCR_DATA), reported as it is. */
  readonly problem?: string
}

type Env = Readonly<Record<string, string | undefined>>

/** The npm package's folder, or undefined when it is not installed. */
export const npmPackageFolder = (): string | undefined => {
  try {
    return dirname(createRequire(import.meta.url).resolve(`${NPM_PACKAGE}/package.json`))
  } catch {
    return undefined
  }
}

const holds = (folder: string): LanguageData["gzip"] | undefined =>
  existsSync(join(folder, `${LANGUAGE}.traineddata`)) ? false : existsSync(join(folder, `${LANGUAGE}.traineddata.gz`)) ? true : undefined

/**
 * Whether a data file looks like one: gzip's magic number, or tesseract's
 * table of contents (a small entry count). tesseract.js given anything else
 * throws from inside its message handler, out of reach of any caller.
 */
export const dataFileProblem = (data: LanguageData): string | undefined => {
  const file = join(data.langPath, `${LANGUAGE}.traineddata${data.gzip ? ".gz" : ""}`)
  const head = Buffer.alloc(4)
  let fd: number | undefined
  try {
    fd = openSync(file, "r")
    if (readSync(fd, head, 0, 4, 0) < 4) return `${file} is too short to be tesseract data`
  } catch (e) {
    return `${file} cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})`
  } finally {
    if (fd !== undefined) closeSync(fd)
  }
  if (data.gzip) return head[0] === 0x1f && head[1] === 0x8b ? undefined : `${file} is not a gzip file`
  const entries = head.readInt32LE(0)
  return entries > 0 && entries < 100 ? undefined : `${file} is not a tesseract data file`
}

/** `npmFolder`: where the npm package is (null: not installed); found by module resolution by default. */
export const findLanguageData = (env: Env = process.env, npmFolder: string | null = npmPackageFolder() ?? null): LanguageDataSearch => {
  const tried: Array<string> = []
  const look = (folder: string | undefined, source: LanguageData["source"]): LanguageData | undefined => {
    if (folder === undefined || folder === "") return undefined
    tried.push(folder)
    const gzip = holds(folder)
    return gzip === undefined ? undefined : { langPath: folder, gzip, source }
  }
  const override = env["OCR_LANG_PATH"]
  if (override !== undefined && override !== "") {
    // An override that does not hold the data is a mistake to report, not to step over.
    return { found: look(override, "OCR_LANG_PATH"), tried }
  }
  const wanted = env["OCR_DATA"] ?? DEFAULT_DATA_SET
  if (!(wanted in npmDataSets)) {
    return { found: undefined, tried, problem: `OCR_DATA=${wanted} is not one of ${Object.keys(npmDataSets).join(", ")}` }
  }
  const fromNpm = npmFolder === null ? undefined : look(join(npmFolder, npmDataSets[wanted as NpmDataSet]), "npm")
  if (npmFolder === null) tried.push(`the npm package ${NPM_PACKAGE} (not installed)`)
  if (fromNpm !== undefined) return { found: fromNpm, tried }
  for (const folder of [env["TESSDATA_PREFIX"], ...standardTessdataFolders]) {
    const found = look(folder, "system")
    if (found !== undefined) return { found, tried }
  }
  return { found: undefined, tried }
}

export const languageDataHelp = (search: LanguageDataSearch): string =>
  search.problem !== undefined
    ? `${search.problem}.`
    : `Vietnamese OCR data (${LANGUAGE}.traineddata) was not found in ${search.tried.join(", ")}. ` +
      `Run \`npm ci\` (it installs ${NPM_PACKAGE}), or set OCR_LANG_PATH to a folder holding ${LANGUAGE}.traineddata or ${LANGUAGE}.traineddata.gz.`
