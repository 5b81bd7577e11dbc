/**
 * A pool of tesseract.js workers, one per core by default, each loaded once
 * with the Vietnamese data and reused for every page. tesseract.js runs each
 * worker in a worker thread (node:worker_threads), which Bun supports.
 */
import { availableParallelism } from "node:os"
import { createScheduler, createWorker, OEM, PSM, type Scheduler } from "tesseract.js"
import type { OcrLine, OcrPage } from "../../domain/extraction/ocr-output.ts"
import { LanguageDataMissing } from "./errors.ts"
import { findLanguageData, LANGUAGE, languageDataHelp } from "./lang-data.ts"

export interface OcrPool {
  readonly size: number
  readonly recognize: (png: Buffer) => Promise<OcrPage>
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

export const createOcrPool = async (options: PoolOptions = {}): Promise<OcrPool> => {
  const size = options.size ?? defaultPoolSize()
  const data = findLanguageData(options.env)
  const scheduler: Scheduler = createScheduler()
  try {
    const workers = await Promise.all(
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
    )
    for (const w of workers) {
      await w.setParameters({ tessedit_pageseg_mode: PSM.AUTO, user_defined_dpi: "300", preserve_interword_spaces: "0" })
      scheduler.addWorker(w)
    }
  } catch (e) {
    await scheduler.terminate().catch(() => {})
    throw new LanguageDataMissing({ tried: [...data.tried], message: `${languageDataHelp(data.tried)} (${String(e)})` })
  }
  return {
    size,
    recognize: async (png) => {
      const result = await scheduler.addJob("recognize", png, {}, { blocks: true, text: false })
      return toPage(result.data.blocks as unknown as ReadonlyArray<TessBlock> | null)
    },
    close: async () => {
      await scheduler.terminate()
    }
  }
}
