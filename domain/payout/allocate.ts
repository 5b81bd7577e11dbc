/**
 * Planning a payout round: from the claims of a case, what earlier rounds
 * did, and this round's terms, the lines that pay it out. Pure and
 * deterministic; the same claims in any order give the same plan.
 *
 *   1. The rules of the legal date (rules.ts); a date whose law is not
 *      encoded is refused.
 *   2. Deductions come off the money available: enforcement costs and the
 *      housing amount of art. 115.5.
 *   3. Catch-up: a claim with no line for an earlier round (a late creditor,
 *      an heir, an assignee) gets, for each such round in order, what its
 *      group received there: ratio × what it would still have been owed,
 *      rounded to the nearest đồng. Catch-up is paid first.
 *   4. The rest goes to the round's groups in order (groups.ts). Pro rata:
 *      each group is paid in full while the money lasts, and the first one it
 *      cannot pay in full shares what is left by largest remainder. Ratio:
 *      the first group still owed something gets the ratio of what each is
 *      owed, each rounded to the nearest đồng.
 *   5. Each line's settlement (bank, deposit, nothing) and fee (fee.ts).
 *
 * docs/PAYOUT.md has the reasoning behind each rule.
 */
import { Result, Schema } from "effect"
import { formatVnd } from "../money.ts"
import { catchUpLines } from "./catch-up.ts"
import type { Claim } from "./claim.ts"
import { ClaimTable } from "./claim-table.ts"
import { type FeeAccount, feeForLine, NO_FEE_YET, scheduleOf } from "./fee.ts"
import { type GroupKey, groupOf, groupOrder, hasRequested, type MoneySource } from "./groups.ts"
import type { PayoutHistory, RoundRecord } from "./history.ts"
import {
  type Amounts,
  LINE_KINDS,
  type PayoutPlan,
  type PlanLines,
  type RatioEntry,
  type Settlement,
  SETTLEMENTS
} from "./plan.ts"
import { formatPercentApprox, parseRatio, type Ratio } from "./ratio.ts"
import type { RoundTerms } from "./round.ts"
import { type EncodedRules, PayoutRulesUnavailable, type Rank, rulesFor } from "./rules.ts"
import { nothingShared, owedByGroup, type Shared, shareByRatio, shareProRata } from "./sharing.ts"

export const PlanRefusal = Schema.Literals([
  "round_number",
  "duplicate_claim",
  "deductions_exceed_available",
  "history_inconsistent",
  "catch_up_exceeds_available",
  "more_than_owed",
  "ratio_exceeds_available",
  "nothing_owed",
  "too_many_lines"
])
export type PlanRefusal = typeof PlanRefusal.Type

export class PlanRefused extends Schema.TaggedError<PlanRefused>()("PlanRefused", {
  round: Schema.Number,
  reason: PlanRefusal,
  message: Schema.String
}) {}

export interface PlanContext {
  /** The plan's id, a UUID from the Entropy port. */
  readonly id: string
  readonly planner: string
  readonly now: string
}

/** At most 9,999,999 lines: line ids carry a 7-digit position. */
export const MAX_LINES = 9_999_999

/**
 * The claims as a table sorted by id (by UTF-16 code unit). The store reads
 * them already in that order (claim ids are ASCII, which its collation sorts
 * by code point), so a million claims are only checked, not sorted again.
 */
const sortedTable = (claims: ReadonlyArray<Claim> | ClaimTable): ClaimTable => {
  const table = claims instanceof ClaimTable ? claims : ClaimTable.fromClaims(claims, claims.length)
  if (table.isSortedById()) return table
  const ids = Array.from({ length: table.length }, (_, i) => table.id(i))
  const order = Uint32Array.from(ids.keys()).sort((a, b) => (ids[a]! < ids[b]! ? -1 : ids[a]! > ids[b]! ? 1 : a - b))
  return table.reordered(order)
}

interface Draft {
  claim: number
  kind: number
  ratio: number
  base: bigint
  amount: bigint
}

export const planRound = (
  claimsInAnyOrder: ReadonlyArray<Claim> | ClaimTable,
  history: PayoutHistory,
  terms: RoundTerms,
  ctx: PlanContext
): Result.Result<PayoutPlan, PlanRefused | PayoutRulesUnavailable> => {
  const ruled = rulesFor(terms.legalDate)
  if (Result.isFailure(ruled)) return Result.fail(ruled.failure)
  const rules = ruled.success
  const refuse = (reason: PlanRefusal, message: string) =>
    Result.fail(new PlanRefused({ round: terms.round, reason, message: `round ${terms.round}: ${message}` }))

  const expected = history.rounds.length + 1
  if (terms.round !== expected || history.rounds.some((r, i) => r.round !== i + 1)) {
    return refuse("round_number", `the next round of this case is round ${expected}, not round ${terms.round}`)
  }

  const claims = sortedTable(claimsInAnyOrder)
  for (let i = 1; i < claims.length; i++) {
    if (claims.id(i) === claims.id(i - 1)) return refuse("duplicate_claim", `claim ${claims.id(i)} is listed twice`)
  }
  // One object reused for every claim's facts: a million claims make no million objects.
  const scratch: { rank: Rank; requestDate?: string | undefined; secured?: { readonly asset: string } | undefined } = { rank: "a" }
  const factsOf = (i: number) => claims.factsAt(i, scratch)

  // What each claim is still owed, and its fee account, before this round.
  const n = claims.length
  // Typed arrays and shared records: a million claims' amounts take 8 MB, not a million heap numbers.
  const remaining = new BigInt64Array(n)
  const feeAccounts = new Array<FeeAccount>(n)
  const missed = new Array<ReadonlyArray<RoundRecord>>(n)
  for (let i = 0; i < n; i++) {
    const id = claims.id(i)
    const owed = claims.owed(i)
    const record = history.claim(id)
    const allocated = record?.allocated ?? 0n
    if (allocated > owed) {
      return refuse(
        "history_inconsistent",
        `claim ${id} has already been allocated ${formatVnd(allocated)}, more than the ${formatVnd(owed)} it is owed`
      )
    }
    remaining[i] = owed - allocated
    feeAccounts[i] = record?.fee ?? NO_FEE_YET
    missed[i] = record === undefined
      ? history.rounds
      : record.rounds.length === history.rounds.length
      ? []
      : history.rounds.filter((r) => !record.rounds.includes(r.round))
  }

  const ratios: Array<RatioEntry> = []
  const ratioIndex = new Map<string, number>()
  const ratioRef = (round: number, group: GroupKey, ratio: Ratio): number => {
    const key = `${round} ${group}`
    let index = ratioIndex.get(key)
    if (index === undefined) {
      index = ratios.length
      ratios.push({ round, group, ratio })
      ratioIndex.set(key, index)
    }
    return index
  }

  // 2. Deductions.
  const deductions = terms.deductions.enforcementCosts + terms.deductions.housing
  if (deductions > terms.available) {
    return refuse(
      "deductions_exceed_available",
      `enforcement costs and the housing amount (${formatVnd(deductions)}) exceed the ${formatVnd(terms.available)} available`
    )
  }
  let money = terms.available - deductions

  // 3. Catch-up lines, paid first.
  const catchUpKind = LINE_KINDS.indexOf("catch_up")
  const caught = catchUpLines(rules, n, factsOf, missed, remaining, ratioRef)
  const catchUps: Array<Draft> = caught.lines.map((l) => ({ ...l, kind: catchUpKind }))
  const catchUpTotal = caught.total
  if (catchUpTotal > money) {
    return refuse(
      "catch_up_exceeds_available",
      `catch-up for creditors who missed earlier rounds needs ${formatVnd(catchUpTotal)}, ` +
        `but only ${formatVnd(money)} are available after deductions`
    )
  }
  money -= catchUpTotal

  // 4. This round's groups.
  const source: MoneySource = { securedAsset: terms.securedAsset, coercionDate: terms.coercion?.decisionDate }
  const order = groupOrder(rules, source)
  const members = new Map<GroupKey, Array<number>>(order.map((g) => [g, []]))
  const groupOfClaim = new Array<GroupKey>(n)
  for (let i = 0; i < n; i++) {
    const g = groupOf(rules, factsOf(i), source)
    groupOfClaim[i] = g
    members.get(g)!.push(i)
  }
  const grouped = { order, members, remaining }
  let shared: Shared
  if (terms.allocation.method === "pro_rata") {
    const totalOwed = [...owedByGroup(grouped).values()].reduce((a, b) => a + b, 0n)
    if (money > totalOwed) {
      return refuse(
        "more_than_owed",
        `the round would pay ${formatVnd(money)} but the creditors are owed only ${formatVnd(totalOwed)}; ` +
          "lower the amount available to at most what remains owed"
      )
    }
    shared = shareProRata(grouped, money)
  } else {
    const stated = Result.getOrThrow(parseRatio(terms.allocation.ratio))
    const byRatio = shareByRatio(grouped, stated)
    if (byRatio === undefined && catchUps.length === 0) {
      return refuse("nothing_owed", "every creditor of this case has been paid in full; there is nothing to pay")
    }
    shared = byRatio ?? nothingShared(grouped)
    if (shared.paid > money) {
      return refuse(
        "ratio_exceeds_available",
        `paying ${formatPercentApprox(stated, 6)} of what remains owed needs ${formatVnd(shared.paid)}, ` +
          `but only ${formatVnd(money)} are available after deductions and catch-up`
      )
    }
  }
  const { share, groups } = shared

  // 5. Lines: by claim id; a claim's catch-ups (by round), then its own line.
  const count = catchUps.length + n
  if (count > MAX_LINES) return refuse("too_many_lines", `the round would have ${count} lines; at most ${MAX_LINES} fit`)
  const lines: PlanLines = {
    count,
    claim: new Uint32Array(count),
    kind: new Uint8Array(count),
    ratio: new Uint16Array(count),
    base: new BigInt64Array(count),
    amount: new BigInt64Array(count),
    fee: new BigInt64Array(count),
    settlement: new Uint8Array(count)
  }
  const groupRatio = new Map(groups.map((g) => [g.key, g.ratio]))
  const schedule = scheduleOf(terms.fee)
  const bySettlement = Object.fromEntries(SETTLEMENTS.map((s) => [s, { count: 0, amount: 0n, fee: 0n }])) as Record<
    Settlement,
    { count: number; amount: bigint; fee: bigint }
  >
  let totalFee = 0n
  let accountOf = -1
  let account: FeeAccount = NO_FEE_YET
  let regular = 0n
  let next = 0
  let c = 0
  const write = (draft: Draft) => {
    const i = draft.claim
    const settlement: Settlement = draft.amount === 0n
      ? "none"
      : !hasRequested(factsOf(i), terms.legalDate)
      ? "deposit_not_requested"
      : !claims.hasBankAccount(i)
      ? "deposit_no_account"
      : "bank"
    let fee = 0n
    // A claim's lines are written one after the other: its fee account runs here and is not kept per claim.
    if (i !== accountOf) {
      accountOf = i
      account = feeAccounts[i]!
    }
    if (schedule !== undefined && draft.amount > 0n) {
      const charged = feeForLine(schedule, account, draft.amount)
      fee = charged.fee
      account = charged.account
    }
    lines.claim[next] = i
    lines.kind[next] = draft.kind
    lines.ratio[next] = draft.ratio
    lines.base[next] = draft.base
    lines.amount[next] = draft.amount
    lines.fee[next] = fee
    lines.settlement[next] = SETTLEMENTS.indexOf(settlement)
    const s = bySettlement[settlement]
    s.count++
    s.amount += draft.amount
    s.fee += fee
    totalFee += fee
    next++
  }
  const roundKind = LINE_KINDS.indexOf("round")
  const ratioOfGroup = new Map(groups.map((g) => [g.key, ratioRef(terms.round, g.key, groupRatio.get(g.key)!)]))
  for (let i = 0; i < n; i++) {
    while (c < catchUps.length && catchUps[c]!.claim === i) write(catchUps[c++]!)
    regular += share[i]!
    write({ claim: i, kind: roundKind, ratio: ratioOfGroup.get(groupOfClaim[i]!)!, base: remaining[i]!, amount: share[i]! })
  }

  const paid = catchUpTotal + regular
  return Result.succeed({
    id: ctx.id,
    status: "planned",
    rules: rules.id,
    terms,
    claims,
    groups,
    ratios,
    lines,
    totals: {
      available: terms.available,
      deductions,
      catchUp: catchUpTotal,
      regular,
      paid,
      fee: totalFee,
      net: paid - totalFee,
      unallocated: terms.available - deductions - paid,
      bySettlement: bySettlement as Record<Settlement, Amounts>
    },
    planner: ctx.planner,
    plannedAt: ctx.now
  })
}

/** The rule set a plan was made under (for callers holding only the plan). */
export const rulesOfPlan = (plan: PayoutPlan): EncodedRules | undefined => {
  const r = rulesFor(plan.terms.legalDate)
  return Result.isSuccess(r) && r.success.id === plan.rules ? r.success : undefined
}
