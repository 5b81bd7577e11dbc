/**
 * `bienlai officers`: the operator's bootstrap of an agency's first admins,
 * run on the server with database access.
 *
 *   officers add --agency HCM [--agency-name NAME] --id ID --name NAME [--schema S]
 *   officers disable --agency HCM --id ID [--schema S]
 *   officers list --agency HCM [--schema S]
 *   officers title --agency HCM --id ID --title TITLE [--schema S]
 *   officers heading --agency HCM [--parent NAME] [--place PLACE] [--schema S]
 *
 * `title` and `heading` set what the receipt PDF prints (docs/RECEIPT.md):
 * the title (chức vụ) an approver signs under, and the agency's parent body
 * and place. They give no power, so they need no second admin; each use is
 * recorded in officer_audit like the others.
 *
 * Inside the service nothing that gives power happens on one person's word:
 * a second admin approves. Someone has to be the first two admins, though,
 * and only whoever runs the server can say who: so `add` stands outside the
 * four-eyes model, on purpose and within limits. It makes admins only, and
 * only while the agency has fewer than two admins who can sign in; past that,
 * officers are requested by one admin and approved by another. Whoever can
 * run it can also write to the database directly, so it gives the operator
 * no power they lacked; what it adds is a record: each use is written to
 * officer_audit as `operator:<user>@<host>`. The new admin gets a one-time
 * enrolment code, printed once, to exchange for their own token
 * (docs/SECURITY.md).
 */
import { Clock } from "effect"
import { Entropy } from "../../domain/ports/entropy.ts"
import { ENROLMENT_CODE_HOURS, enrolmentCodeFromBytes, officerIdPattern } from "../../domain/privileges.ts"
// The hex SHA-256 the edge keeps of an enrolment code (edge/officers/tokens.ts computes the same with WebCrypto);
// the pure implementation, since a command does not reach into the edge.
import { sha256Hex } from "../../domain/payout/sha256.ts"
import type { Db } from "../../store/database/db.ts"
import { errorMessage } from "../../store/database/db.ts"
import { issueEnrolmentCode } from "../../store/officers/enrolment-codes.ts"
import { migrate } from "../../store/database/migrate.ts"
import { recordOfficerAudit } from "../../store/officers/officer-audit.ts"
import { agencyExists, disableOfficer, enabledAdmins, insertAgency, insertOfficer, listOfficers, lockAgencyOfficers, officerIdTaken, officerInAgency } from "../../store/officers/officers.ts"
import { dbConfigFromEnv } from "../../store/database/open-db.ts"
import { type CliRuntime, databaseOf } from "../program/cli-runtime.ts"
import { setAgencyLetterhead } from "../../store/agencies/letterhead.ts"
import { setOfficerTitle } from "../../store/officers/signatories.ts"
import { openPostgres } from "../../store/database/postgres-db.ts"
import { commandFailure, isAgencyCode, readCommandLine } from "../bin/command-line.ts"
import { operatorName } from "../bin/operator.ts"

export const summary = "bootstrap an agency's first two admins (operator, audited); list or disable officers; set titles and the agency's heading for the receipt PDF"

const usage = `usage:
  bienlai officers add --agency HCM [--agency-name NAME] --id ID --name NAME [--schema S]
  bienlai officers disable --agency HCM --id ID [--schema S]
  bienlai officers list --agency HCM [--schema S]
  bienlai officers title --agency HCM --id ID --title TITLE [--schema S]
  bienlai officers heading --agency HCM [--parent NAME] [--place PLACE] [--schema S]

add        makes an admin while the agency has fewer than two admins who can sign in,
           and prints a one-time enrolment code (valid ${ENROLMENT_CODE_HOURS} hours) to hand to that person;
           --agency-name creates the agency if it does not exist yet. Every other officer
           is requested by one admin and approved by a second, in the service.
disable    takes an officer's access away at once (tokens, sessions, codes).
title      sets the title (chức vụ) printed under the officer's name on the receipts they
           approve, e.g. "Phó Cục trưởng"; --title "" removes it.
heading    sets the agency's parent body (e.g. "Bộ Tư pháp") and place (e.g. "Thành phố Hồ
           Chí Minh") printed in its receipts' heading; an option left out is removed.
The database is DATABASE_URL, or embedded PGlite in BIENLAI_DATA. Each use is recorded in
officer_audit as operator:<user>@<host>.`

const MAX_BOOTSTRAP_ADMINS = 2


export const run = async (args: ReadonlyArray<string>, runtime: CliRuntime): Promise<number> => {
  const parsed = readCommandLine("officers", usage, args, {
    agency: { type: "string" },
    "agency-name": { type: "string" },
    id: { type: "string" },
    name: { type: "string" },
    title: { type: "string" },
    parent: { type: "string" },
    place: { type: "string" },
    schema: { type: "string" }
  })
  if (typeof parsed === "number") return parsed
  const { values, positionals } = parsed
  const [action, ...extra] = positionals
  const fail = commandFailure("officers", usage)
  const actions = ["add", "disable", "list", "title", "heading"]
  if (action === undefined || !actions.includes(action)) return fail(action === undefined ? "give an action: add, disable, list, title or heading" : `unknown action "${action}"`)
  if (extra.length > 0) return fail(`unexpected argument "${extra[0]}"`)
  const agency = values.agency
  if (!isAgencyCode(agency)) return fail("--agency must be an agency code (2–16 capital letters or digits, like HCM)")
  if (action !== "list" && action !== "heading" && (values.id === undefined || !officerIdPattern.test(values.id))) {
    return fail("--id must be lowercase letters, digits, . _ - (2–64), like lan.nguyen")
  }
  const tooLong = (option: string, value: string | undefined, max: number) => value !== undefined && value.trim().length > max ? `--${option} is longer than ${max} characters` : undefined
  if (action === "title" && values.title === undefined) return fail("--title must be the officer's title (chức vụ), like \"Phó Cục trưởng\", or \"\" to remove it")
  const long = tooLong("title", values.title, 120) ?? tooLong("parent", values.parent, 200) ?? tooLong("place", values.place, 100)
  if (long !== undefined) return fail(long)
  if (action === "add" && (values.name === undefined || values.name.trim() === "" || values.name.length > 200)) return fail("--name must be the admin's full name")

  const config = dbConfigFromEnv()
  if (values.schema !== undefined && config.databaseUrl === undefined) return fail("--schema needs DATABASE_URL (a PostgreSQL server)")
  let db: Db
  try {
    db = values.schema !== undefined && config.databaseUrl !== undefined ? openPostgres({ url: config.databaseUrl, max: 1, schema: values.schema }) : await databaseOf(runtime)
    if (values.schema !== undefined) await migrate(db)
  } catch (e) {
    return fail(`cannot open the database: ${errorMessage(e)}`, 1)
  }
  try {
    if (action === "list") {
      for (const o of await listOfficers(db, agency)) console.log(`${o.id.padEnd(24)} ${o.role.padEnd(9)} ${o.disabled ? "disabled " : "         "} ${o.name}${o.title === null ? "" : `, ${o.title}`}`)
      return 0
    }
    const cleaned = (v: string | undefined) => (v === undefined || v.trim() === "" ? undefined : v.trim().normalize("NFC"))
    if (action === "heading") {
      if (!(await agencyExists(db, agency))) return fail(`agency ${agency} does not exist`, 1)
      const heading = { ...(cleaned(values.parent) === undefined ? {} : { parentName: cleaned(values.parent)! }), ...(cleaned(values.place) === undefined ? {} : { place: cleaned(values.place)! }) }
      await db.transaction(async (tx) => {
        await setAgencyLetterhead(tx, agency, heading)
        await recordOfficerAudit(tx, { agency, actor: operatorName(), action: "agency_heading_set", at: new Date().toISOString(), detail: heading })
      })
      console.log(`${agency}: parent ${heading.parentName ?? "(none)"}, place ${heading.place ?? "(none)"}`)
      return 0
    }
    if (action === "title") {
      const id = values.id!
      if ((await officerInAgency(db, agency, id)) === undefined) return fail(`no officer ${id} in agency ${agency}`, 1)
      const title = cleaned(values.title)
      await db.transaction(async (tx) => {
        await setOfficerTitle(tx, id, title)
        await recordOfficerAudit(tx, { agency, actor: operatorName(), action: "officer_title_set", officer: id, at: new Date().toISOString(), detail: { title: title ?? null } })
      })
      console.log(`${id}: title ${title ?? "(none)"}`)
      return 0
    }
    const id = values.id!
    const actor = operatorName()
    const at = new Date(await runtime.runPromise(Clock.currentTimeMillis))
    if (action === "disable") {
      const target = await officerInAgency(db, agency, id)
      if (target === undefined) return fail(`no officer ${id} in agency ${agency}`, 1)
      const ended = await db.transaction(async (tx) => {
        const result = await disableOfficer(tx, id, actor, at.toISOString())
        await recordOfficerAudit(tx, { agency, actor, action: "officer_disabled", officer: id, at: at.toISOString(), detail: result })
        return result
      })
      console.log(`disabled ${id}: ${ended.tokens} token(s) revoked, ${ended.sessions} session(s) ended`)
      return 0
    }

    const name = values.name!.trim().normalize("NFC")
    const code = enrolmentCodeFromBytes(await runtime.runPromise(Entropy.use((e) => e.bytes(13))))
    const expiresAt = new Date(at.getTime() + ENROLMENT_CODE_HOURS * 3_600_000).toISOString()
    const outcome = await db.transaction(async (tx) => {
      // Serialised per agency, so two operators at once cannot make a third admin.
      await lockAgencyOfficers(tx, agency)
      if (!(await agencyExists(tx, agency))) {
        if (values["agency-name"] === undefined) return `agency ${agency} does not exist; give --agency-name to create it`
        await insertAgency(tx, agency, values["agency-name"].trim().normalize("NFC"))
        await recordOfficerAudit(tx, { agency, actor, action: "agency_created", at: at.toISOString(), detail: { name: values["agency-name"].trim() } })
      }
      const admins = await enabledAdmins(tx, agency)
      if (admins.length >= MAX_BOOTSTRAP_ADMINS) {
        return `agency ${agency} has ${admins.length} admins who can sign in (${admins.join(", ")}): one of them requests the new officer in the service and another approves it`
      }
      if (await officerIdTaken(tx, id)) return `the officer id ${id} is taken`
      await insertOfficer(tx, { id, agency, name, role: "admin" })
      await recordOfficerAudit(tx, { agency, actor, action: "officer_created_outside_four_eyes", officer: id, at: at.toISOString(), detail: { role: "admin", name, why: "bootstrap of the agency's first admins" } })
      await issueEnrolmentCode(tx, { codeSha256: sha256Hex(code), officerId: id, requestId: null, issuedBy: actor, now: at.toISOString(), expiresAt })
      await recordOfficerAudit(tx, { agency, actor, action: "enrolment_code_issued", officer: id, at: at.toISOString(), detail: { expiresAt } })
      return undefined
    })
    if (outcome !== undefined) return fail(outcome, 1)
    console.log(`admin ${id} (${name}) added to ${agency}.`)
    console.log(`enrolment code, shown only now, valid until ${expiresAt}:`)
    console.log(`  ${code}`)
    console.log("Hand it to that person yourself (not by e-mail); they type it on the console's sign-in page or POST it to /api/officer/enrol for their own token.")
    return 0
  } catch (e) {
    return fail(errorMessage(e), 1)
  } finally {
    // The runtime closes its own database when the command ends; a schema's connection is this command's.
    if (values.schema !== undefined) await db.close()
  }
}
