/**
 * The order in which collected money is paid out, as versioned data chosen by
 * the payout's legal date (see docs/PAYOUT.md, "Rules by legal date").
 *
 * A rule set says what comes off first, which groups of creditors are paid
 * before which, and what happens to the share of a creditor who has not
 * requested enforcement. `allocate.ts` reads nothing about the law except
 * this data, so a new law is a new entry in `payoutRuleSets`, plus new code
 * only if it brings a concept the entries below cannot express.
 */
import { Result, Schema } from "effect"

/**
 * Ranks of art. 47.1 (Law 26/2008, amended by Law 64/2014):
 * a) maintenance; wages, labour pay, severance, job-loss and work-capacity
 *    allowances; compensation for harm to life, health, and for mental harm;
 * b) court fees and charges (án phí, lệ phí Tòa án);
 * c) every other obligation under the judgment or decision.
 */
export const Rank = Schema.Literals(["a", "b", "c"])
export type Rank = typeof Rank.Type

/** What is taken off the money before any creditor is paid. */
export type Deduction = "enforcement_costs" | "housing_115_5"

/**
 * Tiers of creditors, paid one after the other; within a tier, ranks in order.
 * - `secured`: the creditors secured by the pledged or mortgaged asset whose
 *   proceeds are being paid out (art. 47.3), whatever their rank;
 * - `coercion`: when the money comes from a coercion decision, the creditors
 *   who had requested enforcement by that decision's date (art. 47.2.b);
 * - `general`: everyone else.
 */
export type Tier = "secured" | "coercion" | "general"

export interface Source {
  readonly title: string
  readonly reference: string
}

/** A rule set that is encoded and can plan payouts. */
export interface EncodedRules {
  readonly status: "encoded"
  readonly id: string
  readonly law: string
  /** First legal date it governs, "YYYY-MM-DD". */
  readonly validFrom: string
  /** Last legal date it governs. */
  readonly validUntil: string
  readonly deductions: ReadonlyArray<Deduction>
  readonly tiers: ReadonlyArray<Tier>
  readonly ranks: ReadonlyArray<Rank>
  /** Creditors of one rank (or the secured tier) share in proportion to what each is still owed. */
  readonly withinGroup: "pro_rata"
  /** Decree 62/2015 art. 49: the share of a creditor who has not requested enforcement. */
  readonly notRequested: { readonly settlement: "deposit"; readonly requestWithinMonths: number }
  readonly sources: ReadonlyArray<Source>
}

/** A period whose law is known but whose rules are not encoded yet: planning refuses. */
export interface UnencodedRules {
  readonly status: "not_encoded"
  readonly id: string
  readonly law: string
  readonly validFrom: string
  readonly validUntil?: string
  readonly why: string
}

export type PayoutRules = EncodedRules | UnencodedRules

export const LAW_2008_AS_AMENDED_2014: EncodedRules = {
  status: "encoded",
  id: "vn-thads-2008-am-2014",
  law: "Luật Thi hành án dân sự số 26/2008/QH12, sửa đổi, bổ sung bởi Luật số 64/2014/QH13",
  validFrom: "2015-07-01",
  validUntil: "2026-06-30",
  deductions: ["enforcement_costs", "housing_115_5"],
  tiers: ["secured", "coercion", "general"],
  ranks: ["a", "b", "c"],
  withinGroup: "pro_rata",
  notRequested: { settlement: "deposit", requestWithinMonths: 1 },
  sources: [
    { title: "Luật Thi hành án dân sự 26/2008/QH12, art. 47 (thứ tự thanh toán tiền thi hành án)", reference: "as amended by Law 64/2014/QH13 art. 1.20, in force 2015-07-01" },
    { title: "Luật Thi hành án dân sự 26/2008/QH12, art. 115.5", reference: "the amount kept back for one year's rent when the debtor's only home is sold" },
    { title: "Nghị định 62/2015/NĐ-CP, art. 49", reference: "shares of creditors who have not requested enforcement: deposited, creditor told to request within one month (Decree 33/2020/NĐ-CP amended the decree's payment provisions)" }
  ]
}

export const LAW_106_2025: UnencodedRules = {
  status: "not_encoded",
  id: "vn-thads-2025",
  law: "Luật Thi hành án dân sự số 106/2025/QH15",
  validFrom: "2026-07-01",
  why: "its payment-order article has not been checked against the official text; " +
    "encode it as a new rule set in domain/payout/rules.ts (see docs/PAYOUT.md) before planning payouts dated from 1 July 2026"
}

/** The original 2008 text, before the 2014 amendments took effect; not encoded. */
export const LAW_2008_ORIGINAL: UnencodedRules = {
  status: "not_encoded",
  id: "vn-thads-2008",
  law: "Luật Thi hành án dân sự số 26/2008/QH12 (original text)",
  validFrom: "2009-07-01",
  validUntil: "2015-06-30",
  why: "payouts dated before 1 July 2015 follow the text before Law 64/2014/QH13, which bienlai does not encode"
}

/** Every rule set, by legal date; the periods do not overlap. */
export const payoutRuleSets: ReadonlyArray<PayoutRules> = [LAW_2008_ORIGINAL, LAW_2008_AS_AMENDED_2014, LAW_106_2025]

export class PayoutRulesUnavailable extends Schema.TaggedError<PayoutRulesUnavailable>()("PayoutRulesUnavailable", {
  legalDate: Schema.String,
  reason: Schema.Literals(["not_encoded", "no_law"]),
  law: Schema.optionalKey(Schema.String),
  message: Schema.String
}) {}

/** The rule set that governs a payout whose legal date is `legalDate` ("YYYY-MM-DD"). */
export const rulesFor = (legalDate: string): Result.Result<EncodedRules, PayoutRulesUnavailable> => {
  const rules = payoutRuleSets.find((r) => r.validFrom <= legalDate && (r.validUntil === undefined || legalDate <= r.validUntil))
  if (rules === undefined) {
    return Result.fail(
      new PayoutRulesUnavailable({
        legalDate,
        reason: "no_law",
        message: `no payment-order rules are known for a payout dated ${legalDate}`
      })
    )
  }
  if (rules.status === "not_encoded") {
    return Result.fail(
      new PayoutRulesUnavailable({
        legalDate,
        reason: "not_encoded",
        law: rules.law,
        message: `a payout dated ${legalDate} is governed by ${rules.law}, whose rules are not yet encoded: ${rules.why}`
      })
    )
  }
  return Result.succeed(rules)
}
