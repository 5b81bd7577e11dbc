/**
 * Publishing and loading the trust list.
 *
 * `buildTrustList` turns the key store into the published JSON (schema in
 * domain/signing/trust.ts). `loadTrustList` is what every verifier runs
 * once: it checks the JSON against the schema, parses each certificate,
 * recomputes its key id, checks that a root signed it, and imports its public
 * key, yielding the `TrustAnchors` that the pure `verify` uses. A certificate
 * that fails any check is left out (and reported), so it can only ever lead
 * to "unknown key".
 */
import { Result, Schema } from "effect"
import type { TrustAnchors, TrustedKey, TrustList, TrustListAgencyKey } from "../../domain/signing/trust.ts"
import { importParams, keyIdOf, TrustList as TrustListSchema } from "../../domain/signing/trust.ts"
import { listIssues } from "../../domain/receipt.ts"
import type { Revocation, StoredAgencyCertificate } from "./keystore.ts"
import { agencyOf, algorithmOf } from "./pki.ts"
import { x509 } from "./x509.ts"

const base64 = (der: ArrayBuffer) => Buffer.from(der).toString("base64")

const entryOf = (c: StoredAgencyCertificate): TrustListAgencyKey => ({
  agency: c.agency,
  keyId: c.keyId,
  algorithm: c.algorithm,
  notBefore: c.certificate.notBefore.toISOString(),
  notAfter: c.certificate.notAfter.toISOString(),
  certificate: base64(c.certificate.rawData)
})

export const buildTrustList = (opts: {
  readonly root: x509.X509Certificate
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
    roots: [{ name: opts.root.subject, certificate: base64(opts.root.rawData) }],
    agencies: opts.agencies.filter((c) => !revoked.has(c.keyId)).map(entryOf),
    revoked: opts.agencies.flatMap((c) => {
      const r = revoked.get(c.keyId)
      return r === undefined ? [] : [{ ...entryOf(c), revokedAt: r.revokedAt, reason: r.reason }]
    })
  }
}

export class InvalidTrustList extends Schema.TaggedError<InvalidTrustList>()("InvalidTrustList", {
  message: Schema.String
}) {}

export interface LoadedTrust {
  readonly anchors: TrustAnchors
  /** Entries left out, with the reason. */
  readonly rejected: ReadonlyArray<{ readonly keyId: string; readonly reason: string }>
}

const decodeTrustList = Schema.decodeUnknownResult(TrustListSchema)

const checkEntry = async (
  entry: TrustListAgencyKey,
  roots: ReadonlyArray<x509.X509Certificate>,
  revokedAt: number | undefined
): Promise<TrustedKey | string> => {
  let cert: x509.X509Certificate
  try {
    cert = new x509.X509Certificate(Buffer.from(entry.certificate, "base64"))
  } catch {
    return "the certificate does not parse"
  }
  if ((await keyIdOf(new Uint8Array(cert.rawData))) !== entry.keyId) return "the key id is not the certificate's hash"
  if (algorithmOf(cert) !== entry.algorithm) return `the certificate's key is not ${entry.algorithm}`
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
  const publicKey = await cert.publicKey.export(importParams(entry.algorithm), ["verify"])
  return {
    keyId: entry.keyId,
    agency: entry.agency,
    algorithm: entry.algorithm,
    publicKey,
    notBefore: cert.notBefore.getTime(),
    notAfter: cert.notAfter.getTime(),
    ...(revokedAt === undefined ? {} : { revokedAt })
  }
}

/** Checks a published trust list and prepares it for `verify`. */
export const loadTrustList = async (json: unknown): Promise<Result.Result<LoadedTrust, InvalidTrustList>> => {
  const decoded = decodeTrustList(json, { errors: "all" })
  if (Result.isFailure(decoded)) {
    const detail = listIssues(decoded.failure.issue).map((i) => `${i.path}: ${i.message}`).join("; ")
    return Result.fail(new InvalidTrustList({ message: `invalid trust list: ${detail}` }))
  }
  const list = decoded.success
  const roots: Array<x509.X509Certificate> = []
  for (const r of list.roots) {
    try {
      const root = new x509.X509Certificate(Buffer.from(r.certificate, "base64"))
      if (await root.verify({ signatureOnly: true })) roots.push(root)
    } catch {
      // a root that does not parse or self-verify anchors nothing
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
    const checked = await checkEntry(entry, roots, revokedAt)
    if (typeof checked === "string") rejected.push({ keyId: entry.keyId, reason: checked })
    else if (!keys.has(checked.keyId) || revokedAt !== undefined) keys.set(checked.keyId, checked)
  }
  return Result.succeed({ anchors: { issuedAt: list.issuedAt, keys }, rejected })
}
