/**
 * The development PKI: a Ministry of Justice root CA and the agencies'
 * signing certificates, issued by the root. Certificates are X.509 v3 made
 * with @peculiar/x509 over WebCrypto.
 *
 * Key types (docs/SIGNING.md explains the choice): ECDSA P-256 by default,
 * RSA-PSS 2048 or 3072 for seals, Ed25519 on request. An agency whose seal
 * is RSA also gets an ECDSA P-256 **token certificate** for its QR tokens and
 * status lists, marked by the extended key usage BIENLAI_TOKEN_SIGNING_OID.
 */
import { BIENLAI_TOKEN_SIGNING_OID, keyIdOf } from "../../domain/signing/trust.ts"
import type { KeyPurpose, SignatureAlgorithm } from "../../domain/signing/trust.ts"
import { RSA_PSS_SALT_BYTES } from "../../domain/signing/trust.ts"
import { x509 } from "./x509.ts"

/** What `bienlai keys` can make: an algorithm, with a size for RSA. */
export const KEY_TYPES = ["ECDSA-P256", "RSA-PSS-2048", "RSA-PSS-3072", "Ed25519"] as const
export type KeyType = (typeof KEY_TYPES)[number]
export const DEFAULT_KEY_TYPE: KeyType = "ECDSA-P256"

export const algorithmOfKeyType = (type: KeyType): SignatureAlgorithm =>
  type === "RSA-PSS-2048" || type === "RSA-PSS-3072" ? "RSA-PSS" : type

export const isKeyType = (text: string): text is KeyType => (KEY_TYPES as ReadonlyArray<string>).includes(text)

export const keyGenParams = (type: KeyType): EcKeyGenParams | RsaHashedKeyGenParams | Algorithm =>
  type === "Ed25519"
    ? { name: "Ed25519" }
    : type === "ECDSA-P256"
    ? { name: "ECDSA", namedCurve: "P-256" }
    : { name: "RSA-PSS", modulusLength: type === "RSA-PSS-2048" ? 2048 : 3072, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" }

/** What a key of this algorithm signs certificates, CRLs and the trust list with. */
export const signingParams = (algorithm: SignatureAlgorithm): Algorithm | EcdsaParams | RsaPssParams =>
  algorithm === "Ed25519"
    ? { name: "Ed25519" }
    : algorithm === "ECDSA-P256"
    ? { name: "ECDSA", hash: "SHA-256" }
    : ({ name: "RSA-PSS", hash: "SHA-256", saltLength: RSA_PSS_SALT_BYTES } as RsaPssParams)

export const generateKeyPair = async (type: KeyType): Promise<CryptoKeyPair> =>
  (await crypto.subtle.generateKey(keyGenParams(type), true, ["sign", "verify"])) as CryptoKeyPair

const serial = (): string => {
  const b = crypto.getRandomValues(new Uint8Array(16))
  b[0]! &= 0x7f // positive INTEGER
  b[0]! |= 0x01 // and never a leading zero byte, so the hex is the DER value as written
  return Buffer.from(b).toString("hex")
}

export interface IssuedCertificate {
  readonly certificate: x509.X509Certificate
  readonly keys: CryptoKeyPair
  readonly algorithm: SignatureAlgorithm
  readonly keyId: string
}

export const ROOT_NAME = "CN=Bộ Tư pháp - Root CA bienlai (DEVELOPMENT), O=Bộ Tư pháp, C=VN"

/** The root signs with ECDSA P-256, or with Ed25519 in an Ed25519 PKI. */
export const rootKeyTypeFor = (agencies: KeyType): KeyType => (agencies === "Ed25519" ? "Ed25519" : "ECDSA-P256")

export const createRoot = async (opts: {
  /** The key type (an algorithm, with its size for RSA). */
  readonly algorithm: KeyType
  readonly notBefore: Date
  readonly notAfter: Date
  readonly name?: string
}): Promise<IssuedCertificate> => {
  const keys = await generateKeyPair(opts.algorithm)
  const algorithm = algorithmOfKeyType(opts.algorithm)
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: opts.name ?? ROOT_NAME,
    notBefore: opts.notBefore,
    notAfter: opts.notAfter,
    signingAlgorithm: signingParams(algorithm),
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey)
    ]
  })
  return { certificate, keys, algorithm, keyId: await keyIdOf(new Uint8Array(certificate.rawData)) }
}

/** The agency code travels in the subject's OU so a verifier can match it to the token. */
export const agencySubject = (agency: string, purpose?: KeyPurpose) =>
  `CN=Cục THADS ${agency} - ${purpose === "token" ? "QR token signing" : "receipt signing"}, OU=${agency}, O=Bộ Tư pháp, C=VN`

export const agencyOf = (certificate: x509.X509Certificate): string | undefined =>
  certificate.subjectName.getField("OU")[0]

/** The extensions of an agency certificate: an end entity that signs (and, for a token certificate, only tokens). */
export const agencyExtensions = async (publicKey: CryptoKey | x509.PublicKey, issuerKey: CryptoKey, purpose?: KeyPurpose): Promise<Array<x509.Extension>> => [
  new x509.BasicConstraintsExtension(false, undefined, true),
  new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | (purpose === "token" ? 0 : x509.KeyUsageFlags.nonRepudiation), true),
  ...(purpose === "token" ? [new x509.ExtendedKeyUsageExtension([BIENLAI_TOKEN_SIGNING_OID], false)] : []),
  await x509.SubjectKeyIdentifierExtension.create(publicKey),
  await x509.AuthorityKeyIdentifierExtension.create(issuerKey)
]

export const issueAgencyCertificate = async (opts: {
  readonly root: IssuedCertificate
  readonly agency: string
  /** The key type (an algorithm, with its size for RSA). */
  readonly algorithm: KeyType
  readonly notBefore: Date
  readonly notAfter: Date
  /** "token": the ECDSA P-256 certificate an RSA agency signs its tokens with. */
  readonly purpose?: KeyPurpose
}): Promise<IssuedCertificate> => {
  if (opts.purpose === "token" && opts.algorithm.startsWith("RSA")) throw new Error("a token certificate must be ECDSA P-256 or Ed25519: an RSA signature does not fit a QR code")
  const keys = await generateKeyPair(opts.algorithm)
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: agencySubject(opts.agency, opts.purpose),
    issuer: opts.root.certificate.subject,
    notBefore: opts.notBefore,
    notAfter: opts.notAfter,
    signingAlgorithm: signingParams(opts.root.algorithm),
    publicKey: keys.publicKey,
    signingKey: opts.root.keys.privateKey,
    extensions: await agencyExtensions(keys.publicKey, opts.root.keys.publicKey, opts.purpose)
  })
  return { certificate, keys, algorithm: algorithmOfKeyType(opts.algorithm), keyId: await keyIdOf(new Uint8Array(certificate.rawData)) }
}

/** Which of our algorithms a certificate's public key uses; RSA below 2048 bits is none (Circular 15/2025 asks for at least that). */
export const algorithmOf = (certificate: x509.X509Certificate): SignatureAlgorithm | undefined => {
  const alg = certificate.publicKey.algorithm as EcKeyAlgorithm & RsaKeyAlgorithm
  if (alg.name === "Ed25519") return "Ed25519"
  if (alg.name === "ECDSA" && alg.namedCurve === "P-256") return "ECDSA-P256"
  if ((alg.name === "RSASSA-PKCS1-v1_5" || alg.name === "RSA-PSS") && alg.modulusLength >= 2048) return "RSA-PSS"
  return undefined
}

/** The DER of an OBJECT IDENTIFIER (tag, length, arcs), computed with BigInt: the 2.25 arc is a 128-bit number. */
export const oidDer = (oid: string): Uint8Array => {
  const arcs = oid.split(".").map(BigInt)
  const body: Array<number> = []
  for (const arc of [arcs[0]! * 40n + arcs[1]!, ...arcs.slice(2)]) {
    const groups = [Number(arc & 0x7fn)]
    for (let v = arc >> 7n; v > 0n; v >>= 7n) groups.unshift(Number(v & 0x7fn) | 0x80)
    body.push(...groups)
  }
  return Uint8Array.from([0x06, body.length, ...body])
}

const TOKEN_SIGNING_OID_DER = Buffer.from(oidDer(BIENLAI_TOKEN_SIGNING_OID))

/**
 * What a certificate may sign: "token" if it carries the token usage, "seal"
 * if RSA, else both (undefined). The usage is matched on its DER bytes:
 * the ASN.1 library cannot print an arc of 128 bits as decimal.
 */
export const purposeOf = (certificate: x509.X509Certificate): KeyPurpose | undefined => {
  const eku = certificate.getExtension(x509.ExtendedKeyUsageExtension)
  if (eku !== null && Buffer.from(eku.value).includes(TOKEN_SIGNING_OID_DER)) return "token"
  return algorithmOf(certificate) === "RSA-PSS" ? "seal" : undefined
}

/** The key usage bits of a certificate (0 when it has none). */
export const keyUsageOf = (certificate: x509.X509Certificate): number => certificate.getExtension(x509.KeyUsagesExtension)?.usages ?? 0
