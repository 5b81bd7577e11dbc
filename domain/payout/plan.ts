/**
 * A planned payout round: the claims it considered, the groups in payment
 * order with the ratio each received, and one line per claim and round
 * (plus catch-up lines for the earlier rounds a late claim missed).
 *
 * Lines are kept in columns (typed arrays) rather than one object each: a
 * round of a million creditors then takes tens of megabytes instead of
 * hundreds. `lineAt` gives one line as an object; `lines` iterates them.
 */
import type { Claim } from "./claim.ts"
import type { ClaimList } from "./claim-table.ts"
import type { GroupKey } from "./groups.ts"
import type { Ratio } from "./ratio.ts"
import type { RoundTerms } from "./round.ts"

export const LINE_KINDS = ["round", "catch_up"] as const
/** `round`: this round's share; `catch_up`: the share of an earlier round the claim missed. */
export type LineKind = (typeof LINE_KINDS)[number]

export const SETTLEMENTS = ["none", "bank", "deposit_no_account", "deposit_not_requested"] as const
/**
 * How a line's money leaves: `none` (nothing to pay), `bank` (a transfer to
 * the creditor's account), or a savings deposit in the agency's name because
 * the creditor has no account on file or has not requested enforcement.
 */
export type Settlement = (typeof SETTLEMENTS)[number]

/** A ratio some group received in some round; lines point at one. */
export interface RatioEntry {
  readonly round: number
  readonly group: GroupKey
  readonly ratio: Ratio
}

export interface PlanLines {
  readonly count: number
  /** Index into `plan.claims`. */
  readonly claim: Uint32Array
  /** Index into LINE_KINDS. */
  readonly kind: Uint8Array
  /** Index into `plan.ratios`: the round and group the line pays for, and the ratio. */
  readonly ratio: Uint16Array
  /** What the claim was still owed before this line. */
  readonly base: BigInt64Array
  readonly amount: BigInt64Array
  /** The enforcement fee withheld; the creditor receives amount − fee. */
  readonly fee: BigInt64Array
  /** Index into SETTLEMENTS. */
  readonly settlement: Uint8Array
}

export interface GroupResult {
  readonly key: GroupKey
  readonly claims: number
  /** What the group's claims were still owed when the round began (after catch-up). */
  readonly owed: bigint
  readonly paid: bigint
  readonly ratio: Ratio
}

export interface Amounts {
  readonly count: number
  readonly amount: bigint
  readonly fee: bigint
}

export interface PlanTotals {
  readonly available: bigint
  readonly deductions: bigint
  readonly catchUp: bigint
  readonly regular: bigint
  /** catchUp + regular: the money the lines pay out. */
  readonly paid: bigint
  readonly fee: bigint
  /** paid − fee: what reaches the creditors or their deposits. */
  readonly net: bigint
  /** available − deductions − paid: stays for the next round. */
  readonly unallocated: bigint
  readonly bySettlement: Readonly<Record<Settlement, Amounts>>
}

export interface Approval {
  readonly approver: string
  readonly approvedAt: string
  /** SHA-256 of the planned bytes the approver reviewed (docs/PAYOUT.md). */
  readonly planSha256: string
  /** SHA-256 of the lines' NDJSON, which that header names. */
  readonly linesSha256: string
}

export interface PayoutPlan {
  readonly id: string
  readonly status: "planned" | "approved"
  readonly rules: string
  readonly terms: RoundTerms
  /** The claims considered, sorted by id: a columnar ClaimTable from `planRound`, or an array. */
  readonly claims: ClaimList
  readonly groups: ReadonlyArray<GroupResult>
  readonly ratios: ReadonlyArray<RatioEntry>
  readonly lines: PlanLines
  readonly totals: PlanTotals
  readonly planner: string
  readonly plannedAt: string
  readonly approval?: Approval
}

export type ApprovedPlan = PayoutPlan & { readonly status: "approved"; readonly approval: Approval }

export const isApproved = (plan: PayoutPlan): plan is ApprovedPlan => plan.status === "approved" && plan.approval !== undefined

/** One line as an object. */
export interface PayoutLine {
  readonly id: string
  readonly index: number
  readonly claim: Claim
  readonly kind: LineKind
  /** The round this line pays for: this round, or an earlier one for a catch-up. */
  readonly forRound: number
  readonly group: GroupKey
  readonly ratio: Ratio
  readonly base: bigint
  readonly amount: bigint
  readonly fee: bigint
  readonly net: bigint
  readonly settlement: Settlement
}

/**
 * A line's id: the first 12 hex digits of the plan id, "-", and its 7-digit
 * position, e.g. "3f2c9d1e8b4a-0000123". 20 characters, within the 35 that
 * an ISO 20022 end-to-end id allows, unique within the plan and, through the
 * plan id's 48 random bits, across plans.
 */
export const lineId = (planId: string, index: number): string =>
  `${planId.replaceAll("-", "").slice(0, 12)}-${String(index + 1).padStart(7, "0")}`

export const lineAt = (plan: PayoutPlan, index: number): PayoutLine => {
  const l = plan.lines
  if (!Number.isInteger(index) || index < 0 || index >= l.count) throw new RangeError(`no line ${index} in plan ${plan.id}`)
  const entry = plan.ratios[l.ratio[index]!]!
  const amount = l.amount[index]!
  const fee = l.fee[index]!
  return {
    id: lineId(plan.id, index),
    index,
    claim: plan.claims.at(l.claim[index]!)!,
    kind: LINE_KINDS[l.kind[index]!]!,
    forRound: entry.round,
    group: entry.group,
    ratio: entry.ratio,
    base: l.base[index]!,
    amount,
    fee,
    net: amount - fee,
    settlement: SETTLEMENTS[l.settlement[index]!]!
  }
}

/** Every line, in plan order (by claim id; a claim's catch-ups first, by round). */
export function* linesOf(plan: PayoutPlan): Generator<PayoutLine> {
  for (let i = 0; i < plan.lines.count; i++) yield lineAt(plan, i)
}

/** The index of a line from its id, or undefined when the id is not this plan's. */
export const lineIndexOf = (plan: PayoutPlan, id: string): number | undefined => {
  const prefix = lineId(plan.id, 0).slice(0, 13)
  if (!id.startsWith(prefix) || !/^\d{7}$/.test(id.slice(13))) return undefined
  const index = Number(id.slice(13)) - 1
  return index >= 0 && index < plan.lines.count ? index : undefined
}
