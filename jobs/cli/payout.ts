/**
 * `bienlai payout <import|plan|show|approve|export|answers|deposit|report>`:
 * paying collected money out to the creditors of a case (docs/PAYOUT.md,
 * "Command line"). Exit 0 done; 1 refused or failed (nothing changed; the
 * message lists every problem); 2 wrong usage; 3 rows refused (import: see
 * the rejects file; nothing was imported).
 */
import { Result } from "effect"
import { parseDecisionNumber } from "../../domain/case-numbers.ts"
import { commandFailure, readCommandLine } from "../bin/command-line.ts"
import { runAnswers } from "../payout/answers-command.ts"
import { typedOfficerRefused } from "../program/officer-identity.ts"
import { runApprove } from "../payout/approve-command.ts"
import { runDeposit } from "../payout/deposit-command.ts"
import { runExport } from "../payout/export-command.ts"
import { runImport } from "../payout/import-command.ts"
import { runNotices } from "../payout/notices-command.ts"
import { runPlan } from "../payout/plan-command.ts"
import { runReport, runShow } from "../payout/report-command.ts"

export const summary = "payout import|plan|show|approve|export|answers|deposit|report|notices: pay creditors in rounds, through the bank"

const usage = `usage: bienlai payout <subcommand> --agency HCM --case "3699/QĐ-CTHADS" [options] [--schema NAME] [--json]

  import FILE [--rejects FILE]
        the case's creditor list, CSV or XLSX (columns in docs/PAYOUT.md); any bad row
        refuses the whole list, every reason in the rejects file (default FILE.rejects.ndjson)
  plan --legal-date YYYY-MM-DD --available AMOUNT [--round N]
       [--ratio 24.81%] [--fee waived|circular216[:BASE_SALARY]|flat:RATE]
       [--costs AMOUNT] [--housing AMOUNT] [--coercion NUMBER --coercion-date DATE] [--secured-asset TEXT]
        plans the next round (pro rata unless --ratio) and prints the SHA-256 to approve
  show --round N            the planned header an approver reviews, and its SHA-256
  approve --round N --sha256 HEX
        another officer, an approver, approves the round they reviewed; the agency's key signs it
        (BIENLAI_KEYS_DIR, BIENLAI_KEY_PASSPHRASE)
  export --round N --out FILE --debtor-name NAME --debtor-bin BIN --debtor-account NUMBER
        the lines to send as a pain.001 batch; with nothing new, the latest batch again
  answers FILE [--mapping ID|FILE] [--account NUMBER]
        the bank's pain.002, camt.054, or a CSV/XLSX statement through a mapping
  deposit --round N --reference REF [--line LINE_ID ...]
        deposit lines and returned lines onto a savings deposit
  report --round N          sums by rank, state and settlement (exit 1 if they do not add up)
  notices --round N --out FILE [--public-url URL]
        signs and stores every notice's QR token (a token already stored is kept) and writes
        a CSV to print the notices from: lookup code, claim, creditor, amounts, the QR's URL
        (default PUBLIC_URL)

Every step that writes (import, plan, approve, export, answers, deposit) is done by the officer
whose API token is in BIENLAI_TOKEN (or typed at a prompt that does not echo): an officer or
approver of --agency; approve needs the approver role and someone other than the planner.
Reads DATABASE_URL (PostgreSQL) or the embedded database in BIENLAI_DATA.
Exit 0 done; 1 refused or failed, nothing changed; 2 wrong usage; 3 import rows refused.`

const SUBCOMMANDS = ["import", "plan", "show", "approve", "export", "answers", "deposit", "report", "notices"] as const

export const run = async (args: ReadonlyArray<string>): Promise<number> => {
  const parsed = readCommandLine("payout", usage, args, {
    agency: { type: "string" },
    case: { type: "string" },
    round: { type: "string" },
    by: { type: "string" },
    rejects: { type: "string" },
    planner: { type: "string" },
    approver: { type: "string" },
    "legal-date": { type: "string" },
    available: { type: "string" },
    ratio: { type: "string" },
    fee: { type: "string" },
    costs: { type: "string" },
    housing: { type: "string" },
    coercion: { type: "string" },
    "coercion-date": { type: "string" },
    "secured-asset": { type: "string" },
    sha256: { type: "string" },
    out: { type: "string" },
    "debtor-name": { type: "string" },
    "debtor-bin": { type: "string" },
    "debtor-account": { type: "string" },
    mapping: { type: "string" },
    account: { type: "string" },
    reference: { type: "string" },
    line: { type: "string", multiple: true },
    schema: { type: "string" },
    "public-url": { type: "string" },
    json: { type: "boolean" }
  })
  if (typeof parsed === "number") return parsed
  const { values: f, positionals } = parsed
  const fail = commandFailure("payout", usage)
  const [sub, ...rest] = positionals
  if (sub === undefined || !(SUBCOMMANDS as ReadonlyArray<string>).includes(sub)) {
    return fail(sub === undefined ? "give a subcommand" : `unknown subcommand "${sub}"`)
  }
  const need = (names: ReadonlyArray<string>): string | undefined => {
    const missing = names.filter((n) => (f as Record<string, unknown>)[n] === undefined)
    return missing.length === 0 ? undefined : `payout ${sub} needs ${missing.map((n) => `--${n}`).join(", ")}`
  }
  const common = { schema: f.schema, json: f.json === true }
  const file = rest[0]
  const takesFile = sub === "import" || sub === "answers"
  if (takesFile ? rest.length !== 1 : rest.length !== 0) return fail(takesFile ? `payout ${sub} takes exactly one FILE` : `unexpected argument "${rest[0]}"`)
  const base = need(sub === "answers" ? ["agency"] : ["agency", "case"])
  if (base !== undefined) return fail(base)
  // Names typed on the command line used to say who planned and approved: anyone could type anyone's.
  const typedName = (["planner", "approver", "by"] as const).find((n) => f[n] !== undefined)
  if (typedName !== undefined) {
    return fail(typedOfficerRefused(typedName))
  }

  const agency = f.agency!
  // The decision number in canonical form, as a round's terms require it: a list imported under anything else could never be planned.
  const parsedCase = f.case === undefined ? undefined : parseDecisionNumber(f.case)
  if (parsedCase !== undefined && Result.isFailure(parsedCase)) return fail(`--case: ${parsedCase.failure.message}`)
  const caseDecision = parsedCase === undefined ? "" : parsedCase.success
  const round = f.round === undefined ? Number.NaN : Number(f.round)
  const needRound = () => (Number.isInteger(round) && round >= 1 ? undefined : `payout ${sub} needs --round N (a round number from 1)`)
  const problem = (names: ReadonlyArray<string>, withRound = true) => need(names) ?? (withRound ? needRound() : undefined)
  switch (sub) {
    case "import": {
      return runImport({ file: file!, agency, caseDecision, rejects: f.rejects ?? `${file}.rejects.ndjson`, ...common }, fail)
    }
    case "plan": {
      const p = problem(["legal-date", "available"], false)
      if (p !== undefined) return fail(p)
      if (f.round !== undefined && needRound() !== undefined) return fail(needRound()!)
      return runPlan({
        agency, caseDecision, legalDate: f["legal-date"]!, available: f.available!,
        ...(f.round === undefined ? {} : { round: f.round }),
        ...(f.ratio === undefined ? {} : { ratio: f.ratio }),
        ...(f.fee === undefined ? {} : { fee: f.fee }),
        ...(f.costs === undefined ? {} : { costs: f.costs }),
        ...(f.housing === undefined ? {} : { housing: f.housing }),
        ...(f.coercion === undefined ? {} : { coercion: f.coercion }),
        ...(f["coercion-date"] === undefined ? {} : { coercionDate: f["coercion-date"] }),
        ...(f["secured-asset"] === undefined ? {} : { securedAsset: f["secured-asset"] }),
        ...common
      }, fail)
    }
    case "show":
    case "report": {
      const p = problem([])
      if (p !== undefined) return fail(p)
      return (sub === "show" ? runShow : runReport)({ agency, caseDecision, round, ...common }, fail)
    }
    case "approve": {
      const p = problem(["sha256"])
      return p !== undefined ? fail(p) : runApprove({ agency, caseDecision, round, sha256: f.sha256!, ...common }, fail)
    }
    case "export": {
      const p = problem(["out", "debtor-name", "debtor-bin", "debtor-account"])
      return p !== undefined ? fail(p) : runExport({
        agency, caseDecision, round, out: f.out!, debtorName: f["debtor-name"]!, debtorBin: f["debtor-bin"]!, debtorAccount: f["debtor-account"]!, ...common
      }, fail)
    }
    case "notices": {
      const p = problem(["out"])
      if (p !== undefined) return fail(p)
      const publicUrl = f["public-url"] ?? process.env["PUBLIC_URL"]
      if (publicUrl === undefined || !/^https?:\/\/[^/]+/.test(publicUrl)) return fail("payout notices needs --public-url https://… (or PUBLIC_URL): the address the QR codes open")
      return runNotices({ agency, caseDecision, round, out: f.out!, publicUrl, ...common }, fail)
    }
    case "answers":
      return runAnswers({ file: file!, agency, ...(f.mapping === undefined ? {} : { mapping: f.mapping }), ...(f.account === undefined ? {} : { account: f.account }), ...common }, fail)
    case "deposit": {
      const p = problem(["reference"])
      return p !== undefined ? fail(p) : runDeposit({ agency, caseDecision, round, reference: f.reference!, ...(f.line === undefined ? {} : { lines: f.line }), ...common }, fail)
    }
  }
  return fail(`unknown subcommand "${sub}"`)
}
