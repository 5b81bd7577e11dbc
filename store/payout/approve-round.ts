/**
 * Approving a planned round (maker-checker, as receipts): another officer
 * than the planner, naming the SHA-256 of the planned header they reviewed.
 * The approved header (the planned one plus approver, time and that hash,
 * docs/PAYOUT.md "Canonical bytes") is signed with the agency's key through
 * the Signer port, and the round becomes approved. Its lines are not
 * updated: a line stored 'planned' in an approved round is approved
 * (payout_line_state, migration 0480), which spares a million-line round a
 * million new row versions. The database checks the same rules again
 * (migrations 0450, 0480).
 */
import { Effect, Result } from "effect"
import { canonicalJson } from "../../domain/canonical.ts"
import type { Seal } from "../../domain/receipt.ts"
import type { Db } from "../database/db.ts"
import type { SignFn } from "../receipts/issuance.ts"
import { refused } from "./errors.ts"
import { sha256HexOf } from "./native-hash.ts"

export interface ApproveInput {
  readonly agency: string
  readonly roundId: string
  readonly approver: string
  /** The SHA-256 of the planned header the approver reviewed. */
  readonly planSha256: string
  readonly now: string
}

export interface ApprovedRound {
  readonly roundId: string
  readonly round: number
  readonly approvedHeader: string
  readonly seal: Seal
}

interface PlannedRow {
  round: number
  line_count: number
  status: string
  planner: string
  planned_at: string
  plan_sha256: string
  planned_header: string
}

export const approveRound = async (db: Db, sign: SignFn, input: ApproveInput): Promise<ApprovedRound> => {
  const rows = await db.query<PlannedRow>(
    `SELECT round, line_count, status, planner, iso_instant(planned_at) AS planned_at, plan_sha256, planned_header
       FROM payout_rounds WHERE agency = $1::text AND id = $2::uuid`,
    [input.agency, input.roundId]
  )
  const row = rows[0]
  if (row === undefined) throw refused("round_not_found", `there is no payout round ${input.roundId} in agency ${input.agency}`)
  if (row.status !== "planned") throw refused("not_planned", `round ${row.round} is already approved; an approved round never changes`)
  if (row.planner === input.approver) {
    throw refused("maker_cannot_approve", `${input.approver} planned round ${row.round} and cannot also approve it; another officer must approve it`)
  }
  // The stored header is hashed again: the hash named must be that of the bytes stored, not only of the column beside them.
  const actual = sha256HexOf(row.planned_header)
  if (input.planSha256 !== actual || actual !== row.plan_sha256) {
    throw refused("plan_changed", `the plan of round ${row.round} is not the one reviewed (SHA-256 ${actual}, reviewed ${input.planSha256}); review it again`)
  }
  if (input.now < row.planned_at) throw refused("plan_changed", `the approval time ${input.now} is before the plan was made (${row.planned_at})`)
  const approvedHeader = canonicalJson({ ...JSON.parse(row.planned_header), approver: input.approver, approvedAt: input.now, planSha256: actual })
  // One signature, inside a Promise-based database step: run its Effect here.
  const signed = await Effect.runPromise(Effect.result(sign(input.agency, new TextEncoder().encode(approvedHeader))))
  if (Result.isFailure(signed)) throw refused("signing_failed", `the agency's key could not sign round ${row.round}: ${signed.failure.message}`)
  const seal = signed.success
  await db.transaction(async (tx) => {
    await tx.query("SELECT set_config('bienlai.actor', $1::text, true)", [input.approver])
    const updated = await tx.query(
      `UPDATE payout_rounds SET status = 'approved', approver = $3::text, approved_at = $4::timestamptz, approved_sha256 = $5::text,
              approved_header = $6::text, seal_algorithm = $7::text, seal_key_id = $8::text, seal_signature = $9::text
        WHERE agency = $1::text AND id = $2::uuid AND status = 'planned' AND plan_sha256 = $5::text RETURNING id`,
      [input.agency, input.roundId, input.approver, input.now, actual, approvedHeader, seal.algorithm, seal.keyId, seal.signature]
    )
    if (updated.length !== 1) throw refused("not_planned", `round ${row.round} was approved by someone else meanwhile`)
  })
  return { roundId: input.roundId, round: row.round, approvedHeader, seal }
}
