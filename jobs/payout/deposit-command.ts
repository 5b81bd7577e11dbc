/**
 * `bienlai payout deposit --agency A --case D --round N --reference REF --by ID [--line ID …]`:
 * the lines to be deposited (creditors without an account or who have not
 * requested enforcement) and the bank lines the bank returned, put on a
 * savings deposit in the agency's name.
 */
import { depositLines } from "../../store/payout/bank-answers.ts"
import { roundIdOf } from "../../store/payout/report.ts"
import { type Fail, nowIso, vnd, withDb } from "./context.ts"
import { authenticateOfficer } from "./officer-identity.ts"

export interface DepositFlags {
  readonly agency: string
  readonly caseDecision: string
  readonly round: number
  readonly reference: string
  readonly lines?: ReadonlyArray<string>
  readonly schema: string | undefined
  readonly json: boolean
}

export const runDeposit = async (flags: DepositFlags, fail: Fail): Promise<number> =>
  withDb(flags.schema, fail, async (db) => {
    const by = (await authenticateOfficer(db, flags.agency, "deposit", new Date())).officer
    const roundId = await roundIdOf(db, flags.agency, flags.caseDecision, flags.round)
    const done = await depositLines(db, {
      agency: flags.agency, roundId, reference: flags.reference, by, now: nowIso(),
      ...(flags.lines === undefined || flags.lines.length === 0 ? {} : { lineIds: flags.lines })
    })
    if (flags.json) console.log(JSON.stringify({ count: done.count, amount: done.amount.toString() }))
    else console.log(`deposited ${done.count} line(s), ${vnd(done.amount)}, under ${flags.reference}`)
    return 0
  })
