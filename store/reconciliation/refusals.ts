/** Why the store refuses a reconciliation step: a message naming what is wrong, and a machine-readable reason. */
import { Schema } from "effect"
export type RefusalReason =
  | "unknown_account"
  | "other_agency"
  | "duplicate_differs"
  | "statement_differs"
  | "day_closed"
  | "does_not_balance"
  | "not_an_approver"
  | "already_closed"
  | "not_queued"
  | "sums_differ"

export class ReconciliationRefused extends Error {
  readonly reason: RefusalReason
  constructor(reason: RefusalReason, message: string) {
    super(message)
    this.name = "ReconciliationRefused"
    this.reason = reason
  }
}

/** A database refusal from the closed-day triggers, as a ReconciliationRefused. */
export const closedDayRefusal = (error: unknown): ReconciliationRefused | undefined => {
  const message = error instanceof Error ? error.message : String(error)
  return /is closed/.test(message) ? new ReconciliationRefused("day_closed", message) : undefined
}

/**
 * The same refusal as a tagged error, for the edge's exhaustive mapping
 * (edge/http/domain-errors.ts): a handler turns a thrown ReconciliationRefused
 * into this, so a new reason cannot become a 500.
 */
export class ReconciliationRefusal extends Schema.TaggedError<ReconciliationRefusal>()("ReconciliationRefusal", {
  reason: Schema.Literals(["unknown_account", "other_agency", "duplicate_differs", "statement_differs", "day_closed", "does_not_balance", "not_an_approver", "already_closed", "not_queued", "sums_differ"]),
  message: Schema.String
}) {}

export const taggedRefusal = (e: ReconciliationRefused): ReconciliationRefusal => new ReconciliationRefusal({ reason: e.reason, message: e.message })
