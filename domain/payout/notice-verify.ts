/**
 * Offline verification of a payout notice's QR token, in the same order and
 * with the same answers as a receipt's (domain/signing/verify.ts): the
 * signature and the trust list first, then the notice status list of its
 * round. "Valid" needs a list within its stated freshness, except when every
 * line of the notice is paid or deposited: those states are final (no line
 * leaves them), so an older list saying so is still believed, as a voided
 * receipt's is.
 */
import { Result } from "effect"
import { toHex } from "../signing/bytes.ts"
import { checkTokenKey } from "../signing/token-key.ts"
import type { TrustAnchors } from "../signing/trust.ts"
import type { AuthenticationFailure, StatusUnknownReason, VerifyOptions } from "../signing/verify.ts"
import { type NoticeLineState, noticeRoundKey, type NoticeState, noticeStateOf, type NoticeStatusLists } from "./notice-status.ts"
import { decodeNoticeToken } from "./notice-token.ts"

export interface NoticeSummary {
  readonly kind: "payout-notice"
  readonly agency: string
  readonly caseDecision: string
  readonly round: number
  readonly firstLine: number
  readonly lineCount: number
  readonly approvedAt: string
  readonly amount: bigint
  readonly fee: bigint
  /** What reaches the creditor: amount − fee. */
  readonly net: bigint
  readonly maskedName: string
  /** Hex of the first 16 bytes of SHA-256 over the notice's canonical bytes. */
  readonly noticeHash: string
  readonly keyId: string
}

export type NoticeVerifyResult =
  | {
    readonly _tag: "Valid"
    readonly notice: NoticeSummary
    readonly state: NoticeState
    readonly lines: ReadonlyArray<NoticeLineState>
    readonly statusAsOf: string
    readonly statusAgeSeconds: number
    readonly message: string
  }
  | {
    readonly _tag: "StatusUnknown"
    readonly notice: NoticeSummary
    readonly reason: StatusUnknownReason
    readonly statusAsOf: string | null
    readonly statusAgeSeconds: number | null
    readonly freshForSeconds: number | null
    readonly message: string
  }
  | AuthenticationFailure

export interface AuthenticNotice {
  readonly _tag: "Authentic"
  readonly notice: NoticeSummary
}

/** Signature, trust list and certificate validity at the approval time; no status. */
export const authenticateNotice = async (token: string, trust: TrustAnchors): Promise<AuthenticNotice | AuthenticationFailure> => {
  if (typeof token !== "string") return { _tag: "Malformed", reason: "the token is not text", message: "malformed notice token: the token is not text" }
  const decoded = decodeNoticeToken(token)
  if (Result.isFailure(decoded)) return { _tag: "Malformed", reason: decoded.failure.reason, message: decoded.failure.message }
  const t = decoded.success
  // The same checks, in the same order, as a receipt's token (domain/signing/token-key.ts).
  const refused = await checkTokenKey(
    { agency: t.agency, keyId: t.keyId, algorithm: t.algorithm, signature: t.signature, signedBytes: t.signedBytes, signedAtSeconds: t.approvedAtSeconds, signedAt: t.approvedAt },
    trust
  )
  if (refused !== undefined) return refused
  return {
    _tag: "Authentic",
    notice: {
      kind: "payout-notice",
      agency: t.agency,
      caseDecision: t.caseDecision,
      round: t.round,
      firstLine: t.firstLine,
      lineCount: t.lineCount,
      approvedAt: t.approvedAt,
      amount: t.amount,
      fee: t.fee,
      net: t.amount - t.fee,
      maskedName: t.maskedName,
      noticeHash: toHex(t.noticeHash),
      keyId: t.keyId
    }
  }
}

const ageSeconds = (from: string, now: string): number => Math.max(0, Math.floor((Date.parse(now) - Date.parse(from)) / 1000))

const isFinal = (s: NoticeLineState) => s === "paid" || s === "deposited"

/** The status of an authentic notice from the notice status lists at `now`. */
export const judgeNoticeStatus = (notice: NoticeSummary, lists: NoticeStatusLists, options: VerifyOptions): NoticeVerifyResult => {
  const label = `the payout notice of round ${notice.round} of case ${notice.caseDecision} (${notice.agency})`
  const list = lists.get(noticeRoundKey(notice))
  if (list === undefined) {
    return {
      _tag: "StatusUnknown",
      notice,
      reason: "no_status_list",
      statusAsOf: null,
      statusAgeSeconds: null,
      freshForSeconds: null,
      message: `${label} is authentic, but its status is unknown: there is no status list of that round`
    }
  }
  const age = ageSeconds(list.issuedAt, options.now)
  const last = notice.firstLine + notice.lineCount - 1
  const unknown = (reason: StatusUnknownReason, why: string): NoticeVerifyResult => ({
    _tag: "StatusUnknown",
    notice,
    reason,
    statusAsOf: list.issuedAt,
    statusAgeSeconds: age,
    freshForSeconds: list.freshForSeconds,
    message: `${label} is authentic, but its status is unknown: ${why}`
  })
  if (last > list.states.length) return unknown("not_covered", `the status list (as of ${list.issuedAt}) has ${list.states.length} lines, the notice names lines ${notice.firstLine}–${last}`)
  const lines = list.states.slice(notice.firstLine - 1, last)
  if (age > list.freshForSeconds && !lines.every(isFinal)) {
    return unknown("stale", `the status list is ${age} s old, older than the ${list.freshForSeconds} s its agency vouches for (as of ${list.issuedAt})`)
  }
  const state = noticeStateOf(lines)
  return {
    _tag: "Valid",
    notice,
    state,
    lines,
    statusAsOf: list.issuedAt,
    statusAgeSeconds: age,
    message: `${label} is authentic; its payment is ${state} (status as of ${list.issuedAt}, ${age} s old)`
  }
}

export const verifyNotice = async (token: string, trust: TrustAnchors, lists: NoticeStatusLists, options: VerifyOptions): Promise<NoticeVerifyResult> => {
  const authentic = await authenticateNotice(token, trust)
  return authentic._tag === "Authentic" ? judgeNoticeStatus(authentic.notice, lists, options) : authentic
}
