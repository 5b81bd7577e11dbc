/**
 * The group issuer's batching: one group of requests of one series issued
 * as one transaction. First the predicted way (prediction.ts); if it cannot
 * answer, the careful way (store/receipts/issuance.ts: reserve, sign, write,
 * commit). A request the database refuses is answered with its refusal and
 * the group runs again without it, so numbers stay gap-free; an error that
 * cannot be pinned on one request runs every member alone, so only the bad
 * one fails; a lost connection goes to recovery.ts.
 */
import { Result } from "effect"
import type { IssuedReceipt } from "../../../domain/receipt.ts"
import { seriesOf } from "../../../domain/series-key.ts"
import { type Db, isConnectionLoss } from "../../database/db.ts"
import { issueGroup, RequestsRejected, type SignFn } from "../issuance.ts"
import { exhausted, issueFailure } from "../store-errors.ts"
import type { Pending } from "./pending.ts"
import { issueWithPrediction, learnLast, type Prediction } from "./prediction.ts"
import { answerUnavailable, verdictAfterLoss, wasCommitted } from "./recovery.ts"

export interface GroupBatchOptions {
  /** Sign with predicted numbers before locking the counter. */
  readonly predictNumbers: boolean
  /** How often a group is retried after the connection was lost mid-transaction. */
  readonly connectionRetries: number
  /** Deadline of one group transaction; past it the group is handled as a lost connection. */
  readonly timeoutMs: number
}

/** Answers members from `exhaustedFrom` on: the series has no numbers left for them. */
const answerExhausted = (members: ReadonlyArray<Pending>) => {
  for (const p of members) p.resolve(Result.fail(exhausted(seriesOf(p.template))))
}

const answerIssued = (members: ReadonlyArray<Pending>, issued: ReadonlyArray<IssuedReceipt>) =>
  issued.forEach((r, i) => members[i]?.resolve(Result.succeed(r)))

/**
 * Issues `group` (one series) and answers every member. `prediction` is the
 * series' (absent when members are retried one by one).
 */
export const runGroup = async (
  db: Db,
  sign: SignFn,
  options: GroupBatchOptions,
  group: ReadonlyArray<Pending>,
  prediction?: Prediction
): Promise<void> => {
  if (prediction !== undefined && options.predictNumbers && (await issueWithPrediction(db, sign, prediction, group, options.timeoutMs))) return
  let remaining = group
  let losses = 0
  while (remaining.length > 0) {
    const members = remaining
    const first = members[0] as Pending
    const built: Array<IssuedReceipt> = []
    try {
      const outcome = await db.transaction((tx) => issueGroup(tx, seriesOf(first.template), members, sign, built), { timeoutMs: options.timeoutMs })
      const last = outcome.issued[outcome.issued.length - 1]
      if (prediction !== undefined && last !== undefined) learnLast(prediction, last.number)
      answerIssued(members, outcome.issued)
      answerExhausted(members.slice(outcome.exhaustedFrom))
      return
    } catch (error) {
      if (error instanceof RequestsRejected) {
        error.rejected.forEach((e, i) => members[i]?.resolve(Result.fail(e)))
        remaining = members.filter((_, i) => !error.rejected.has(i))
        continue
      }
      if (isConnectionLoss(error)) {
        const verdict = verdictAfterLoss(await wasCommitted(db, members, options.timeoutMs), built.length, ++losses, options.connectionRetries)
        switch (verdict._tag) {
          case "Committed":
            answerIssued(members, built)
            answerExhausted(members.slice(built.length))
            return
          case "Retry":
            continue
          case "Unavailable":
            answerUnavailable(members, verdict.why, error)
            return
        }
      }
      if (members.length > 1) {
        for (const p of members) await runGroup(db, sign, options, [p])
        return
      }
      first.resolve(Result.fail(issueFailure(first.template.agency, first.template.id, error)))
      return
    }
  }
}
