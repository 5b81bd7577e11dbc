/**
 * The SignatureVerifier port over the platform's WebCrypto (crypto.subtle):
 * what a browser has, and the baseline node:crypto is measured against.
 */
import { SignatureVerifier } from "../../domain/ports/signature-verifier.ts"
import type { PublicKeyCheck } from "../../domain/ports/signature-verifier.ts"
import type { SignatureAlgorithm } from "../../domain/signing/trust.ts"
import { importParams, verifyParams } from "../../domain/signing/trust.ts"

export const importWebCryptoPublicKey = async (spki: Uint8Array, algorithm: SignatureAlgorithm): Promise<PublicKeyCheck> => {
  const key = await crypto.subtle.importKey("spki", spki as Uint8Array<ArrayBuffer>, importParams(algorithm), false, ["verify"])
  const params = verifyParams(algorithm)
  return {
    verify: async (signature, data) => {
      try {
        return await crypto.subtle.verify(params, key, signature as Uint8Array<ArrayBuffer>, data as Uint8Array<ArrayBuffer>)
      } catch {
        return false
      }
    }
  }
}

export const webCryptoVerifier: SignatureVerifier["Service"] = SignatureVerifier.of({ name: "WebCrypto", importPublicKey: importWebCryptoPublicKey })
