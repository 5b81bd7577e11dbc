/**
 * `bienlai reconcile account|import|run|report`: bank reconciliation from
 * the command line (docs/RECONCILIATION.md).
 *
 * Exit codes: 0 done; 3 done, but some statement entries were rejected (see
 * the rejects file) or some credits are left for an officer; 1 refused or
 * failed (nothing was changed); 2 wrong usage.
 */
import { randomBytes } from "node:crypto"
import { createWriteStream, existsSync, writeFileSync } from "node:fs"
import { Effect, Result } from "effect"
import { loadStatementMapping, loadStatementMappings } from "../../adapters/bank/mappings.ts"
import { readStatementFile } from "../../adapters/bank/statement-file.ts"
import { dayReportsCsv, dayReportsXlsx } from "../../adapters/reconciliation/day-report-file.ts"
import type { StatementFormat } from "../../domain/bank/statement.ts"
import type { StatementMapping } from "../../domain/bank/statement-mapping.ts"
import type { DailyReport } from "../../domain/reconciliation/daily-report.ts"
import { errorMessage } from "../../store/database/db.ts"
import { agencyAccounts, registerBankAccount } from "../../store/reconciliation/accounts.ts"
import { accountDayReport } from "../../store/reconciliation/days.ts"
import { runWithDrafts } from "../../store/reconciliation/run-with-drafts.ts"
import { recordImporter } from "../../store/reconciliation/credit-drafts.ts"
import { makeReceiptStore } from "../../store/receipts/receipt-repository.ts"
import { SigningError } from "../../domain/ports/signer.ts"
import { uuidFromBytes } from "../../domain/ids.ts"
import { importStatementEvents } from "../../store/reconciliation/statement-import.ts"
import { readCommandLine } from "../bin/command-line.ts"
import { openBulkDb } from "../ingest/context.ts"
import { authenticateCliOfficer, typedOfficerRefused } from "../program/officer-identity.ts"

export const summary = "reconcile account|import|run|report: bank statements matched to receipts (camt.053/054, MT940, CSV/XLSX)"

const usage = `usage: bienlai reconcile account --agency HCM --account NUMBER [--bin 970436] [--name TEXT]
       bienlai reconcile import FILE --agency HCM [--mapping ID|FILE.json] [--account NUMBER]
                                [--format camt.053|camt.054|mt940|csv|xlsx] [--rejects FILE] [--drafts]
       bienlai reconcile run --agency HCM [--today YYYY-MM-DD] [--stale-days 3]
       bienlai reconcile report --agency HCM --day YYYY-MM-DD [--account NUMBER] [--out FILE.csv|FILE.xlsx]
       (each takes [--schema NAME] [--json])

account  registers a bank account of the agency (a statement of an account
         registered to another agency, or to none, is refused)
import   reads a statement file, streamed; the same file twice changes nothing,
         an overlapping one adds only new entries; unreadable entries go to
         the rejects file (default FILE.rejects.ndjson), one JSON line each;
         --drafts: the officer whose API token is in BIENLAI_TOKEN (or typed
         at a prompt that does not echo), an officer or approver of the
         agency, imports it, and the run makes draft receipts of the file's
         unmatched credits on their behalf
run      matches every unmatched credit: payment reference, then bank
         reference, then decision + amount + payer name; ambiguous credits go
         to the officer queue; unmatched ones (of statements imported by an
         officer) and payment requests' credits become draft receipts, once
report   the day's report per account: opening, credits, debits, closing
         (checked against the bank's balances), matched, queued, unmatched,
         flagged; CSV on standard output, or --out as CSV or XLSX

Reads DATABASE_URL (PostgreSQL) or the embedded database in BIENLAI_DATA.
Exit 0 done; 3 done with rejected entries or credits left for an officer;
1 refused or failed (nothing changed); 2 wrong usage.`

const options = {
  agency: { type: "string" },
  account: { type: "string" },
  bin: { type: "string" },
  name: { type: "string" },
  mapping: { type: "string" },
  format: { type: "string" },
  rejects: { type: "string" },
  drafts: { type: "boolean" },
  // Read only to refuse it: whose drafts they are comes from the token.
  officer: { type: "string" },
  today: { type: "string" },
  "stale-days": { type: "string" },
  day: { type: "string" },
  out: { type: "string" },
  schema: { type: "string" },
  json: { type: "boolean" }
} as const

// An import or a run is one transaction; a month of a large agency's statements takes more than the driver's default minute.
const bulkTimeoutMs = 3_600_000

const formats: ReadonlyArray<StatementFormat> = ["camt.053", "camt.054", "mt940", "csv", "xlsx"]
const isDay = (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`))
const vietnamToday = () => new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10)

const json = (value: unknown) => JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? v.toString() : v))

const mappingFrom = (spec: string): StatementMapping => {
  if (spec.endsWith(".json") || existsSync(spec)) return loadStatementMapping(spec)
  const shipped = loadStatementMappings()
  const m = shipped.get(spec)
  if (m === undefined) throw new Error(`no statement mapping "${spec}"; shipped: ${[...shipped.keys()].join(", ")}, or give a JSON file`)
  return m
}

export const run = async (args: ReadonlyArray<string>): Promise<number> => {
  const [sub, ...rest] = args
  const parsed = readCommandLine(`reconcile${sub === undefined ? "" : ` ${sub}`}`, usage, rest, options)
  if (typeof parsed === "number") return parsed
  const { values: f, positionals } = parsed
  const fail = (message: string, code = 2) => {
    console.error(`bienlai reconcile${sub === undefined ? "" : ` ${sub}`}: ${message}${code === 2 ? `\n\n${usage}` : ""}`)
    return code
  }
  if (sub === undefined || !["account", "import", "run", "report"].includes(sub)) return fail(sub === undefined ? "name a subcommand" : `unknown subcommand "${sub}"`)
  const agency = f.agency
  if (agency === undefined || !/^[A-Z][A-Z0-9]{1,15}$/.test(agency)) return fail("--agency CODE is required (upper-case letters and digits, like HCM)")
  if (sub !== "import" && positionals.length > 0) return fail(`unexpected ${positionals.join(" ")}`)
  if (f.format !== undefined && !formats.includes(f.format as StatementFormat)) return fail(`--format must be one of ${formats.join(", ")}, not "${f.format}"`)
  if (f.day !== undefined && !isDay(f.day)) return fail(`--day must be a date YYYY-MM-DD, not "${f.day}"`)
  if (f.today !== undefined && !isDay(f.today)) return fail(`--today must be a date YYYY-MM-DD, not "${f.today}"`)
  const staleDays = f["stale-days"] === undefined ? 3 : Number(f["stale-days"])
  if (!Number.isInteger(staleDays) || staleDays < 0 || staleDays > 365) return fail("--stale-days must be 0 to 365")
  if (sub === "import" && positionals.length !== 1) return fail("give exactly one FILE")
  if (sub === "report" && f.day === undefined) return fail("--day YYYY-MM-DD is required")
  if (sub === "account" && f.account === undefined) return fail("--account NUMBER is required")
  if (f.out !== undefined && !/\.(csv|xlsx)$/i.test(f.out)) return fail("--out must end in .csv or .xlsx")
  if (f.officer !== undefined) return fail(`${typedOfficerRefused("officer")}; give --drafts to make the file's unmatched credits that officer's drafts`)
  if (f.drafts === true && sub !== "import") return fail("--drafts is for import only")

  let mapping: StatementMapping | undefined
  try {
    mapping = f.mapping === undefined ? undefined : mappingFrom(f.mapping)
  } catch (error) {
    return fail(errorMessage(error), 1)
  }

  let db
  try {
    db = await openBulkDb(f.schema)
  } catch (error) {
    return fail(`cannot open the database: ${errorMessage(error)}`, 1)
  }
  const now = new Date().toISOString()
  try {
    switch (sub) {
      case "account": {
        await registerBankAccount(db, { agency, account: f.account as string, ...(f.bin === undefined ? {} : { bankBin: f.bin }), ...(f.name === undefined ? {} : { name: f.name }) })
        console.log(f.json ? json({ agency, account: f.account }) : `account ${f.account} belongs to agency ${agency}`)
        return 0
      }
      case "import": {
        const file = positionals[0] as string
        // Checked before anything is imported: the drafts made from this file will be this officer's.
        const importer = f.drafts === true ? (await authenticateCliOfficer(db, agency, { name: "reconcile import --drafts", roles: ["officer", "approver"] }, new Date())).officer : undefined
        const rejectsPath = f.rejects ?? `${file}.rejects.ndjson`
        let rejectsOut: ReturnType<typeof createWriteStream> | undefined
        const events = readStatementFile(file, {
          ...(mapping === undefined ? {} : { mapping }),
          ...(f.account === undefined ? {} : { account: f.account }),
          ...(f.format === undefined ? {} : { format: f.format as StatementFormat })
        })
        const s = await importStatementEvents(db, events, {
          agency,
          now,
          source: file,
          timeoutMs: bulkTimeoutMs,
          onReject: (r) => {
            rejectsOut ??= createWriteStream(rejectsPath)
            rejectsOut.write(`${JSON.stringify(r)}\n`)
          }
        })
        if (rejectsOut !== undefined) await new Promise<void>((done) => rejectsOut?.end(done))
        if (importer !== undefined) await recordImporter(db, agency, s.statements.map((st) => ({ account: st.account, statementId: st.statementId })), importer, now)
        if (f.json) console.log(json({ ...s, rejectsFile: s.rejected > 0 ? rejectsPath : null }))
        else {
          for (const st of s.statements) console.log(`statement ${st.statementId} (${st.format}) of account ${st.account}: ${st.entries} entries, ${st.newEntries} new, balances ${st.balanceCheck}`)
          console.log(`entries: ${s.entries} booked (${s.newEntries} new, ${s.alreadyImported} already imported), ${s.pending} pending or information only, ${s.rejected} rejected`)
          if (s.rejected > 0) console.log(`rejected entries and their reasons: ${rejectsPath}`)
        }
        return s.rejected > 0 ? 3 : 0
      }
      case "run": {
        // Drafts only: the command line never signs (issuing stays an approver's, in the console or the API).
        const store = makeReceiptStore(db, (a) => Effect.fail(new SigningError({ agency: a, reason: "no_key", message: "bienlai reconcile does not sign receipts" })))
        const s = await runWithDrafts(db, { agency, now, today: f.today ?? vietnamToday(), staleAfterDays: staleDays, timeoutMs: bulkTimeoutMs }, {
          save: (draft, auditDetail) => Effect.runPromise(store.saveDraft(draft, { now, auditDetail })),
          newId: () => uuidFromBytes(randomBytes(16)),
          series: () => ({ form: "01-BLTHADS", symbol: `AA/${vietnamToday().slice(2, 4)}E` }),
          now
        })
        if (f.json) console.log(json(s))
        else {
          console.log(`credits: ${s.credits} considered, ${s.matchedCredits} matched (${Object.entries(s.byRule).map(([k, v]) => `${k} ${v}`).join(", ") || "none"})`)
          console.log(`draft receipts made: ${s.drafts.made.length}${s.drafts.refused.length > 0 ? ` (${s.drafts.refused.length} could not be made: ${s.drafts.refused.map((x) => `${x.account}/${x.bankReference} ${x.reason}`).join("; ")})` : ""}`)
          console.log(`officer queue: ${s.queued}; draft-receipt proposals: ${s.unmatched}; flags: ${s.flags}`)
        }
        return s.queued > 0 || s.unmatched > 0 ? 3 : 0
      }
      case "report": {
        const accounts = f.account === undefined ? (await agencyAccounts(db, agency)).map((a) => a.account) : [f.account]
        const reports: Array<DailyReport> = []
        const errors: Array<string> = []
        for (const account of accounts) {
          const r = await accountDayReport(db, agency, account, f.day as string)
          if (Result.isFailure(r)) errors.push(r.failure.message)
          else reports.push(r.success)
        }
        if (f.out?.toLowerCase().endsWith(".xlsx")) writeFileSync(f.out, await dayReportsXlsx(reports))
        else if (f.out !== undefined) writeFileSync(f.out, dayReportsCsv(reports))
        else if (f.json) console.log(json(reports))
        else process.stdout.write(dayReportsCsv(reports))
        for (const e of errors) console.error(`bienlai reconcile report: ${e}`)
        return errors.length > 0 ? 1 : 0
      }
    }
    return 2
  } catch (error) {
    const where = (error as { where?: unknown }).where
    return fail(`refused: ${errorMessage(error)}${typeof where === "string" && where !== "" ? ` (at ${where})` : ""}; nothing was changed`, 1)
  } finally {
    await db.close()
  }
}
