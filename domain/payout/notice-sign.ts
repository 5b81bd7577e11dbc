/**
 * Signing a payout notice's QR token and its round's status list through
 * the Signer port, with the agency's token key (compact: Ed25519 or ECDSA
 * P-256), exactly as receipts' tokens and status lists are signed
 * (domain/signing/issue-token.ts). With ECDSA a token differs at every
 * signing, so it is stored once made and served as stored
 * (store/payout/notice-tokens.ts).
 */
import { Effect } from "effect"
import { maskName } from "../privacy.ts"
import { Signer, type SigningError } from "../ports/signer.ts"
import { fromBase64Url } from "../signing/bytes.ts"
import type { SignatureAlgorithm } from "../signing/trust.ts"
import { assembleNoticeStatus, encodeNoticeStatusBody, type NoticeStatusContent, noticeStatusSignedBytes } from "./notice-status.ts"
import { assembleNoticeToken, encodeNoticeTokenBody, NOTICE_HASH_BYTES, type NoticeTokenClaims, noticeTokenSignedBytes } from "./notice-token.ts"

/** What of a notice's signed content the token needs (noticeContentOfLines's output has it all). */
export interface NoticeForToken {
  readonly agency: string
  readonly caseDecision: string
  readonly round: number
  readonly plan: { readonly approvedAt: string }
  readonly creditor: { readonly name: string }
  readonly lines: ReadonlyArray<unknown>
  readonly totals: { readonly amount: string; readonly fee: string }
}

/** The token's claims for a notice whose canonical bytes are `bytes` and whose first line is `firstLine` (1-based). */
export const noticeTokenClaims = (notice: NoticeForToken, bytes: Uint8Array, firstLine: number): Effect.Effect<NoticeTokenClaims> =>
  Effect.promise(() => crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>)).pipe(
    Effect.map((digest): NoticeTokenClaims => ({
      agency: notice.agency,
      caseDecision: notice.caseDecision,
      round: notice.round,
      firstLine,
      lineCount: notice.lines.length,
      // The token keeps whole seconds.
      approvedAt: new Date(Math.floor(Date.parse(notice.plan.approvedAt) / 1000) * 1000).toISOString(),
      amount: BigInt(notice.totals.amount),
      fee: BigInt(notice.totals.fee),
      maskedName: maskName(notice.creditor.name),
      noticeHash: new Uint8Array(digest).slice(0, NOTICE_HASH_BYTES)
    }))
  )

const compact = (algorithm: SignatureAlgorithm) => {
  // Signer adapters never hand an RSA key out for tokens; reaching this is a bug in one.
  if (algorithm === "RSA-PSS") throw new RangeError("an RSA key cannot sign a QR token or a status list")
  return algorithm
}

/** The base45 notice token, signed with the agency's token key. */
export const signNoticeToken = (claims: NoticeTokenClaims): Effect.Effect<string, SigningError, Signer> =>
  Effect.gen(function*() {
    const signer = yield* Signer
    let body: Uint8Array = new Uint8Array()
    const seal = yield* signer.signWith(claims.agency, "token", (key) => {
      body = encodeNoticeTokenBody(claims, compact(key.algorithm))
      return noticeTokenSignedBytes(body)
    })
    return assembleNoticeToken(body, seal.keyId, fromBase64Url(seal.signature) ?? new Uint8Array())
  })

/** A round's signed notice status list, ready to publish. */
export const signNoticeStatus = (content: NoticeStatusContent): Effect.Effect<Uint8Array, SigningError, Signer> =>
  Effect.gen(function*() {
    const signer = yield* Signer
    const body = encodeNoticeStatusBody(content)
    const seal = yield* signer.signWith(content.agency, "token", (key) => {
      compact(key.algorithm)
      return noticeStatusSignedBytes(body)
    })
    return assembleNoticeStatus(body, seal.keyId, fromBase64Url(seal.signature) ?? new Uint8Array())
  })
