/**
 * The creditors' portal (tra cứu chi trả): a creditor gives the lookup code
 * printed on their payout notice and their identity number, and sees their
 * payouts. Unlike a receipt's summary, nothing is shown to the code alone:
 * a notice names a creditor in a criminal case, so the identity number is
 * required, and its checks go through the same per-code guard as receipts'
 * (domain/lookup-guard.ts, table lookup_attempts) under the key
 * "payout:" + code, so a notice's code and a receipt's never share a count.
 *
 * What is shown is minimal: the creditor's masked name and identity number,
 * the case, rounds, amounts and states; the notice's QR token (signed once
 * and stored, store/payout/notice-tokens.ts) with a link to verify it.
 */
import { Effect, Result } from "effect"
import { validateIdentityNumber } from "../../domain/identity.ts"
import { normalizeLookupCode } from "../../domain/ids.ts"
import { noticeTokenClaims, signNoticeToken } from "../../domain/payout/notice-sign.ts"
import { decodeNoticeToken } from "../../domain/payout/notice-token.ts"
import { isNoticeLineState, type NoticeState, noticeStateOf } from "../../domain/payout/notice-status.ts"
import { maskIdentityNumber } from "../../domain/payout/notice-privacy.ts"
import type { noticeContentOfLines } from "../../domain/payout/notice.ts"
import { maskName } from "../../domain/privacy.ts"
import { toHex } from "../../domain/signing/bytes.ts"
import { qrContent, tokenUrl } from "../../domain/signing/url.ts"
import { agencyDisplayName } from "../../store/agencies/agency-names.ts"
import { noticeTextFor } from "../../store/payout/notices.ts"
import { creditorPayouts, keepNoticeToken, noticeHolder, storedNoticeToken } from "../../store/payout/notice-tokens.ts"
import { admitIdentityCheck, settleIdentityCheck } from "../../store/public/lookup-attempts.ts"
import { ApiError, refusal } from "../http/errors.ts"
import type { EdgeServices } from "../services.ts"

type NoticeContent = NonNullable<ReturnType<typeof noticeContentOfLines>>

export interface NoticeLineView {
  readonly lineId: string
  readonly kind: string
  readonly forRound: number
  readonly amount: string
  readonly fee: string
  readonly net: string
  readonly settlement: string
  readonly state: string
}

export interface NoticeView {
  readonly lookupCode: string
  readonly agency: string
  readonly agencyName: string | null
  readonly caseDecision: string
  readonly round: number
  readonly legalDate: string
  readonly approvedAt: string
  readonly creditor: { readonly maskedName: string; readonly maskedIdNumber: string }
  readonly lines: ReadonlyArray<NoticeLineView>
  readonly totals: { readonly amount: string; readonly fee: string; readonly net: string }
  /** What the claim is still owed after this round. */
  readonly remaining: string
  readonly state: NoticeState
  /** Hex SHA-256 of the notice's canonical bytes (the token carries its first 16 bytes). */
  readonly noticeSha256: string
}

export interface NoticeLookupResult {
  readonly notice: NoticeView
  /** The notice's QR token, as stored; the QR holds `qrContent`, people open `verifyUrl`. */
  readonly token: string
  readonly verifyUrl: string
  readonly qrContent: string
  /** Every approved round of the case paying this creditor, oldest first. */
  readonly payouts: ReadonlyArray<{ readonly round: number; readonly legalDate: string; readonly amount: string; readonly fee: string; readonly state: NoticeState }>
}

const codePattern = /^[0-9A-HJKMNP-TV-Z]{12}$/

const typedForMessage = (typed: string): string => typed.trim().slice(0, 40)

/** The guard's key for a notice's code: receipts count under the bare code. */
export const noticeGuardKey = (code: string): string => `payout:${code}`

const checkCode = (typedCode: string): string => {
  if (typedCode.trim() === "") {
    throw refusal(400, "missing_lookup_code", {
      vi: "Hãy nhập mã tra cứu: 12 chữ cái và chữ số in trên giấy báo nhận tiền.",
      en: "give the lookup code: 12 letters and digits, as printed on the payout notice"
    })
  }
  const code = normalizeLookupCode(typedCode)
  if (!codePattern.test(code)) {
    const typed = typedForMessage(typedCode)
    throw refusal(400, "invalid_lookup_code", {
      vi: `"${typed}" không phải là mã tra cứu: mã tra cứu gồm 12 chữ cái và chữ số in trên giấy báo nhận tiền.`,
      en: `"${typed}" is not a lookup code: it has 12 letters and digits, as printed on the payout notice`
    }, { details: { typed } })
  }
  return code
}

const checkIdNumber = (typed: string | undefined): string => {
  if (typed === undefined || typed.trim() === "") {
    throw refusal(400, "identity_required", {
      vi: "Hãy nhập số định danh (CCCD, CMND, hộ chiếu hoặc mã số thuế) của người được nhận tiền cùng với mã tra cứu.",
      en: "give the creditor's identity number (idNumber) with the lookup code: a payout notice is shown only to its creditor"
    })
  }
  const valid = validateIdentityNumber(typed)
  if (Result.isFailure(valid)) {
    const e = valid.failure
    throw new ApiError(400, "invalid_id_number", e.message, { details: { rule: e.rule, kind: e.kind } })
  }
  return valid.success.value
}

const lockedError = (s: EdgeServices, lockedUntil: string) => {
  const retryAfterSeconds = Math.max(1, Math.ceil((Date.parse(lockedUntil) - s.now().getTime()) / 1000))
  return new ApiError(
    429,
    "identity_check_locked",
    `too many wrong identity numbers were tried with this lookup code: identity checks for it are locked until ${lockedUntil}; try again then, or ask the agency that sent the notice`,
    { details: { lockedUntil, retryAfterSeconds }, headers: { "Retry-After": String(retryAfterSeconds) } }
  )
}

const sha256Hex = async (bytes: Uint8Array): Promise<string> => toHex(new Uint8Array(await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>)))

/** The notice's token: the stored one, else signed now and stored (a concurrent first view's wins). */
const tokenOf = async (s: EdgeServices, code: string, holder: { agency: string; roundId: string; claimId: string; firstLine: number }, content: NoticeContent, bytes: Uint8Array): Promise<string> => {
  const stored = await storedNoticeToken(s.db, holder.agency, code)
  if (stored !== undefined) return stored
  const token = await s.run(Effect.flatMap(noticeTokenClaims(content, bytes, holder.firstLine), signNoticeToken))
  const decoded = decodeNoticeToken(token)
  if (Result.isFailure(decoded)) throw new Error(`a freshly signed notice token does not read: ${decoded.failure.message}`)
  return keepNoticeToken(s.db, {
    agency: holder.agency,
    lookupCode: code,
    roundId: holder.roundId,
    claimId: holder.claimId,
    noticeSha256: await sha256Hex(bytes),
    token,
    keyId: decoded.success.keyId,
    signedAt: s.now().toISOString()
  })
}

const stateOf = (states: ReadonlyArray<string>): NoticeState => noticeStateOf(states.filter(isNoticeLineState))

/** The creditor's notice for a code and identity number, under the lookup guard. */
export const lookupNotice = async (s: EdgeServices, typedCode: string, typedIdNumber: string | undefined): Promise<NoticeLookupResult> => {
  const code = checkCode(typedCode)
  const idNumber = checkIdNumber(typedIdNumber)
  const holder = await noticeHolder(s.db, code)
  if (holder === undefined) {
    const typed = typedForMessage(typedCode)
    throw refusal(404, "not_found", {
      vi: `Không có giấy báo nhận tiền nào có mã tra cứu ${typed}. Hãy kiểm tra lại mã in trên giấy báo.`,
      en: `no payout notice has the lookup code ${typed}`
    }, { details: { typed } })
  }
  const policy = s.config.lookupGuard
  const key = noticeGuardKey(code)
  const admission = await admitIdentityCheck(s.db, key, s.now().toISOString(), policy)
  if (admission._tag === "Locked") throw lockedError(s, admission.lockedUntil)
  const matched = idNumber === holder.identityNumber
  await settleIdentityCheck(s.db, key, matched, s.now().toISOString(), policy, admission.state.windowStartedAt)
  if (!matched) {
    throw refusal(403, "identity_mismatch", {
      vi: "Số định danh không khớp với giấy báo nhận tiền này. Nhập sai nhiều lần, việc kiểm tra số định danh với mã này sẽ bị tạm khóa.",
      en: "the identity number does not match this payout notice (wrong numbers are counted: after a few, checks with this code are locked for a while)"
    })
  }
  const notice = await noticeTextFor(s.db, code, idNumber)
  if (notice === undefined) throw new Error(`the approved notice ${holder.roundId}/${holder.claimId} could not be read back`)
  const content = JSON.parse(notice.text) as NoticeContent
  const bytes = new TextEncoder().encode(notice.text)
  const token = await tokenOf(s, code, holder, content, bytes)
  const stateById = new Map(notice.states.map((x) => [x.lineId, x.state]))
  const lines: Array<NoticeLineView> = (content.lines as ReadonlyArray<Record<string, unknown>>).map((l) => ({
    lineId: String(l["id"]),
    kind: String(l["kind"]),
    forRound: Number(l["round"]),
    amount: String(l["amount"]),
    fee: String(l["fee"]),
    net: String(l["net"]),
    settlement: String(l["settlement"]),
    state: stateById.get(String(l["id"])) ?? "approved"
  }))
  const payouts = await creditorPayouts(s.db, holder.agency, holder.caseDecision, idNumber)
  return {
    notice: {
      lookupCode: code,
      agency: content.agency,
      agencyName: (await agencyDisplayName(s.db, content.agency)) ?? null,
      caseDecision: content.caseDecision,
      round: content.round,
      legalDate: content.legalDate,
      approvedAt: content.plan.approvedAt,
      creditor: { maskedName: maskName(content.creditor.name), maskedIdNumber: maskIdentityNumber(content.creditor.idNumber) },
      lines,
      totals: content.totals,
      remaining: content.remaining,
      state: stateOf(lines.map((l) => l.state)),
      noticeSha256: await sha256Hex(bytes)
    },
    token,
    verifyUrl: tokenUrl(s.config.publicUrl, token),
    qrContent: qrContent(s.config.publicUrl, token),
    payouts: payouts.map((p) => ({ round: p.round, legalDate: p.legalDate, amount: p.amount.toString(10), fee: p.fee.toString(10), state: stateOf(p.states) }))
  }
}
