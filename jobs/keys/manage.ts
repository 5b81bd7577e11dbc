/**
 * Key-store operations behind `bienlai keys`: create the development PKI,
 * issue a further agency certificate (rollover), revoke one, and publish the
 * trust list.
 */
import { mkdirSync, writeFileSync } from "node:fs"
import { dirname } from "node:path"
import type { TrustList } from "../../domain/signing/trust.ts"
import type { SignatureAlgorithm } from "../../domain/signing/trust.ts"
import { hasRoot, listAgencyCertificates, openRoot, readRevocations, readRootCertificate, saveAgencyKey, saveRoot, writeRevocations } from "./keystore.ts"
import type { Revocation } from "./keystore.ts"
import { currentCertificate } from "./current-key.ts"
import { createRoot, issueAgencyCertificate } from "./pki.ts"
import { buildTrustList } from "./trust-list.ts"

const addYears = (d: Date, years: number) => new Date(Date.UTC(d.getUTCFullYear() + years, d.getUTCMonth(), d.getUTCDate()))

export interface InitReport {
  readonly rootKeyId: string
  readonly agencies: ReadonlyArray<{ readonly agency: string; readonly keyId: string }>
}

export const initPki = async (opts: {
  readonly dir: string
  readonly agencies: ReadonlyArray<string>
  readonly algorithm: SignatureAlgorithm
  readonly passphrase: string
  readonly now: Date
}): Promise<InitReport> => {
  if (hasRoot(opts.dir)) throw new Error(`${opts.dir} already holds a PKI; remove it or use another --dir`)
  // Back-date a day so receipts issued "today" in any time zone are covered.
  const notBefore = new Date(opts.now.getTime() - 86_400_000)
  const root = await createRoot({ algorithm: opts.algorithm, notBefore, notAfter: addYears(notBefore, 20) })
  await saveRoot(opts.dir, root, opts.passphrase)
  const agencies = []
  for (const agency of opts.agencies) {
    const issued = await issueAgencyCertificate({ root, agency, algorithm: opts.algorithm, notBefore, notAfter: addYears(notBefore, 3) })
    await saveAgencyKey(opts.dir, agency, issued, opts.passphrase)
    agencies.push({ agency, keyId: issued.keyId })
  }
  return { rootKeyId: root.keyId, agencies }
}

export const addAgencyKey = async (opts: {
  readonly dir: string
  readonly agency: string
  readonly algorithm: SignatureAlgorithm
  readonly passphrase: string
  readonly now: Date
  readonly years?: number
}): Promise<string> => {
  const root = await openRoot(opts.dir, opts.passphrase)
  const notBefore = new Date(opts.now.getTime() - 60_000)
  const issued = await issueAgencyCertificate({ root, agency: opts.agency, algorithm: opts.algorithm, notBefore, notAfter: addYears(notBefore, opts.years ?? 3) })
  await saveAgencyKey(opts.dir, opts.agency, issued, opts.passphrase)
  return issued.keyId
}

export const revokeKey = async (opts: { readonly dir: string; readonly keyId: string; readonly reason: Revocation["reason"]; readonly now: Date }): Promise<boolean> => {
  const known = (await listAgencyCertificates(opts.dir)).some((c) => c.keyId === opts.keyId)
  if (!known) return false
  const list = readRevocations(opts.dir).filter((r) => r.keyId !== opts.keyId)
  writeRevocations(opts.dir, [...list, { keyId: opts.keyId, revokedAt: opts.now.toISOString(), reason: opts.reason }])
  return true
}

export const currentTrustList = async (dir: string, now: Date): Promise<TrustList> =>
  buildTrustList({ root: readRootCertificate(dir), agencies: await listAgencyCertificates(dir), revocations: readRevocations(dir), issuedAt: now })

export const publishTrustList = async (dir: string, out: string, now: Date): Promise<TrustList> => {
  const list = await currentTrustList(dir, now)
  mkdirSync(dirname(out), { recursive: true })
  writeFileSync(out, JSON.stringify(list, null, 2) + "\n")
  return list
}

/** The agencies among `wanted` that have a signing certificate valid at `now` and not revoked (what the signer can sign for). */
export const agenciesWithKeys = async (dir: string, wanted: ReadonlyArray<string>, now: Date): Promise<ReadonlyArray<string>> => {
  const revoked = new Set(readRevocations(dir).map((r) => r.keyId))
  const stored = (await listAgencyCertificates(dir)).filter((c) => !revoked.has(c.keyId))
  return wanted.filter((agency) => currentCertificate(stored, agency, now.getTime()) !== undefined)
}
