/**
 * The checks every kind of QR token (a receipt's, a payout notice's) goes
 * through once decoded, in this order: the key is in the trust list and is
 * its agency's; it signs tokens (not a seal-only RSA key) and is of the
 * algorithm the token names; the signature holds; the certificate is not
 * revoked and was valid when the document was signed. One function, so a
 * receipt and a notice can never be checked differently.
 */
import type { AuthenticationFailure } from "./verify.ts"
import type { TokenAlgorithm } from "./token.ts"
import type { TrustAnchors } from "./trust.ts"
import { signsTokens } from "./trust.ts"

export interface SignedTokenParts {
  readonly agency: string
  readonly keyId: string
  /** Undefined for receipts' version 1 tokens: the trust list's entry says. */
  readonly algorithm: TokenAlgorithm | undefined
  readonly signature: Uint8Array
  readonly signedBytes: Uint8Array
  /** When the document was signed (issue or approval), seconds since the epoch and as an ISO instant. */
  readonly signedAtSeconds: number
  readonly signedAt: string
}

const iso = (ms: number) => new Date(ms).toISOString()

/** Undefined when the token's signature and key hold; else the failure to report. */
export const checkTokenKey = async (t: SignedTokenParts, trust: TrustAnchors): Promise<AuthenticationFailure | undefined> => {
  const key = trust.keys.get(t.keyId)
  if (key === undefined) {
    return { _tag: "UnknownKey", keyId: t.keyId, message: `key ${t.keyId} is not in the trust list` }
  }
  if (key.agency !== t.agency) {
    return { _tag: "UnknownKey", keyId: t.keyId, message: `key ${t.keyId} is trusted for ${key.agency}, not for ${t.agency}` }
  }
  // A token that names its algorithm must name the key's, and the key must be one that signs tokens.
  if (!signsTokens(key.algorithm, key.purpose)) {
    return { _tag: "SignatureInvalid", keyId: t.keyId, message: `key ${t.keyId} is a ${key.algorithm} seal key of ${key.agency}; it does not sign QR tokens, so this token was not signed by it` }
  }
  if (t.algorithm !== undefined && t.algorithm !== key.algorithm) {
    return { _tag: "SignatureInvalid", keyId: t.keyId, message: `the token says it is signed with ${t.algorithm}, but key ${t.keyId} is ${key.algorithm}: it was altered or forged` }
  }
  let signed = false
  try {
    signed = await key.check.verify(t.signature, t.signedBytes)
  } catch {
    signed = false
  }
  if (!signed) return { _tag: "SignatureInvalid", keyId: t.keyId, message: "the signature does not match the token's content: it was altered or forged" }

  if (key.revokedAt !== undefined) {
    return { _tag: "CertificateRevoked", keyId: t.keyId, revokedAt: iso(key.revokedAt), message: `the signing certificate ${t.keyId} was revoked on ${iso(key.revokedAt)}` }
  }
  const signedMs = t.signedAtSeconds * 1000
  if (signedMs < key.notBefore || signedMs > key.notAfter) {
    return {
      _tag: "CertificateNotValidAtIssueDate",
      keyId: t.keyId,
      issuedAt: t.signedAt,
      notBefore: iso(key.notBefore),
      notAfter: iso(key.notAfter),
      message: `the signing certificate ${t.keyId} was valid from ${iso(key.notBefore)} to ${iso(key.notAfter)}, not on ${t.signedAt}`
    }
  }
  return undefined
}
