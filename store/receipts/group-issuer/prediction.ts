/**
 * The group issuer's prediction: within one process the next numbers of a
 * series usually follow the previous group, so a group can be signed with
 * them before any lock is taken and sent as one statement
 * (store/receipts/predicted-issuance.ts). Per series this remembers the
 * number the next group will probably start at, and makes predicted groups
 * send their statements in the order they were numbered.
 */
import { Result } from "effect"
import { seriesOf } from "../../../domain/series-key.ts"
import { type Db, isConnectionLoss } from "../../database/db.ts"
import { numberAndSign, type SignFn } from "../issuance.ts"
import { issuePredicted, predictable } from "../predicted-issuance.ts"
import type { Pending } from "./pending.ts"
import { answerUnavailable, OUTCOME_UNKNOWN, wasCommitted } from "./recovery.ts"

export interface Prediction {
  /** The first number the next group will probably get; unknown until a group has told us. */
  expectedNext: number | undefined
  /** Predicted groups send their statements in the order they were numbered. */
  sendTurn: Promise<void>
}

export const newPrediction = (): Prediction => ({ expectedNext: undefined, sendTurn: Promise.resolve() })

/** A group of the series committed numbers up to `last`: the next one follows. */
export const learnLast = (prediction: Prediction, last: number): void => {
  prediction.expectedNext = Math.max(prediction.expectedNext ?? 0, last + 1)
}

/**
 * Issues `group` with the predicted numbers. `true` when every member has
 * its answer; `false` when nothing was issued and the group must go the
 * careful way (no prediction yet, a replacement in the group, a wrong guess,
 * a refusal, a signing failure, or a lost connection that did not commit).
 */
export const issueWithPrediction = async (
  db: Db,
  sign: SignFn,
  prediction: Prediction,
  group: ReadonlyArray<Pending>,
  timeoutMs: number
): Promise<boolean> => {
  const first = prediction.expectedNext
  const head = group[0]
  if (first === undefined || head === undefined || !predictable(group.map((p) => p.template))) return false
  prediction.expectedNext = first + group.length
  const turn = prediction.sendTurn
  let sent = () => {}
  prediction.sendTurn = new Promise<void>((resolve) => (sent = resolve))
  try {
    const signed = await numberAndSign(group, first, sign).catch(() => undefined)
    await turn
    if (signed === undefined) return false
    const outcome = issuePredicted(db, seriesOf(head.template), first, signed.rows, signed.search)
    sent()
    const answerIssued = () => signed.receipts.forEach((r, i) => group[i]?.resolve(Result.succeed(r)))
    try {
      if (await outcome) {
        answerIssued()
        return true
      }
    } catch (error) {
      if (isConnectionLoss(error)) {
        const committed = await wasCommitted(db, group, timeoutMs)
        if (committed === true) {
          answerIssued()
          return true
        }
        if (committed === undefined) {
          prediction.expectedNext = undefined
          answerUnavailable(group, OUTCOME_UNKNOWN, error)
          return true
        }
      }
      // Refused, or not committed: the careful way finds out which request is at fault.
    }
    prediction.expectedNext = undefined
    return false
  } finally {
    sent()
  }
}
