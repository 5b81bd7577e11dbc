/**
 * The Signer port: whatever holds an agency's private key. The development
 * implementation keeps encrypted PKCS#8 keys on disk; a hardware security
 * module or a remote signing service (SmartCA-style) can take its place by
 * providing the same service. See docs/SIGNING.md.
 */
import { Context, Schema } from "effect"
import type { Effect } from "effect"
import type { Seal } from "../receipt.ts"

export class SigningError extends Schema.TaggedError<SigningError>()("SigningError", {
  agency: Schema.String,
  reason: Schema.Literals(["no_key", "key_locked", "device", "unsupported"]),
  message: Schema.String
}) {}

export class Signer extends Context.Service<Signer, {
  /** Signs `bytes` with the agency's current key; the seal names the key by id. */
  readonly sign: (agency: string, bytes: Uint8Array) => Effect.Effect<Seal, SigningError>
}>()("bienlai/domain/ports/Signer") {}
