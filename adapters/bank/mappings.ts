/**
 * The statement mappings bienlai ships (adapters/bank/mappings/*.json) and
 * any other a user writes: a mapping is a JSON file, checked on load, so a
 * bank is added without code (docs/BANK-FORMATS.md).
 */
import { readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { Result, Schema } from "effect"
import { parseStatementMapping, type StatementMapping } from "../../domain/bank/statement-mapping.ts"

export const shippedMappingsDir = fileURLToPath(new URL("./mappings", import.meta.url))

export class MappingRefused extends Schema.TaggedError<MappingRefused>()("MappingRefused", {
  file: Schema.String,
  problems: Schema.Array(Schema.String),
  message: Schema.String
}) {}

const refused = (file: string, problems: ReadonlyArray<string>) =>
  new MappingRefused({ file, problems, message: `The statement mapping ${file} cannot be used: ${problems.join("; ")}` })

/** Reads and checks one mapping file. */
export const loadStatementMapping = (file: string): StatementMapping => {
  let json: unknown
  try {
    json = JSON.parse(readFileSync(file, "utf8"))
  } catch (e) {
    throw refused(file, [`it is not readable JSON (${e instanceof Error ? e.message : String(e)})`])
  }
  const mapping = parseStatementMapping(json)
  if (Result.isFailure(mapping)) throw refused(file, mapping.failure)
  return mapping.success
}

/** Every mapping in a folder (the shipped one by default), by id. */
export const loadStatementMappings = (dir: string = shippedMappingsDir): ReadonlyMap<string, StatementMapping> =>
  new Map(
    readdirSync(dir)
      .filter((f) => f.endsWith(".json"))
      .sort()
      .map((f) => {
        const m = loadStatementMapping(join(dir, f))
        return [m.id, m] as const
      })
  )
