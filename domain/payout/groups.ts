/**
 * The groups a round pays one after the other: the secured creditors of the
 * asset sold (art. 47.3), then, by rank, the creditors who had requested
 * enforcement by the coercion decision's date (art. 47.2.b), then, by rank,
 * everyone else. Which groups exist and in which order comes from the rule
 * set; which group a claim falls in depends on the round's money.
 */
import type { ClaimFacts } from "./claim-table.ts"
import type { EncodedRules, Rank, Tier } from "./rules.ts"

/** "secured", "coercion-a" … "general-c". */
export type GroupKey = "secured" | `${"coercion" | "general"}-${Rank}`

// Interned keys: a million claims must not make a million strings.
const KEYS: Readonly<Record<"coercion" | "general", Readonly<Record<Rank, GroupKey>>>> = {
  coercion: { a: "coercion-a", b: "coercion-b", c: "coercion-c" },
  general: { a: "general-a", b: "general-b", c: "general-c" }
}

export const groupKey = (tier: Tier, rank: Rank): GroupKey => (tier === "secured" ? "secured" : KEYS[tier][rank])

/** What about a round decides the groups: where its money came from. */
export interface MoneySource {
  readonly securedAsset?: string | undefined
  readonly coercionDate?: string | undefined
}

/** The groups of a round, in payment order. */
export const groupOrder = (rules: EncodedRules, source: MoneySource): ReadonlyArray<GroupKey> => {
  const order: Array<GroupKey> = []
  for (const tier of rules.tiers) {
    if (tier === "secured") {
      if (source.securedAsset !== undefined) order.push("secured")
    } else if (tier === "coercion") {
      if (source.coercionDate !== undefined) for (const rank of rules.ranks) order.push(groupKey(tier, rank))
    } else {
      for (const rank of rules.ranks) order.push(groupKey(tier, rank))
    }
  }
  return order
}

/** The group a claim belongs to in a round whose money came from `source`. */
export const groupOf = (rules: EncodedRules, claim: ClaimFacts, source: MoneySource): GroupKey => {
  if (rules.tiers.includes("secured") && source.securedAsset !== undefined && claim.secured?.asset === source.securedAsset) {
    return "secured"
  }
  const requested = claim.requestDate
  if (
    rules.tiers.includes("coercion") && source.coercionDate !== undefined && requested !== undefined &&
    requested <= source.coercionDate
  ) {
    return groupKey("coercion", claim.rank)
  }
  return groupKey("general", claim.rank)
}

/** Whether a claim's creditor had requested enforcement by the payout's legal date. */
export const hasRequested = (claim: ClaimFacts, legalDate: string): boolean =>
  claim.requestDate !== undefined && claim.requestDate <= legalDate
