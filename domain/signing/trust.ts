/**
 * The trust list: who may sign receipts. Published as JSON (the root
 * certificates, each agency's signing certificates, and the revoked ones);
 * see docs/SIGNING.md.
 *
 * Verification in the domain works on `TrustAnchors`, the trust list after
 * the edge has parsed the X.509 certificates, checked every agency
 * certificate against a root and imported its public key. That work happens
 * once when the list is loaded, so verifying a token costs a map lookup, not
 * a chain walk.
 */
import { Schema } from "effect"
import { IsoInstant } from "../dates.ts"
import { AgencyCode } from "../receipt.ts"
import { toHex } from "./bytes.ts"

export const SignatureAlgorithm = Schema.Literals(["Ed25519", "ECDSA-P256"])
export type SignatureAlgorithm = typeof SignatureAlgorithm.Type

export const KeyId = Schema.String.check(Schema.isPattern(/^[0-9a-f]{16}$/, { expected: "a key id of 16 hex digits" }))
const Base64Der = Schema.String.check(Schema.isPattern(/^[A-Za-z0-9+/]+={0,2}$/, { expected: "a base64 DER certificate" }))

export const TrustListRoot = Schema.Struct({
  name: Schema.String,
  certificate: Base64Der
})

export const TrustListAgencyKey = Schema.Struct({
  agency: AgencyCode,
  keyId: KeyId,
  algorithm: SignatureAlgorithm,
  notBefore: IsoInstant,
  notAfter: IsoInstant,
  certificate: Base64Der
})
export type TrustListAgencyKey = typeof TrustListAgencyKey.Type

export const RevocationReason = Schema.Literals(["keyCompromise", "superseded", "cessationOfOperation", "unspecified"])

export const TrustListRevoked = Schema.Struct({
  ...TrustListAgencyKey.fields,
  revokedAt: IsoInstant,
  reason: RevocationReason
})
export type TrustListRevoked = typeof TrustListRevoked.Type

/** The published JSON document (`trust-list.json`). */
export const TrustList = Schema.Struct({
  format: Schema.Literal("bienlai-trust-list"),
  version: Schema.Literal(1),
  issuedAt: IsoInstant,
  /**
   * The agencies' public service (its PUBLIC_URL), where verifiers fetch
   * current status lists; never the host a QR code names, which anyone can
   * print.
   */
  serviceUrl: Schema.optionalKey(Schema.String.check(Schema.isPattern(/^https?:\/\/[^\s/?#]+(?:\/[^\s?#]*)?$/, { expected: "an http(s) URL" }))),
  roots: Schema.Array(TrustListRoot),
  agencies: Schema.Array(TrustListAgencyKey),
  revoked: Schema.Array(TrustListRevoked)
})
export type TrustList = typeof TrustList.Type

/** One agency key the verifier trusts (chain already checked at load time). */
export interface TrustedKey {
  readonly keyId: string
  readonly agency: string
  readonly algorithm: SignatureAlgorithm
  readonly publicKey: CryptoKey
  /** Certificate validity, epoch milliseconds. */
  readonly notBefore: number
  readonly notAfter: number
  /** Set when the certificate is on the revoked list (epoch milliseconds). */
  readonly revokedAt?: number
}

export interface TrustAnchors {
  readonly issuedAt: string
  readonly keys: ReadonlyMap<string, TrustedKey>
}

/** WebCrypto parameters for verifying with each algorithm. */
export const verifyParams = (algorithm: SignatureAlgorithm): Algorithm | EcdsaParams =>
  algorithm === "Ed25519" ? { name: "Ed25519" } : { name: "ECDSA", hash: "SHA-256" }

export const importParams = (algorithm: SignatureAlgorithm): Algorithm | EcKeyImportParams =>
  algorithm === "Ed25519" ? { name: "Ed25519" } : { name: "ECDSA", namedCurve: "P-256" }

/** The key id: the first 8 bytes of SHA-256 over the certificate's DER, in hex. */
export const keyIdOf = async (certificateDer: Uint8Array): Promise<string> =>
  toHex(new Uint8Array(await crypto.subtle.digest("SHA-256", certificateDer as Uint8Array<ArrayBuffer>)).subarray(0, 8))
