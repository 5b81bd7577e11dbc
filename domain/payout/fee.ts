/**
 * The enforcement fee (phí thi hành án) withheld from what a creditor
 * receives: Law 26/2008 art. 60, Decree 62/2015 art. 46 and Circular
 * 216/2016/TT-BTC art. 4, modelled as data (a schedule of brackets). A round
 * either charges it or waives it (the HCMC rounds did both).
 *
 * The schedule applies to the total a creditor has received under one
 * request, not to each payment alone, so a creditor paid in eight rounds
 * pays the same fee as one paid once: each line's fee is
 *   F(received so far + this line) − fee already charged,
 * capped at the line itself (a line never turns negative; what it could not
 * bear is charged on the next one). The fees of a claim therefore always add
 * up to F of its charged total, exactly, whatever the rounds.
 *
 * The rates below were taken from secondary sources quoting Circular
 * 216/2016/TT-BTC art. 4.1 and must be checked against the official text
 * before production use (docs/PAYOUT.md, "The enforcement fee").
 */
import { Result, Schema } from "effect"
import { VndFromString } from "../money.ts"
import { applyFloor, parseRatio, type Ratio, RatioString } from "./ratio.ts"

export interface FeeBracket {
  /** The bracket applies to totals strictly above this amount. */
  readonly above: bigint
  readonly fixed: bigint
  readonly rate: Ratio
  /** The rate applies to the part of the total above this amount. */
  readonly over: bigint
}

export interface FeeSchedule {
  readonly id: string
  readonly source: string
  /** No fee while the total received is at most this (Circular 216: twice the base salary). */
  readonly exemptUpTo: bigint
  /** Ascending by `above`; the first one starts at 0. */
  readonly brackets: ReadonlyArray<FeeBracket>
}

const percent = (n: bigint, d = 100n): Ratio => ({ numerator: n, denominator: d })

/**
 * Circular 216/2016/TT-BTC art. 4.1, in force from 1 January 2017: above
 * twice the base salary and up to 5 billion đồng, 3 % of the total; then
 * 150 million + 2 % above 5 billion; 190 million + 1 % above 7 billion;
 * 220 million + 0.5 % above 10 billion; 245 million + 0.01 % above 15
 * billion. The base salary (lương cơ sở) is a parameter because it changes
 * (2,340,000 đồng from 1 July 2024, Decree 73/2024/NĐ-CP).
 */
export const circular216Schedule = (baseSalary: bigint): FeeSchedule => ({
  id: "circular-216-2016",
  source: "Thông tư 216/2016/TT-BTC art. 4.1 (to be checked against the official text)",
  exemptUpTo: 2n * baseSalary,
  brackets: [
    { above: 0n, fixed: 0n, rate: percent(3n), over: 0n },
    { above: 5_000_000_000n, fixed: 150_000_000n, rate: percent(2n), over: 5_000_000_000n },
    { above: 7_000_000_000n, fixed: 190_000_000n, rate: percent(1n), over: 7_000_000_000n },
    { above: 10_000_000_000n, fixed: 220_000_000n, rate: percent(5n, 1000n), over: 10_000_000_000n },
    { above: 15_000_000_000n, fixed: 245_000_000n, rate: percent(1n, 10_000n), over: 15_000_000_000n }
  ]
})

/** One rate on every đồng, no exemption: the simplest schedule. */
export const flatRateSchedule = (rate: Ratio): FeeSchedule => ({
  id: "flat-rate",
  source: "a flat rate set for this round",
  exemptUpTo: 0n,
  brackets: [{ above: 0n, fixed: 0n, rate, over: 0n }]
})

/** The fee on a total received: fixed part plus ⌊rate × excess⌋, exact. */
export const feeOnTotal = (schedule: FeeSchedule, total: bigint): bigint => {
  if (total <= schedule.exemptUpTo || total <= 0n) return 0n
  let bracket = schedule.brackets[0]!
  for (const b of schedule.brackets) if (total > b.above) bracket = b
  return bracket.fixed + applyFloor(total - bracket.over, bracket.rate)
}

/** What a claim has been charged so far: the total the fee applied to, and the fee taken. */
export interface FeeAccount {
  readonly base: bigint
  readonly charged: bigint
}

export const NO_FEE_YET: FeeAccount = { base: 0n, charged: 0n }

/** The fee withheld from one line, and the claim's fee account after it. */
export const feeForLine = (
  schedule: FeeSchedule,
  account: FeeAccount,
  amount: bigint
): { readonly fee: bigint; readonly account: FeeAccount } => {
  const base = account.base + amount
  const due = feeOnTotal(schedule, base) - account.charged
  const fee = due <= 0n ? 0n : due > amount ? amount : due
  return { fee, account: { base, charged: account.charged + fee } }
}

/** The fee policy of a round, as an officer chooses it (JSON). */
export const FeePolicy = Schema.Union([
  Schema.Struct({ kind: Schema.Literal("waived") }),
  Schema.Struct({ kind: Schema.Literal("circular_216_2016"), baseSalary: VndFromString }),
  Schema.Struct({ kind: Schema.Literal("flat_rate"), rate: RatioString })
])
export type FeePolicy = typeof FeePolicy.Type

/** The schedule a policy charges, or undefined when the fee is waived. */
export const scheduleOf = (policy: FeePolicy): FeeSchedule | undefined => {
  switch (policy.kind) {
    case "waived":
      return undefined
    case "circular_216_2016":
      return circular216Schedule(policy.baseSalary)
    case "flat_rate":
      return flatRateSchedule(Result.getOrThrow(parseRatio(policy.rate)))
  }
}
