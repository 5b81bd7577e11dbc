/**
 * `bienlai report`: the statistical money report (BL-TK01) and closing a
 * period, from the command line (docs/REPORTS.md).
 *
 * Exit codes: 0 done; 1 refused or failed (nothing changed); 2 wrong usage.
 */
import { randomUUID } from "node:crypto"
import { writeFileSync } from "node:fs"
import { Result } from "effect"
import { isReportFormat, renderReportFile, ReportFormats } from "../../adapters/reports/report-file.ts"
import { ClosingRoles, type ClosingRequest } from "../../domain/reports/closing.ts"
import { parsePeriod } from "../../domain/reports/period.ts"
import { errorMessage } from "../../store/database/db.ts"
import { closingRequests } from "../../store/reports/closings.ts"
import { computeMoneyReport, decideClosing, figuresSha256, reportHeader, requestClosing, withdrawClosing } from "../../store/reports/money-reports.ts"
import { readCommandLine } from "../bin/command-line.ts"
import { openBulkDb } from "../ingest/context.ts"
import { authenticateCliOfficer, TOKEN_ENV, typedOfficerRefused } from "../program/officer-identity.ts"

export const summary = "report [close|approve|reject|withdraw|closings]: the statistical money report (PDF, XLSX, CSV) and closing a period"

const usage = `usage: bienlai report --period 2025/6 [--agency HCM]... [--as-of ISO-INSTANT]
                      [--format pdf|xlsx|csv|adjustments.csv|json] [--out FILE] [--number 15/BC-THADS]
       bienlai report close --agency HCM --period 2025/6
       bienlai report approve|reject --agency HCM --id CLOSING --figures SHA256 [--reason TEXT]
       bienlai report withdraw --agency HCM --id CLOSING
       bienlai report closings --agency HCM
       (each takes [--schema NAME])

report    the money report of the cumulative period (2025/6: six months of the
          statistical year 2025, from 01/10/2024 to 31/03/2025) as of now or
          --as-of: receipts issued, voided, replaced and payout lines paid or
          deposited, by agency and regional office, month by month. Every
          agency when no --agency is given. --out writes the file (its
          extension picks the format unless --format is given); without it
          JSON, CSV go to standard output.
close     asks to close the period of the agency: records the figures as of
          now and prints their SHA-256; another approver or admin approves
approve   closes it: --figures names the SHA-256 the approver read (four eyes:
          never the officer who asked)
reject    refuses it, with --reason; withdraw: the officer who asked takes it back
closings  the agency's closing requests and closings

close, approve, reject and withdraw act as the officer whose API token is in
BIENLAI_TOKEN (or typed at a prompt that does not echo): an approver or admin
of --agency. No flag names the officer: anyone could type anyone's name.
Reads DATABASE_URL (PostgreSQL) or the embedded database in BIENLAI_DATA.`

const options = {
  period: { type: "string" },
  agency: { type: "string", multiple: true },
  "as-of": { type: "string" },
  format: { type: "string" },
  out: { type: "string" },
  number: { type: "string" },
  // Read only to refuse it: who acts comes from the token.
  by: { type: "string" },
  id: { type: "string" },
  figures: { type: "string" },
  reason: { type: "string" },
  schema: { type: "string" }
} as const

const subcommands = ["close", "approve", "reject", "withdraw", "closings"] as const
type Sub = typeof subcommands[number] | "money"

const closingLine = (r: ClosingRequest) =>
  `${r.id}  ${r.agency} ${r.year}/${r.months}  figures as of ${r.cutoff}  SHA-256 ${r.snapshotSha256}  asked by ${r.requestedBy}  ${r.decision === undefined ? "waiting for approval" : `${r.decision} by ${r.decidedBy} at ${r.decidedAt}`}`

export const run = async (args: ReadonlyArray<string>): Promise<number> => {
  const first = args[0]
  const sub: Sub = first !== undefined && (subcommands as ReadonlyArray<string>).includes(first) ? first as Sub : "money"
  const name = `report${sub === "money" ? "" : ` ${sub}`}`
  const parsed = readCommandLine(name, usage, sub === "money" ? args : args.slice(1), options)
  if (typeof parsed === "number") return parsed
  const { values: f, positionals } = parsed
  const fail = (message: string, code = 2) => {
    console.error(`bienlai ${name}: ${message}${code === 2 ? `\n\n${usage}` : ""}`)
    return code
  }
  if (positionals.length > 0) return fail(`unexpected ${positionals.join(" ")}`)
  const agencies = f.agency
  for (const a of agencies ?? []) if (!/^[A-Z][A-Z0-9]{1,15}$/.test(a)) return fail(`--agency must be an agency code like HCM, not "${a}"`)
  const agency = agencies?.[0]
  if (sub !== "money" && (agency === undefined || (agencies?.length ?? 0) > 1)) return fail("--agency CODE (one) is required")
  const period = f.period === undefined ? undefined : parsePeriod(f.period)
  if (period !== undefined && Result.isFailure(period)) return fail(period.failure.message)
  if ((sub === "money" || sub === "close") && period === undefined) return fail("--period is required, like 2025/6 (6 months from 1 October 2024)")
  let asOf = new Date().toISOString()
  if (f["as-of"] !== undefined) {
    const ms = Date.parse(f["as-of"])
    if (!/^\d{4}-\d{2}-\d{2}T/.test(f["as-of"]) || Number.isNaN(ms)) return fail(`--as-of must be an ISO instant like 2025-04-03T09:00:00+07:00, not "${f["as-of"]}"`)
    if (ms > Date.now()) return fail("--as-of is in the future: a report counts only what is already recorded")
    asOf = new Date(ms).toISOString()
  }
  const extension = f.out?.toLowerCase().endsWith(".adjustments.csv") ? "adjustments.csv" : f.out?.split(".").pop()?.toLowerCase()
  const format = f.format ?? (extension !== undefined && isReportFormat(extension) ? extension : "json")
  if (!isReportFormat(format)) return fail(`--format must be one of ${ReportFormats.join(", ")}, not "${format}"`)
  if ((format === "pdf" || format === "xlsx") && f.out === undefined) return fail(`--out FILE is required for ${format}`)
  if (["approve", "reject", "withdraw"].includes(sub) && f.id === undefined) return fail("--id CLOSING is required")
  if ((sub === "approve" || sub === "reject") && (f.figures === undefined || !/^[0-9a-f]{64}$/.test(f.figures))) return fail("--figures must be the SHA-256 (64 hex digits) of the figures approved")
  if (sub === "reject" && (f.reason === undefined || f.reason.trim() === "")) return fail("--reason is required to reject")
  if (f.by !== undefined) return fail(typedOfficerRefused("by"))

  let db
  try {
    db = await openBulkDb(f.schema)
  } catch (error) {
    return fail(`cannot open the database: ${errorMessage(error)}`, 1)
  }
  try {
    const now = new Date().toISOString()
    // The token's officer, an approver or admin of the agency (the API's closePeriods); the store checks four eyes.
    const who = () => authenticateCliOfficer(db, agency as string, { name: name, roles: ClosingRoles }, new Date())
    switch (sub) {
      case "money": {
        const p = Result.getOrThrow(period!)
        const report = await computeMoneyReport(db, { agencies, period: p, asOf })
        const header = await reportHeader(db, report, agencies, { number: f.number })
        const file = await renderReportFile(report, header, format, agencies?.join("-") ?? "ALL")
        if (f.out !== undefined) {
          writeFileSync(f.out, file.bytes)
          console.error(`bienlai report: ${report.status === "closed" ? "closed" : "provisional"} report ${p.year}/${p.months} written to ${f.out} (figures SHA-256 ${figuresSha256(report)})`)
        } else process.stdout.write(file.bytes)
        return 0
      }
      case "close": {
        const { request } = await requestClosing(db, await who(), Result.getOrThrow(period!), now, randomUUID())
        console.log(closingLine(request))
        console.log(`another approver or admin approves with: bienlai report approve --agency ${request.agency} --id ${request.id} --figures ${request.snapshotSha256} (their own token in ${TOKEN_ENV})`)
        return 0
      }
      case "approve":
      case "reject": {
        const done = await decideClosing(db, await who(), f.id as string, f.figures as string, sub === "approve" ? "closed" : "rejected", now, f.reason?.trim())
        console.log(closingLine(done))
        return 0
      }
      case "withdraw": {
        console.log(closingLine(await withdrawClosing(db, await who(), f.id as string, now)))
        return 0
      }
      case "closings": {
        for (const r of await closingRequests(db, [agency as string], period === undefined ? undefined : Result.getOrThrow(period).year)) console.log(closingLine(r))
        return 0
      }
    }
  } catch (error) {
    return fail(`refused: ${errorMessage(error)}; nothing was changed`, 1)
  } finally {
    await db.close()
  }
}
