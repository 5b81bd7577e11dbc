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
import { availableParallelism } from "node:os"
import { createWorker, OEM, PSM, type Worker } from "tesseract.js"
import type { OcrLine, OcrPage } from "../../domain/extraction/ocr-output.ts"
import { LanguageDataMissing } from "./errors.ts"
import { findLanguageData, LANGUAGE, languageDataHelp } from "./lang-data.ts"

export interface LineOptions {
  /** Only these characters may be read (digits and separators for a number, say). */
  readonly whitelist?: string
}

export interface OcrPool {
  readonly size: number
  /** A whole page, its layout found by tesseract. */
  readonly recognize: (png: Buffer) => Promise<OcrPage>
  /** An image holding one line of text (a crop), read as a single line. */
  readonly recognizeLine: (png: Buffer, options?: LineOptions) => Promise<OcrPage>
  readonly close: () => Promise<void>
}

export interface PoolOptions {
  readonly size?: number
  readonly env?: Readonly<Record<string, string | undefined>>
}

interface TessWord {
  readonly text: string
  readonly confidence: number
  readonly bbox: { readonly x0: number; readonly y0: number; readonly x1: number; readonly y1: number }
}
interface TessLine {
  readonly words: ReadonlyArray<TessWord>
}
interface TessBlock {
  readonly paragraphs: ReadonlyArray<{ readonly lines: ReadonlyArray<TessLine> }>
}

const toPage = (blocks: ReadonlyArray<TessBlock> | null | undefined): OcrPage => ({
  lines: (blocks ?? []).flatMap((b) =>
    b.paragraphs.flatMap((p) =>
      p.lines
        .map((l): OcrLine => ({
          words: l.words
            .filter((w) => w.text.trim() !== "")
            .map((w) => ({ text: w.text.normalize("NFC"), confidence: w.confidence / 100, box: w.bbox }))
        }))
        .filter((l) => l.words.length > 0)
    )
  )
})

export const defaultPoolSize = (): number => Math.max(1, availableParallelism())

const pageParameters = { tessedit_pageseg_mode: PSM.AUTO, user_defined_dpi: "300", preserve_interword_spaces: "0", tessedit_char_whitelist: "" }

export const createOcrPool = async (options: PoolOptions = {}): Promise<OcrPool> => {
  const size = options.size ?? defaultPoolSize()
  const data = findLanguageData(options.env)
  const workers: Array<Worker> = []
  try {
    workers.push(
      ...(await Promise.all(
        Array.from({ length: size }, () =>
          createWorker(LANGUAGE, OEM.LSTM_ONLY, {
            ...(data.langPath === undefined ? {} : { langPath: data.langPath }),
            gzip: data.gzip,
            // Never write a copy of the data into the working directory.
            cacheMethod: data.langPath === undefined ? "write" : "none",
            cachePath: data.langPath === undefined ? undefined : data.langPath,
            errorHandler: () => {}
          })
        )
      ))
    )
    for (const w of workers) await w.setParameters(pageParameters)
  } catch (e) {
    await Promise.all(workers.map((w) => w.terminate().catch(() => {})))
    throw new LanguageDataMissing({ tried: [...data.tried], message: `${languageDataHelp(data.tried)} (${String(e)})` })
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
  const withWorker = async <A>(job: (w: Worker) => Promise<A>): Promise<A> => {
    const w = await acquire()
    try {
      return await job(w)
    } finally {
      release(w)
    }
  }
  const read = async (w: Worker, png: Buffer): Promise<OcrPage> => {
    const result = await w.recognize(png, {}, { blocks: true, text: false })
    return toPage(result.data.blocks as unknown as ReadonlyArray<TessBlock> | null)
  }

  return {
    size,
    recognize: (png) => withWorker((w) => read(w, png)),
    recognizeLine: (png, line = {}) =>
      withWorker(async (w) => {
        await w.setParameters({ tessedit_pageseg_mode: PSM.SINGLE_LINE, tessedit_char_whitelist: line.whitelist ?? "" })
        try {
          return await read(w, png)
        } finally {
          await w.setParameters(pageParameters)
        }
      }),
    close: async () => {
      await Promise.all(workers.map((w) => w.terminate().catch(() => {})))
    }
  }
}
