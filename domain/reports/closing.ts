/**
 * The rules of closing a statistical period (khóa sổ), pure: who may ask,
 * who may approve, and what the approval binds.
 *
 * Four eyes: one officer of the agency requests the closing, which fixes the
 * figures as of that instant and their SHA-256; another officer of the same
 * agency approves it, naming that SHA-256, so what is locked is exactly what
 * the second person read. The requester never approves, and only the
 * requester withdraws. Both must be approvers or admins.
 */
import { Result, Schema } from "effect"
import type { PeriodClosing } from "./money-report.ts"
import { periodEnd, periodEndsAt, type StatisticalPeriod } from "./period.ts"

export const ClosingRoles = ["approver", "admin"] as const

export const ClosingRefusalReason = Schema.Literals([
  "not_permitted",
  "not_found",
  "period_not_ended",
  "already_closed",
  "pending_exists",
  "own_request",
  "not_requester",
  "already_decided",
  "content_differs",
  "history_changed"
])
export type ClosingRefusalReason = typeof ClosingRefusalReason.Type

export class ClosingRefused extends Schema.TaggedError<ClosingRefused>()("ClosingRefused", {
  reason: ClosingRefusalReason,
  message: Schema.String
}) {}

const refuse = (reason: ClosingRefusalReason, message: string) => Result.fail(new ClosingRefused({ reason, message }))

export interface ClosingRequest extends StatisticalPeriod {
  readonly id: string
  readonly agency: string
  /** The figures are the events recorded up to this instant. */
  readonly cutoff: string
  readonly snapshotSha256: string
  readonly requestedBy: string
  readonly requestedAt: string
  readonly decision: "closed" | "rejected" | "withdrawn" | undefined
  readonly decidedBy: string | undefined
  readonly decidedAt: string | undefined
}

export interface Decider {
  readonly officer: string
  readonly agency: string
  readonly role: string
}

const mayClose = (role: string): boolean => (ClosingRoles as ReadonlyArray<string>).includes(role)

/** Whether `who` may ask to close `period` of their agency at `now`. */
export const checkClosingRequest = (
  who: Decider,
  period: StatisticalPeriod,
  nowIso: string,
  existing: ReadonlyArray<ClosingRequest>
): Result.Result<void, ClosingRefused> => {
  if (!mayClose(who.role)) return refuse("not_permitted", `only an approver or an admin closes a period; you are ${who.role}`)
  if (nowIso < periodEndsAt(period)) {
    return refuse("period_not_ended", `the period ${period.year}/${period.months} runs until ${periodEnd(period)}; it can be closed from the next day`)
  }
  const same = existing.filter((r) => r.agency === who.agency && r.year === period.year && r.months === period.months)
  if (same.some((r) => r.decision === "closed")) {
    return refuse("already_closed", `the period ${period.year}/${period.months} of ${who.agency} is already closed; a period is closed once`)
  }
  const pending = same.find((r) => r.decision === undefined)
  if (pending !== undefined) {
    return refuse("pending_exists", `closing request ${pending.id} of ${pending.requestedBy} for ${period.year}/${period.months} is waiting for approval`)
  }
  return Result.succeed(undefined)
}

/** Whether `who` may approve or reject `request`, having read the figures whose SHA-256 is `seenSha256`. */
export const checkClosingDecision = (
  request: ClosingRequest | undefined,
  who: Decider,
  seenSha256: string,
  id: string
): Result.Result<ClosingRequest, ClosingRefused> => {
  if (!mayClose(who.role)) return refuse("not_permitted", `only an approver or an admin approves a closing; you are ${who.role}`)
  // Another agency's request is "not found", as everywhere in the API.
  if (request === undefined || request.agency !== who.agency) return refuse("not_found", `no closing request ${id} in agency ${who.agency}`)
  if (request.decision !== undefined) return refuse("already_decided", `closing request ${id} was already ${request.decision}`)
  if (request.requestedBy === who.officer) {
    return refuse("own_request", `you requested closing ${id}; another approver or admin of ${who.agency} must approve it (four eyes)`)
  }
  if (seenSha256 !== request.snapshotSha256) {
    return refuse("content_differs", `closing ${id} locks figures with SHA-256 ${request.snapshotSha256}; you approved ${seenSha256}: read the report again`)
  }
  return Result.succeed(request)
}

/** Whether `who` may withdraw `request`: only its requester, while it waits. */
export const checkWithdrawal = (request: ClosingRequest | undefined, who: Decider, id: string): Result.Result<ClosingRequest, ClosingRefused> => {
  if (request === undefined || request.agency !== who.agency) return refuse("not_found", `no closing request ${id} in agency ${who.agency}`)
  if (request.decision !== undefined) return refuse("already_decided", `closing request ${id} was already ${request.decision}`)
  if (request.requestedBy !== who.officer) return refuse("not_requester", `only ${request.requestedBy}, who requested closing ${id}, withdraws it; reject it instead`)
  return Result.succeed(request)
}

/**
 * The closings a report of `agencies` knows at `asOf`: those approved by
 * then. A period of several agencies is closed when every one of them has
 * closed it, at the latest of their cutoffs.
 */
export const closingsKnownAt = (requests: ReadonlyArray<ClosingRequest>, agencies: ReadonlyArray<string>, asOf: string): Array<PeriodClosing> => {
  const closed = requests.filter((r) => r.decision === "closed" && r.decidedAt !== undefined && r.decidedAt <= asOf && agencies.includes(r.agency))
  const byPeriod = new Map<string, Array<ClosingRequest>>()
  for (const r of closed) {
    const key = `${r.year}/${r.months}`
    byPeriod.set(key, [...(byPeriod.get(key) ?? []), r])
  }
  const out: Array<PeriodClosing> = []
  for (const rs of byPeriod.values()) {
    const first = rs[0]
    if (first === undefined || new Set(rs.map((r) => r.agency)).size !== new Set(agencies).size) continue
    out.push({ year: first.year, months: first.months, closedAt: rs.map((r) => r.cutoff).reduce((a, b) => (a > b ? a : b)) })
  }
  return out.sort((a, b) => a.months - b.months)
}
