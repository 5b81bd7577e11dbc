/**
 * PKCS#10 certificate requests (RFC 2986) for a licensed CA, signed by the
 * key itself wherever it is: a file, a token, an HSM. @peculiar/x509 builds
 * and encodes the request; it asks its crypto provider for the public key
 * and one signature, so a two-method provider hands it the key's SPKI and
 * the raw signature from our own signer (for ECDSA, r‖s, which x509
 * re-encodes as DER).
 *
 * The request names the agency the way verifiers match it (OU = agency
 * code) and asks for the key usage bienlai checks on import: digital
 * signature and non-repudiation for a seal, and for a token certificate the
 * token-signing extended key usage.
 */
import type { KeyPurpose, SignatureAlgorithm } from "../../domain/signing/trust.ts"
import { BIENLAI_TOKEN_SIGNING_OID } from "../../domain/signing/trust.ts"
import { agencySubject, signingParams } from "./pki.ts"
import { x509 } from "./x509.ts"

export interface RequestKey {
  /** DER SubjectPublicKeyInfo. */
  readonly spki: Uint8Array
  readonly algorithm: SignatureAlgorithm
  /** Raw signature (ECDSA r‖s). */
  readonly sign: (bytes: Uint8Array) => Promise<Uint8Array>
}

const keyAlgorithm = async (key: RequestKey): Promise<KeyAlgorithm> => {
  if (key.algorithm === "Ed25519") return { name: "Ed25519" }
  if (key.algorithm === "ECDSA-P256") return { name: "ECDSA", namedCurve: "P-256" } as EcKeyAlgorithm
  const publicKey = new x509.PublicKey(key.spki as Uint8Array<ArrayBuffer>)
  return { ...(publicKey.algorithm as RsaHashedKeyAlgorithm), name: "RSA-PSS", hash: { name: "SHA-256" } } as RsaHashedKeyAlgorithm
}

export const certificateRequest = async (opts: { readonly agency: string; readonly purpose?: KeyPurpose; readonly key: RequestKey }): Promise<x509.Pkcs10CertificateRequest> => {
  const algorithm = await keyAlgorithm(opts.key)
  // The two calls x509's generator makes: the public key, and one signature over the request's body.
  const provider = {
    subtle: {
      exportKey: async () => opts.key.spki.slice().buffer,
      sign: async (_algorithm: unknown, _key: unknown, data: ArrayBuffer) => (await opts.key.sign(new Uint8Array(data))).slice().buffer
    }
  } as unknown as Crypto
  const privateKey = { algorithm, type: "private", extractable: false, usages: ["sign"] } as unknown as CryptoKey
  const publicKey = { algorithm, type: "public", extractable: true, usages: ["verify"] } as unknown as CryptoKey
  return x509.Pkcs10CertificateRequestGenerator.create(
    {
      name: agencySubject(opts.agency, opts.purpose),
      keys: { privateKey, publicKey },
      signingAlgorithm: signingParams(opts.key.algorithm),
      extensions: [
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | (opts.purpose === "token" ? 0 : x509.KeyUsageFlags.nonRepudiation), true),
        ...(opts.purpose === "token" ? [new x509.ExtendedKeyUsageExtension([BIENLAI_TOKEN_SIGNING_OID], false)] : [])
      ]
    },
    provider
  )
}
