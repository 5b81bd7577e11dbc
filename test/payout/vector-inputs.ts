/**
 * The inputs of the payout test vectors (test/vectors/payout.json), as JSON
 * an officer or an importer would hand in, and `replay`, which plans and
 * approves their rounds with the domain code.
 */
import { Result } from "effect"
import { canonicalJson } from "../../domain/canonical.ts"
import {
  approvedContent,
  type ApprovedPlan,
  approvePlan,
  decodeClaims,
  decodeRoundTerms,
  historyOf,
  linesText,
  noticeContent,
  plannedContent,
  planRound,
  planSha256
} from "../../domain/payout/index.ts"

export interface RoundInput {
  readonly id: string
  readonly planner: string
  readonly plannedAt: string
  readonly approver: string
  readonly approvedAt: string
  readonly claims: ReadonlyArray<Record<string, unknown>>
  readonly terms: Record<string, unknown>
}

export interface VectorInput {
  readonly name: string
  readonly description: string
  readonly rounds: ReadonlyArray<RoundInput>
  readonly notice: { readonly claim: string; readonly lookupCode: string }
}

const vcb = (n: string) => ({ bin: "970436", number: n })
const bidv = (n: string) => ({ bin: "970418", number: n })

const base = { agency: "HCM", caseDecision: "3699/QĐ-CTHADS", deductions: { enforcementCosts: "0", housing: "0" } }

const hcmcClaims = [
  { id: "TC-0001", creditor: { identityNumber: "079185000101", name: "Nguyễn Thị Mai" }, rank: "c", owed: "123456789", requestDate: "2025-06-16", bankAccount: vcb("1012345678") },
  { id: "TC-0002", creditor: { identityNumber: "079085000202", name: "Trần Văn Bình" }, rank: "c", owed: "2000000000", requestDate: "2025-06-16", bankAccount: bidv("21510000123456") },
  { id: "TC-0003", creditor: { identityNumber: "001186000303", name: "Lê Hoàng Phúc" }, rank: "c", owed: "999999999", requestDate: "2025-06-16" }
]

export const payoutVectorInputs: ReadonlyArray<VectorInput> = [
  {
    name: "pro-rata-ranks",
    description:
      "Ranks a, b, c in order after enforcement costs; rank c shares the rest by largest remainder, and the one đồng left between " +
      "two equal claims with equal remainders goes to the smaller claim id; " +
      "a creditor without an account and one who has not requested are deposited; Circular 216 fee; a name typed in NFD",
    rounds: [
      {
        id: "5f0c2a9e-7b1d-4c3e-8a2f-9d8e7c6b5a41",
        planner: "nguyen.van.lap",
        plannedAt: "2025-07-10T02:00:00.000Z",
        approver: "tran.thi.duyet",
        approvedAt: "2025-07-10T08:30:00.000Z",
        claims: [
          { id: "A-01", creditor: { identityNumber: "079085001234", name: "Nguyễn Văn An" }, rank: "a", owed: "300000000", requestDate: "2025-03-01", bankAccount: vcb("0071000123456") },
          { id: "B-01", creditor: { identityNumber: "0101245486", name: "Kho bạc Nhà nước (thu án phí)" }, rank: "b", owed: "15000000", requestDate: "2025-03-01", bankAccount: vcb("0011000999999") },
          { id: "C-01", creditor: { identityNumber: "079185004321", name: "Phạm Thị Ngọc Ánh".normalize("NFD") }, rank: "c", owed: "600000000", requestDate: "2025-03-02", bankAccount: bidv("21510000654321") },
          { id: "C-02", creditor: { identityNumber: "001090005678", name: "Hoàng Đức Long" }, rank: "c", owed: "600000000", requestDate: "2025-03-02" },
          { id: "C-03", creditor: { identityNumber: "C1234567", name: "John Smith" }, rank: "c", owed: "200000000" }
        ],
        terms: {
          ...base,
          round: 1,
          legalDate: "2025-07-10",
          available: "1000000000",
          deductions: { enforcementCosts: "5000000", housing: "0" },
          allocation: { method: "pro_rata" },
          fee: { kind: "circular_216_2016", baseSalary: "2340000" }
        }
      }
    ],
    notice: { claim: "C-01", lookupCode: "7KQ2M9XH4T8P" }
  },
  {
    name: "ratio-round",
    description: "An HCMC-style round: 24.81 % of what remains owed, each share rounded to the nearest đồng; fee waived; no account → deposit",
    rounds: [
      {
        id: "9a1b2c3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d",
        planner: "vo.thanh.mai",
        plannedAt: "2025-06-20T02:00:00.000Z",
        approver: "le.minh.cuong",
        approvedAt: "2025-06-20T09:00:00.000Z",
        claims: hcmcClaims,
        terms: { ...base, round: 1, legalDate: "2025-06-20", available: "900000000", allocation: { method: "ratio", ratio: "24.81%" }, fee: { kind: "waived" } }
      }
    ],
    notice: { claim: "TC-0001", lookupCode: "M3T9QH2XK7WP" }
  },
  {
    name: "catch-up",
    description:
      "Round 2 at 2.4553 % with a 3 % fee; an heir who joined after round 1 is first paid round 1's 24.81 % (catch-up), then round 2's share",
    rounds: [
      {
        id: "9a1b2c3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d",
        planner: "vo.thanh.mai",
        plannedAt: "2025-06-20T02:00:00.000Z",
        approver: "le.minh.cuong",
        approvedAt: "2025-06-20T09:00:00.000Z",
        claims: hcmcClaims,
        terms: { ...base, round: 1, legalDate: "2025-06-20", available: "900000000", allocation: { method: "ratio", ratio: "24.81%" }, fee: { kind: "waived" } }
      },
      {
        id: "c0ffee00-2222-4bbb-8ccc-000000000002",
        planner: "vo.thanh.mai",
        plannedAt: "2025-08-05T02:00:00.000Z",
        approver: "le.minh.cuong",
        approvedAt: "2025-08-05T07:15:00.000Z",
        claims: [
          ...hcmcClaims,
          { id: "TC-0004", creditor: { identityNumber: "079300000404", name: "Đặng Minh Khôi" }, rank: "c", owed: "500000000", requestDate: "2025-07-30", bankAccount: vcb("1029988776") }
        ],
        terms: { ...base, round: 2, legalDate: "2025-08-05", available: "200000000", allocation: { method: "ratio", ratio: "2.4553%" }, fee: { kind: "flat_rate", rate: "3%" } }
      }
    ],
    notice: { claim: "TC-0004", lookupCode: "Q4M8ZT2K9HXP" }
  },
  {
    name: "coercion-secured",
    description:
      "Proceeds of a mortgaged house sold under a coercion decision: costs and a year's rent for the debtor (art. 115.5) first, " +
      "the mortgagee next (art. 47.3), then those who had requested by the coercion decision's date (art. 47.2.b), then the rest",
    rounds: [
      {
        id: "0d15ea5e-1234-4abc-9def-0123456789ab",
        planner: "pham.thu.ha",
        plannedAt: "2025-09-15T03:00:00.000Z",
        approver: "hoang.duc.long",
        approvedAt: "2025-09-16T02:00:00.000Z",
        claims: [
          { id: "BANK", creditor: { identityNumber: "0301452948", name: "Ngân hàng TMCP Á Châu" }, rank: "c", owed: "1500000000", requestDate: "2025-01-10", secured: { asset: "Nhà và đất số 12 đường Lê Lợi, phường Bến Thành" }, bankAccount: vcb("0001000000001") },
          { id: "EARLY", creditor: { identityNumber: "079085007777", name: "Bùi Văn Sớm" }, rank: "c", owed: "800000000", requestDate: "2025-04-01", bankAccount: bidv("12345678901") },
          { id: "WAGES", creditor: { identityNumber: "079185008888", name: "Đỗ Thị Công" }, rank: "a", owed: "90000000", requestDate: "2025-06-01", bankAccount: vcb("0071000888888") }
        ],
        terms: {
          ...base,
          round: 1,
          legalDate: "2025-09-15",
          available: "2350000000",
          deductions: { enforcementCosts: "25000000", housing: "60000000" },
          allocation: { method: "pro_rata" },
          fee: { kind: "waived" },
          coercion: { decisionNumber: "15/QĐ-CCTHADS", decisionDate: "2025-05-01" },
          securedAsset: "Nhà và đất số 12 đường Lê Lợi, phường Bến Thành"
        }
      }
    ],
    notice: { claim: "WAGES", lookupCode: "0123456789AB" }
  }
]

/** Plans and approves a vector's rounds; the texts of its last round. */
export const replay = (input: VectorInput) => {
  const approvedPlans: Array<ApprovedPlan> = []
  for (const round of input.rounds) {
    const claims = Result.getOrThrow(decodeClaims(round.claims))
    const terms = Result.getOrThrow(decodeRoundTerms(round.terms))
    const planned = Result.getOrThrow(
      planRound(claims, historyOf(approvedPlans), terms, { id: round.id, planner: round.planner, now: round.plannedAt })
    )
    approvedPlans.push(
      Result.getOrThrow(approvePlan(planned, { approver: round.approver, planSha256: planSha256(planned), now: round.approvedAt }))
    )
  }
  const approved = approvedPlans.at(-1)!
  const notice = noticeContent(approved, input.notice.claim, { lookupCode: input.notice.lookupCode })
  if (notice === undefined) throw new Error(`${input.name}: no notice for ${input.notice.claim}`)
  return {
    approved,
    linesText: linesText(approved),
    plannedText: canonicalJson(plannedContent(approved, approvedContent(approved).lines.sha256)),
    approvedText: canonicalJson(approvedContent(approved)),
    noticeText: canonicalJson(notice)
  }
}
