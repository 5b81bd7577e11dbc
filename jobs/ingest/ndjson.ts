/**
 * NDJSON rows: one JSON object per line, keyed by the same column names as
 * the CSV header (docs/INGEST.md). Numbers are accepted where figures are
 * expected, but only while they are exact: a JSON number past 2^53 has
 * already lost digits when it is parsed, so it is refused.
 */
import { Result } from "effect"
import { columnOf, type RowFields } from "./columns.ts"

export const fieldsOfJson = (line: string): Result.Result<RowFields, Array<string>> => {
  let value: unknown
  try {
    value = JSON.parse(line)
  } catch (error) {
    return Result.fail([`row: not valid JSON (${error instanceof Error ? error.message : String(error)})`])
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) return Result.fail(["row: expected one JSON object per line"])
  const fields: RowFields = {}
  const reasons: Array<string> = []
  for (const [key, v] of Object.entries(value)) {
    const column = columnOf(key)
    if (column === undefined || v === null || v === undefined) continue
    if (typeof v === "string") {
      if (v.trim() !== "") fields[column] = v.trim()
    } else if (typeof v === "number") {
      if (!Number.isSafeInteger(v)) reasons.push(`${column}: the number ${v} is not exact in JSON; write it as a string, e.g. "125500000"`)
      else fields[column] = String(v)
    } else reasons.push(`${column}: expected text, got ${Array.isArray(v) ? "a list" : typeof v}`)
  }
  return reasons.length > 0 ? Result.fail(reasons) : Result.succeed(fields)
}
