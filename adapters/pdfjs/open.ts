/**
 * Opening a PDF with Mozilla's PDF.js (pdfjs-dist): pure JavaScript and
 * WebAssembly from npm, drawing on @napi-rs/canvas, so reading a PDF needs
 * nothing installed beyond `npm ci`. PDF.js is Apache-2.0 like bienlai;
 * MuPDF's `mupdf` package would have made the combined program AGPL.
 */
import { createRequire } from "node:module"
import { dirname, join } from "node:path"

/** Why a PDF was not drawn; `reason` says which limit or fault. */
export class PdfRenderError extends Error {
  readonly reason: "corrupt" | "encrypted" | "too_many_pages" | "no_pages" | "page_timeout"
  readonly page: number | undefined
  constructor(reason: PdfRenderError["reason"], message: string, page?: number) {
    super(message)
    this.name = "PdfRenderError"
    this.reason = reason
    this.page = page
  }
}

type PdfJs = typeof import("pdfjs-dist/legacy/build/pdf.mjs")

let loaded: Promise<{ readonly pdfjs: PdfJs; readonly assets: string }> | undefined

// Loaded on first use: PDF.js is large, and most scans are images.
const load = () =>
  (loaded ??= (async () => {
    const pdfjs = await import("pdfjs-dist/legacy/build/pdf.mjs")
    const assets = dirname(createRequire(import.meta.url).resolve("pdfjs-dist/package.json"))
    return { pdfjs, assets }
  })())

/** The document, opened by PDF.js with its fonts, character maps and decoders from the package. */
export const openPdf = async (bytes: Uint8Array) => {
  const { pdfjs, assets } = await load()
  const folder = (name: string) => `${join(assets, name)}/`
  const task = pdfjs.getDocument({
    // PDF.js takes the buffer over (transfers it): give it a copy.
    data: new Uint8Array(bytes),
    isEvalSupported: false,
    useSystemFonts: false,
    disableFontFace: true,
    stopAtErrors: false,
    // An embedded image bigger than this is not drawn (a picture bomb inside a normal-sized page).
    maxImageSize: 64_000_000,
    standardFontDataUrl: folder("standard_fonts"),
    cMapUrl: folder("cmaps"),
    cMapPacked: true,
    wasmUrl: folder("wasm"),
    iccUrl: folder("iccs"),
    verbosity: pdfjs.VerbosityLevel.ERRORS
  })
  try {
    return await task.promise
  } catch (e) {
    await task.destroy().catch(() => {})
    const name = (e as { name?: string }).name
    if (name === "PasswordException") throw new PdfRenderError("encrypted", "the PDF is protected by a password")
    throw new PdfRenderError("corrupt", `the PDF could not be opened (${(e as Error).message ?? String(e)})`)
  }
}

