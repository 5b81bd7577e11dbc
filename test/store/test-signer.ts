/**
 * A real ECDSA P-256 signer over WebCrypto (the default algorithm) for the
 * store tests, standing in for the key store. Real signatures, verifiable
 * with `verifySeal`, so a test can check that the stored seal covers the
 * stored canonical bytes. One key signs seals and tokens.
 */
import { Effect, Layer } from "effect"
import type { Seal } from "../../domain/receipt.ts"
import { Signer, SigningError } from "../../domain/ports/signer.ts"
import type { SigningKeyInfo, SigningPurpose } from "../../domain/ports/signer.ts"
import type { SignFn } from "../../store/receipts/issuance.ts"
import { Result } from "effect"

const base64url = (bytes: Uint8Array): string => Buffer.from(bytes).toString("base64url")

export interface TestKeys {
  readonly keyId: string
  readonly publicKey: CryptoKey
  readonly sign: SignFn
  readonly layer: Layer.Layer<Signer>
}

/** Keys for the given agencies; any other agency gets SigningError "no_key". */
export const makeTestSigner = async (agencies: ReadonlyArray<string> = ["HCM", "HNI", "DNG"]): Promise<TestKeys> => {
  const pair = (await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, ["sign", "verify"])) as CryptoKeyPair
  const raw = new Uint8Array(await crypto.subtle.exportKey("raw", pair.publicKey))
  const keyId = Buffer.from(new Uint8Array(await crypto.subtle.digest("SHA-256", raw)).slice(0, 8)).toString("hex")
  const known = new Set(agencies)
  const signEffect = (agency: string, bytes: Uint8Array): Effect.Effect<Seal, SigningError> =>
    known.has(agency)
      ? Effect.promise(async (): Promise<Seal> => ({
        algorithm: "ECDSA-P256",
        keyId,
        signature: base64url(new Uint8Array(await crypto.subtle.sign({ name: "ECDSA", hash: "SHA-256" }, pair.privateKey, bytes as Uint8Array<ArrayBuffer>)))
      }))
      : Effect.fail(new SigningError({ agency, reason: "no_key", message: `no signing key for agency ${agency}` }))
  const sign: SignFn = signEffect
  const signWith = (agency: string, _purpose: SigningPurpose, message: (key: SigningKeyInfo) => Uint8Array) => signEffect(agency, message({ keyId, algorithm: "ECDSA-P256" }))
  return { keyId, publicKey: pair.publicKey, sign, layer: Layer.succeed(Signer, Signer.of({ sign: signEffect, signWith })) }
}

export const verifySeal = async (publicKey: CryptoKey, seal: Seal, bytes: Uint8Array): Promise<boolean> =>
  crypto.subtle.verify({ name: "ECDSA", hash: "SHA-256" }, publicKey, Buffer.from(seal.signature, "base64url"), bytes as Uint8Array<ArrayBuffer>)

export { Result }
