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
import type { PublicKeyCheck } from "../ports/signature-verifier.ts"
import { AgencyCode } from "../receipt.ts"
import { toHex } from "./bytes.ts"

/**
 * The signature algorithms: ECDSA P-256 with SHA-256 (the default) and
 * RSASSA-PSS with SHA-256, MGF1-SHA-256 and a 32-byte salt (keys of 2048 or
 * 3072 bits; seals only), the two Circular 15/2025/TT-BKHCN accepts, and
 * Ed25519 (not in that list: available where the law does not apply, and
 * still verified for receipts signed with it).
 */
export const SignatureAlgorithm = Schema.Literals(["Ed25519", "ECDSA-P256", "RSA-PSS"])
export type SignatureAlgorithm = typeof SignatureAlgorithm.Type

/** RSASSA-PSS salt length in bytes: the length of SHA-256, as PS256 (RFC 7518) and most CAs use. */
export const RSA_PSS_SALT_BYTES = 32

/**
 * What a certificate may sign. Absent (the usual case for Ed25519 and ECDSA
 * keys): seals and tokens. "seal": receipts and PDFs only (every RSA key,
 * since its signature does not fit a QR code). "token": QR tokens and status
 * lists only, the ECDSA P-256 certificate an RSA agency gets for them, marked
 * by the extended key usage BIENLAI_TOKEN_SIGNING_OID.
 */
export const KeyPurpose = Schema.Literals(["seal", "token"])
export type KeyPurpose = typeof KeyPurpose.Type

/**
 * The extended key usage that marks a token-signing certificate: an OID in
 * the 2.25 arc (ITU-T X.667: a UUID as an integer), which needs no
 * registration. A CA issuing an agency's token certificate puts it in the
 * certificate's extendedKeyUsage.
 */
export const BIENLAI_TOKEN_SIGNING_OID = "2.25.58883623570768640832199868374197678800"

/** Whether a key of this algorithm and purpose may sign QR tokens and status lists. */
export const signsTokens = (algorithm: SignatureAlgorithm, purpose: KeyPurpose | undefined): boolean =>
  algorithm !== "RSA-PSS" && purpose !== "seal"

/** Whether it may sign receipt seals and PDFs. */
export const signsSeals = (purpose: KeyPurpose | undefined): boolean => purpose !== "token"

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
  /** Absent: seals and tokens; see KeyPurpose. Must agree with the certificate. */
  purpose: Schema.optionalKey(KeyPurpose),
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
  /** Absent: may sign seals and tokens. */
  readonly purpose?: KeyPurpose
  /** The public key, imported through the SignatureVerifier port. */
  readonly check: PublicKeyCheck
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

/** WebCrypto parameters for signing and verifying with each algorithm. */
export const verifyParams = (algorithm: SignatureAlgorithm): Algorithm | EcdsaParams | RsaPssParams =>
  algorithm === "Ed25519"
    ? { name: "Ed25519" }
    : algorithm === "ECDSA-P256"
    ? { name: "ECDSA", hash: "SHA-256" }
    : { name: "RSA-PSS", saltLength: RSA_PSS_SALT_BYTES }

export const importParams = (algorithm: SignatureAlgorithm): Algorithm | EcKeyImportParams | RsaHashedImportParams =>
  algorithm === "Ed25519"
    ? { name: "Ed25519" }
    : algorithm === "ECDSA-P256"
    ? { name: "ECDSA", namedCurve: "P-256" }
    : { name: "RSA-PSS", hash: "SHA-256" }

/** The key id: the first 8 bytes of SHA-256 over the certificate's DER, in hex. */
export const keyIdOf = async (certificateDer: Uint8Array): Promise<string> =>
  toHex(new Uint8Array(await crypto.subtle.digest("SHA-256", certificateDer as Uint8Array<ArrayBuffer>)).subarray(0, 8))
