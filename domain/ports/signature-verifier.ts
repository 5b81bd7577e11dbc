/**
 * The verification primitive, as a port: `verify` and `openStatusList` stay
 * pure by never choosing a crypto library themselves. Whoever loads a trust
 * list imports each agency's public key through this service once, and the
 * resulting `PublicKeyCheck` travels in the trust anchors.
 *
 * Why a port: the fastest primitive differs by runtime (node:crypto verifies
 * Ed25519 about 1.7× faster than WebCrypto in Bun and Deno, and ECDSA P-256
 * is ten times slower in Deno than in Bun with either API), so the adapter
 * is chosen by measurement (adapters/crypto/, docs/SIGNING.md), and a cache
 * of verified signatures can wrap it without the domain knowing.
 *
 * `verify` is a plain function returning a boolean or a promise of one, not
 * an Effect: it is the hot path of every scan, and node:crypto answers
 * synchronously.
 */
import { Context } from "effect"
import type { SignatureAlgorithm } from "../signing/trust.ts"

export interface PublicKeyCheck {
  /** Whether `signature` is this key's over `data`; false (never a throw) for a malformed signature. */
  readonly verify: (signature: Uint8Array, data: Uint8Array) => boolean | Promise<boolean>
}

export class SignatureVerifier extends Context.Service<SignatureVerifier, {
  /** The runtime and library behind it, for logs and benchmarks ("node:crypto", "WebCrypto"). */
  readonly name: string
  /** Imports a public key (DER SubjectPublicKeyInfo); rejects a key that is not of `algorithm`. */
  readonly importPublicKey: (spki: Uint8Array, algorithm: SignatureAlgorithm) => Promise<PublicKeyCheck>
}>()("bienlai/domain/ports/SignatureVerifier") {}
