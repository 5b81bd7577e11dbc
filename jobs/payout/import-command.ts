/**
 * `bienlai payout import FILE --agency A --case DECISION --by ID`: a case's
 * creditor list from CSV or XLSX. All or nothing: a list with any bad row
 * (a creditor twice, a claim of zero or less, an unknown bank code, an
 * account number that cannot be right, a clash with claims already stored)
 * imports nothing, and every row's every reason goes to the rejects file, as
 * `bienlai ingest` writes it.
 */
import { writeFileSync } from "node:fs"
import { Result } from "effect"
import { checkBankAccount } from "../../domain/bank/account-number.ts"
import { decodeClaims } from "../../domain/payout/claim.ts"
import { importClaims } from "../../store/payout/claims.ts"
import { PayoutRefused } from "../../store/payout/errors.ts"
import { stderrProgress } from "../ingest/context.ts"
import { ClaimsFileRefused, readClaimsFile } from "./claims-file.ts"
import { type Fail, nowIso, vnd, withDb } from "./context.ts"
import { authenticateOfficer } from "./officer-identity.ts"

export interface ImportFlags {
  readonly file: string
  readonly agency: string
  readonly caseDecision: string
  readonly rejects: string
  readonly schema: string | undefined
  readonly json: boolean
}

const checkAccount = (account: { readonly bin: string; readonly number: string }): string | undefined => {
  const checked = checkBankAccount(account.bin, account.number)
  return Result.isFailure(checked) ? checked.failure.map((p) => p.message).join("; ") : undefined
}

const writeRejects = (path: string, rejects: ReadonlyMap<number, { row: number; reasons: Array<string>; input: string }>) =>
  writeFileSync(path, [...rejects.values()].map((r) => `${JSON.stringify(r)}\n`).join(""))

export const runImport = async (flags: ImportFlags, fail: Fail): Promise<number> => {
  const progress = stderrProgress("payout import")
  let read
  try {
    read = await readClaimsFile(flags.file, (n) => progress.update(n, undefined))
  } catch (error) {
    if (error instanceof ClaimsFileRefused) return fail(error.message, 1)
    return fail(`cannot read ${flags.file}: ${error instanceof Error ? error.message : String(error)}`, 1)
  } finally {
    progress.finish()
  }
  const rejects = new Map<number, { row: number; reasons: Array<string>; input: string }>()
  const reject = (index: number, reason: string) => {
    const row = read.lines[index] ?? index + 1
    const entry = rejects.get(row) ?? { row, reasons: [], input: read.inputs[index] ?? "" }
    entry.reasons.push(reason)
    rejects.set(row, entry)
  }
  const decoded = decodeClaims(read.rows, { checkBankAccount: checkAccount })
  if (Result.isFailure(decoded)) {
    // decodeClaims counts rows from 1 in list order; the file's line numbers are in read.lines. Messages naming another row are renumbered too.
    for (const p of decoded.failure.problems) {
      const message = p.message.replace(/\b(on )?row (\d+)/g, (_m, on: string | undefined, n: string) => `${on ?? ""}line ${read.lines[Number(n) - 1] ?? n}`)
      reject(p.row - 1, `${p.path === "" ? "" : `${p.path}: `}${message}`)
    }
    writeRejects(flags.rejects, rejects)
    return fail(`${rejects.size} of ${read.rows.length} rows are refused; nothing was imported. Every reason, row by row: ${flags.rejects}`, 3)
  }
  return withDb(flags.schema, fail, async (db) => {
    const by = (await authenticateOfficer(db, flags.agency, "import", new Date())).officer
    try {
      const summary = await importClaims(db, decoded.success, { agency: flags.agency, caseDecision: flags.caseDecision, by, now: nowIso(), rows: read.lines })
      if (flags.json) console.log(JSON.stringify({ claims: summary.claims, owed: summary.owed.toString() }))
      else console.log(`imported ${summary.claims} claims of case ${flags.caseDecision} (agency ${flags.agency}), owed ${vnd(summary.owed)} in all`)
      return 0
    } catch (error) {
      if (!(error instanceof PayoutRefused) || error.reason !== "invalid_claims") throw error
      for (const p of error.problems) {
        const line = Number(/^row (\d+)$/.exec(p.where)?.[1])
        reject(read.lines.indexOf(line), p.message)
      }
      writeRejects(flags.rejects, rejects)
      return fail(`${rejects.size} of ${read.rows.length} rows clash with claims already stored; nothing was imported. Every reason, row by row: ${flags.rejects}`, 3)
    }
  })
}
