/**
 * The group issuer's recovery after a lost connection. A group is one
 * transaction, all or nothing, so one question settles every member: did the
 * COMMIT happen? `wasCommitted` asks the database, under the counter's lock
 * (which waits for any transaction of the series still alive on the server,
 * an abandoned one included, so the answer is final). `verdictAfterLoss`
 * turns the answer into what the careful way does next.
 */
import { Result } from "effect"
import { StoreUnavailable } from "../../../domain/ports/receipt-store.ts"
import { seriesOf } from "../../../domain/series-key.ts"
import { type Db, errorMessage, isConnectionLoss } from "../../database/db.ts"
import type { Pending } from "./pending.ts"

const lockCounter = `
SELECT 1 FROM series_counter WHERE agency = $1::text AND form = $2::text AND symbol = $3::text FOR UPDATE`

const committedIds = `
SELECT id::text AS id FROM receipts
 WHERE agency = $1::text AND status <> 'draft'
   AND (id, lookup_code) IN (SELECT (e->>'id')::uuid, e->>'code' FROM jsonb_array_elements($2::text::jsonb) e)`

/** How often the question is asked when the connection fails again, and how long to wait between tries. */
const ASK_ATTEMPTS = 8
const ASK_BACKOFF_MS = 25

/**
 * Whether `group` was committed; `undefined` when the database cannot tell,
 * even after a few tries (or refuses the question).
 */
export const wasCommitted = async (db: Db, group: ReadonlyArray<Pending>, timeoutMs: number): Promise<boolean | undefined> => {
  const first = group[0]
  if (first === undefined) return false
  const series = seriesOf(first.template)
  const keys = JSON.stringify(group.map((p) => ({ id: p.template.id, code: p.template.lookupCode })))
  for (let attempt = 1; attempt <= ASK_ATTEMPTS; attempt++) {
    try {
      return await db.transaction(async (tx) => {
        await tx.query(lockCounter, [series.agency, series.form, series.symbol])
        return (await tx.query<{ id: string }>(committedIds, [series.agency, keys])).length > 0
      }, { timeoutMs })
    } catch (error) {
      if (!isConnectionLoss(error)) return undefined
      await new Promise((resolve) => setTimeout(resolve, ASK_BACKOFF_MS * attempt))
    }
  }
  return undefined
}

export const OUTCOME_UNKNOWN = "its outcome is unknown; look the receipt up before retrying"
export const NOTHING_ISSUED = "nothing was issued"

/** What the careful way does after losing the connection mid-group. */
export type LossVerdict =
  /** The group's receipts are stored: answer with them. */
  | { readonly _tag: "Committed" }
  /** Nothing was stored: run the group again. */
  | { readonly _tag: "Retry" }
  /** Give up and say why (the receipts may or may not be stored). */
  | { readonly _tag: "Unavailable"; readonly why: string }

/**
 * `committed`: wasCommitted's answer; `built`: receipts the group built before
 * the loss; `losses`: connections lost by this group so far, this one included.
 */
export const verdictAfterLoss = (committed: boolean | undefined, built: number, losses: number, retries: number): LossVerdict => {
  if (committed === true && built > 0) return { _tag: "Committed" }
  if (committed === false && losses <= retries) return { _tag: "Retry" }
  return { _tag: "Unavailable", why: committed === undefined ? OUTCOME_UNKNOWN : NOTHING_ISSUED }
}

/** Answers every member: the store is unavailable, for `why`. */
export const answerUnavailable = (members: ReadonlyArray<Pending>, why: string, error: unknown): void => {
  for (const p of members) {
    p.resolve(Result.fail(new StoreUnavailable({ operation: "issue", message: `the database connection was lost: ${why} (${errorMessage(error)})` })))
  }
}
