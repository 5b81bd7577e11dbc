/**
 * A pool of tesseract.js workers, one per core by default, each loaded once
 * with the Vietnamese data and reused for every page. tesseract.js runs each
 * worker in a worker thread (node:worker_threads), which Bun supports.
 *
 * The pool hands out whole workers rather than using tesseract.js's
 * scheduler, because a second reading of one line needs its own page
 * segmentation mode and character whitelist, set and reset on the worker
 * that runs it while no other job can interleave.
 */
import { createRequire } from "node:module"
import { availableParallelism } from "node:os"
import { createWorker, OEM, PSM, type Worker } from "tesseract.js"
import type { OcrPage } from "../../domain/extraction/ocr-output.ts"
import { LanguageDataMissing, OcrEngineMissing } from "./errors.ts"
import { defaultScanLimits } from "./limits.ts"
import { dataFileProblem, findLanguageData, LANGUAGE, type LanguageData, languageDataHelp } from "./lang-data.ts"
import { pageFromTsv } from "./tsv.ts"

export interface LineOptions {
  /** Only these characters may be read (digits and separators for a number, say). */
  readonly whitelist?: string
  /** "line" (the default) lets tesseract find the line's baseline and words; "raw" reads the crop as one raw line, skipping that analysis (a second opinion). */
  readonly mode?: "line" | "raw"
}

export interface OcrPool {
  readonly size: number
  /** A whole page, its layout found by tesseract. */
  readonly recognize: (png: Buffer) => Promise<OcrPage>
  /** An image holding one line of text (a crop), read as a single line. */
  readonly recognizeLine: (png: Buffer, options?: LineOptions) => Promise<OcrPage>
  readonly close: () => Promise<void>
  /** Where the Vietnamese data was loaded from (absent in pools that tests stand in). */
  readonly languageData?: LanguageData
}

export interface PoolOptions {
  readonly size?: number
  /** Longest one page (or one line) may take to read; past it the page is given up (limits.ts). */
  readonly pageTimeMs?: number
  readonly env?: Readonly<Record<string, string | undefined>>
}

export const defaultPoolSize = (): number => Math.max(1, availableParallelism())

// tessedit_do_invert 0: tesseract would read every unsure line a second time inverted (white on black),
// which no paper document holds; unsure lines get bienlai's own second reading instead (reread.ts).
const pageParameters = { tessedit_pageseg_mode: PSM.AUTO, user_defined_dpi: "300", preserve_interword_spaces: "0", tessedit_char_whitelist: "", tessedit_do_invert: "0" }

/** A page that took longer than the time one page may take. */
export class PageTooSlow extends Error {
  constructor(ms: number) {
    super(`it took longer than ${ms / 1000} s to read and was given up`)
    this.name = "PageTooSlow"
  }
}

// Loading a worker reads a few megabytes from disk; far longer means something hangs.
const LOAD_TIMEOUT_MS = 60_000

/** The tesseract.js engine (its WebAssembly core) is installed, or a message saying how to get it. */
export const engineProblem = (): string | undefined => {
  const require = createRequire(import.meta.url)
  for (const pkg of ["tesseract.js", "tesseract.js-core"]) {
    try {
      require.resolve(`${pkg}/package.json`)
    } catch {
      return `the OCR engine is missing: the npm package ${pkg} is not installed. Run \`npm ci\`.`
    }
  }
  return undefined
}

const withinTime = <A>(work: Promise<A>, ms: number, what: string): Promise<A> =>
  new Promise<A>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms / 1000} s`)), ms)
    work.then(
      (value) => {
        clearTimeout(timer)
        resolve(value)
      },
      (error: unknown) => {
        clearTimeout(timer)
        reject(error)
      }
    )
  })

/**
 * Loads `size` workers with the Vietnamese data. Fails at once, with a
 * message naming what is missing and how to get it, when the engine or the
 * data is not there: tesseract.js is never left to try its download.
 */
export const createOcrPool = async (options: PoolOptions = {}): Promise<OcrPool> => {
  const size = options.size ?? defaultPoolSize()
  const engine = engineProblem()
  if (engine !== undefined) throw new OcrEngineMissing({ message: engine })
  const search = findLanguageData(options.env)
  const data = search.found
  if (data === undefined) throw new LanguageDataMissing({ tried: [...search.tried], message: languageDataHelp(search) })
  const damaged = dataFileProblem(data)
  if (damaged !== undefined) {
    throw new LanguageDataMissing({
      tried: [data.langPath],
      message: `${damaged}. Run \`npm ci\` to reinstall @tesseract.js-data/vie, or set OCR_LANG_PATH to a folder holding a good vie.traineddata.`
    })
  }
  const workers = new Set<Worker>()
  const spawn = async (): Promise<Worker> => {
    const worker = await createWorker(LANGUAGE, OEM.LSTM_ONLY, {
      langPath: data.langPath,
      gzip: data.gzip,
      // Read the data where it is; never write a copy into the working directory.
      cacheMethod: "none",
      errorHandler: () => {}
    })
    workers.add(worker)
    await worker.setParameters(pageParameters)
    return worker
  }
  try {
    const loading = Array.from({ length: size }, spawn)
    await withinTime(Promise.all(loading), LOAD_TIMEOUT_MS, `loading ${size} OCR engines with ${data.langPath}`)
  } catch (e) {
    await Promise.all([...workers].map((w) => w.terminate().catch(() => {})))
    throw new LanguageDataMissing({
      tried: [data.langPath],
      message: `the OCR engine could not load the Vietnamese data in ${data.langPath}: ${e instanceof Error ? e.message : String(e)}. ` +
        "Run `npm ci` to reinstall @tesseract.js-data/vie, or set OCR_LANG_PATH to a folder holding a good vie.traineddata."
    })
  }

  const idle = [...workers]
  const waiting: Array<(w: Worker) => void> = []
  const acquire = (): Promise<Worker> => {
    const w = idle.pop()
    return w !== undefined ? Promise.resolve(w) : new Promise((resolve) => waiting.push(resolve))
  }
  const release = (w: Worker) => {
    const next = waiting.shift()
    if (next !== undefined) next(w)
    else idle.push(w)
  }
  let closed = false
  const pageTimeMs = options.pageTimeMs ?? defaultScanLimits.pageTimeMs
  // A page that takes too long is given up: its worker is stopped (the only way to stop
  // tesseract mid-page) and a fresh one takes its place in the pool.
  const withWorker = async <A>(job: (w: Worker) => Promise<A>): Promise<A> => {
    const w = await acquire()
    let timer: ReturnType<typeof setTimeout> | undefined
    const overrun = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new PageTooSlow(pageTimeMs)), pageTimeMs)
    })
    try {
      const result = await Promise.race([job(w), overrun])
      release(w)
      return result
    } catch (e) {
      if (!(e instanceof PageTooSlow)) {
        release(w)
        throw e
      }
      workers.delete(w)
      await w.terminate().catch(() => {})
      if (!closed) {
        spawn().then(
          (fresh) => (closed ? void fresh.terminate().catch(() => {}) : release(fresh)),
          () => {}
        )
      }
      throw e
    } finally {
      clearTimeout(timer)
    }
  }
  // TSV only: one row per word with its box, all extraction reads (tsv.ts says what the blocks tree cost).
  const read = async (w: Worker, image: Buffer): Promise<OcrPage> => {
    const result = await w.recognize(image, {}, { tsv: true, text: false })
    return pageFromTsv(result.data.tsv)
  }

  return {
    size,
    languageData: data,
    recognize: (png) => withWorker((w) => read(w, png)),
    recognizeLine: (png, line = {}) =>
      withWorker(async (w) => {
        await w.setParameters({
          tessedit_pageseg_mode: line.mode === "raw" ? PSM.RAW_LINE : PSM.SINGLE_LINE,
          tessedit_char_whitelist: line.whitelist ?? ""
        })
        try {
          return await read(w, png)
        } finally {
          await w.setParameters(pageParameters)
        }
      }),
    close: async () => {
      closed = true
      await Promise.all([...workers].map((w) => w.terminate().catch(() => {})))
    }
  }
}
