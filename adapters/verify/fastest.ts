/**
 * The fastest verification primitive of each runtime, per algorithm, as
 * measured by `bench:verify` (docs/SIGNING.md, "Algorithm measurements"):
 * node:crypto everywhere, except ECDSA P-256 in Deno, where WebCrypto is
 * about twice as fast as Deno's node:crypto. This is the default verifier
 * of the trust-list loader; `verify` itself never chooses.
 */
import { SignatureVerifier } from "../../domain/ports/signature-verifier.ts"
import type { SignatureAlgorithm } from "../../domain/signing/trust.ts"
import { importNodePublicKey } from "./node-crypto.ts"
import { importWebCryptoPublicKey } from "./webcrypto.ts"

export type Runtime = "bun" | "deno" | "node"

export const currentRuntime = (): Runtime =>
  "Bun" in globalThis ? "bun" : "Deno" in globalThis ? "deno" : "node"

/** Which primitive is fastest for `algorithm` in `runtime`. */
export const fastestPrimitive = (runtime: Runtime, algorithm: SignatureAlgorithm): "node:crypto" | "WebCrypto" =>
  runtime === "deno" && algorithm === "ECDSA-P256" ? "WebCrypto" : "node:crypto"

export const fastestVerifier = (runtime: Runtime = currentRuntime()): SignatureVerifier["Service"] =>
  SignatureVerifier.of({
    name: `fastest on ${runtime}`,
    importPublicKey: (spki, algorithm) =>
      fastestPrimitive(runtime, algorithm) === "WebCrypto" ? importWebCryptoPublicKey(spki, algorithm) : importNodePublicKey(spki, algorithm)
  })
