/**
 * The notification dispatcher: leases due notifications from the outbox
 * (store/notifications/outbox.ts), sends each through the Notifier, and
 * records what the delivery policy (domain/notifications/delivery-policy.ts)
 * makes of the outcome: delivered, pending again after a backoff with
 * jitter, or dead with the last error.
 *
 * At least once at the wire, once at a receiver that honours the key: a
 * dispatcher that dies after sending and before recording leaves the row
 * leased; when the lease expires another dispatcher (or the same one,
 * restarted) sends it again with the same notification id, which the
 * receiver recognises. The attempt count is taken when the row is leased,
 * so a notification that kills its dispatcher every time is still
 * dead-lettered after N attempts.
 *
 * Time comes from `now` (the runtime's Clock) and the jitter from `jitter`
 * (the Entropy port), never from Date.now or Math.random.
 */
import { Result } from "effect"
import type { Delivered, DeliveryError } from "../../domain/notifications/channel.ts"
import { afterAttempt, type AttemptOutcome, type DeliveryPolicy, type DeliveryState } from "../../domain/notifications/delivery-policy.ts"
import type { Notification } from "../../domain/notifications/notification.ts"
import type { Db } from "../../store/database/db.ts"
import { type AttemptRecord, type LeasedNotification, leaseDue, recordAttempts } from "../../store/notifications/outbox.ts"
import type { WebhookEndpoints } from "./channels.ts"
import type { LinkOf, LinksFor } from "./links.ts"
import { notificationOf } from "./message.ts"

export interface DispatcherDeps {
  readonly db: Db
  /** Who holds the leases: host, process and a random part. */
  readonly owner: string
  readonly deliver: (n: Notification) => Promise<Result.Result<Delivered, DeliveryError>>
  readonly endpoints: WebhookEndpoints
  readonly linksFor: LinksFor
  readonly policy: DeliveryPolicy
  readonly leaseMs: number
  readonly batch: number
  /** Batches in flight at once (each leases its own rows; SKIP LOCKED keeps them apart). */
  readonly lanes: number
  readonly now: () => Date
  /** A number in [0, 1) from the Entropy port. */
  readonly jitter: () => number
}

/** One notification's outcome, for the log: ids and states only (no recipient address, no secret). */
export interface DispatchOutcome {
  readonly id: string
  readonly agency: string
  readonly channel: string
  readonly attempts: number
  readonly state: DeliveryState["status"] | "lost"
  readonly error?: string
}

const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e))

const outcomeOf = (result: Result.Result<Delivered, DeliveryError>): AttemptOutcome =>
  Result.isSuccess(result)
    ? { ok: true }
    : result.failure._tag === "ChannelNotConfigured"
    ? { ok: false, permanent: true, error: result.failure.message }
    : { ok: false, permanent: result.failure.permanent, error: result.failure.message, retryAfterMs: result.failure.retryAfterMs }

const recordOf = (state: DeliveryState, response: string | undefined): AttemptRecord => {
  switch (state.status) {
    case "delivered":
      return { state: "delivered", at: state.deliveredAt, response: response ?? "" }
    case "pending":
      return { state: "pending", nextAttemptAt: state.nextAttemptAt, error: state.lastError ?? "" }
    case "dead":
      return { state: "dead", at: state.deadAt, error: state.lastError }
  }
}

/** What one attempt came to: the policy's outcome and, when delivered, the receiver's answer. */
const attempt = async (deps: DispatcherDeps, row: LeasedNotification, linkOf: LinkOf): Promise<{ outcome: AttemptOutcome; response?: string }> => {
  if (row.attempts > deps.policy.maxAttempts) {
    // Leased again after its last attempt's dispatcher died: no attempt is left.
    return { outcome: { ok: false, permanent: true, error: `no attempt left after ${deps.policy.maxAttempts} (the dispatcher stopped during the last one)` } }
  }
  if (row.endpoint !== null) deps.endpoints.set(row.recipient, row.endpoint)
  let link: string
  try {
    link = await linkOf(row)
  } catch (e) {
    return { outcome: { ok: false, permanent: false, error: `the link could not be made: ${messageOf(e)}` } }
  }
  const n = notificationOf(row, link)
  if (Result.isFailure(n)) return { outcome: { ok: false, permanent: true, error: n.failure.message } }
  try {
    const result = await deps.deliver(n.success)
    return Result.isSuccess(result) ? { outcome: outcomeOf(result), response: result.success.response } : { outcome: outcomeOf(result) }
  } catch (e) {
    return { outcome: { ok: false, permanent: false, error: `the channel failed: ${messageOf(e)}` } }
  }
}

/**
 * Leases one batch, sends it (concurrently), and records every outcome in one
 * statement; the outcomes, none when nothing was due. An outcome whose lease
 * was taken over meanwhile is not recorded ("lost": the newer attempt stands).
 */
export const runOnce = async (deps: DispatcherDeps): Promise<Array<DispatchOutcome>> => {
  const now = deps.now()
  const leased = await leaseDue(deps.db, {
    owner: deps.owner,
    now: now.toISOString(),
    until: new Date(now.getTime() + deps.leaseMs).toISOString(),
    limit: deps.batch
  })
  if (leased.length === 0) return []
  let linkOf: LinkOf
  try {
    linkOf = await deps.linksFor(leased)
  } catch (e) {
    linkOf = () => Promise.reject(e)
  }
  const decided = await Promise.all(leased.map(async (row) => {
    const { outcome, response } = await attempt(deps, row, linkOf)
    const before = { status: "pending" as const, attempts: row.attempts - 1, nextAttemptAt: row.occurredAt }
    return { row, response, state: afterAttempt(deps.policy, before, outcome, deps.now().toISOString(), deps.jitter()) }
  }))
  const recorded = await recordAttempts(deps.db, decided.map((d) => ({ n: d.row, outcome: recordOf(d.state, d.response) })))
  return decided.map(({ row, state }): DispatchOutcome => {
    const base = { id: row.id, agency: row.agency, channel: row.channel, attempts: row.attempts }
    if (!recorded.has(row.id)) return { ...base, state: "lost" }
    return state.status === "delivered" ? { ...base, state: "delivered" } : { ...base, state: state.status, error: state.lastError }
  })
}

const sleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (signal.aborted) return resolve()
    const timer = setTimeout(done, ms)
    function done() {
      clearTimeout(timer)
      signal.removeEventListener("abort", done)
      resolve()
    }
    signal.addEventListener("abort", done)
  })

/**
 * Runs until `signal` aborts: `lanes` loops, each a batch at a time, each
 * waiting `idleMs` when nothing is due. Several lanes keep the wire busy
 * while another batch waits on the database or a slow receiver. Stopping
 * lets the batches in hand finish (each delivery is bounded by its
 * channel's timeout), so nothing is left leased.
 */
export const runDispatcher = async (
  deps: DispatcherDeps,
  options: {
    readonly signal: AbortSignal
    readonly idleMs: number
    readonly onBatch?: (outcomes: ReadonlyArray<DispatchOutcome>) => void
    readonly onError?: (e: unknown) => void
  }
): Promise<void> => {
  const lane = async () => {
    while (!options.signal.aborted) {
      let outcomes: Array<DispatchOutcome> = []
      try {
        outcomes = await runOnce(deps)
      } catch (e) {
        options.onError?.(e)
      }
      if (outcomes.length > 0) options.onBatch?.(outcomes)
      else await sleep(options.idleMs, options.signal)
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, deps.lanes) }, lane))
}

/** Sends everything due now, `lanes` batches at a time, and returns when nothing is left due. */
export const drain = async (deps: DispatcherDeps, onBatch?: (outcomes: ReadonlyArray<DispatchOutcome>) => void): Promise<number> => {
  let sent = 0
  const lane = async () => {
    for (;;) {
      const outcomes = await runOnce(deps)
      if (outcomes.length === 0) return
      sent += outcomes.length
      onBatch?.(outcomes)
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, deps.lanes) }, lane))
  return sent
}

/** A running dispatcher in this process, stopped by `stop` (which waits for the batch in hand). */
export const startDispatcher = (
  deps: DispatcherDeps,
  options: { readonly idleMs: number; readonly onBatch?: (o: ReadonlyArray<DispatchOutcome>) => void; readonly onError?: (e: unknown) => void }
): { readonly stop: () => Promise<void> } => {
  const controller = new AbortController()
  const running = runDispatcher(deps, { ...options, signal: controller.signal })
  return {
    stop: async () => {
      controller.abort()
      await running
    }
  }
}
