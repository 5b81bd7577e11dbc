/**
 * The payout notice (giấy báo nhận tiền): what one creditor receives in an
 * approved round, as canonical bytes the agency signs (docs/PAYOUT.md,
 * "Canonical bytes"). It names the approved plan by its SHA-256, so a notice
 * verifies against the plan it came from, and carries the creditor's lookup
 * code (mã tra cứu) for the public portal.
 */
import { canonicalJson } from "../canonical.ts"
import { claimIdAt } from "./claim-table.ts"
import { canonicalLine, PAYOUT_CANONICAL_VERSION } from "./canonical.ts"
import { type ApprovedPlan, lineAt, type PayoutLine } from "./plan.ts"

/** The index of a claim in a plan (claims are sorted by id), or -1. */
const claimIndex = (plan: ApprovedPlan, claimId: string): number => {
  let lo = 0
  let hi = plan.claims.length - 1
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1
    const id = claimIdAt(plan.claims, mid)
    if (id === claimId) return mid
    if (id < claimId) lo = mid + 1
    else hi = mid - 1
  }
  return -1
}

/** The lines of one claim in a plan, in plan order. */
export const linesOfClaim = (plan: ApprovedPlan, claimId: string): Array<PayoutLine> => {
  const target = claimIndex(plan, claimId)
  if (target < 0) return []
  const column = plan.lines.claim
  // Lines are ordered by claim index: find the first of this claim by bisection.
  let lo = 0
  let hi = plan.lines.count
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (column[mid]! < target) lo = mid + 1
    else hi = mid
  }
  const lines: Array<PayoutLine> = []
  for (let i = lo; i < plan.lines.count && column[i] === target; i++) lines.push(lineAt(plan, i))
  return lines
}

/** What a notice says of its round and approved plan (the same for every creditor of the round). */
export interface NoticeRound {
  readonly agency: string
  readonly caseDecision: string
  readonly round: number
  readonly legalDate: string
  readonly plan: { readonly id: string; readonly sha256: string; readonly approver: string; readonly approvedAt: string }
}

export const noticeRoundOf = (plan: ApprovedPlan): NoticeRound => ({
  agency: plan.terms.agency,
  caseDecision: plan.terms.caseDecision,
  round: plan.terms.round,
  legalDate: plan.terms.legalDate,
  plan: { id: plan.id, sha256: plan.approval.planSha256, approver: plan.approval.approver, approvedAt: plan.approval.approvedAt }
})

/**
 * A notice's content from its round and the claim's lines in plan order
 * (catch-ups first, then its own line), or undefined without an own line.
 * Storage builds notices from stored lines with this; `noticeContent` from a
 * plan in memory.
 */
export const noticeContentOfLines = (round: NoticeRound, lines: ReadonlyArray<PayoutLine>, ctx: { readonly lookupCode: string }) => {
  const own = lines.find((l) => l.kind === "round")
  if (own === undefined) return undefined
  const claim = own.claim
  const sum = (pick: (l: PayoutLine) => bigint) => lines.reduce((s, l) => s + pick(l), 0n).toString(10)
  return {
    v: PAYOUT_CANONICAL_VERSION,
    type: "payout-notice",
    agency: round.agency,
    caseDecision: round.caseDecision,
    round: round.round,
    legalDate: round.legalDate,
    plan: { id: round.plan.id, sha256: round.plan.sha256, approver: round.plan.approver, approvedAt: round.plan.approvedAt },
    lookupCode: ctx.lookupCode,
    claim: claim.id,
    creditor: { idNumber: claim.creditor.identityNumber, name: claim.creditor.name },
    rank: claim.rank,
    owed: claim.owed.toString(10),
    lines: lines.map((l) => {
      const { claim: _claim, creditor: _creditor, rank: _rank, ...rest } = canonicalLine(l)
      return rest
    }),
    totals: { amount: sum((l) => l.amount), fee: sum((l) => l.fee), net: sum((l) => l.net) },
    /** What the claim is still owed after this round. */
    remaining: (own.base - own.amount).toString(10)
  }
}

/** The signed content of one creditor's notice for an approved round, or undefined when the claim is not in it. */
export const noticeContent = (plan: ApprovedPlan, claimId: string, ctx: { readonly lookupCode: string }) =>
  noticeContentOfLines(noticeRoundOf(plan), linesOfClaim(plan, claimId), ctx)

const utf8 = new TextEncoder()

/** The bytes of a creditor's notice that the agency signs. */
export const noticeBytes = (plan: ApprovedPlan, claimId: string, ctx: { readonly lookupCode: string }): Uint8Array | undefined => {
  const content = noticeContent(plan, claimId, ctx)
  return content === undefined ? undefined : utf8.encode(canonicalJson(content))
}
