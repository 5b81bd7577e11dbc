/**
 * A creditor's payout notice (giấy báo nhận tiền) from the store: found by
 * its lookup code and the creditor's identity number (both, as the public
 * portal asks), built from the stored lines with the domain's
 * `noticeContentOfLines` (so its bytes are exactly `noticeBytes` of the
 * approved plan), and signed with the agency's seal key through the Signer
 * port. Only an approved round's notices exist.
 */
import { Effect, Result } from "effect"
import { canonicalJson } from "../../domain/canonical.ts"
import { validateIdentityNumber } from "../../domain/identity.ts"
import { normalizeLookupCode } from "../../domain/ids.ts"
import type { Claim } from "../../domain/payout/claim.ts"
import type { GroupKey } from "../../domain/payout/groups.ts"
import { noticeContentOfLines } from "../../domain/payout/notice.ts"
import type { LineKind, PayoutLine, Settlement } from "../../domain/payout/plan.ts"
import { parseRatioText } from "../../domain/payout/ratio.ts"
import type { Seal } from "../../domain/receipt.ts"
import type { Sql } from "../database/db.ts"
import type { SignFn } from "../receipts/issuance.ts"
import { readClaim } from "./claims.ts"
import { refused } from "./errors.ts"

export interface SignedNotice {
  readonly agency: string
  readonly roundId: string
  /** The canonical bytes, as UTF-8 text. */
  readonly text: string
  readonly seal: Seal
  /** Each line's state now (not signed: the notice states what the approved plan pays). */
  readonly states: ReadonlyArray<{ readonly lineId: string; readonly state: string }>
}

/** A stored line as the notices read it. */
export interface LineRow {
  line_no: number
  line_id: string
  kind: LineKind
  for_round: number
  grp: GroupKey
  ratio: string
  base: string
  amount: string
  fee: string
  settlement: Settlement
  state: string
}

/** The columns of a LineRow. */
export const LINE_COLUMNS = "line_no, line_id, kind, for_round, grp, ratio, base::text AS base, amount::text AS amount, fee::text AS fee, settlement, payout_line_state(state, 'approved') AS state"

/** A stored line as the domain's PayoutLine of `claim`. */
export const payoutLineOf = (r: LineRow, claim: Claim): PayoutLine => {
  const ratio = parseRatioText(r.ratio)
  if (ratio === undefined) throw refused("round_not_found", `stored line ${r.line_id} has a ratio "${r.ratio}" that does not read`)
  const amount = BigInt(r.amount)
  const fee = BigInt(r.fee)
  return {
    id: r.line_id, index: r.line_no - 1, claim, kind: r.kind, forRound: r.for_round, group: r.grp, ratio,
    base: BigInt(r.base), amount, fee, net: amount - fee, settlement: r.settlement
  }
}

/** A notice as stored, before it is signed: its canonical bytes as text, and its lines' states now. */
export type UnsignedNotice = Omit<SignedNotice, "seal">

/** The signed notice for a lookup code and identity number, or undefined when they do not match an approved round's notice. */
export const noticeFor = async (sql: Sql, sign: SignFn, lookupCode: string, identityNumber: string): Promise<SignedNotice | undefined> => {
  const notice = await noticeTextFor(sql, lookupCode, identityNumber)
  if (notice === undefined) return undefined
  // One signature, inside a Promise-based database step: run its Effect here.
  const signed = await Effect.runPromise(Effect.result(sign(notice.agency, new TextEncoder().encode(notice.text))))
  if (Result.isFailure(signed)) throw refused("signing_failed", `the agency's key could not sign the notice: ${signed.failure.message}`)
  return { ...notice, seal: signed.success }
}

/** The notice's content for a lookup code and identity number, unsigned (the public portal shows it and its QR token; the seal is for the document). */
export const noticeTextFor = async (sql: Sql, lookupCode: string, identityNumber: string): Promise<UnsignedNotice | undefined> => {
  const code = normalizeLookupCode(lookupCode)
  const person = validateIdentityNumber(identityNumber)
  if (Result.isFailure(person)) return undefined
  const [found] = await sql.query<{ agency: string; round_id: string; claim_id: string; case_decision: string; round: number; terms: unknown; approved_sha256: string; approver: string; approved_at: string }>(
    `SELECT l.agency, l.round_id::text AS round_id, l.claim_id, r.case_decision, r.round, r.terms, r.approved_sha256, r.approver, iso_instant(r.approved_at) AS approved_at
       FROM payout_lines l JOIN payout_rounds r ON r.agency = l.agency AND r.id = l.round_id
      WHERE l.lookup_code = $1::text AND r.status = 'approved'`,
    [code]
  )
  if (found === undefined) return undefined
  const claim: Claim | undefined = await readClaim(sql, found.agency, found.case_decision, found.claim_id)
  if (claim === undefined || claim.creditor.identityNumber !== person.success.value) return undefined
  const rows = await sql.query<LineRow>(
    `SELECT ${LINE_COLUMNS} FROM payout_lines WHERE agency = $1::text AND round_id = $2::uuid AND claim_id = $3::text ORDER BY line_no`,
    [found.agency, found.round_id, found.claim_id]
  )
  const lines: Array<PayoutLine> = rows.map((r) => payoutLineOf(r, claim))
  const terms = (typeof found.terms === "string" ? JSON.parse(found.terms) : found.terms) as { legalDate: string }
  const content = noticeContentOfLines(
    {
      agency: found.agency,
      caseDecision: found.case_decision,
      round: found.round,
      legalDate: terms.legalDate,
      plan: { id: found.round_id, sha256: found.approved_sha256, approver: found.approver, approvedAt: found.approved_at }
    },
    lines,
    { lookupCode: code }
  )
  if (content === undefined) return undefined
  return { agency: found.agency, roundId: found.round_id, text: canonicalJson(content), states: rows.map((r) => ({ lineId: r.line_id, state: r.state })) }
}
