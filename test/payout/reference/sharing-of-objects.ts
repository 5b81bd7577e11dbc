// The sharing step as it was before planning kept amounts in typed arrays (commit cd3748a), for the reference planner.
/**
 * Step 4 of planning: sharing the round's money among its groups, in their
 * order (docs/PAYOUT.md, "A round").
 *
 * - `shareProRata`: every group in full while the money lasts; the first
 *   group it cannot pay in full shares what is left by largest remainder.
 * - `shareByRatio`: the first group still owed anything gets the ratio of
 *   what each is owed, each rounded to the nearest đồng (halves up).
 *
 * Both record, per group, the exact ratio of what it was owed that it
 * received; catch-up in later rounds uses it.
 */
import type { GroupKey } from "../../../domain/payout/groups.ts"
import { apportion } from "../../../domain/payout/largest-remainder.ts"
import type { GroupResult } from "../../../domain/payout/plan.ts"
import { applyHalfUp, RATIO_ONE, RATIO_ZERO, type Ratio, ratioOf } from "../../../domain/payout/ratio.ts"

export interface Groups {
  /** Payment order. */
  readonly order: ReadonlyArray<GroupKey>
  /** The claims (indices) of each group. */
  readonly members: ReadonlyMap<GroupKey, ReadonlyArray<number>>
  /** What each claim is still owed, by index. */
  readonly remaining: ReadonlyArray<bigint>
}

export interface Shared {
  /** Each claim's share, by index. */
  readonly share: Array<bigint>
  readonly groups: Array<GroupResult>
  /** Σ shares. */
  readonly paid: bigint
}

export const owedByGroup = (g: Groups): Map<GroupKey, bigint> =>
  new Map(g.order.map((key) => [key, g.members.get(key)!.reduce((sum, i) => sum + g.remaining[i]!, 0n)]))

/** Shares `money` (at most what the groups are owed) group by group. */
export const shareProRata = (g: Groups, money: bigint): Shared => {
  const owed = owedByGroup(g)
  const share = new Array<bigint>(g.remaining.length).fill(0n)
  const groups: Array<GroupResult> = []
  let left = money
  for (const key of g.order) {
    const due = owed.get(key)!
    const indices = g.members.get(key)!
    const paid = left < due ? left : due
    if (paid === due) for (const i of indices) share[i] = g.remaining[i]!
    else if (paid > 0n) apportion(paid, indices.map((i) => g.remaining[i]!)).forEach((s, k) => (share[indices[k]!] = s))
    // An empty group the money still reached would have been paid in full.
    const ratio = due > 0n ? ratioOf(paid, due) : left > 0n ? RATIO_ONE : RATIO_ZERO
    groups.push({ key, claims: indices.length, owed: due, paid, ratio })
    left -= paid
  }
  return { share, groups, paid: money - left }
}

/** Pays `ratio` of what they are owed to the first group still owed anything; undefined when nobody is. */
export const shareByRatio = (g: Groups, ratio: Ratio): (Shared & { readonly current: GroupKey }) | undefined => {
  const owed = owedByGroup(g)
  const current = g.order.find((key) => owed.get(key)! > 0n)
  if (current === undefined) return undefined
  const share = new Array<bigint>(g.remaining.length).fill(0n)
  const groups: Array<GroupResult> = []
  let total = 0n
  let reached = false
  for (const key of g.order) {
    const indices = g.members.get(key)!
    let paid = 0n
    // Groups before the current one owe nothing: they were paid in full.
    let received: Ratio = reached ? RATIO_ZERO : RATIO_ONE
    if (key === current) {
      for (const i of indices) {
        const s = applyHalfUp(g.remaining[i]!, ratio)
        share[i] = s
        paid += s
      }
      received = ratio
      reached = true
    }
    total += paid
    groups.push({ key, claims: indices.length, owed: owed.get(key)!, paid, ratio: received })
  }
  return { share, groups, paid: total, current }
}

/** Every group's result when nothing is shared (a ratio round with only catch-up to pay). */
export const nothingShared = (g: Groups): Shared => {
  const owed = owedByGroup(g)
  return {
    share: new Array<bigint>(g.remaining.length).fill(0n),
    groups: g.order.map((key) => ({ key, claims: g.members.get(key)!.length, owed: owed.get(key)!, paid: 0n, ratio: RATIO_ONE })),
    paid: 0n
  }
}
