/**
 * Input files → page images. PNG, JPEG, WebP and (multi-page) TIFF are decoded
 * by sharp; PDF pages are rendered at 300 dpi by poppler's pdftoppm, the
 * renderer Debian ships (poppler-utils).
 */
import { execFile } from "node:child_process"
import { mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { promisify } from "node:util"
import sharp from "sharp"
import { UnreadableInput } from "./errors.ts"

const run = promisify(execFile)

export const MAX_PAGES = 50

type Kind = "pdf" | "tiff" | "image"

const kindOf = (bytes: Uint8Array): Kind | undefined => {
  const head = Buffer.from(bytes.subarray(0, 12))
  if (head.subarray(0, 5).toString("latin1") === "%PDF-") return "pdf"
  if (head.subarray(0, 4).equals(Buffer.from([0x49, 0x49, 0x2a, 0x00])) || head.subarray(0, 4).equals(Buffer.from([0x4d, 0x4d, 0x00, 0x2a]))) return "tiff"
  if (head.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return "image"
  if (head[0] === 0xff && head[1] === 0xd8) return "image"
  if (head.subarray(0, 4).toString("latin1") === "RIFF" && head.subarray(8, 12).toString("latin1") === "WEBP") return "image"
  return undefined
}

const fail = (file: string, reason: UnreadableInput["reason"], message: string) => new UnreadableInput({ file, reason, message })

const pdfPages = async (file: string, bytes: Uint8Array): Promise<ReadonlyArray<Buffer>> => {
  const dir = await mkdtemp(join(tmpdir(), "bienlai-pdf-"))
  try {
    const input = join(dir, "in.pdf")
    await Bun.write(input, bytes)
    try {
      await run("pdftoppm", ["-r", "300", "-gray", "-png", "-l", String(MAX_PAGES), input, join(dir, "page")], { maxBuffer: 1 << 20 })
    } catch (e) {
      const err = e as { code?: string; stderr?: string }
      if (err.code === "ENOENT") throw fail(file, "unsupported_type", "PDF input needs pdftoppm: install poppler-utils (apt-get install poppler-utils)")
      throw fail(file, "corrupt", `the PDF could not be rendered: ${(err.stderr ?? String(e)).trim().split("\n")[0]}`)
    }
    const names = (await readdir(dir)).filter((n) => n.startsWith("page") && n.endsWith(".png")).sort()
    if (names.length === 0) throw fail(file, "corrupt", "the PDF has no pages")
    // Awaited here: the folder is removed in `finally`.
    return await Promise.all(names.map((n) => readFile(join(dir, n))))
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

const imagePages = async (file: string, bytes: Uint8Array, kind: Kind): Promise<ReadonlyArray<Buffer>> => {
  try {
    const meta = await sharp(bytes).metadata()
    const count = kind === "tiff" ? (meta.pages ?? 1) : 1
    if (count > MAX_PAGES) throw fail(file, "too_many_pages", `the file has ${count} pages; at most ${MAX_PAGES} are read`)
    const pages: Array<Buffer> = []
    for (let page = 0; page < count; page++) {
      pages.push(await sharp(bytes, { page, pages: 1, failOn: "error" }).png({ compressionLevel: 1 }).toBuffer())
    }
    return pages
  } catch (e) {
    if (e instanceof UnreadableInput) throw e
    throw fail(file, "corrupt", `the image could not be decoded (${String((e as Error).message ?? e).split("\n")[0]})`)
  }
}

/** The pages of `file` as PNG buffers, or an UnreadableInput saying why not. Never throws anything else. */
export const decodeFile = async (file: string): Promise<ReadonlyArray<Buffer>> => {
  let bytes: Uint8Array
  try {
    if (!(await stat(file)).isFile()) throw fail(file, "missing", "not a file")
    bytes = await readFile(file)
  } catch (e) {
    if (e instanceof UnreadableInput) throw e
    throw fail(file, "missing", `the file cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})`)
  }
  return decodeBytes(file, bytes)
}

/** The pages of a file already in memory (an upload); `name` only labels errors. */
export const decodeBytes = async (name: string, bytes: Uint8Array): Promise<ReadonlyArray<Buffer>> => {
  if (bytes.length === 0) throw fail(name, "empty_file", "the file is empty (0 bytes)")
  const kind = kindOf(bytes)
  if (kind === undefined) throw fail(name, "unsupported_type", "not a PNG, JPEG, WebP, TIFF or PDF file")
  return kind === "pdf" ? pdfPages(name, bytes) : imagePages(name, bytes, kind)
}
