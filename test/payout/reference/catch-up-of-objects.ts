// catchUpLines as it was before claims were held in columns (commit cd3748a), for the reference planner.
/**
 * Step 3 of planning: catch-up for claims that missed earlier rounds of the
 * case (late creditors, heirs, assignees). For each missed round, in order:
 * the ratio the claim's group received there, times what the claim would
 * still have been owed then, to the nearest đồng (halves up). See
 * docs/PAYOUT.md, "Catch-up".
 */
import type { Claim } from "../../../domain/payout/claim.ts"
import { type GroupKey, groupOf } from "../../../domain/payout/groups.ts"
import type { RoundRecord } from "../../../domain/payout/history.ts"
import { applyHalfUp, type Ratio, RATIO_ZERO } from "../../../domain/payout/ratio.ts"
import type { EncodedRules } from "../../../domain/payout/rules.ts"

export interface CatchUp {
  /** The claim's index. */
  readonly claim: number
  /** The index of the (round, group, ratio) entry the line pays. */
  readonly ratio: number
  readonly base: bigint
  readonly amount: bigint
}

/**
 * The catch-up lines of every claim, by claim then round, and their total.
 * `remaining` (by claim index) is lowered by each catch-up, so it holds what
 * each claim is owed when this round's own shares are computed.
 */
export const catchUpLines = (
  rules: EncodedRules,
  claims: ReadonlyArray<Claim>,
  missed: ReadonlyArray<ReadonlyArray<RoundRecord>>,
  remaining: Array<bigint>,
  ratioRef: (round: number, group: GroupKey, ratio: Ratio) => number
): { readonly lines: Array<CatchUp>; readonly total: bigint } => {
  const lines: Array<CatchUp> = []
  let total = 0n
  for (let i = 0; i < claims.length; i++) {
    for (const earlier of missed[i]!) {
      const group = groupOf(rules, claims[i]!, earlier)
      const ratio = earlier.groupRatios.find((g) => g.group === group)?.ratio ?? RATIO_ZERO
      const base = remaining[i]!
      const amount = applyHalfUp(base, ratio)
      lines.push({ claim: i, ratio: ratioRef(earlier.round, group, ratio), base, amount })
      remaining[i] = base - amount
      total += amount
    }
  }
  return { lines, total }
}
