/**
 * The development PKI: a Ministry of Justice root CA and one signing
 * certificate per agency, issued by the root. Certificates are X.509 v3
 * made with @peculiar/x509 over WebCrypto; Ed25519 by default, ECDSA P-256
 * on request (docs/SIGNING.md explains the choice).
 */
import { keyIdOf } from "../../domain/signing/trust.ts"
import type { SignatureAlgorithm } from "../../domain/signing/trust.ts"
import { x509 } from "./x509.ts"

export const keyGenParams = (algorithm: SignatureAlgorithm): EcKeyGenParams | Algorithm =>
  algorithm === "Ed25519" ? { name: "Ed25519" } : { name: "ECDSA", namedCurve: "P-256" }

export const signingParams = (algorithm: SignatureAlgorithm): Algorithm | EcdsaParams =>
  algorithm === "Ed25519" ? { name: "Ed25519" } : { name: "ECDSA", hash: "SHA-256" }

export const generateKeyPair = async (algorithm: SignatureAlgorithm): Promise<CryptoKeyPair> =>
  (await crypto.subtle.generateKey(keyGenParams(algorithm), true, ["sign", "verify"])) as CryptoKeyPair

const serial = (): string => {
  const b = crypto.getRandomValues(new Uint8Array(16))
  b[0]! &= 0x7f // positive INTEGER
  return Buffer.from(b).toString("hex")
}

export interface IssuedCertificate {
  readonly certificate: x509.X509Certificate
  readonly keys: CryptoKeyPair
  readonly algorithm: SignatureAlgorithm
  readonly keyId: string
}

export const ROOT_NAME = "CN=Bộ Tư pháp - Root CA bienlai (DEVELOPMENT), O=Bộ Tư pháp, C=VN"

export const createRoot = async (opts: {
  readonly algorithm: SignatureAlgorithm
  readonly notBefore: Date
  readonly notAfter: Date
  readonly name?: string
}): Promise<IssuedCertificate> => {
  const keys = await generateKeyPair(opts.algorithm)
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: opts.name ?? ROOT_NAME,
    notBefore: opts.notBefore,
    notAfter: opts.notAfter,
    signingAlgorithm: signingParams(opts.algorithm),
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey)
    ]
  })
  return { certificate, keys, algorithm: opts.algorithm, keyId: await keyIdOf(new Uint8Array(certificate.rawData)) }
}

/** The agency code travels in the subject's OU so a verifier can match it to the token. */
export const agencySubject = (agency: string) => `CN=Cục THADS ${agency} - receipt signing, OU=${agency}, O=Bộ Tư pháp, C=VN`

export const agencyOf = (certificate: x509.X509Certificate): string | undefined =>
  certificate.subjectName.getField("OU")[0]

export const issueAgencyCertificate = async (opts: {
  readonly root: IssuedCertificate
  readonly agency: string
  readonly algorithm: SignatureAlgorithm
  readonly notBefore: Date
  readonly notAfter: Date
}): Promise<IssuedCertificate> => {
  const keys = await generateKeyPair(opts.algorithm)
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: agencySubject(opts.agency),
    issuer: opts.root.certificate.subject,
    notBefore: opts.notBefore,
    notAfter: opts.notAfter,
    signingAlgorithm: signingParams(opts.root.algorithm),
    publicKey: keys.publicKey,
    signingKey: opts.root.keys.privateKey,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(opts.root.keys.publicKey)
    ]
  })
  return { certificate, keys, algorithm: opts.algorithm, keyId: await keyIdOf(new Uint8Array(certificate.rawData)) }
}

/** Which of our algorithms a certificate's public key uses. */
export const algorithmOf = (certificate: x509.X509Certificate): SignatureAlgorithm | undefined => {
  const alg = certificate.publicKey.algorithm as EcKeyAlgorithm
  if (alg.name === "Ed25519") return "Ed25519"
  if (alg.name === "ECDSA" && alg.namedCurve === "P-256") return "ECDSA-P256"
  return undefined
}
