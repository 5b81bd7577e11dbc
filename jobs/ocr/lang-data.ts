/**
 * Where tesseract's Vietnamese data lives. OCR_LANG_PATH wins; then the
 * folders Debian's tesseract-ocr-vie (and other distributions) install into.
 * When none holds vie.traineddata, tesseract.js falls back to its own download.
 */
import { existsSync } from "node:fs"
import { join } from "node:path"

export const LANGUAGE = "vie"

export const standardTessdataFolders: ReadonlyArray<string> = [
  "/usr/share/tesseract-ocr/5/tessdata",
  "/usr/share/tesseract-ocr/4.00/tessdata",
  "/usr/share/tessdata",
  "/usr/local/share/tessdata",
  "/opt/homebrew/share/tessdata",
  "/usr/local/share/tesseract-ocr/tessdata"
]

export interface LanguageData {
  /** Folder holding vie.traineddata (or vie.traineddata.gz); undefined means "let tesseract.js download it". */
  readonly langPath: string | undefined
  readonly gzip: boolean
  /** Every folder looked at, for the error message when even the download fails. */
  readonly tried: ReadonlyArray<string>
}

export const findLanguageData = (env: Readonly<Record<string, string | undefined>> = process.env): LanguageData => {
  const candidates = [env["OCR_LANG_PATH"], env["TESSDATA_PREFIX"], ...standardTessdataFolders].filter(
    (p): p is string => p !== undefined && p !== ""
  )
  for (const folder of candidates) {
    if (existsSync(join(folder, `${LANGUAGE}.traineddata`))) return { langPath: folder, gzip: false, tried: candidates }
    if (existsSync(join(folder, `${LANGUAGE}.traineddata.gz`))) return { langPath: folder, gzip: true, tried: candidates }
  }
  return { langPath: undefined, gzip: true, tried: candidates }
}

export const languageDataHelp = (tried: ReadonlyArray<string>): string =>
  `Vietnamese OCR data (${LANGUAGE}.traineddata) was not found in ${tried.join(", ")} and could not be downloaded. ` +
  `Install it with "apt-get install tesseract-ocr-vie", or set OCR_LANG_PATH to a folder holding ${LANGUAGE}.traineddata.`
