/**
 * fast-check generators for payout cases: creditor lists with every kind of
 * claim (ranks, secured, requested late or never, without an account) and
 * round terms (pro rata or a ratio, fees, coercion, a secured asset).
 */
import fc from "fast-check"
import type { Claim, RoundTerms } from "../../domain/payout/index.ts"
import { formatPercent, ratioOf } from "../../domain/payout/ratio.ts"
import { makeClaim, makeTerms } from "./fixtures.ts"

export const ASSET = "Quyền sử dụng đất số 12, phường Bến Thành"
export const COERCION_DATE = "2025-05-01"

/** Small amounts make rounding and ties frequent; large ones test exactness. */
export const owedArb = fc.oneof(
  fc.bigInt({ min: 1n, max: 20n }),
  fc.bigInt({ min: 1n, max: 1_000_000n }),
  fc.bigInt({ min: 1n, max: 10n ** 15n - 1n })
)

const claimArb = (n: number): fc.Arbitrary<Claim> =>
  fc
    .record({
      rank: fc.constantFrom("a", "b", "c", "c", "c"),
      owed: owedArb,
      request: fc.constantFrom("early", "early", "late", "never"),
      secured: fc.integer({ min: 0, max: 9 }).map((k) => k === 0),
      account: fc.integer({ min: 0, max: 4 }).map((k) => k !== 0)
    })
    .map(({ rank, owed, request, secured, account }) =>
      makeClaim(n, {
        rank: rank as Claim["rank"],
        owed,
        requestDate: request === "early" ? "2025-03-01" : request === "late" ? "2025-06-01" : undefined,
        secured: secured ? { asset: ASSET } : undefined,
        bankAccount: account ? { bin: "970436", number: String(1_000_000_000 + n) } : undefined
      })
    )
    .map((c) => Object.fromEntries(Object.entries(c).filter(([, v]) => v !== undefined)) as Claim)

/** 1 to `max` claims with distinct ids (listed in a random order). */
export const claimsArb = (max = 25): fc.Arbitrary<Array<Claim>> =>
  fc
    .uniqueArray(fc.integer({ min: 1, max: 10_000 }), { minLength: 1, maxLength: max })
    .chain((ns) => fc.tuple(...ns.map(claimArb)))

export const ratioTextArb: fc.Arbitrary<string> = fc
  .integer({ min: 0, max: 6 })
  .chain((scale) => fc.bigInt({ min: 1n, max: 10n ** BigInt(scale + 2) }).map((n) => formatPercent(ratioOf(n, 10n ** BigInt(scale + 2)))))

export const feeArb: fc.Arbitrary<RoundTerms["fee"]> = fc.oneof(
  fc.constant({ kind: "waived" as const }),
  fc.constant({ kind: "circular_216_2016" as const, baseSalary: 2_340_000n }),
  fc.integer({ min: 0, max: 500 }).map((bp) => ({ kind: "flat_rate" as const, rate: formatPercent(ratioOf(BigInt(bp), 10_000n)) }))
)

export interface SourceChoice {
  readonly coercion: boolean
  readonly secured: boolean
}

export const sourceArb: fc.Arbitrary<SourceChoice> = fc.record({ coercion: fc.boolean(), secured: fc.boolean() })

/** Terms for a round over `claims`, with an amount from nothing to everything owed. */
export const termsFor = (
  totalOwed: bigint,
  shape: { readonly ratio?: string; readonly fee: RoundTerms["fee"]; readonly source: SourceChoice; readonly share: bigint; readonly costs: bigint }
): RoundTerms => {
  // A ratio round needs at most what is owed; give it that, so only its own rule decides.
  const payable = shape.ratio === undefined ? (totalOwed * shape.share) / 1000n : totalOwed
  return makeTerms({
    available: payable + shape.costs,
    deductions: { enforcementCosts: shape.costs, housing: 0n },
    allocation: shape.ratio === undefined ? { method: "pro_rata" } : { method: "ratio", ratio: shape.ratio },
    fee: shape.fee,
    ...(shape.source.coercion ? { coercion: { decisionNumber: "15/QĐ-CCTHADS", decisionDate: COERCION_DATE } } : {}),
    ...(shape.source.secured ? { securedAsset: ASSET } : {})
  })
}

export const shapeArb = fc.record({
  ratio: fc.option(ratioTextArb, { nil: undefined }),
  fee: feeArb,
  source: sourceArb,
  share: fc.bigInt({ min: 0n, max: 1000n }),
  costs: fc.bigInt({ min: 0n, max: 1_000_000n })
})
