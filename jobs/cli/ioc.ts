/**
 * `bienlai ioc`: the operator's settings of the operations view.
 *
 *   ioc central --agency TW [--agency-name NAME] [--off]
 *
 * Marks an agency as the central department (Cục Quản lý thi hành án dân
 * sự): its officers see the national view at /console/ioc and in
 * /api/operations; every other agency's officers see their own agency
 * only (docs/OPERATIONS.md). Like bootstrapping an agency's first admins,
 * it is the operator's act on the server, recorded in officer_audit as
 * operator:<user>@<host>; who works in the central department is then
 * decided by its admins, two of them for each officer (four eyes).
 */
import { Clock } from "effect"
import { recordOfficerAudit } from "../../store/officers/officer-audit.ts"
import { agencyExists, insertAgency } from "../../store/officers/officers.ts"
import { setCentralAgency } from "../../store/operations/agencies.ts"
import { commandFailure, isAgencyCode, readCommandLine } from "../bin/command-line.ts"
import { operatorName } from "../bin/operator.ts"
import { type CliRuntime, databaseOf } from "../program/cli-runtime.ts"

export const summary = "mark the central department, whose officers see the national operations view (operator, audited)"

const usage = `usage:
  bienlai ioc central --agency TW [--agency-name NAME] [--off]

central    makes the agency the central department: its officers see every agency's
           figures in the operations view (/console/ioc, /api/operations). --agency-name
           creates the agency if it does not exist yet; --off takes the mark away.
The database is DATABASE_URL, or embedded PGlite in BIENLAI_DATA. Each use is recorded in
officer_audit as operator:<user>@<host>.`


export const run = async (args: ReadonlyArray<string>, runtime: CliRuntime): Promise<number> => {
  const parsed = readCommandLine("ioc", usage, args, {
    agency: { type: "string" },
    "agency-name": { type: "string" },
    off: { type: "boolean" }
  })
  if (typeof parsed === "number") return parsed
  const { values, positionals } = parsed
  const fail = commandFailure("ioc", usage)
  const [action, ...extra] = positionals
  if (action !== "central") return fail(action === undefined ? "give an action: central" : `unknown action "${action}"`)
  if (extra.length > 0) return fail(`unexpected argument "${extra[0]}"`)
  const agency = values.agency
  if (!isAgencyCode(agency)) return fail("--agency must be an agency code (2–16 capital letters or digits, like TW)")
  const name = values["agency-name"]?.trim().normalize("NFC")
  if (name !== undefined && (name === "" || name.length > 200)) return fail("--agency-name must be the agency's full name (at most 200 characters)")
  const central = values.off !== true
  const db = await databaseOf(runtime)
  const at = new Date(await runtime.runPromise(Clock.currentTimeMillis)).toISOString()
  const outcome = await db.transaction(async (tx) => {
    if (!(await agencyExists(tx, agency))) {
      if (name === undefined) return `agency ${agency} does not exist; give --agency-name to create it`
      await insertAgency(tx, agency, name)
      await recordOfficerAudit(tx, { agency, actor: operatorName(), action: "agency_created", at, detail: { name } })
    }
    await setCentralAgency(tx, agency, central)
    await recordOfficerAudit(tx, { agency, actor: operatorName(), action: central ? "agency_made_central" : "agency_central_removed", at })
    return undefined
  })
  if (outcome !== undefined) return fail(outcome, 1)
  console.log(central
    ? `${agency} is the central department: its officers see the national operations view at /console/ioc.`
    : `${agency} is no longer the central department: its officers see their own agency only.`)
  return 0
}
