/**
 * A synthetic case shaped like the Ho Chi Minh City payout (decision
 * 3699/QĐ-CTHADS): 43,108 creditors owed about 30,081 billion đồng in all,
 * paid in rounds at the published ratios. Amounts are drawn from a seeded
 * generator, so every run builds the same case.
 */
import type { Claim, RoundTerms } from "../../domain/payout/index.ts"
import { cccdFor, claimId, makeTerms } from "./fixtures.ts"

export const HCMC_CREDITORS = 43_108
export const HCMC_OWED = 30_081_000_000_000n
/** The published ratios of what remains owed, in round order. */
export const HCMC_RATIOS = ["24.81%", "2.4553%", "1.25%", "0.9971%", "0.683%", "2.3406%", "0.8325%"] as const
/** What round 8 paid, to the đồng. */
export const HCMC_ROUND_8 = 248_146_349_020n
/** Creditors with no bank account on file (967 deposits in round 3). */
export const HCMC_NO_ACCOUNT = 967

/** mulberry32: a small seeded generator, so the case is the same on every run. */
const generator = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
  return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
}

/**
 * `count` creditors whose claims add up to exactly `total` đồng: bond
 * holders from 10 million to tens of billions (log-uniform), a few with no
 * account, all requested before the first round.
 */
export const syntheticCreditors = (count: number, total: bigint, options: { readonly noAccount?: number; readonly seed?: number } = {}): Array<Claim> => {
  const random = generator(options.seed ?? 3699)
  const weights = Array.from({ length: count }, () => Math.exp(Math.log(1e7) + random() * (Math.log(5e10) - Math.log(1e7))))
  const sum = weights.reduce((a, b) => a + b, 0)
  const owed = weights.map((w) => BigInt(Math.max(1, Math.floor((w / sum) * Number(total)))))
  const drift = total - owed.reduce((a, b) => a + b, 0n)
  owed[0] = owed[0]! + drift
  const noAccount = options.noAccount ?? 0
  const step = Math.max(1, Math.floor(count / Math.max(1, noAccount)))
  return owed.map((amount, i) => {
    const claim: Claim = {
      id: claimId(i + 1),
      creditor: { identityNumber: cccdFor(i + 1), name: `Trái chủ ${i + 1}` },
      rank: "c",
      owed: amount,
      requestDate: "2025-06-16"
    }
    const withoutAccount = noAccount > 0 && i % step === 0 && Math.floor(i / step) < noAccount
    return withoutAccount ? claim : { ...claim, bankAccount: { bin: "970436", number: String(1_000_000_000 + i) } }
  })
}

/** Terms of a ratio round with enough money for it. */
export const ratioRound = (round: number, ratio: string, fee: RoundTerms["fee"], available: bigint): RoundTerms =>
  makeTerms({
    round,
    caseDecision: "3699/QĐ-CTHADS",
    legalDate: `2025-${String(6 + Math.min(round, 6)).padStart(2, "0")}-20`,
    available,
    allocation: { method: "ratio", ratio },
    fee
  })
