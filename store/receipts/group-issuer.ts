/**
 * Group issuance. Per series there are at most `maxInFlight` (1) issuance
 * transactions in flight from this process; requests that arrive meanwhile
 * wait and go together into the next transaction, which reserves one block
 * of numbers and commits once. A hot counter row allows only so many commits per second;
 * grouping turns each of them into many receipts.
 *
 * Across processes the counter row's lock serializes the groups, so several
 * servers may issue into the same series.
 */
import { Result } from "effect"
import type { IssuedReceipt } from "../../domain/receipt.ts"
import { type IssueError, type IssueRequest, StoreUnavailable } from "../../domain/ports/receipt-store.ts"
import { type Db, errorMessage, isConnectionLoss } from "../database/db.ts"
import { issueGroup, numberAndSign, prepareIssue, type Prepared, RequestsRejected, seriesOf, type SignFn } from "./issuance.ts"
import { issuePredicted, predictable } from "./predicted-issuance.ts"
import { exhausted, issueFailure } from "./store-errors.ts"

type Outcome = Result.Result<IssuedReceipt, IssueError>

interface Pending extends Prepared {
  readonly resolve: (outcome: Outcome) => void
}

interface Queue {
  readonly waiting: Array<Pending>
  /** Group transactions of this series in flight from this process. */
  inFlight: number
  /** A group will start on the next turn of the event loop. */
  starting: boolean
  /** The first number the next group will probably get; unknown until a group has told us. */
  expectedNext: number | undefined
  /** Predicted groups send their statements in the order they were numbered. */
  sendTurn: Promise<void>
}

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

// Waits for any transaction of the series still alive on the server (an
// abandoned one included) to end, so the answer below is final.
const lockCounter = `
SELECT 1 FROM series_counter WHERE agency = $1::text AND form = $2::text AND symbol = $3::text FOR UPDATE`

const committedIds = `
SELECT id::text AS id FROM receipts
 WHERE agency = $1::text AND status <> 'draft'
   AND (id, lookup_code) IN (SELECT (e->>'id')::uuid, e->>'code' FROM jsonb_array_elements($2::text::jsonb) e)`

export const makeGroupIssuer = (db: Db, sign: SignFn, options: GroupIssuerOptions = {}): GroupIssuer => {
  const maxGroup = options.maxGroup ?? 512
  const maxInFlight = options.maxInFlight ?? 1
  const predictNumbers = options.predictNumbers ?? true
  const connectionRetries = options.connectionRetries ?? 5
  const timeoutMs = options.transactionTimeoutMs ?? 15_000
  const queues = new Map<string, Queue>()

  /**
   * After a lost connection: did the COMMIT happen? The group is all or
   * nothing, so one answer serves all; `undefined` when the database cannot
   * tell us, even after a few tries.
   */
  const wasCommitted = async (group: ReadonlyArray<Pending>): Promise<boolean | undefined> => {
    const first = group[0]
    if (first === undefined) return false
    const series = seriesOf(first.template)
    const keys = JSON.stringify(group.map((p) => ({ id: p.template.id, code: p.template.lookupCode })))
    for (let attempt = 1; attempt <= 8; attempt++) {
      try {
        return await db.transaction(async (tx) => {
          await tx.query(lockCounter, [series.agency, series.form, series.symbol])
          return (await tx.query<{ id: string }>(committedIds, [series.agency, keys])).length > 0
        }, { timeoutMs })
      } catch (error) {
        if (!isConnectionLoss(error)) return undefined
        await new Promise((resolve) => setTimeout(resolve, 25 * attempt))
      }
    }
    return undefined
  }

  const unavailableAll = (members: ReadonlyArray<Pending>, why: string, error: unknown) => {
    for (const p of members) {
      p.resolve(Result.fail(new StoreUnavailable({ operation: "issue", message: `the database connection was lost: ${why} (${errorMessage(error)})` })))
    }
  }

  /**
   * The predicted way (store/receipts/predicted-issuance.ts). `true` when every member
   * has its answer; `false` when nothing was issued and the group must go the
   * careful way.
   */
  const tryPredicted = async (queue: Queue, group: Array<Pending>): Promise<boolean> => {
    const first = queue.expectedNext
    const head = group[0]
    if (!predictNumbers || first === undefined || head === undefined || !predictable(group.map((p) => p.template))) return false
    queue.expectedNext = first + group.length
    const turn = queue.sendTurn
    let sent = () => {}
    queue.sendTurn = new Promise<void>((resolve) => (sent = resolve))
    try {
      const signed = await numberAndSign(group, first, sign).catch(() => undefined)
      await turn
      if (signed === undefined) return false
      const outcome = issuePredicted(db, seriesOf(head.template), first, signed.rows, signed.search)
      sent()
      try {
        if (await outcome) {
          signed.receipts.forEach((r, i) => group[i]?.resolve(Result.succeed(r)))
          return true
        }
      } catch (error) {
        if (isConnectionLoss(error)) {
          const committed = await wasCommitted(group)
          if (committed === true) {
            signed.receipts.forEach((r, i) => group[i]?.resolve(Result.succeed(r)))
            return true
          }
          if (committed === undefined) {
            queue.expectedNext = undefined
            unavailableAll(group, "its outcome is unknown; look the receipt up before retrying", error)
            return true
          }
        }
        // Refused, or not committed: the careful way finds out which request is at fault.
      }
      queue.expectedNext = undefined
      return false
    } finally {
      sent()
    }
  }

  const runGroup = async (group: Array<Pending>, queue?: Queue): Promise<void> => {
    if (queue !== undefined && (await tryPredicted(queue, group))) return
    let remaining = group
    let losses = 0
    while (remaining.length > 0) {
      const members = remaining
      const first = members[0] as Pending
      const built: Array<IssuedReceipt> = []
      try {
        const outcome = await db.transaction((tx) => issueGroup(tx, seriesOf(first.template), members, sign, built), { timeoutMs })
        const last = outcome.issued[outcome.issued.length - 1]
        if (queue !== undefined && last !== undefined) queue.expectedNext = Math.max(queue.expectedNext ?? 0, last.number + 1)
        outcome.issued.forEach((r, i) => members[i]?.resolve(Result.succeed(r)))
        for (const p of members.slice(outcome.exhaustedFrom)) p.resolve(Result.fail(exhausted(seriesOf(p.template))))
        return
      } catch (error) {
        if (error instanceof RequestsRejected) {
          error.rejected.forEach((e, i) => members[i]?.resolve(Result.fail(e)))
          remaining = members.filter((_, i) => !error.rejected.has(i))
          continue
        }
        if (isConnectionLoss(error)) {
          const committed = await wasCommitted(members)
          if (committed === true && built.length > 0) {
            built.forEach((r, i) => members[i]?.resolve(Result.succeed(r)))
            for (const p of members.slice(built.length)) p.resolve(Result.fail(exhausted(seriesOf(p.template))))
            return
          }
          if (committed === false && ++losses <= connectionRetries) continue
          unavailableAll(members, committed === undefined ? "its outcome is unknown; look the receipt up before retrying" : "nothing was issued", error)
          return
        }
        if (members.length > 1) {
          // An error we cannot pin on one request: issue each alone, so only the bad one fails.
          for (const p of members) await runGroup([p])
          return
        }
        first.resolve(Result.fail(issueFailure(first.template.agency, first.template.id, error)))
        return
      }
    }
  }

  const start = (queue: Queue): void => {
    queue.starting = false
    if (queue.inFlight >= maxInFlight || queue.waiting.length === 0) return
    // With room for more groups than one, the waiting requests are shared
    // among them, so one group is signed while the one before it commits.
    const share = Math.ceil(queue.waiting.length / (maxInFlight - queue.inFlight))
    const group = queue.waiting.splice(0, Math.min(maxGroup, share))
    queue.inFlight++
    void runGroup(group, queue)
      .catch((error) => {
        for (const p of group) p.resolve(Result.fail(issueFailure(p.template.agency, p.template.id, error)))
      })
      .finally(() => {
        queue.inFlight--
        schedule(queue)
      })
  }

  const schedule = (queue: Queue): void => {
    if (queue.starting || queue.inFlight >= maxInFlight || queue.waiting.length === 0) return
    queue.starting = true
    // On the next turn, so that the callers just answered and any request of this turn join the group.
    setImmediate(() => start(queue))
  }

  const submit = (request: IssueRequest): Promise<Outcome> => {
    const prepared = prepareIssue(request)
    if (Result.isFailure(prepared)) return Promise.resolve(Result.fail(prepared.failure))
    const { template } = prepared.success
    const key = `${template.agency}\u0000${template.series.form}\u0000${template.series.symbol}`
    let queue = queues.get(key)
    if (queue === undefined) {
      queue = { waiting: [], inFlight: 0, starting: false, expectedNext: undefined, sendTurn: Promise.resolve() }
      queues.set(key, queue)
    }
    const q = queue
    return new Promise<Outcome>((resolve) => {
      q.waiting.push({ ...prepared.success, resolve })
      schedule(q)
    })
  }

  return { submit }
}
