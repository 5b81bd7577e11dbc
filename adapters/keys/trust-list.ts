/**
 * Building and loading the trust list.
 *
 * `buildTrustList` turns the key store into the list (schema in
 * domain/signing/trust.ts); adapters/keys/signed-trust-list.ts signs it
 * with the root and opens a signed one. `loadTrustList` is what every
 * verifier runs once: it opens the root-signed envelope (an unsigned or
 * altered list is refused as a whole), then parses each certificate,
 * recomputes its key id, checks its algorithm, purpose and agency and that a
 * root of the list issued it, and imports its public key through the
 * SignatureVerifier port, yielding the `TrustAnchors` that the pure `verify`
 * uses. A certificate that fails any check is left out (and reported), so it
 * can only ever lead to "unknown key".
 */
import { Result } from "effect"
import type { SignatureVerifier } from "../../domain/ports/signature-verifier.ts"
import type { TrustAnchors, TrustedKey, TrustList, TrustListAgencyKey } from "../../domain/signing/trust.ts"
import { keyIdOf } from "../../domain/signing/trust.ts"
import { fastestVerifier } from "../verify/fastest.ts"
import type { Revocation, StoredAgencyCertificate } from "./keystore.ts"
import { agencyOf, algorithmOf, keyUsageOf, purposeOf } from "./pki.ts"
import { openSignedTrustList } from "./signed-trust-list.ts"
import { InvalidTrustList } from "./trust-list-error.ts"
import { x509 } from "./x509.ts"

export { InvalidTrustList }

const base64 = (der: ArrayBuffer) => Buffer.from(der).toString("base64")

const entryOf = (c: StoredAgencyCertificate): TrustListAgencyKey => ({
  agency: c.agency,
  keyId: c.keyId,
  algorithm: c.algorithm,
  ...(c.purpose === undefined ? {} : { purpose: c.purpose }),
  notBefore: c.certificate.notBefore.toISOString(),
  notAfter: c.certificate.notAfter.toISOString(),
  certificate: base64(c.certificate.rawData)
})

export const buildTrustList = (opts: {
  readonly root: x509.X509Certificate
  /** Further CAs allowed to issue agency certificates (a licensed CA's issuing certificate). */
  readonly cas?: ReadonlyArray<x509.X509Certificate>
  readonly agencies: ReadonlyArray<StoredAgencyCertificate>
  readonly revocations: ReadonlyArray<Revocation>
  readonly issuedAt: Date
  /** The public service verifiers fetch status lists from (PUBLIC_URL). */
  readonly serviceUrl?: string
}): TrustList => {
  const revoked = new Map(opts.revocations.map((r) => [r.keyId, r]))
  return {
    format: "bienlai-trust-list",
    version: 1,
    issuedAt: opts.issuedAt.toISOString(),
    ...(opts.serviceUrl === undefined ? {} : { serviceUrl: opts.serviceUrl.replace(/\/+$/, "") }),
    roots: [opts.root, ...(opts.cas ?? [])].map((c) => ({ name: c.subject, certificate: base64(c.rawData) })),
    agencies: opts.agencies.filter((c) => !revoked.has(c.keyId)).map(entryOf),
    revoked: opts.agencies.flatMap((c) => {
      const r = revoked.get(c.keyId)
      return r === undefined ? [] : [{ ...entryOf(c), revokedAt: r.revokedAt, reason: r.reason }]
    })
  }
}

export interface LoadedTrust {
  readonly anchors: TrustAnchors
  /** The list as signed. */
  readonly list: TrustList
  /** Entries left out, with the reason. */
  readonly rejected: ReadonlyArray<{ readonly keyId: string; readonly reason: string }>
}

const checkEntry = async (
  entry: TrustListAgencyKey,
  roots: ReadonlyArray<x509.X509Certificate>,
  revokedAt: number | undefined,
  verifier: SignatureVerifier["Service"]
): Promise<TrustedKey | string> => {
  let cert: x509.X509Certificate
  try {
    cert = new x509.X509Certificate(Buffer.from(entry.certificate, "base64"))
  } catch {
    return "the certificate does not parse"
  }
  if ((await keyIdOf(new Uint8Array(cert.rawData))) !== entry.keyId) return "the key id is not the certificate's hash"
  if (algorithmOf(cert) !== entry.algorithm) return `the certificate's key is not ${entry.algorithm}`
  const purpose = purposeOf(cert)
  if (purpose !== entry.purpose) return `the certificate's purpose is ${purpose ?? "seals and tokens"}, not ${entry.purpose ?? "seals and tokens"}`
  if (agencyOf(cert) !== entry.agency) return `the certificate is not for agency ${entry.agency}`
  let chained = false
  for (const root of roots) {
    if (cert.issuer !== root.subject) continue
    try {
      if (await cert.verify({ publicKey: root, signatureOnly: true })) chained = true
    } catch {
      // an unsupported root algorithm simply does not vouch for this certificate
    }
  }
  if (!chained) return "no root in the trust list signed this certificate"
  let check: TrustedKey["check"]
  try {
    check = await verifier.importPublicKey(new Uint8Array(cert.publicKey.rawData), entry.algorithm)
  } catch (e) {
    return `the public key cannot be imported (${e instanceof Error ? e.message : String(e)})`
  }
  return {
    keyId: entry.keyId,
    agency: entry.agency,
    algorithm: entry.algorithm,
    ...(purpose === undefined ? {} : { purpose }),
    check,
    notBefore: cert.notBefore.getTime(),
    notAfter: cert.notAfter.getTime(),
    ...(revokedAt === undefined ? {} : { revokedAt })
  }
}

/** A certificate that may issue agency certificates: a CA with keyCertSign. */
export const isCa = (cert: x509.X509Certificate): boolean =>
  cert.getExtension(x509.BasicConstraintsExtension)?.ca === true && (keyUsageOf(cert) & x509.KeyUsageFlags.keyCertSign) !== 0

/**
 * Turns a list whose signature was already checked into trust anchors. Its
 * roots are believed because the root signed the list; each must still be
 * a CA.
 */
export const anchorsOf = async (list: TrustList, verifier: SignatureVerifier["Service"] = fastestVerifier()): Promise<Result.Result<LoadedTrust, InvalidTrustList>> => {
  const roots: Array<x509.X509Certificate> = []
  for (const r of list.roots) {
    try {
      const root = new x509.X509Certificate(Buffer.from(r.certificate, "base64"))
      if (isCa(root)) roots.push(root)
    } catch {
      // a root that does not parse anchors nothing
    }
  }
  if (roots.length === 0) return Result.fail(new InvalidTrustList({ message: "invalid trust list: no usable root certificate" }))
  const keys = new Map<string, TrustedKey>()
  const rejected: Array<{ keyId: string; reason: string }> = []
  const entries = [
    ...list.agencies.map((e) => [e, undefined] as const),
    ...list.revoked.map((e) => [e, Date.parse(e.revokedAt)] as const)
  ]
  for (const [entry, revokedAt] of entries) {
    const checked = await checkEntry(entry, roots, revokedAt, verifier)
    if (typeof checked === "string") rejected.push({ keyId: entry.keyId, reason: checked })
    else if (!keys.has(checked.keyId) || revokedAt !== undefined) keys.set(checked.keyId, checked)
  }
  return Result.succeed({ anchors: { issuedAt: list.issuedAt, keys }, list, rejected })
}

/**
 * Checks a published, root-signed trust list and prepares it for `verify`.
 * With `heldRoots`, the list must be signed by one of them (a verifier's
 * own copy of the root); without, by a root the list itself names (which
 * still refuses an unsigned or altered list).
 */
export const loadTrustList = async (
  json: unknown,
  options: { readonly verifier?: SignatureVerifier["Service"]; readonly heldRoots?: ReadonlyArray<x509.X509Certificate> } = {}
): Promise<Result.Result<LoadedTrust, InvalidTrustList>> => {
  const verifier = options.verifier ?? fastestVerifier()
  const opened = await openSignedTrustList(json, { verifier, ...(options.heldRoots === undefined ? {} : { heldRoots: options.heldRoots }) })
  if (Result.isFailure(opened)) return Result.fail(opened.failure)
  return anchorsOf(opened.success, verifier)
}
