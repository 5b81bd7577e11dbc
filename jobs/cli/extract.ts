/**
 * `bienlai extract FILE... [--json]`: reads scanned payment documents and
 * prints the draft-receipt fields found in each. One JSON object per line with
 * --json; a short readable summary otherwise. Files are read in parallel by
 * the OCR worker pool; a file that fails gives a result with its reason.
 */
import { fieldNames } from "../../domain/extraction/extraction.ts"
import { createOcrPool } from "../../adapters/ocr/pool.ts"
import { type DocumentResult, readDocument } from "../../adapters/ocr/read-document.ts"

export const summary = "read scanned payment documents (PNG, JPEG, TIFF, PDF) into draft-receipt fields"

const usage = `usage: bienlai extract FILE... [--json]

Reads each file with OCR (Vietnamese) and prints its document type, fields,
a confidence per field and warnings. --json prints one JSON object per file.
Environment: OCR_LANG_PATH (folder with vie.traineddata), OCR_WORKERS (pool size).`

const asJson = (r: DocumentResult) => ({
  file: r.file,
  documentType: r.documentType,
  fields: r.fields,
  confidence: r.confidence,
  warnings: r.warnings,
  ...(r.error === undefined ? {} : { error: r.error }),
  ms: r.ms
})

const human = (r: DocumentResult): string => {
  const lines = [`${r.file}: ${r.error === undefined ? r.documentType : `unreadable (${r.error})`} in ${r.ms} ms`]
  for (const f of fieldNames) {
    const v = r.fields[f]
    if (v !== undefined) lines.push(`  ${f.padEnd(15)} ${v}  (${Math.round((r.confidence[f] ?? 0) * 100)}%)`)
  }
  for (const w of r.warnings) lines.push(`  ! ${w.message}`)
  return lines.join("\n")
}

export const run = async (args: ReadonlyArray<string>): Promise<number> => {
  if (args.includes("--help") || args.includes("-h")) {
    console.log(usage)
    return 0
  }
  const json = args.includes("--json")
  const files = args.filter((a) => a !== "--json")
  if (files.length === 0) {
    console.error(usage)
    return 2
  }
  const size = Number(process.env["OCR_WORKERS"] ?? "") || undefined
  let pool
  try {
    pool = await createOcrPool(size === undefined ? {} : { size })
  } catch (e) {
    console.error(`bienlai extract: ${(e as Error).message ?? String(e)}`)
    return 1
  }
  const currentYear = new Date().getFullYear()
  let failed = 0
  try {
    // Files run concurrently so the pool stays busy; results print in the order given.
    const pending = files.map((f) => readDocument(pool, f, { currentYear }))
    for (const p of pending) {
      const r = await p
      if (r.error !== undefined) failed++
      console.log(json ? JSON.stringify(asJson(r)) : human(r))
    }
  } finally {
    await pool.close()
  }
  return failed === 0 ? 0 : 1
}
