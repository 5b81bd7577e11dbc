/**
 * The CMS SignedData (RFC 5652) of a PAdES baseline B signature (ETSI EN
 * 319 142-1, SubFilter ETSI.CAdES.detached), built with PeculiarVentures'
 * ASN.1 schemas:
 *
 *   SignedData v1, digestAlgorithms { sha256 }, encapContentInfo id-data (detached),
 *   certificates { the signer's, then its chain },
 *   signerInfos { v1, issuerAndSerialNumber, sha256,
 *                 signedAttrs { contentType id-data, messageDigest SHA-256(byte ranges),
 *                               signingCertificateV2 { ESSCertIDv2 { SHA-256(certificate), issuerSerial } } },
 *                 ecdsa-with-SHA256 (DER signature) | RSASSA-PSS (SHA-256, MGF1-SHA-256, salt 32) }
 *
 * No signing-time attribute: PAdES B-B carries the claimed time in the
 * signature dictionary's /M instead. The signature covers the DER of the
 * signed attributes as a SET OF, sorted as DER requires.
 */
import { createHash } from "node:crypto"
import * as cms from "@peculiar/asn1-cms"
import { AsnConvert, OctetString } from "@peculiar/asn1-schema"
import * as asn1x509 from "@peculiar/asn1-x509"
import type { SignatureAlgorithm } from "../../domain/signing/trust.ts"
import { oidDer } from "../keys/pki.ts"
import { ecdsaRawToDer, RSA_PSS_SHA256_PARAMS_DER } from "../keys/signature-encoding.ts"
import type { x509 } from "../keys/x509.ts"

const SHA256 = "2.16.840.1.101.3.4.2.1"
const ECDSA_SHA256 = "1.2.840.10045.4.3.2"
const RSASSA_PSS = "1.2.840.113549.1.1.10"
const ID_CONTENT_TYPE = "1.2.840.113549.1.9.3"
const ID_MESSAGE_DIGEST = "1.2.840.113549.1.9.4"
const ID_SIGNING_CERTIFICATE_V2 = "1.2.840.113549.1.9.16.2.47"

const sha256 = (bytes: Uint8Array) => new Uint8Array(createHash("sha256").update(bytes).digest())

/** DER: tag, definite length, content. */
const tlv = (tag: number, content: Uint8Array): Uint8Array => {
  const n = content.length
  const len = n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : n < 0x10000 ? [0x82, n >> 8, n & 0xff] : [0x83, n >> 16, (n >> 8) & 0xff, n & 0xff]
  return Uint8Array.from([tag, ...len, ...content])
}
const concat = (...parts: ReadonlyArray<Uint8Array>) => Uint8Array.from(parts.flatMap((p) => [...p]))

/** SigningCertificateV2 ::= SEQUENCE { certs SEQUENCE OF ESSCertIDv2 } with the SHA-256 default left out (RFC 5035). */
const signingCertificateV2 = (certificate: x509.X509Certificate): Uint8Array => {
  const parsed = AsnConvert.parse(certificate.rawData, asn1x509.Certificate)
  const issuer = new Uint8Array(AsnConvert.serialize(parsed.tbsCertificate.issuer))
  const serial = new Uint8Array(parsed.tbsCertificate.serialNumber)
  // IssuerSerial ::= SEQUENCE { issuer GeneralNames (directoryName [4] EXPLICIT Name), serialNumber INTEGER }
  const issuerSerial = tlv(0x30, concat(tlv(0x30, tlv(0xa4, issuer)), tlv(0x02, serial)))
  const essCertIdV2 = tlv(0x30, concat(tlv(0x04, sha256(new Uint8Array(certificate.rawData))), issuerSerial))
  return tlv(0x30, tlv(0x30, essCertIdV2))
}

const attribute = (type: string, value: Uint8Array) => new cms.Attribute({ attrType: type, attrValues: [value.slice().buffer] })

const compareBytes = (a: Uint8Array, b: Uint8Array) => {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!
  return a.length - b.length
}

export interface SignedAttributes {
  readonly attributes: ReadonlyArray<cms.Attribute>
  /** What is signed: the DER of the attributes as a SET OF. */
  readonly der: Uint8Array
}

/** The signed attributes over `content` for the signer's certificate. */
export const signedAttributes = (content: Uint8Array, signer: x509.X509Certificate): SignedAttributes => {
  const sorted = [
    attribute(ID_CONTENT_TYPE, oidDer(cms.id_data)),
    attribute(ID_MESSAGE_DIGEST, tlv(0x04, sha256(content))),
    attribute(ID_SIGNING_CERTIFICATE_V2, signingCertificateV2(signer))
  ]
    .map((a) => ({ a, der: new Uint8Array(AsnConvert.serialize(a)) }))
    // DER orders the members of a SET OF by their encodings.
    .sort((x, y) => compareBytes(x.der, y.der))
  return { attributes: sorted.map((x) => x.a), der: tlv(0x31, concat(...sorted.map((x) => x.der))) }
}

/** The DER ContentInfo around the raw signature (ECDSA r‖s) over `attributes.der` by chain[0]'s key. */
export const assembleSignedData = (attributes: SignedAttributes, chain: ReadonlyArray<x509.X509Certificate>, algorithm: SignatureAlgorithm, raw: Uint8Array): Uint8Array => {
  if (algorithm === "Ed25519") throw new RangeError("PDF signatures use ECDSA P-256 or RSA-PSS (Circular 15/2025/TT-BKHCN), not Ed25519")
  const parsed = AsnConvert.parse(chain[0]!.rawData, asn1x509.Certificate)
  const signatureAlgorithm = algorithm === "ECDSA-P256"
    ? new asn1x509.AlgorithmIdentifier({ algorithm: ECDSA_SHA256 })
    : new asn1x509.AlgorithmIdentifier({ algorithm: RSASSA_PSS, parameters: RSA_PSS_SHA256_PARAMS_DER.slice().buffer })
  const signerInfo = new cms.SignerInfo({
    version: cms.CMSVersion.v1,
    sid: new cms.SignerIdentifier({ issuerAndSerialNumber: new cms.IssuerAndSerialNumber({ issuer: parsed.tbsCertificate.issuer, serialNumber: parsed.tbsCertificate.serialNumber }) }),
    digestAlgorithm: new asn1x509.AlgorithmIdentifier({ algorithm: SHA256 }),
    signedAttrs: [...attributes.attributes],
    signatureAlgorithm,
    signature: new OctetString(algorithm === "ECDSA-P256" ? ecdsaRawToDer(raw) : raw)
  })
  const signedData = new cms.SignedData({
    version: cms.CMSVersion.v1,
    digestAlgorithms: new cms.DigestAlgorithmIdentifiers([new asn1x509.AlgorithmIdentifier({ algorithm: SHA256 })]),
    encapContentInfo: new cms.EncapsulatedContentInfo({ eContentType: cms.id_data }),
    certificates: new cms.CertificateSet(chain.map((c) => new cms.CertificateChoices({ certificate: AsnConvert.parse(c.rawData, asn1x509.Certificate) }))),
    signerInfos: new cms.SignerInfos([signerInfo])
  })
  const contentInfo = new cms.ContentInfo({ contentType: cms.id_signedData, content: AsnConvert.serialize(signedData) })
  return new Uint8Array(AsnConvert.serialize(contentInfo))
}
