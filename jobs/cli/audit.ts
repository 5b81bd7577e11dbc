/**
 * `bienlai audit numbering [--agency A] [--year Y] [--schema S] [--json]`:
 * per series the count, first and last number, and every gap or duplicate.
 * Exits 1 when one is found, so it can gate a deployment or a nightly job.
 */
import { formatReceiptNumber } from "../../domain/receipt.ts"
import type { SeriesAudit } from "../../domain/ports/receipt-store.ts"
import { errorMessage } from "../../store/database/db.ts"
import { migrate } from "../../store/database/migrate.ts"
import { auditNumbering, isClean } from "../../store/receipts/numbering-audit.ts"
import { dbConfigFromEnv, describeDb } from "../../store/database/open-db.ts"
import { type CliRuntime, databaseOf } from "../program/cli-runtime.ts"
import { openPostgres } from "../../store/database/postgres-db.ts"
import { readCommandLine } from "../bin/command-line.ts"

export const summary = "audit numbering: per series count, first, last, gaps and duplicates (exit 1 if any)"

const usage = `usage: bienlai audit numbering [--agency HCM] [--year 2025] [--schema NAME] [--json]

Reads DATABASE_URL (PostgreSQL) or the embedded database in BIENLAI_DATA (default ./data).
--schema reads another PostgreSQL schema, e.g. bench_numbering after npm run bench:numbering.`

const range = (from: number, to: number) =>
  from === to ? formatReceiptNumber(from) : `${formatReceiptNumber(from)}–${formatReceiptNumber(to)}`

const line = (a: SeriesAudit): string =>
  [
    `${a.agency.padEnd(6)} ${a.form.padEnd(12)} ${a.symbol}`,
    `count ${String(a.count).padStart(8)}`,
    `first ${a.first === null ? "-".padStart(7) : formatReceiptNumber(a.first)}`,
    `last ${a.last === null ? "-".padStart(7) : formatReceiptNumber(a.last)}`,
    a.gaps.length === 0 ? "no gaps" : `GAPS ${a.gaps.map((g) => range(g.from, g.to)).join(", ")}`,
    a.duplicates.length === 0 ? "no duplicates" : `DUPLICATES ${a.duplicates.map(formatReceiptNumber).join(", ")}`
  ].join("  ")

export const run = async (args: ReadonlyArray<string>, runtime: CliRuntime): Promise<number> => {
  const [what, ...rest] = args
  if (what === "--help" || what === "-h") {
    console.log(usage)
    return 0
  }
  if (what !== "numbering") {
    console.error(`bienlai audit: expected "numbering", got ${what === undefined ? "nothing" : `"${what}"`}\n\n${usage}`)
    return 2
  }
  const parsed = readCommandLine("audit numbering", usage, rest, {
    agency: { type: "string" }, year: { type: "string" }, schema: { type: "string" }, json: { type: "boolean" }
  })
  if (typeof parsed === "number") return parsed
  if (parsed.positionals.length > 0) {
    console.error(`bienlai audit numbering: unexpected argument "${parsed.positionals[0]}"\n\n${usage}`)
    return 2
  }
  const flags = parsed.values
  const year = flags.year === undefined ? undefined : Number(flags.year)
  if (year !== undefined && !(Number.isInteger(year) && year >= 2000 && year <= 2099)) {
    console.error(`bienlai audit numbering: --year must be a year like 2025, got "${flags.year}"`)
    return 2
  }
  const config = dbConfigFromEnv()
  if (flags.schema !== undefined && config.databaseUrl === undefined) {
    console.error("bienlai audit numbering: --schema needs DATABASE_URL (a PostgreSQL server)")
    return 2
  }
  let audits: Array<SeriesAudit>
  try {
    const filter = { ...(flags.agency === undefined ? {} : { agency: flags.agency }), ...(year === undefined ? {} : { year }) }
    if (flags.schema !== undefined && config.databaseUrl !== undefined) {
      // Another schema than the program's (a benchmark's): a connection of its own, closed here.
      const db = openPostgres({ url: config.databaseUrl, max: 1, schema: flags.schema })
      try {
        await migrate(db)
        audits = await auditNumbering(db, filter)
      } finally {
        await db.close()
      }
    } else {
      audits = await auditNumbering(await databaseOf(runtime), filter)
    }
  } catch (error) {
    console.error(`bienlai audit numbering: cannot read ${describeDb(config)}: ${errorMessage(error)}`)
    return 1
  }
  const bad = audits.filter((a) => !isClean(a))
  if (flags.json) console.log(JSON.stringify({ series: audits, clean: bad.length === 0 }))
  else {
    for (const a of audits) console.log(line(a))
    console.log(
      audits.length === 0
        ? "no series found"
        : bad.length === 0
        ? `${audits.length} series, no gaps, no duplicates`
        : `${bad.length} of ${audits.length} series have gaps or duplicates`
    )
  }
  return bad.length === 0 ? 0 : 1
}
