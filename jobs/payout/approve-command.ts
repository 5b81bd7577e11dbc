/**
 * `bienlai payout approve --agency A --case D --round N --sha256 HEX`: the
 * second officer (the one of the API token in BIENLAI_TOKEN) approves the
 * round they reviewed, naming its hash; the
 * agency's key (BIENLAI_KEYS_DIR, BIENLAI_KEY_PASSPHRASE) signs it.
 */
import { approveRound } from "../../store/payout/approve-round.ts"
import { roundIdOf } from "../../store/payout/report.ts"
import { openAgencySigner } from "./agency-signer.ts"
import { type Fail, nowIso, withDb } from "./context.ts"
import { authenticateOfficer } from "./officer-identity.ts"

export interface ApproveFlags {
  readonly agency: string
  readonly caseDecision: string
  readonly round: number
  readonly sha256: string
  readonly schema: string | undefined
  readonly json: boolean
}

export const runApprove = async (flags: ApproveFlags, fail: Fail): Promise<number> => {
  const signer = await openAgencySigner(fail)
  if (typeof signer === "number") return signer
  return withDb(flags.schema, fail, async (db) => {
    const approver = (await authenticateOfficer(db, flags.agency, "approve", new Date())).officer
    const roundId = await roundIdOf(db, flags.agency, flags.caseDecision, flags.round)
    const approved = await approveRound(db, signer.sign, { agency: flags.agency, roundId, approver, planSha256: flags.sha256, now: nowIso() })
    if (flags.json) console.log(JSON.stringify({ approver, roundId, round: approved.round, seal: approved.seal }))
    else console.log(`${approver} approved round ${approved.round} of case ${flags.caseDecision}; signed with key ${approved.seal.keyId} (${approved.seal.algorithm})`)
    return 0
  })
}
