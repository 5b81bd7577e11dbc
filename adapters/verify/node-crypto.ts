/**
 * The SignatureVerifier port over node:crypto, which Bun, Deno and Node all
 * provide and which is the fastest primitive measured in each of them
 * (docs/SIGNING.md, "Algorithm measurements"): it verifies synchronously,
 * with no promise per signature.
 *
 * ECDSA signatures arrive as raw r‖s (IEEE P1363, what WebCrypto makes and
 * the QR token carries); RSA-PSS uses SHA-256, MGF1-SHA-256 and a 32-byte
 * salt.
 */
import { constants, createPublicKey, verify } from "node:crypto"
import type { KeyObject } from "node:crypto"
import { SignatureVerifier } from "../../domain/ports/signature-verifier.ts"
import type { PublicKeyCheck } from "../../domain/ports/signature-verifier.ts"
import type { SignatureAlgorithm } from "../../domain/signing/trust.ts"
import { RSA_PSS_SALT_BYTES } from "../../domain/signing/trust.ts"

const describe = (key: KeyObject): string => {
  const details = key.asymmetricKeyDetails
  return key.asymmetricKeyType === "ec" ? `an EC ${details?.namedCurve ?? ""} key` : `an ${key.asymmetricKeyType ?? "unknown"} key`
}

const guarded = (check: (signature: Uint8Array, data: Uint8Array) => boolean): PublicKeyCheck => ({
  verify: (signature, data) => {
    try {
      return check(signature, data)
    } catch {
      // A signature of the wrong length or encoding is simply not valid.
      return false
    }
  }
})

export const importNodePublicKey = async (spki: Uint8Array, algorithm: SignatureAlgorithm): Promise<PublicKeyCheck> => {
  const key = createPublicKey({ key: Buffer.from(spki.buffer, spki.byteOffset, spki.byteLength), format: "der", type: "spki" })
  switch (algorithm) {
    case "Ed25519":
      if (key.asymmetricKeyType !== "ed25519") throw new Error(`expected an Ed25519 key, got ${describe(key)}`)
      return guarded((signature, data) => verify(null, data, key, signature))
    case "ECDSA-P256": {
      if (key.asymmetricKeyType !== "ec" || key.asymmetricKeyDetails?.namedCurve !== "prime256v1") throw new Error(`expected an ECDSA P-256 key, got ${describe(key)}`)
      const options = { key, dsaEncoding: "ieee-p1363" as const }
      return guarded((signature, data) => verify("sha256", data, options, signature))
    }
    case "RSA-PSS": {
      if (key.asymmetricKeyType !== "rsa" && key.asymmetricKeyType !== "rsa-pss") throw new Error(`expected an RSA key, got ${describe(key)}`)
      const options = { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: RSA_PSS_SALT_BYTES }
      return guarded((signature, data) => verify("sha256", data, options, signature))
    }
  }
}

export const nodeCryptoVerifier: SignatureVerifier["Service"] = SignatureVerifier.of({ name: "node:crypto", importPublicKey: importNodePublicKey })
