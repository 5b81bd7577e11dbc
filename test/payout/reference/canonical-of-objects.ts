// The canonical bytes as computed before claims were held in columns (commit cd3748a), kept unchanged as the
// oracle test/payout/columnar.test.ts compares the columnar planner and writer with: approvals name these hashes.
/**
 * The canonical bytes of a payout plan and of a payout notice, following the
 * rules of domain/canonical.ts (RFC 8785 over NFC text, amounts as digit
 * strings). Specified in docs/PAYOUT.md, "Canonical bytes"; test vectors in
 * test/vectors/payout.json, re-derived without our code by
 * test/vectors/check.mjs.
 *
 * A plan is two byte strings:
 *   - the lines: each line's canonical JSON followed by "\n" (NDJSON), in
 *     plan order; they can run to hundreds of megabytes, so they are hashed
 *     as they are written and never held whole;
 *   - the header: the round's terms, groups, totals, planner, and the lines'
 *     count and SHA-256. The header binds every line through that hash.
 * The approver approves the SHA-256 of the planned header; the approved
 * header adds the approver, the time and that hash, and is what the agency
 * signs.
 */
import { canonicalJson } from "../../../domain/canonical.ts"
import type { Claim } from "../../../domain/payout/claim.ts"
import { type ApprovedPlan, LINE_KINDS, lineId, type PayoutLine, type PayoutPlan, SETTLEMENTS } from "../../../domain/payout/plan.ts"
import { parseRatio, type Ratio, ratioText } from "../../../domain/payout/ratio.ts"
import { type NewHash, pureSha256 } from "../../../domain/payout/sha256.ts"
import { Result } from "effect"

/** Version of the payout canonical forms; it is inside the signed bytes. */
export const PAYOUT_CANONICAL_VERSION = 1

const digits = (n: bigint): string => n.toString(10)

const settlementOf = (line: PayoutLine, claim: Claim) => {
  switch (line.settlement) {
    case "bank": {
      // planRound never makes a bank line without an account; a plan altered into one
      // still serialises (without the account) so that its check fails instead of crashing.
      const account = claim.bankAccount
      return account === undefined ? { kind: "bank" } : { kind: "bank", bin: account.bin, account: account.number }
    }
    case "deposit_no_account":
      return { kind: "deposit", reason: "no_account" }
    case "deposit_not_requested":
      return { kind: "deposit", reason: "not_requested" }
    case "none":
      return { kind: "none" }
  }
}

/** One line's canonical content. */
export const canonicalLine = (line: PayoutLine) => ({
  id: line.id,
  claim: line.claim.id,
  creditor: { idNumber: line.claim.creditor.identityNumber, name: line.claim.creditor.name },
  rank: line.claim.rank,
  kind: line.kind,
  round: line.forRound,
  group: line.group,
  base: digits(line.base),
  ratio: ratioText(line.ratio),
  amount: digits(line.amount),
  fee: digits(line.fee),
  net: digits(line.net),
  settlement: settlementOf(line, line.claim)
})

const utf8 = new TextEncoder()

// ASCII text is already in NFC; normalising only the rest keeps serialising cheap (as in domain/canonical.ts).
const nonAscii = /[^\u0000-\u007f]/
const str = (s: string): string => JSON.stringify(nonAscii.test(s) ? s.normalize("NFC") : s)

/**
 * A line's canonical JSON without building the object: the members written
 * in their sorted order by hand. It must equal `canonicalJson(canonicalLine(…))`
 * byte for byte; test/payout/canonical.test.ts checks that on random plans.
 * It exists because a million lines are serialised for every hash.
 */
const lineJsonWriter = (plan: PayoutPlan): ((index: number) => string) => {
  const prefix = lineId(plan.id, 0).slice(0, 13)
  const l = plan.lines
  // What a line shares with others (its round, group and ratio; its claim) is written once.
  const ratioParts = plan.ratios.map((r) => ({
    group: str(r.group),
    ratio: str(ratioText(r.ratio)),
    round: String(r.round)
  }))
  let claimIndex = -1
  let claimPart = ""
  let rankPart = ""
  let bankPart = ""
  return (i) => {
    const c = l.claim[i]!
    if (c !== claimIndex) {
      const claim = (plan.claims as ReadonlyArray<Claim>)[c]!
      claimIndex = c
      claimPart = `"claim":${str(claim.id)},"creditor":{"idNumber":${str(claim.creditor.identityNumber)},"name":${str(claim.creditor.name)}}`
      rankPart = str(claim.rank)
      const account = claim.bankAccount
      bankPart = account === undefined ? '{"kind":"bank"}' : `{"account":${str(account.number)},"bin":${str(account.bin)},"kind":"bank"}`
    }
    const r = ratioParts[l.ratio[i]!]!
    const amount = l.amount[i]!
    const fee = l.fee[i]!
    const settlement = SETTLEMENTS[l.settlement[i]!]
    const settled = settlement === "bank"
      ? bankPart
      : settlement === "deposit_no_account"
      ? '{"kind":"deposit","reason":"no_account"}'
      : settlement === "deposit_not_requested"
      ? '{"kind":"deposit","reason":"not_requested"}'
      : '{"kind":"none"}'
    return `{"amount":"${amount}","base":"${l.base[i]!}",${claimPart},"fee":"${fee}","group":${r.group},"id":"${prefix}${
      String(i + 1).padStart(7, "0")
    }","kind":"${LINE_KINDS[l.kind[i]!]}","net":"${amount - fee}","rank":${rankPart},"ratio":${r.ratio},"round":${r.round},"settlement":${settled}}`
  }
}

/** A line's canonical JSON text (one line of the NDJSON, without the newline). */
export const lineJson = (plan: PayoutPlan, index: number): string => lineJsonWriter(plan)(index)

/** SHA-256 (hex) of the lines' NDJSON, computed batch by batch without holding the whole text. */
export const linesSha256 = (plan: PayoutPlan, newHash: NewHash = pureSha256): string => {
  const hash = newHash()
  const write = lineJsonWriter(plan)
  // Lines are encoded in batches: one TextEncoder call per line costs more than the hashing.
  let batch = ""
  for (let i = 0; i < plan.lines.count; i++) {
    batch += `${write(i)}\n`
    if (batch.length > 65_536) {
      hash.update(utf8.encode(batch))
      batch = ""
    }
  }
  if (batch !== "") hash.update(utf8.encode(batch))
  return hash.digestHex()
}

/** The lines' NDJSON text, whole: for test vectors and small plans only. */
export const linesText = (plan: PayoutPlan): string => {
  const write = lineJsonWriter(plan)
  let text = ""
  for (let i = 0; i < plan.lines.count; i++) text += `${write(i)}\n`
  return text
}

const ratioOfText = (text: string): Ratio => Result.getOrThrow(parseRatio(text))

const termsContent = (plan: PayoutPlan) => {
  const t = plan.terms
  return {
    available: digits(t.available),
    deductions: { enforcementCosts: digits(t.deductions.enforcementCosts), housing: digits(t.deductions.housing) },
    allocation: t.allocation.method === "ratio"
      ? { method: "ratio", ratio: ratioText(ratioOfText(t.allocation.ratio)) }
      : { method: "pro_rata" },
    fee: t.fee.kind === "waived"
      ? { kind: "waived" }
      : t.fee.kind === "circular_216_2016"
      ? { kind: t.fee.kind, baseSalary: digits(t.fee.baseSalary) }
      : { kind: t.fee.kind, rate: ratioText(ratioOfText(t.fee.rate)) },
    coercion: t.coercion === undefined ? undefined : { decisionNumber: t.coercion.decisionNumber, decisionDate: t.coercion.decisionDate },
    securedAsset: t.securedAsset
  }
}

/** The header a planner submits and an approver reviews, given the lines' hash. */
export const plannedContent = (plan: PayoutPlan, lines: string) => {
  const t = plan.terms
  const totals = plan.totals
  return {
    v: PAYOUT_CANONICAL_VERSION,
    type: "payout-plan",
    id: plan.id,
    agency: t.agency,
    caseDecision: t.caseDecision,
    round: t.round,
    legalDate: t.legalDate,
    rules: plan.rules,
    terms: termsContent(plan),
    groups: plan.groups.map((g) => ({
      group: g.key,
      claims: g.claims,
      owed: digits(g.owed),
      paid: digits(g.paid),
      ratio: ratioText(g.ratio)
    })),
    totals: {
      available: digits(totals.available),
      deductions: digits(totals.deductions),
      catchUp: digits(totals.catchUp),
      regular: digits(totals.regular),
      paid: digits(totals.paid),
      fee: digits(totals.fee),
      net: digits(totals.net),
      unallocated: digits(totals.unallocated)
    },
    lines: { count: plan.lines.count, sha256: lines },
    planner: plan.planner,
    plannedAt: plan.plannedAt
  }
}

/** The planned header's bytes: what the approver's hash covers. */
export const plannedBytes = (plan: PayoutPlan, newHash: NewHash = pureSha256): Uint8Array =>
  utf8.encode(canonicalJson(plannedContent(plan, linesSha256(plan, newHash))))

/** The lines' hash and the planned header's hash, the lines serialised once. */
export const planDigests = (
  plan: PayoutPlan,
  newHash: NewHash = pureSha256
): { readonly linesSha256: string; readonly planSha256: string } => {
  const lines = linesSha256(plan, newHash)
  const hash = newHash()
  hash.update(utf8.encode(canonicalJson(plannedContent(plan, lines))))
  return { linesSha256: lines, planSha256: hash.digestHex() }
}

/** SHA-256 of the planned header: the value an approver approves. */
export const planSha256 = (plan: PayoutPlan, newHash: NewHash = pureSha256): string => planDigests(plan, newHash).planSha256

/** The approved header: what the agency signs. */
export const approvedContent = (plan: ApprovedPlan, lines: string = plan.approval.linesSha256) => ({
  ...plannedContent(plan, lines),
  approver: plan.approval.approver,
  approvedAt: plan.approval.approvedAt,
  planSha256: plan.approval.planSha256
})

/** The approved header's bytes: what the agency signs. */
export const approvedBytes = (plan: ApprovedPlan): Uint8Array => utf8.encode(canonicalJson(approvedContent(plan)))
