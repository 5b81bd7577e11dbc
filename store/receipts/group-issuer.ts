/**
 * Group issuance. Per series there are at most `maxInFlight` (1) issuance
 * transactions in flight from this process; requests that arrive meanwhile
 * wait and go together into the next transaction, which reserves one block
 * of numbers and commits once. A hot counter row allows only so many commits per second;
 * grouping turns each of them into many receipts.
 *
 * Across processes the counter row's lock serializes the groups, so several
 * servers may issue into the same series.
 *
 * The pieces, one file each under group-issuer/: the queue (series-queue.ts),
 * the batching of one group into one transaction (group-batch.ts), the
 * predicted numbers (prediction.ts) and the recovery after a lost connection
 * (recovery.ts). Effect's RequestResolver in the queue's place was measured
 * (bench/group-batching.ts): the idiomatic form was not faster (median 0.98
 * of the queue's rate over five runs, more CPU per receipt); with a window
 * gated on the group in flight it was ahead in four runs of five (median
 * 1.12, spread 0.86–1.45). Not switched on that spread; see docs/STORAGE.md.
 */
import { Result } from "effect"
import { type IssueRequest } from "../../domain/ports/receipt-store.ts"
import { seriesKey, seriesOf } from "../../domain/series-key.ts"
import type { Db } from "../database/db.ts"
import { prepareIssue, type SignFn } from "./issuance.ts"
import { issueFailure } from "./store-errors.ts"
import { runGroup } from "./group-issuer/group-batch.ts"
import type { Outcome, Pending } from "./group-issuer/pending.ts"
import { newPrediction, type Prediction } from "./group-issuer/prediction.ts"
import { makeSeriesQueues } from "./group-issuer/series-queue.ts"

export interface GroupIssuerOptions {
  /** Largest group per transaction. */
  readonly maxGroup?: number
  /**
   * Groups per series in flight at once from this process (1). With 2, the
   * next group is signed while the current one commits, but each group is
   * half as big; on the 2-core machine 1 used less CPU per receipt and was
   * as fast or faster (docs/STORAGE.md).
   */
  readonly maxInFlight?: number
  /** Sign with predicted numbers before locking the counter (store/receipts/predicted-issuance.ts); on by default. */
  readonly predictNumbers?: boolean
  /** How often a group is retried after the connection was lost mid-transaction. */
  readonly connectionRetries?: number
  /** Deadline of one group transaction; past it the group is handled as a lost connection. */
  readonly transactionTimeoutMs?: number
}

export interface GroupIssuer {
  readonly submit: (request: IssueRequest) => Promise<Outcome>
}

export const makeGroupIssuer = (db: Db, sign: SignFn, options: GroupIssuerOptions = {}): GroupIssuer => {
  const batch = {
    predictNumbers: options.predictNumbers ?? true,
    connectionRetries: options.connectionRetries ?? 5,
    timeoutMs: options.transactionTimeoutMs ?? 15_000
  }
  const predictions = new Map<string, Prediction>()
  const predictionOf = (key: string): Prediction => {
    let p = predictions.get(key)
    if (p === undefined) predictions.set(key, (p = newPrediction()))
    return p
  }
  const queues = makeSeriesQueues<Pending>(
    { maxGroup: options.maxGroup ?? 512, maxInFlight: options.maxInFlight ?? 1 },
    (group, key) => runGroup(db, sign, batch, group, predictionOf(key)),
    (group, error) => {
      for (const p of group) p.resolve(Result.fail(issueFailure(p.template.agency, p.template.id, error)))
    }
  )

  const submit = (request: IssueRequest): Promise<Outcome> => {
    const prepared = prepareIssue(request)
    if (Result.isFailure(prepared)) return Promise.resolve(Result.fail(prepared.failure))
    const key = seriesKey(seriesOf(prepared.success.template))
    return new Promise<Outcome>((resolve) => queues.push(key, { ...prepared.success, resolve }))
  }

  return { submit }
}
