/**
 * Offline verification of a QR token: needs only the trust list (as
 * `TrustAnchors`, whose keys carry the verification primitive chosen by
 * whoever loaded it: see domain/ports/signature-verifier.ts), the status
 * lists and the verifier's clock. Always
 * resolves to exactly one of nine results; it never throws and never rejects.
 *
 * Order matters: the signature is checked before anything the token claims
 * is believed, so a forged token is "signature invalid", never "revoked" or
 * "voided" on the strength of its own made-up fields.
 *
 * "Valid" is said only with a status the verifier can trust: a signed status
 * list of the receipt's series that covers its number and is still within
 * the freshness its agency stated. Without one the answer is "authentic,
 * status unknown" (`StatusUnknown`), carrying the age of what it had: a
 * voided receipt must never pass as valid because the verifier lacked news.
 * Voiding and replacing are final, so an old list that says "voided" or
 * "replaced" is still believed.
 *
 * The two halves are exported for callers that fetch status lists:
 * `authenticate` (signature and trust list, no status) tells which series is
 * worth fetching, and only for a token its agency really signed;
 * `judgeStatus` then decides with the lists.
 */
import { Effect, Result } from "effect"
import { formatReceiptNumber } from "../receipt.ts"
import { toHex } from "./bytes.ts"
import type { StatusLists } from "./status-list.ts"
import { seriesKey, seriesOf } from "../series-key.ts"
import { statusOf } from "./status-list.ts"
import type { SeriesRef } from "./status-list.ts"
import { decodeToken } from "./token.ts"
import { checkTokenKey } from "./token-key.ts"
import type { TrustAnchors } from "./trust.ts"

export interface ReceiptSummary {
  readonly agency: string
  readonly series: { readonly form: string; readonly symbol: string }
  readonly number: number
  /** "0000042" as printed. */
  readonly printedNumber: string
  readonly issuedAt: string
  readonly amount: bigint
  readonly maskedName: string
  /** Hex of the first 16 bytes of SHA-256 over the receipt's canonical bytes. */
  readonly receiptHash: string
  readonly keyId: string
}

/** Why the status of an authentic receipt is unknown. */
export type StatusUnknownReason =
  /** No status list of the receipt's series was at hand. */
  | "no_status_list"
  /** The list is older than the freshness its agency stated for it. */
  | "stale"
  /** The list was signed before this receipt was numbered. */
  | "not_covered"

export type VerifyResult =
  | {
    readonly _tag: "Valid"
    readonly receipt: ReceiptSummary
    /** When the status list that says "in force" was signed. */
    readonly statusAsOf: string
    /** Its age at the verifier's `now`, whole seconds. */
    readonly statusAgeSeconds: number
    readonly message: string
  }
  | {
    readonly _tag: "StatusUnknown"
    readonly receipt: ReceiptSummary
    readonly reason: StatusUnknownReason
    /** The list the verifier had, if any: when it was signed, its age, and how long its agency vouched for it. */
    readonly statusAsOf: string | null
    readonly statusAgeSeconds: number | null
    readonly freshForSeconds: number | null
    readonly message: string
  }
  | { readonly _tag: "SignatureInvalid"; readonly keyId: string; readonly message: string }
  | { readonly _tag: "UnknownKey"; readonly keyId: string; readonly message: string }
  | {
    readonly _tag: "CertificateNotValidAtIssueDate"
    readonly keyId: string
    readonly issuedAt: string
    readonly notBefore: string
    readonly notAfter: string
    readonly message: string
  }
  | { readonly _tag: "CertificateRevoked"; readonly keyId: string; readonly revokedAt: string; readonly message: string }
  | { readonly _tag: "Voided"; readonly receipt: ReceiptSummary; readonly statusAsOf: string; readonly statusAgeSeconds: number; readonly message: string }
  | {
    readonly _tag: "Replaced"
    readonly receipt: ReceiptSummary
    readonly replacement: SeriesRef
    readonly statusAsOf: string
    readonly statusAgeSeconds: number
    readonly message: string
  }
  | { readonly _tag: "Malformed"; readonly reason: string; readonly message: string }

export type VerifyResultTag = VerifyResult["_tag"]

/** The results that say something about the token itself, before any status. */
export type AuthenticationFailure = Exclude<VerifyResult, { readonly receipt: ReceiptSummary }>

/** A token its agency really signed with a key the trust list vouches for. */
export interface Authentic {
  readonly _tag: "Authentic"
  readonly receipt: ReceiptSummary
}

export interface VerifyOptions {
  /** The verifier's clock, an ISO instant: status lists are judged fresh or stale against it. */
  readonly now: string
}

/** Signature, trust list and certificate validity; no status. */
export const authenticate = async (token: string, trust: TrustAnchors): Promise<Authentic | AuthenticationFailure> => {
  if (typeof token !== "string") return { _tag: "Malformed", reason: "the token is not text", message: "malformed token: the token is not text" }
  const decoded = decodeToken(token)
  if (Result.isFailure(decoded)) return { _tag: "Malformed", reason: decoded.failure.reason, message: decoded.failure.message }
  const t = decoded.success

  const refused = await checkTokenKey(
    { agency: t.agency, keyId: t.keyId, algorithm: t.algorithm, signature: t.signature, signedBytes: t.signedBytes, signedAtSeconds: t.issuedAtSeconds, signedAt: t.issuedAt },
    trust
  )
  if (refused !== undefined) return refused

  return {
    _tag: "Authentic",
    receipt: {
      agency: t.agency,
      series: { form: t.form, symbol: t.symbol },
      number: t.number,
      printedNumber: formatReceiptNumber(t.number),
      issuedAt: t.issuedAt,
      amount: t.amount,
      maskedName: t.maskedName,
      receiptHash: toHex(t.receiptHash),
      keyId: t.keyId
    }
  }
}

/** Whole seconds from `from` to `now`; a list from a verifier's future (clock skew) counts as new. */
const ageSeconds = (from: string, now: string): number => Math.max(0, Math.floor((Date.parse(now) - Date.parse(from)) / 1000))

/** The status of an authentic receipt, from the status lists at `now`. */
export const judgeStatus = (receipt: ReceiptSummary, status: StatusLists, options: VerifyOptions): VerifyResult => {
  const label = `${receipt.series.form} ${receipt.series.symbol} số ${receipt.printedNumber}`
  const list = status.get(seriesKey(seriesOf(receipt)))
  if (list === undefined) {
    return {
      _tag: "StatusUnknown",
      receipt,
      reason: "no_status_list",
      statusAsOf: null,
      statusAgeSeconds: null,
      freshForSeconds: null,
      message: `receipt ${label} is authentic, but its status is unknown: there is no status list of series ${receipt.series.form} ${receipt.series.symbol} to tell whether it was voided or replaced`
    }
  }
  const age = ageSeconds(list.issuedAt, options.now)
  const state = statusOf(list, receipt.number)
  if (state.kind === "voided") {
    return { _tag: "Voided", receipt, statusAsOf: list.issuedAt, statusAgeSeconds: age, message: `receipt ${label} was voided (status as of ${list.issuedAt})` }
  }
  if (state.kind === "replaced") {
    return {
      _tag: "Replaced",
      receipt,
      replacement: state.by,
      statusAsOf: list.issuedAt,
      statusAgeSeconds: age,
      message: `receipt ${label} was replaced by ${state.by.form} ${state.by.symbol} số ${formatReceiptNumber(state.by.number)}`
    }
  }
  const unknown = (reason: StatusUnknownReason, why: string): VerifyResult => ({
    _tag: "StatusUnknown",
    receipt,
    reason,
    statusAsOf: list.issuedAt,
    statusAgeSeconds: age,
    freshForSeconds: list.freshForSeconds,
    message: `receipt ${label} is authentic, but its status is unknown: ${why}`
  })
  if (state.kind === "not-covered") {
    return unknown("not_covered", `the status list (as of ${list.issuedAt}) was signed before number ${receipt.printedNumber} was issued`)
  }
  if (age > list.freshForSeconds) {
    return unknown("stale", `the status list is ${age} s old, older than the ${list.freshForSeconds} s its agency vouches for (as of ${list.issuedAt})`)
  }
  return {
    _tag: "Valid",
    receipt,
    statusAsOf: list.issuedAt,
    statusAgeSeconds: age,
    message: `receipt ${label} is authentic and in force (status as of ${list.issuedAt}, ${age} s old)`
  }
}

export const verify = async (token: string, trust: TrustAnchors, status: StatusLists, options: VerifyOptions): Promise<VerifyResult> => {
  const authentic = await authenticate(token, trust)
  return authentic._tag === "Authentic" ? judgeStatus(authentic.receipt, status, options) : authentic
}

/** `verify` as an Effect, for callers composing with other services. */
export const verifyEffect = (token: string, trust: TrustAnchors, status: StatusLists, options: VerifyOptions): Effect.Effect<VerifyResult> =>
  Effect.promise(() => verify(token, trust, status, options))
