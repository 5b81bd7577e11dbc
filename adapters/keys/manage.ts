/**
 * Key-store operations behind `bienlai keys`: create the PKI (the root in its
 * own folder, the agency keys in the service's key store), issue a further
 * agency certificate (rollover, which needs the root), revoke one, publish
 * the trust list, and move the root's key out of a key store of the earlier
 * layout.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { dirname, join, resolve } from "node:path"
import type { TrustList } from "../../domain/signing/trust.ts"
import type { SignatureAlgorithm } from "../../domain/signing/trust.ts"
import {
  defaultRootDir,
  hasRoot,
  holdsRootKey,
  listAgencyCertificates,
  openRoot,
  readRevocations,
  readRootCertificate,
  reencryptPrivateKey,
  ROOT_CERTIFICATE,
  ROOT_KEY,
  saveAgencyKey,
  saveRoot,
  saveRootCertificate,
  writePrivate,
  writeRevocations
} from "./keystore.ts"
import type { Revocation } from "./keystore.ts"
import { createRoot, issueAgencyCertificate } from "./pki.ts"
import { buildTrustList } from "./trust-list.ts"

const addYears = (d: Date, years: number) => new Date(Date.UTC(d.getUTCFullYear() + years, d.getUTCMonth(), d.getUTCDate()))

export interface InitReport {
  readonly rootKeyId: string
  readonly agencies: ReadonlyArray<{ readonly agency: string; readonly keyId: string }>
}

const sameFolder = (a: string, b: string) => resolve(a) === resolve(b)

/**
 * A new PKI: the root's key and certificate in `rootDir` (default: `root`
 * beside the key store) under `rootPassphrase` (default: the key
 * passphrase, for tests), and in the key store `dir` the root's certificate
 * and one signing key per agency under `passphrase`.
 */
export const initPki = async (opts: {
  readonly dir: string
  readonly rootDir?: string
  readonly agencies: ReadonlyArray<string>
  readonly algorithm: SignatureAlgorithm
  readonly passphrase: string
  readonly rootPassphrase?: string
  readonly now: Date
}): Promise<InitReport> => {
  const rootDir = opts.rootDir ?? defaultRootDir({}, opts.dir)
  if (hasRoot(opts.dir)) throw new Error(`${opts.dir} already holds a PKI; remove it or use another --dir`)
  if (sameFolder(rootDir, opts.dir)) throw new Error(`the root's folder must not be the key store (${opts.dir}): the online service must not hold the root's key`)
  if (existsSync(join(rootDir, ROOT_KEY))) throw new Error(`${rootDir} already holds a root key; remove it or use another --root-dir`)
  // Back-date a day so receipts issued "today" in any time zone are covered.
  const notBefore = new Date(opts.now.getTime() - 86_400_000)
  const root = await createRoot({ algorithm: opts.algorithm, notBefore, notAfter: addYears(notBefore, 20) })
  await saveRoot(rootDir, root, opts.rootPassphrase ?? opts.passphrase)
  saveRootCertificate(opts.dir, root.certificate)
  const agencies = []
  for (const agency of opts.agencies) {
    const issued = await issueAgencyCertificate({ root, agency, algorithm: opts.algorithm, notBefore, notAfter: addYears(notBefore, 3) })
    await saveAgencyKey(opts.dir, agency, issued, opts.passphrase)
    agencies.push({ agency, keyId: issued.keyId })
  }
  return { rootKeyId: root.keyId, agencies }
}

/** Another certificate for an agency (rollover), signed by the root from its own folder. */
export const addAgencyKey = async (opts: {
  readonly dir: string
  readonly rootDir?: string
  readonly agency: string
  readonly algorithm: SignatureAlgorithm
  readonly passphrase: string
  readonly rootPassphrase?: string
  readonly now: Date
  readonly years?: number
}): Promise<string> => {
  const root = await openRoot({
    rootDir: opts.rootDir ?? defaultRootDir({}, opts.dir),
    rootPassphrase: opts.rootPassphrase ?? opts.passphrase,
    keysDir: opts.dir,
    keysPassphrase: opts.passphrase
  })
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

export const currentTrustList = async (dir: string, now: Date, serviceUrl?: string): Promise<TrustList> =>
  buildTrustList({
    root: readRootCertificate(dir),
    agencies: await listAgencyCertificates(dir),
    revocations: readRevocations(dir),
    issuedAt: now,
    ...(serviceUrl === undefined ? {} : { serviceUrl })
  })

/** The service URL named by a trust list already at `out`, so republishing without one keeps it. */
const servicePublishedAt = (out: string): string | undefined => {
  try {
    const held = JSON.parse(readFileSync(out, "utf8")) as { serviceUrl?: unknown }
    return typeof held.serviceUrl === "string" ? held.serviceUrl : undefined
  } catch {
    return undefined
  }
}

export const publishTrustList = async (dir: string, out: string, now: Date, serviceUrl?: string): Promise<TrustList> => {
  const list = await currentTrustList(dir, now, serviceUrl ?? servicePublishedAt(out))
  mkdirSync(dirname(out), { recursive: true })
  writeFileSync(out, JSON.stringify(list, null, 2) + "\n")
  return list
}

/**
 * Moves the root's private key out of a key store of the earlier layout into
 * the root's own folder, re-encrypted under the root passphrase; the key
 * store keeps only the root's certificate.
 */
export const moveRoot = async (opts: { readonly dir: string; readonly rootDir: string; readonly passphrase: string; readonly rootPassphrase: string }): Promise<void> => {
  if (!holdsRootKey(opts.dir)) throw new Error(`${opts.dir} holds no root key; nothing to move`)
  if (sameFolder(opts.rootDir, opts.dir)) throw new Error("the root's folder must not be the key store")
  if (existsSync(join(opts.rootDir, ROOT_KEY))) throw new Error(`${opts.rootDir} already holds a root key`)
  // Checks that the key store's passphrase opens it, before anything is written.
  await openRoot({ rootDir: opts.rootDir, rootPassphrase: opts.rootPassphrase, keysDir: opts.dir, keysPassphrase: opts.passphrase })
  mkdirSync(opts.rootDir, { recursive: true, mode: 0o700 })
  copyFileSync(join(opts.dir, ROOT_CERTIFICATE), join(opts.rootDir, ROOT_CERTIFICATE))
  writePrivate(join(opts.rootDir, ROOT_KEY), reencryptPrivateKey(readFileSync(join(opts.dir, ROOT_KEY), "utf8"), opts.passphrase, opts.rootPassphrase))
  // Only once the key is safely written elsewhere (and opens there) does it leave the key store.
  await openRoot({ rootDir: opts.rootDir, rootPassphrase: opts.rootPassphrase })
  rmSync(join(opts.dir, ROOT_KEY))
}
