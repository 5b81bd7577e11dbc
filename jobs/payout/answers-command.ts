/**
 * `bienlai payout answers FILE --agency A --by ID [--mapping ID|FILE] [--account N]`:
 * the bank's pain.002, camt.054 (or camt.053), or a CSV/XLSX statement
 * through a column mapping, applied to the payout lines it names. A file
 * with any bad answer changes nothing and lists every problem.
 */
import { existsSync } from "node:fs"
import { loadStatementMapping, loadStatementMappings } from "../../adapters/bank/mappings.ts"
import { readPayoutAnswers } from "../../adapters/bank/payout-answers.ts"
import { applyBankAnswers } from "../../store/payout/bank-answers.ts"
import { refused } from "../../store/payout/errors.ts"
import { type Fail, nowIso, vnd, withDb } from "./context.ts"
import { authenticateOfficer } from "./officer-identity.ts"

export interface AnswersFlags {
  readonly file: string
  readonly agency: string
  readonly mapping?: string
  readonly account?: string
  readonly schema: string | undefined
  readonly json: boolean
}

export const runAnswers = async (flags: AnswersFlags, fail: Fail): Promise<number> =>
  withDb(flags.schema, fail, async (db) => {
    const by = (await authenticateOfficer(db, flags.agency, "answers", new Date())).officer
    const mapping = flags.mapping === undefined
      ? undefined
      : existsSync(flags.mapping)
      ? loadStatementMapping(flags.mapping)
      : loadStatementMappings().get(flags.mapping)
    if (flags.mapping !== undefined && mapping === undefined) return fail(`no statement mapping "${flags.mapping}" (a file, or one of ${[...loadStatementMappings().keys()].join(", ")})`, 2)
    const read = await readPayoutAnswers(flags.file, { ...(mapping === undefined ? {} : { mapping }), ...(flags.account === undefined ? {} : { account: flags.account }) })
    if (read.problems.length > 0) throw refused("bank_file", `${flags.file} (${read.format}) has ${read.problems.length} answer(s) that cannot be read; nothing changed`, read.problems)
    const s = await applyBankAnswers(db, { agency: flags.agency, answers: read.answers, by, now: nowIso() })
    if (flags.json) {
      console.log(JSON.stringify({ format: read.format, ...s, paidAmount: s.paidAmount.toString(), returnedAmount: s.returnedAmount.toString(), other: read.other }))
    } else {
      console.log(`${read.format}: ${s.paid} line(s) paid (${vnd(s.paidAmount)}), ${s.returned} returned (${vnd(s.returnedAmount)}), ${s.pending} pending, ${s.unchanged} already recorded` +
        (read.other > 0 ? `; ${read.other} movement(s) name no payout line` : ""))
    }
    return 0
  })
