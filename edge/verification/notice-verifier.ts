/**
 * Verification of a payout notice's token as the public endpoints give it
 * (/v/, /api/verify, and a photographed QR on /kiem-tra-anh and /api/scan):
 * signature and trust list first, then this server's signed notice status
 * list of the round (built only for a token its agency really signed). If
 * the list cannot be had, the answer is "authentic, status unknown" with
 * `unavailable`, never "valid"; the cause is logged, not shown.
 *
 * One per app's services (a WeakMap), so every route shares one bounded
 * cache of status lists.
 */
import { indexNoticeStatus } from "../../domain/payout/notice-status.ts"
import { authenticateNotice, judgeNoticeStatus, type NoticeVerifyResult } from "../../domain/payout/notice-verify.ts"
import type { EdgeServices } from "../services.ts"
import { makeNoticeStatusLists, type NoticeStatusService } from "./notice-status-lists.ts"

export interface NoticeVerification {
  readonly result: NoticeVerifyResult
  /** Set when the status could not be checked at all. */
  readonly unavailable?: string
}

export interface NoticeVerifier {
  readonly verify: (token: string) => Promise<NoticeVerification>
  readonly lists: NoticeStatusService
}

const made = new WeakMap<EdgeServices, NoticeVerifier>()

export const noticeVerifier = (s: EdgeServices): NoticeVerifier => {
  const held = made.get(s)
  if (held !== undefined) return held
  const lists = makeNoticeStatusLists({
    db: s.db,
    run: s.run,
    anchors: () => s.trust().anchors,
    now: s.now,
    maxAgeMs: s.config.statusListMaxAgeSeconds * 1000,
    // As receipts' lists: replaced at the latest maxAge after signing; a minute more for fetching and clock skew.
    freshForSeconds: s.config.statusListMaxAgeSeconds + 60,
    capacity: s.config.statusListCacheSize
  })
  const verify = async (token: string): Promise<NoticeVerification> => {
    const authentic = await authenticateNotice(token, s.trust().anchors)
    if (authentic._tag !== "Authentic") return { result: authentic }
    const n = authentic.notice
    const now = { now: s.now().toISOString() }
    try {
      const published = await lists.get({ agency: n.agency, caseDecision: n.caseDecision, round: n.round })
      return { result: judgeNoticeStatus(n, indexNoticeStatus(published === undefined ? [] : [published.list]), now) }
    } catch (e) {
      s.logger.warn({ err: e instanceof Error ? e.message : String(e) }, "notice status list unavailable")
      return { result: judgeNoticeStatus(n, indexNoticeStatus([]), now), unavailable: "the payout status could not be had right now" }
    }
  }
  const verifier = { verify, lists }
  made.set(s, verifier)
  return verifier
}

/** The JSON form: amounts as digit strings; says what kind of document the token is. */
export const noticeVerificationJson = (v: NoticeVerification) => {
  const { _tag, ...rest } = v.result
  return {
    result: _tag,
    valid: _tag === "Valid",
    kind: "payout-notice",
    ...rest,
    ...("notice" in v.result
      ? { notice: { ...v.result.notice, amount: v.result.notice.amount.toString(10), fee: v.result.notice.fee.toString(10), net: v.result.notice.net.toString(10) } }
      : {}),
    ...(v.unavailable === undefined ? {} : { unavailable: v.unavailable })
  }
}
