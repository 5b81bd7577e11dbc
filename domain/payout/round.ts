/**
 * The terms of a payout round (đợt chi trả), as an officer sets them: which
 * case and round, the legal date that picks the rules, the money available,
 * what comes off first, how it is shared (pro rata, or a stated ratio of
 * what remains owed), the enforcement fee, and where the money came from
 * (a coercion decision, the sale of a secured asset).
 */
import { Result, Schema } from "effect"
import { DecisionNumber } from "../case-numbers.ts"
import { IsoDate } from "../dates.ts"
import { VndFromString } from "../money.ts"
import { AgencyCode, listIssues } from "../receipt.ts"
import { FeePolicy } from "./fee.ts"
import { RatioString } from "./ratio.ts"
import { text } from "./text.ts"

export const MAX_ROUNDS = 999

/**
 * How the money is shared.
 * - `pro_rata`: all of it, rank by rank; the first rank it cannot pay in full
 *   shares what is left in proportion (largest remainder, to the đồng).
 * - `ratio`: every creditor of the first rank still owed something gets the
 *   stated ratio of what they are still owed (24.81 %), each rounded to the
 *   nearest đồng; what is not needed stays for the next round.
 */
export const Allocation = Schema.Union([
  Schema.Struct({ method: Schema.Literal("pro_rata") }),
  Schema.Struct({ method: Schema.Literal("ratio"), ratio: RatioString })
])
export type Allocation = typeof Allocation.Type

const RoundFields = Schema.Struct({
  agency: AgencyCode,
  /** The enforcement decision of the case, e.g. "3699/QĐ-CTHADS". */
  caseDecision: DecisionNumber,
  round: Schema.Number.check(
    Schema.isInt(),
    Schema.isBetween({ minimum: 1, maximum: MAX_ROUNDS }, { message: `a round number runs from 1 to ${MAX_ROUNDS}` })
  ),
  /** The date whose law governs the payout (the day the payment is fixed). */
  legalDate: IsoDate,
  available: VndFromString,
  deductions: Schema.Struct({
    /** Chi phí thi hành án, taken first (art. 47.1). */
    enforcementCosts: VndFromString,
    /** The year's rent kept for a debtor whose only home was sold (art. 115.5). */
    housing: VndFromString
  }),
  allocation: Allocation,
  fee: FeePolicy,
  /** The money comes from this coercion decision (art. 47.2.b). */
  coercion: Schema.optionalKey(Schema.Struct({ decisionNumber: DecisionNumber, decisionDate: IsoDate })),
  /** The money is the proceeds of this pledged or mortgaged asset (art. 47.3). */
  securedAsset: Schema.optionalKey(text(300, "the secured asset"))
})

type Fields = typeof RoundFields.Type

const crossFieldIssues = (t: Fields) => {
  const issues: Array<{ path: ReadonlyArray<PropertyKey>; issue: string }> = []
  if (t.coercion !== undefined && t.coercion.decisionDate > t.legalDate) {
    issues.push({ path: ["coercion", "decisionDate"], issue: "the coercion decision is dated after the payout" })
  }
  if (t.deductions.enforcementCosts + t.deductions.housing > t.available) {
    issues.push({ path: ["deductions"], issue: `the deductions exceed the ${t.available} đồng available` })
  }
  return issues
}

export const RoundTerms = RoundFields.check(Schema.makeFilter(crossFieldIssues, { expected: "consistent round terms" }))
export type RoundTerms = typeof RoundTerms.Type
export type RoundTermsJson = typeof RoundTerms.Encoded

export class InvalidRoundTerms extends Schema.TaggedError<InvalidRoundTerms>()("InvalidRoundTerms", {
  issues: Schema.Array(Schema.Struct({ path: Schema.String, message: Schema.String })),
  message: Schema.String
}) {}

const decode = Schema.decodeUnknownResult(RoundTerms)
const encode = Schema.encodeUnknownResult(RoundTerms)

/** Decodes the terms an officer entered, or lists every invalid field. */
export const decodeRoundTerms = (input: unknown): Result.Result<RoundTerms, InvalidRoundTerms> =>
  Result.mapError(decode(input, { errors: "all", onExcessProperty: "error" }), (error) => {
    const issues = listIssues(error.issue)
    const message = issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join("; ")
    return new InvalidRoundTerms({ issues, message: `invalid round terms: ${message}` })
  })

export const encodeRoundTerms = (terms: RoundTerms): RoundTermsJson => Result.getOrThrow(encode(terms))
