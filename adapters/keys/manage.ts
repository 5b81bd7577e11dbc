/**
 * Key-store operations behind `bienlai keys`: create the PKI (the root in its
 * own folder, the agency keys in the service's key store), issue a further
 * agency certificate (rollover, which needs the root), revoke one, publish
 * the trust list and the CRL (both signed by the root), and move the root's
 * key out of a key store of the earlier layout. Keys made for a licensed
 * CA (on a token or in a file) are in adapters/keys/enrol.ts.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { dirname, join, resolve } from "node:path"
import type { TrustList } from "../../domain/signing/trust.ts"
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
import { currentCertificate } from "./current-key.ts"
import type { Revocation } from "./keystore.ts"
import { makeCrl } from "./crl.ts"
import { algorithmOfKeyType, createRoot, issueAgencyCertificate, rootKeyTypeFor } from "./pki.ts"
import type { IssuedCertificate, KeyType } from "./pki.ts"
import { signTrustList } from "./signed-trust-list.ts"
import type { SignedTrustList } from "./signed-trust-list.ts"
import { buildTrustList } from "./trust-list.ts"
import { x509 } from "./x509.ts"

const addYears = (d: Date, years: number) => new Date(Date.UTC(d.getUTCFullYear() + years, d.getUTCMonth(), d.getUTCDate()))

export interface InitReport {
  readonly rootKeyId: string
  readonly agencies: ReadonlyArray<{ readonly agency: string; readonly keyId: string; readonly purpose?: "token" }>
}

/** An agency's certificates of a key type: one, or for RSA a seal certificate and an ECDSA P-256 token certificate. */
const issueFor = async (opts: { readonly root: IssuedCertificate; readonly agency: string; readonly algorithm: KeyType; readonly notBefore: Date; readonly notAfter: Date }) => {
  const seal = await issueAgencyCertificate(opts)
  if (algorithmOfKeyType(opts.algorithm) !== "RSA-PSS") return [{ issued: seal }]
  const token = await issueAgencyCertificate({ ...opts, algorithm: "ECDSA-P256", purpose: "token" })
  return [{ issued: seal }, { issued: token, purpose: "token" as const }]
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
  /** The agencies' key type (ECDSA P-256 by default); the root is ECDSA P-256, or Ed25519 in an Ed25519 PKI. */
  readonly algorithm?: KeyType
  readonly passphrase: string
  readonly rootPassphrase?: string
  readonly now: Date
  /** Named in the signed trust list: where verifiers fetch status lists (PUBLIC_URL). */
  readonly serviceUrl?: string
}): Promise<InitReport> => {
  const algorithm = opts.algorithm ?? "ECDSA-P256"
  const rootDir = opts.rootDir ?? defaultRootDir({}, opts.dir)
  if (hasRoot(opts.dir)) throw new Error(`${opts.dir} already holds a PKI; remove it or use another --dir`)
  if (sameFolder(rootDir, opts.dir)) throw new Error(`the root's folder must not be the key store (${opts.dir}): the online service must not hold the root's key`)
  if (existsSync(join(rootDir, ROOT_KEY))) throw new Error(`${rootDir} already holds a root key; remove it or use another --root-dir`)
  // Back-date a day so receipts issued "today" in any time zone are covered.
  const notBefore = new Date(opts.now.getTime() - 86_400_000)
  const root = await createRoot({ algorithm: rootKeyTypeFor(algorithm), notBefore, notAfter: addYears(notBefore, 20) })
  await saveRoot(rootDir, root, opts.rootPassphrase ?? opts.passphrase)
  saveRootCertificate(opts.dir, root.certificate)
  const agencies = []
  for (const agency of opts.agencies) {
    for (const { issued, purpose } of await issueFor({ root, agency, algorithm, notBefore, notAfter: addYears(notBefore, 3) })) {
      await saveAgencyKey(opts.dir, agency, issued, opts.passphrase)
      agencies.push({ agency, keyId: issued.keyId, ...(purpose === undefined ? {} : { purpose }) })
    }
  }
  await publishSigned({ dir: opts.dir, root, now: opts.now, ...(opts.serviceUrl === undefined ? {} : { serviceUrl: opts.serviceUrl }) })
  return { rootKeyId: root.keyId, agencies }
}

/** Another certificate for an agency (rollover), signed by the root from its own folder. */
export const addAgencyKey = async (opts: {
  readonly dir: string
  readonly rootDir?: string
  readonly agency: string
  readonly algorithm?: KeyType
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
  const issued = await issueFor({ root, agency: opts.agency, algorithm: opts.algorithm ?? "ECDSA-P256", notBefore, notAfter: addYears(notBefore, opts.years ?? 3) })
  for (const { issued: one } of issued) await saveAgencyKey(opts.dir, opts.agency, one, opts.passphrase)
  return issued[0]!.issued.keyId
}

export const revokeKey = async (opts: { readonly dir: string; readonly keyId: string; readonly reason: Revocation["reason"]; readonly now: Date }): Promise<boolean> => {
  const known = (await listAgencyCertificates(opts.dir)).some((c) => c.keyId === opts.keyId)
  if (!known) return false
  const list = readRevocations(opts.dir).filter((r) => r.keyId !== opts.keyId)
  writeRevocations(opts.dir, [...list, { keyId: opts.keyId, revokedAt: opts.now.toISOString(), reason: opts.reason }])
  return true
}

/** The CA certificates (besides the root) allowed to issue agency certificates: `<dir>/cas/*.crt.pem`. */
export const readCas = (dir: string): Array<x509.X509Certificate> => {
  const folder = join(dir, "cas")
  if (!existsSync(folder)) return []
  return readdirSync(folder).filter((f) => f.endsWith(".crt.pem")).sort().map((f) => new x509.X509Certificate(readFileSync(join(folder, f), "utf8")))
}

export const currentTrustList = async (dir: string, now: Date, serviceUrl?: string): Promise<TrustList> =>
  buildTrustList({
    root: readRootCertificate(dir),
    cas: readCas(dir),
    agencies: await listAgencyCertificates(dir),
    revocations: readRevocations(dir),
    issuedAt: now,
    ...(serviceUrl === undefined ? {} : { serviceUrl })
  })

export const TRUST_LIST_FILE = "trust-list.json"
export const CRL_FILE = "revoked.crl"

/** The signed trust list held in a key store, as published (undefined if there is none). */
export const readSignedTrustList = (dir: string): SignedTrustList | undefined => {
  const path = join(dir, TRUST_LIST_FILE)
  if (!existsSync(path)) return undefined
  try {
    return JSON.parse(readFileSync(path, "utf8")) as SignedTrustList
  } catch {
    return undefined
  }
}

/** The service URL named by the trust list already in `dir`, so republishing without one keeps it. */
const servicePublishedIn = (dir: string): string | undefined => {
  const held = readSignedTrustList(dir)
  if (held === undefined || typeof held.payload !== "string") return undefined
  try {
    const list = JSON.parse(Buffer.from(held.payload, "base64url").toString("utf8")) as { serviceUrl?: unknown }
    return typeof list.serviceUrl === "string" ? list.serviceUrl : undefined
  } catch {
    return undefined
  }
}

export interface Published {
  readonly list: TrustList
  readonly signed: SignedTrustList
  readonly crl: x509.X509Crl
}

/** Signs the key store's trust list and CRL with the root and writes them (trust-list.json, revoked.crl) to `dir`, or the list to `out`. */
const publishSigned = async (opts: {
  readonly dir: string
  readonly root: IssuedCertificate
  readonly now: Date
  readonly serviceUrl?: string
  readonly out?: string
  readonly crlDays?: number
}): Promise<Published> => {
  const list = await currentTrustList(opts.dir, opts.now, opts.serviceUrl ?? servicePublishedIn(opts.dir))
  const signed = await signTrustList(list, { certificate: opts.root.certificate, privateKey: opts.root.keys.privateKey })
  const certificates = new Map((await listAgencyCertificates(opts.dir)).map((c) => [c.keyId, c.certificate]))
  const crl = await makeCrl({
    root: { certificate: opts.root.certificate, privateKey: opts.root.keys.privateKey, publicKey: opts.root.keys.publicKey },
    revoked: readRevocations(opts.dir).flatMap((revocation) => {
      const certificate = certificates.get(revocation.keyId)
      return certificate === undefined ? [] : [{ certificate, revocation }]
    }),
    now: opts.now,
    ...(opts.crlDays === undefined ? {} : { days: opts.crlDays })
  })
  const out = opts.out ?? join(opts.dir, TRUST_LIST_FILE)
  mkdirSync(dirname(out), { recursive: true })
  writeFileSync(out, JSON.stringify(signed, null, 2) + "\n")
  writeFileSync(join(dirname(out), CRL_FILE), new Uint8Array(crl.rawData))
  return { list, signed, crl }
}

/**
 * Publishes the trust list and the CRL, signed by the root: needs the
 * root's folder and passphrase (run it where the root is kept).
 */
export const publishTrustList = async (opts: {
  readonly dir: string
  readonly rootDir?: string
  readonly rootPassphrase: string
  /** For a key store of the earlier layout, whose root key is under the key passphrase. */
  readonly passphrase?: string
  readonly now: Date
  readonly serviceUrl?: string
  readonly out?: string
  readonly crlDays?: number
}): Promise<Published> => {
  const root = await openRoot({
    rootDir: opts.rootDir ?? defaultRootDir({}, opts.dir),
    rootPassphrase: opts.rootPassphrase,
    keysDir: opts.dir,
    ...(opts.passphrase === undefined ? {} : { keysPassphrase: opts.passphrase })
  })
  const held = readRootCertificate(opts.dir)
  if (!Buffer.from(held.rawData).equals(Buffer.from(root.certificate.rawData))) {
    throw new Error(`the root in ${opts.rootDir ?? defaultRootDir({}, opts.dir)} is not the root of the key store ${opts.dir}`)
  }
  return publishSigned({
    dir: opts.dir,
    root,
    now: opts.now,
    ...(opts.serviceUrl === undefined ? {} : { serviceUrl: opts.serviceUrl }),
    ...(opts.out === undefined ? {} : { out: opts.out }),
    ...(opts.crlDays === undefined ? {} : { crlDays: opts.crlDays })
  })
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

/** The agencies among `wanted` that have a signing certificate valid at `now` and not revoked (what the signer can sign for). */
export const agenciesWithKeys = async (dir: string, wanted: ReadonlyArray<string>, now: Date): Promise<ReadonlyArray<string>> => {
  const revoked = new Set(readRevocations(dir).map((r) => r.keyId))
  const stored = (await listAgencyCertificates(dir)).filter((c) => !revoked.has(c.keyId))
  return wanted.filter((agency) => currentCertificate(stored, agency, now.getTime()) !== undefined)
}
