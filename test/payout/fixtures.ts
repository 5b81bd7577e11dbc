/**
 * Builders for payout tests: claims, round terms, and running several rounds
 * of a case (plan, approve, build the history) in one call.
 */
import { Result } from "effect"
import {
  type ApprovedPlan,
  approvePlan,
  type Claim,
  historyOf,
  type PayoutHistory,
  type PayoutPlan,
  planRound,
  planSha256,
  type RoundTerms
} from "../../domain/payout/index.ts"

/** A valid CCCD for number n (HCMC, a different serial per n, unique for n < 8,000,000). */
export const cccdFor = (n: number): string =>
  `079${Math.floor(n / 1_000_000) % 8}85${String(n % 1_000_000).padStart(6, "0")}`

export const claimId = (n: number): string => `C${String(n).padStart(7, "0")}`

export const makeClaim = (n: number, over: Partial<Claim> = {}): Claim => ({
  id: claimId(n),
  creditor: { identityNumber: cccdFor(n), name: `Người được thi hành án ${n}` },
  rank: "c",
  owed: 1_000_000n,
  requestDate: "2025-06-01",
  bankAccount: { bin: "970436", number: String(1_000_000_000 + n) },
  ...over
})

export const makeTerms = (over: Partial<RoundTerms> = {}): RoundTerms => ({
  agency: "HCM",
  caseDecision: "3699/QĐ-CTHADS",
  round: 1,
  legalDate: "2025-07-01",
  available: 0n,
  deductions: { enforcementCosts: 0n, housing: 0n },
  allocation: { method: "pro_rata" },
  fee: { kind: "waived" },
  ...over
})

export const PLANNER = "nguyen.van.lap"
export const APPROVER = "tran.thi.duyet"

let counter = 0
/** A fresh plan id (UUID v4 shape), deterministic per test run. */
export const nextPlanId = (): string => {
  counter++
  const hex = counter.toString(16).padStart(8, "0")
  return `${hex}-0000-4000-8000-000000000000`
}

export const plan = (claims: ReadonlyArray<Claim>, history: PayoutHistory, terms: RoundTerms, id = nextPlanId()): PayoutPlan => {
  const planned = planRound(claims, history, terms, { id, planner: PLANNER, now: `${terms.legalDate}T02:00:00.000Z` })
  if (Result.isFailure(planned)) throw new Error(planned.failure.message)
  return planned.success
}

export const approve = (p: PayoutPlan): ApprovedPlan => {
  const approved = approvePlan(p, { approver: APPROVER, planSha256: planSha256(p), now: `${p.terms.legalDate}T03:00:00.000Z` })
  if (Result.isFailure(approved)) throw new Error(approved.failure.message)
  return approved.success
}

/**
 * Plans and approves rounds one after the other; `claimsFor(round)` gives
 * the claims known at each round (late creditors appear later).
 */
export const runRounds = (
  claimsFor: (round: number) => ReadonlyArray<Claim>,
  termsList: ReadonlyArray<Omit<RoundTerms, "round"> | RoundTerms>,
  options: { readonly approveEach?: (p: PayoutPlan) => ApprovedPlan } = {}
): Array<ApprovedPlan> => {
  const plans: Array<ApprovedPlan> = []
  termsList.forEach((t, i) => {
    const round = i + 1
    const planned = plan(claimsFor(round), historyOf(plans), { ...t, round } as RoundTerms)
    plans.push((options.approveEach ?? approve)(planned))
  })
  return plans
}

/** Sum of a plan's line amounts, straight from the columns. */
export const sumAmounts = (p: PayoutPlan): bigint => p.lines.amount.reduce((s, a) => s + a, 0n)
