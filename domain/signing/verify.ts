/**
 * Offline verification of a QR token: needs only the trust list (as
 * `TrustAnchors`) and the status lists. Always resolves to exactly one of
 * eight results; it never throws and never rejects.
 *
 * Order matters: the signature is checked before anything the token claims
 * is believed, so a forged token is "signature invalid", never "revoked" or
 * "voided" on the strength of its own made-up fields.
 */
import { Effect, Result } from "effect"
import { formatReceiptNumber } from "../receipt.ts"
import { toHex } from "./bytes.ts"
import type { StatusLists } from "./status-list.ts"
import { seriesKey, statusOf } from "./status-list.ts"
import type { SeriesRef } from "./status-list.ts"
import { decodeToken } from "./token.ts"
import type { TrustAnchors } from "./trust.ts"
import { verifyParams } from "./trust.ts"

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

export type VerifyResult =
  | { readonly _tag: "Valid"; readonly receipt: ReceiptSummary; readonly statusAsOf: string | null; readonly message: string }
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
  | { readonly _tag: "Voided"; readonly receipt: ReceiptSummary; readonly statusAsOf: string; readonly message: string }
  | {
    readonly _tag: "Replaced"
    readonly receipt: ReceiptSummary
    readonly replacement: SeriesRef
    readonly statusAsOf: string
    readonly message: string
  }
  | { readonly _tag: "Malformed"; readonly reason: string; readonly message: string }

export type VerifyResultTag = VerifyResult["_tag"]

const iso = (ms: number) => new Date(ms).toISOString()

export const verify = async (token: string, trust: TrustAnchors, status: StatusLists): Promise<VerifyResult> => {
  if (typeof token !== "string") return { _tag: "Malformed", reason: "the token is not text", message: "malformed token: the token is not text" }
  const decoded = decodeToken(token)
  if (Result.isFailure(decoded)) return { _tag: "Malformed", reason: decoded.failure.reason, message: decoded.failure.message }
  const t = decoded.success

  const key = trust.keys.get(t.keyId)
  if (key === undefined) {
    return { _tag: "UnknownKey", keyId: t.keyId, message: `key ${t.keyId} is not in the trust list` }
  }
  if (key.agency !== t.agency) {
    return { _tag: "UnknownKey", keyId: t.keyId, message: `key ${t.keyId} is trusted for ${key.agency}, not for ${t.agency}` }
  }

  let signed = false
  try {
    signed = await crypto.subtle.verify(verifyParams(key.algorithm), key.publicKey, t.signature as Uint8Array<ArrayBuffer>, t.signedBytes as Uint8Array<ArrayBuffer>)
  } catch {
    signed = false
  }
  if (!signed) return { _tag: "SignatureInvalid", keyId: t.keyId, message: "the signature does not match the token's content: it was altered or forged" }

  if (key.revokedAt !== undefined) {
    return { _tag: "CertificateRevoked", keyId: t.keyId, revokedAt: iso(key.revokedAt), message: `the signing certificate ${t.keyId} was revoked on ${iso(key.revokedAt)}` }
  }
  const issuedMs = t.issuedAtSeconds * 1000
  if (issuedMs < key.notBefore || issuedMs > key.notAfter) {
    return {
      _tag: "CertificateNotValidAtIssueDate",
      keyId: t.keyId,
      issuedAt: t.issuedAt,
      notBefore: iso(key.notBefore),
      notAfter: iso(key.notAfter),
      message: `the signing certificate ${t.keyId} was valid from ${iso(key.notBefore)} to ${iso(key.notAfter)}, not on ${t.issuedAt}`
    }
  }

  const receipt: ReceiptSummary = {
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
  const list = status.get(seriesKey(t.agency, t.form, t.symbol))
  const state = list === undefined ? { kind: "not-covered" as const } : statusOf(list, t.number)
  const label = `${t.form} ${t.symbol} số ${receipt.printedNumber}`
  if (list !== undefined && state.kind === "voided") {
    return { _tag: "Voided", receipt, statusAsOf: list.issuedAt, message: `receipt ${label} was voided (status as of ${list.issuedAt})` }
  }
  if (list !== undefined && state.kind === "replaced") {
    return {
      _tag: "Replaced",
      receipt,
      replacement: state.by,
      statusAsOf: list.issuedAt,
      message: `receipt ${label} was replaced by ${state.by.form} ${state.by.symbol} số ${formatReceiptNumber(state.by.number)}`
    }
  }
  const statusAsOf = list !== undefined && state.kind === "good" ? list.issuedAt : null
  return {
    _tag: "Valid",
    receipt,
    statusAsOf,
    message: statusAsOf === null
      ? `receipt ${label} is authentic; no status list covers it yet`
      : `receipt ${label} is authentic and in force (status as of ${statusAsOf})`
  }
}

/** `verify` as an Effect, for callers composing with other services. */
export const verifyEffect = (token: string, trust: TrustAnchors, status: StatusLists): Effect.Effect<VerifyResult> =>
  Effect.promise(() => verify(token, trust, status))
