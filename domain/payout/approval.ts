/**
 * Maker-checker on a payout round: one officer plans it, another approves
 * it, and the approval names the exact plan approved by the SHA-256 of its
 * planned bytes (canonical.ts). A plan that changed after the approver
 * reviewed it has another hash and is refused.
 *
 * An approved plan never changes: nothing here or elsewhere in the domain
 * edits one, and `checkApprovedPlan` detects any change made behind its
 * back. A correction is a new round (catch-up lines pay what was missed).
 */
import { Result, Schema } from "effect"
import { planDigests } from "./canonical.ts"
import { type NewHash, pureSha256 } from "./sha256.ts"
import type { ApprovedPlan, PayoutPlan } from "./plan.ts"

export const RoundAction = Schema.Literals(["approve", "check"])

export const RoundRefusal = Schema.Literals([
  "already_approved",
  "not_approved",
  "maker_cannot_approve",
  "plan_changed",
  "approved_before_planned"
])
export type RoundRefusal = typeof RoundRefusal.Type

export class RoundTransitionError extends Schema.TaggedError<RoundTransitionError>()("RoundTransitionError", {
  planId: Schema.String,
  round: Schema.Number,
  action: RoundAction,
  reason: RoundRefusal,
  message: Schema.String
}) {}

const refuse = (plan: PayoutPlan, action: typeof RoundAction.Type, reason: RoundRefusal, message: string) =>
  Result.fail(new RoundTransitionError({ planId: plan.id, round: plan.terms.round, action, reason, message }))

export interface ApprovalContext {
  readonly approver: string
  /** The SHA-256 of the planned bytes the approver reviewed. */
  readonly planSha256: string
  readonly now: string
  /** The SHA-256 to use; the pure one by default (sha256.ts). */
  readonly newHash?: NewHash
}

/** Approves a planned round: another officer than its planner, bound to the hash they reviewed. */
export const approvePlan = (plan: PayoutPlan, ctx: ApprovalContext): Result.Result<ApprovedPlan, RoundTransitionError> => {
  if (plan.status !== "planned") {
    return refuse(plan, "approve", "already_approved", `round ${plan.terms.round} is already approved; an approved plan never changes`)
  }
  if (ctx.approver === plan.planner) {
    return refuse(
      plan,
      "approve",
      "maker_cannot_approve",
      `${ctx.approver} planned round ${plan.terms.round} and cannot also approve it; another officer must approve it`
    )
  }
  if (ctx.now < plan.plannedAt) {
    return refuse(plan, "approve", "approved_before_planned", `the approval time ${ctx.now} is before the plan was made (${plan.plannedAt})`)
  }
  const digests = planDigests(plan, ctx.newHash ?? pureSha256)
  const actual = digests.planSha256
  if (ctx.planSha256 !== actual) {
    return refuse(
      plan,
      "approve",
      "plan_changed",
      `the plan of round ${plan.terms.round} is not the one reviewed (SHA-256 ${actual}, reviewed ${ctx.planSha256}); review it again`
    )
  }
  return Result.succeed({
    ...plan,
    status: "approved",
    approval: { approver: ctx.approver, approvedAt: ctx.now, planSha256: actual, linesSha256: digests.linesSha256 }
  })
}

/** Confirms that an approved plan still has the content its approval names. */
export const checkApprovedPlan = (plan: PayoutPlan, newHash: NewHash = pureSha256): Result.Result<ApprovedPlan, RoundTransitionError> => {
  if (plan.status !== "approved" || plan.approval === undefined) {
    return refuse(plan, "check", "not_approved", `round ${plan.terms.round} has not been approved`)
  }
  const digests = planDigests(plan, newHash)
  const actual = digests.planSha256
  return actual === plan.approval.planSha256 && digests.linesSha256 === plan.approval.linesSha256
    ? Result.succeed(plan as ApprovedPlan)
    : refuse(
      plan,
      "check",
      "plan_changed",
      `round ${plan.terms.round} no longer matches its approval (SHA-256 ${actual}, approved ${plan.approval.planSha256})`
    )
}
