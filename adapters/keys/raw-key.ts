/**
 * What every Signer adapter reduces to: a key that signs bytes and says
 * which certificate (key id) and algorithm it is. `signerOf` turns a way of
 * choosing an agency's key for a purpose into the Signer service, so the
 * file, PKCS#11 and remote adapters share the seal format and the errors.
 *
 * Signatures are raw: ECDSA as r‖s (IEEE P1363, 64 bytes for P-256, what
 * WebCrypto makes and the QR token carries), RSA-PSS and Ed25519 as they are.
 */
import { Effect } from "effect"
import { Signer, SigningError } from "../../domain/ports/signer.ts"
import type { SigningPurpose } from "../../domain/ports/signer.ts"
import type { Seal } from "../../domain/receipt.ts"
import { toBase64Url } from "../../domain/signing/bytes.ts"
import type { SignatureAlgorithm } from "../../domain/signing/trust.ts"

export interface RawKey {
  readonly keyId: string
  readonly algorithm: SignatureAlgorithm
  /** Resolves to the raw signature; rejects with a SigningError, or anything else (reported as a device failure). */
  readonly sign: (bytes: Uint8Array) => Promise<Uint8Array>
}

export type ChooseKey = (agency: string, purpose: SigningPurpose) => Effect.Effect<RawKey, SigningError>

export const signerOf = (choose: ChooseKey): Signer["Service"] => {
  const signWith: Signer["Service"]["signWith"] = (agency, purpose, message) =>
    Effect.gen(function*() {
      const key = yield* choose(agency, purpose)
      const bytes = message({ keyId: key.keyId, algorithm: key.algorithm })
      const signature = yield* Effect.tryPromise({
        try: () => key.sign(bytes),
        catch: (e) =>
          e instanceof SigningError ? e : new SigningError({ agency, reason: "device", message: `signing for ${agency} with key ${key.keyId} failed: ${e instanceof Error ? e.message : String(e)}` })
      })
      const seal: Seal = { algorithm: key.algorithm, keyId: key.keyId, signature: toBase64Url(signature) }
      return seal
    })
  return Signer.of({ sign: (agency, bytes) => signWith(agency, "seal", () => bytes), signWith })
}
