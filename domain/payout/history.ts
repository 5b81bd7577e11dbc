/**
 * What earlier rounds of a case did, as the planner needs it: each round's
 * money source and the ratio each group received (for catch-up), and for
 * each claim what it has been paid, its fee account, and the rounds it took
 * part in.
 *
 * `PayoutHistory` is an interface so that storage can answer it from SQL
 * aggregates; `historyOf` builds it from approved plans in memory.
 */
import { claimIdAt } from "./claim-table.ts"
import { type FeeAccount, NO_FEE_YET } from "./fee.ts"
import type { GroupKey } from "./groups.ts"
import type { MoneySource } from "./groups.ts"
import { type ApprovedPlan, LINE_KINDS } from "./plan.ts"
import type { Ratio } from "./ratio.ts"

export interface RoundRecord extends MoneySource {
  readonly round: number
  readonly legalDate: string
  readonly rules: string
  /** Every group of the round in payment order, with the ratio of what it was owed that it received. */
  readonly groupRatios: ReadonlyArray<{ readonly group: GroupKey; readonly ratio: Ratio }>
}

export interface ClaimRecord {
  /** Every line's amount so far, catch-ups included. */
  readonly allocated: bigint
  readonly fee: FeeAccount
  /** The rounds the claim has a line for (its own or a catch-up), ascending. */
  readonly rounds: ReadonlyArray<number>
}

export interface PayoutHistory {
  /** Rounds 1 … n, in order. */
  readonly rounds: ReadonlyArray<RoundRecord>
  readonly claim: (id: string) => ClaimRecord | undefined
}

export const NO_HISTORY: PayoutHistory = { rounds: [], claim: () => undefined }

/** The record a later round needs of an approved plan. */
export const roundRecordOf = (plan: ApprovedPlan): RoundRecord => ({
  round: plan.terms.round,
  legalDate: plan.terms.legalDate,
  rules: plan.rules,
  securedAsset: plan.terms.securedAsset,
  coercionDate: plan.terms.coercion?.decisionDate,
  groupRatios: plan.groups.map((g) => ({ group: g.key, ratio: g.ratio }))
})

interface MutableClaimRecord {
  allocated: bigint
  fee: FeeAccount
  rounds: Array<number>
}

/** The history after the given approved plans of one case, rounds 1 … n in order. */
export const historyOf = (plans: ReadonlyArray<ApprovedPlan>): PayoutHistory => {
  const claims = new Map<string, MutableClaimRecord>()
  const catchUp = LINE_KINDS.indexOf("catch_up")
  for (const plan of plans) {
    const l = plan.lines
    for (let i = 0; i < l.count; i++) {
      const id = claimIdAt(plan.claims, l.claim[i]!)
      let record = claims.get(id)
      if (record === undefined) {
        record = { allocated: 0n, fee: NO_FEE_YET, rounds: [] }
        claims.set(id, record)
      }
      const amount = l.amount[i]!
      const fee = l.fee[i]!
      record.allocated += amount
      // A line counts towards the fee base only when its round charged the fee.
      if (plan.terms.fee.kind !== "waived") record.fee = { base: record.fee.base + amount, charged: record.fee.charged + fee }
      const round = l.kind[i] === catchUp ? plan.ratios[l.ratio[i]!]!.round : plan.terms.round
      record.rounds.push(round)
    }
  }
  for (const record of claims.values()) record.rounds.sort((a, b) => a - b)
  return { rounds: plans.map(roundRecordOf), claim: (id) => claims.get(id) }
}
