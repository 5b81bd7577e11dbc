/**
 * A statement uploaded through the officer API or console, read with the
 * same streaming readers as `bienlai reconcile import` (adapters/bank/
 * statement-file.ts): the bytes are written to a private temporary file,
 * read as events, and the file is removed whatever happens.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import type { StatementEvent } from "../../domain/bank/statement.ts"
import { readStatementFile, type StatementFileOptions } from "../bank/statement-file.ts"

/** A file name safe to create (CSV and XLSX statements take their id from it). */
export const safeStatementName = (name: string): string => {
  const base = name.split(/[\\/]/).at(-1) ?? ""
  const cleaned = base.normalize("NFC").replace(/[^\p{L}\p{N}._-]+/gu, "_").replace(/^\.+/, "").slice(0, 100)
  return cleaned === "" ? "statement" : cleaned
}

export const withUploadedStatement = async <A>(
  bytes: Uint8Array,
  name: string,
  options: StatementFileOptions,
  use: (events: AsyncIterable<StatementEvent>) => Promise<A>
): Promise<A> => {
  const dir = await mkdtemp(join(tmpdir(), "bienlai-statement-"))
  try {
    const path = join(dir, safeStatementName(name))
    await writeFile(path, bytes, { mode: 0o600 })
    return await use(readStatementFile(path, options))
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}
