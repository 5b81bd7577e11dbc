/**
 * The Signer port: whatever holds an agency's private keys. The development
 * implementation keeps encrypted PKCS#8 keys on disk; a USB token or an HSM
 * (PKCS#11) or a remote signing service (SmartCA-style) takes its place by
 * providing the same service. See docs/SIGNING.md.
 *
 * An agency has a key for each purpose: the **seal** (the receipt's
 * signature, and the signed PDF) and the **token** (the QR token and the
 * status lists, which must stay compact: Ed25519 or ECDSA P-256). With an
 * Ed25519 or ECDSA key both are the same key; an agency whose seal is RSA
 * has a separate ECDSA P-256 token certificate (docs/QR-TOKEN.md).
 */
import { Context, Schema } from "effect"
import type { Effect } from "effect"
import type { Seal } from "../receipt.ts"
import type { SignatureAlgorithm } from "../signing/trust.ts"

export class SigningError extends Schema.TaggedError<SigningError>()("SigningError", {
  agency: Schema.String,
  /**
   * no_key: no valid certificate for the agency; key_locked: the key cannot
   * be opened (passphrase, PIN); device: the key store, token or service
   * failed; unsupported: the key cannot do what was asked; refused: the
   * approver declined a remote signature; timeout: nobody confirmed in time.
   */
  reason: Schema.Literals(["no_key", "key_locked", "device", "unsupported", "refused", "timeout"]),
  message: Schema.String
}) {}

export type SigningPurpose = "seal" | "token"

/** Which key will sign, told before the message is built (the QR token carries its algorithm inside the signed bytes). */
export interface SigningKeyInfo {
  readonly keyId: string
  readonly algorithm: SignatureAlgorithm
}

export class Signer extends Context.Service<Signer, {
  /** Signs `bytes` with the agency's current seal key; the seal names the key by id. */
  readonly sign: (agency: string, bytes: Uint8Array) => Effect.Effect<Seal, SigningError>
  /**
   * Chooses the agency's current key for `purpose`, then signs the bytes
   * `message` builds for that key. Implementations call `message` exactly once.
   */
  readonly signWith: (agency: string, purpose: SigningPurpose, message: (key: SigningKeyInfo) => Uint8Array) => Effect.Effect<Seal, SigningError>
}>()("bienlai/domain/ports/Signer") {}
