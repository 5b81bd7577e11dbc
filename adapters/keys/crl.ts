/**
 * The revocations as an X.509 CRL (RFC 5280) signed by the root, so that
 * ordinary PKI tools check them: `openssl crl -verify -CAfile root.pem` and
 * `openssl verify -crl_check -CRLfile revoked.crl -CAfile root.pem cert.pem`.
 *
 * Only certificates the root itself issued are listed: a serial number means
 * something only to its issuer, and a certificate from a licensed CA is
 * revoked by that CA's own CRL (bienlai's signed trust list still lists it
 * as revoked). The CRL number is the issue time in seconds, so it only
 * grows; nextUpdate is `days` later (30 by default), by when a new one must
 * be published.
 */
import { signingParams, algorithmOf } from "./pki.ts"
import { x509 } from "./x509.ts"
import type { Revocation } from "./keystore.ts"

export const CRL_DAYS = 30

const reasonCode: Record<Revocation["reason"], x509.X509CrlReason> = {
  unspecified: x509.X509CrlReason.unspecified,
  keyCompromise: x509.X509CrlReason.keyCompromise,
  superseded: x509.X509CrlReason.superseded,
  cessationOfOperation: x509.X509CrlReason.cessationOfOperation
}

/** DER INTEGER of a non-negative safe integer. */
const derInteger = (n: number): Uint8Array<ArrayBuffer> => {
  const bytes: Array<number> = []
  let v = n
  do {
    bytes.unshift(v % 256)
    v = Math.floor(v / 256)
  } while (v > 0)
  if (bytes[0]! & 0x80) bytes.unshift(0)
  return Uint8Array.from([0x02, bytes.length, ...bytes])
}

export const makeCrl = async (opts: {
  readonly root: { readonly certificate: x509.X509Certificate; readonly privateKey: CryptoKey; readonly publicKey: CryptoKey }
  readonly revoked: ReadonlyArray<{ readonly certificate: x509.X509Certificate; readonly revocation: Revocation }>
  readonly now: Date
  readonly days?: number
}): Promise<x509.X509Crl> => {
  const algorithm = algorithmOf(opts.root.certificate)
  if (algorithm === undefined) throw new Error("the root certificate's algorithm cannot sign a CRL")
  const ours = opts.revoked.filter((r) => r.certificate.issuer === opts.root.certificate.subject)
  return x509.X509CrlGenerator.create({
    issuer: opts.root.certificate.subject,
    thisUpdate: opts.now,
    nextUpdate: new Date(opts.now.getTime() + (opts.days ?? CRL_DAYS) * 86_400_000),
    signingAlgorithm: signingParams(algorithm),
    signingKey: opts.root.privateKey,
    entries: ours.map((r) => ({
      serialNumber: r.certificate.serialNumber,
      revocationDate: new Date(r.revocation.revokedAt),
      reason: reasonCode[r.revocation.reason]
    })),
    extensions: [
      await x509.AuthorityKeyIdentifierExtension.create(opts.root.publicKey),
      // cRLNumber (2.5.29.20): the issue time in seconds, so numbers only grow.
      new x509.Extension("2.5.29.20", false, derInteger(Math.floor(opts.now.getTime() / 1000)))
    ]
  })
}
