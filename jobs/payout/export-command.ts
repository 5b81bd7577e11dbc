/**
 * `bienlai payout export --agency A --case D --round N --out FILE --debtor-name … --debtor-bin … --debtor-account … --by ID`:
 * the round's pending bank lines as a pain.001 batch (or the latest batch
 * again when nothing is new), with progress as lines are written.
 */
import { writePain001File } from "../../adapters/bank/iso20022/pain001-file.ts"
import type { Pain001Line } from "../../domain/bank/pain001.ts"
import { exportRound } from "../../store/payout/bank-export.ts"
import { roundIdOf } from "../../store/payout/report.ts"
import { stderrProgress } from "../ingest/context.ts"
import { type Fail, nowIso, vnd, withDb } from "./context.ts"
import { authenticateOfficer } from "./officer-identity.ts"

export interface ExportFlags {
  readonly agency: string
  readonly caseDecision: string
  readonly round: number
  readonly out: string
  readonly debtorName: string
  readonly debtorBin: string
  readonly debtorAccount: string
  readonly schema: string | undefined
  readonly json: boolean
}

export const runExport = async (flags: ExportFlags, fail: Fail): Promise<number> =>
  withDb(flags.schema, fail, async (db) => {
    const by = (await authenticateOfficer(db, flags.agency, "export", new Date())).officer
    const roundId = await roundIdOf(db, flags.agency, flags.caseDecision, flags.round)
    const progress = stderrProgress("payout export")
    const batch = await exportRound(db, {
      agency: flags.agency,
      roundId,
      debtor: { name: flags.debtorName, bankBin: flags.debtorBin, account: flags.debtorAccount },
      by,
      now: nowIso(),
      write: async (b) => {
        let done = 0
        async function* counted(): AsyncGenerator<Pain001Line> {
          for await (const line of b.lines) {
            yield line
            if (++done % 1000 === 0) progress.update(done, done / b.count)
          }
        }
        await writePain001File(flags.out, { messageId: b.messageId, createdAt: b.createdAt, debtor: b.debtor }, counted(), { count: b.count, sum: b.sum })
        progress.update(done, 1)
        progress.finish()
      }
    })
    if (flags.json) console.log(JSON.stringify({ ...batch, sum: batch.sum.toString(), file: flags.out }))
    else {
      console.log(`${batch.fresh ? "sent" : "nothing new to send; wrote again"} batch ${batch.batch} (${batch.messageId}): ${batch.count} lines, ${vnd(batch.sum)}, in ${flags.out}`)
    }
    return 0
  })
