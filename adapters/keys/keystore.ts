/**
 * The key stores: directories of PEM files. The service's key store
 * (BIENLAI_KEYS_DIR, default .bienlai/keys) holds what the online service
 * needs, and nothing more:
 *
 *   <dir>/root.crt.pem                       the Ministry root certificate (public)
 *   <dir>/agencies/<AGENCY>/<keyId>.crt.pem  an agency signing certificate
 *   <dir>/agencies/<AGENCY>/<keyId>.key.pem  its private key (encrypted PKCS#8, BIENLAI_KEY_PASSPHRASE)
 *   <dir>/agencies/<AGENCY>/<keyId>.p11.json or, for a key on a token or HSM, where it is (PKCS#11)
 *   <dir>/agencies/<AGENCY>/pending/         keys made for a certificate request, waiting for the CA's certificate
 *   <dir>/revoked.json                       [{ keyId, revokedAt, reason }]
 *   <dir>/trust-list.json                    the trust list, signed by the root (adapters/keys/signed-trust-list.ts)
 *   <dir>/revoked.crl                        the revocations as an X.509 CRL signed by the root (DER)
 *
 * The root's private key lives apart, offline in production, in its own
 * folder (BIENLAI_ROOT_DIR, default .bienlai/root) under its own passphrase
 * (BIENLAI_ROOT_PASSPHRASE):
 *
 *   <root>/root.crt.pem, <root>/root.key.pem
 *
 * Key stores made before this split kept root.key.pem beside the agency keys
 * (under BIENLAI_KEY_PASSPHRASE); `openRoot` still reads that layout, and
 * `bienlai keys move-root` moves the key out.
 *
 * Private keys are PKCS#8 encrypted with PBES2 (PBKDF2-HMAC-SHA-256,
 * AES-256-CBC) under the passphrase, the format `openssl pkey` reads.
 * WebCrypto cannot write encrypted PKCS#8, so node:crypto does that step;
 * keys are imported into WebCrypto as non-extractable for signing.
 */
import { createPrivateKey } from "node:crypto"
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs"
import { dirname, join, resolve } from "node:path"
import type { KeyPurpose, SignatureAlgorithm } from "../../domain/signing/trust.ts"
import { importParams, keyIdOf } from "../../domain/signing/trust.ts"
import { agencyOf, algorithmOf, purposeOf } from "./pki.ts"
import type { IssuedCertificate } from "./pki.ts"
import { x509 } from "./x509.ts"

export const defaultKeysDir = (env: NodeJS.ProcessEnv = process.env): string => env.BIENLAI_KEYS_DIR ?? ".bienlai/keys"

/** The root's own folder: BIENLAI_ROOT_DIR, or `root` beside the key store. */
export const defaultRootDir = (env: NodeJS.ProcessEnv = process.env, keysDir = defaultKeysDir(env)): string =>
  env.BIENLAI_ROOT_DIR || join(dirname(resolve(keysDir)), "root")

export const ROOT_KEY = "root.key.pem"
export const ROOT_CERTIFICATE = "root.crt.pem"

export const encryptPrivateKey = async (key: CryptoKey, passphrase: string): Promise<string> => {
  const der = Buffer.from(await crypto.subtle.exportKey("pkcs8", key))
  return String(
    createPrivateKey({ key: der, format: "der", type: "pkcs8" }).export({ type: "pkcs8", format: "pem", cipher: "aes-256-cbc", passphrase })
  )
}

export const decryptPrivateKey = async (pem: string, passphrase: string, algorithm: SignatureAlgorithm): Promise<CryptoKey> => {
  const der = createPrivateKey({ key: pem, format: "pem", passphrase }).export({ type: "pkcs8", format: "der" })
  return crypto.subtle.importKey("pkcs8", der, importParams(algorithm), false, ["sign"])
}

/** The same private key under another passphrase (PEM in, PEM out), without importing it anywhere. */
export const reencryptPrivateKey = (pem: string, from: string, to: string): string =>
  String(createPrivateKey({ key: pem, format: "pem", passphrase: from }).export({ type: "pkcs8", format: "pem", cipher: "aes-256-cbc", passphrase: to }))

export const writePrivate = (path: string, text: string) => writeFileSync(path, text, { mode: 0o600 })

/** The root's certificate and private key, in the root's own folder. */
export const saveRoot = async (rootDir: string, root: IssuedCertificate, rootPassphrase: string): Promise<void> => {
  mkdirSync(rootDir, { recursive: true, mode: 0o700 })
  saveRootCertificate(rootDir, root.certificate)
  writePrivate(join(rootDir, ROOT_KEY), await encryptPrivateKey(root.keys.privateKey, rootPassphrase))
}

/** Only the root's certificate, which the service needs to publish the trust list. */
export const saveRootCertificate = (dir: string, certificate: x509.X509Certificate): void => {
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, ROOT_CERTIFICATE), certificate.toString("pem") + "\n")
}

/** Whether a key store still holds the root's private key (the layout before the split). */
export const holdsRootKey = (dir: string): boolean => existsSync(join(dir, ROOT_KEY))

export const saveAgencyKey = async (dir: string, agency: string, issued: IssuedCertificate, passphrase: string): Promise<void> => {
  const folder = join(dir, "agencies", agency)
  mkdirSync(folder, { recursive: true })
  writeFileSync(join(folder, `${issued.keyId}.crt.pem`), issued.certificate.toString("pem") + "\n")
  writePrivate(join(folder, `${issued.keyId}.key.pem`), await encryptPrivateKey(issued.keys.privateKey, passphrase))
}

export const hasRoot = (dir: string): boolean => existsSync(join(dir, ROOT_CERTIFICATE))

export const readRootCertificate = (dir: string): x509.X509Certificate =>
  new x509.X509Certificate(readFileSync(join(dir, ROOT_CERTIFICATE), "utf8"))

export const hasAgencyKeys = (dir: string): boolean => {
  const base = join(dir, "agencies")
  return existsSync(base) && readdirSync(base).some((agency) => readdirSync(join(base, agency)).some((f) => f.endsWith(".key.pem")))
}

/**
 * The root with its private key, to issue more agency certificates: from
 * `rootDir` under the root passphrase, or, for a key store of the earlier
 * layout, from the key store itself under the key passphrase.
 */
export const openRoot = async (where: { readonly rootDir: string; readonly rootPassphrase: string; readonly keysDir?: string; readonly keysPassphrase?: string }): Promise<IssuedCertificate> => {
  const legacy = !existsSync(join(where.rootDir, ROOT_KEY)) && where.keysDir !== undefined && holdsRootKey(where.keysDir)
  const dir = legacy ? where.keysDir! : where.rootDir
  const passphrase = legacy ? where.keysPassphrase ?? where.rootPassphrase : where.rootPassphrase
  if (!existsSync(join(dir, ROOT_KEY))) {
    throw new Error(`the root's private key is not in ${where.rootDir}: point BIENLAI_ROOT_DIR (or --root-dir) at the root's folder, kept offline`)
  }
  const certificate = readRootCertificate(dir)
  const algorithm = algorithmOf(certificate)
  if (algorithm === undefined) throw new Error("the root certificate uses an unsupported algorithm")
  let privateKey: CryptoKey
  try {
    privateKey = await decryptPrivateKey(readFileSync(join(dir, ROOT_KEY), "utf8"), passphrase, algorithm)
  } catch {
    throw new Error(`the root's private key in ${dir} cannot be opened: wrong ${legacy ? "BIENLAI_KEY_PASSPHRASE" : "BIENLAI_ROOT_PASSPHRASE"}?`)
  }
  const publicKey = await certificate.publicKey.export(importParams(algorithm), ["verify"])
  return { certificate, keys: { privateKey, publicKey }, algorithm, keyId: await keyIdOf(new Uint8Array(certificate.rawData)) }
}

/** Where a key on a PKCS#11 token is: the token's label and the key's CKA_ID (hex) or CKA_LABEL. */
export interface TokenKeyReference {
  readonly tokenLabel: string
  readonly keyId?: string
  readonly keyLabel?: string
}

/** Where an agency certificate's private key is. */
export type KeyLocation =
  | { readonly kind: "file"; readonly path: string }
  | { readonly kind: "pkcs11"; readonly path: string; readonly reference: TokenKeyReference }
  /** No private key here: a certificate kept so that what it signed still verifies. */
  | { readonly kind: "none" }

export interface StoredAgencyCertificate {
  readonly agency: string
  readonly keyId: string
  readonly algorithm: SignatureAlgorithm
  /** Absent: seals and tokens (see KeyPurpose). */
  readonly purpose?: KeyPurpose
  readonly certificate: x509.X509Certificate
  /** The encrypted PKCS#8 file (for a key in a file; the path it would have otherwise). */
  readonly keyPath: string
  readonly location?: KeyLocation
}

export const tokenReferencePath = (dir: string, agency: string, keyId: string): string => join(dir, "agencies", agency, `${keyId}.p11.json`)

const locationOf = (folder: string, keyId: string): KeyLocation => {
  const file = join(folder, `${keyId}.key.pem`)
  if (existsSync(file)) return { kind: "file", path: file }
  const p11 = join(folder, `${keyId}.p11.json`)
  if (existsSync(p11)) return { kind: "pkcs11", path: p11, reference: JSON.parse(readFileSync(p11, "utf8")) as TokenKeyReference }
  return { kind: "none" }
}

export const listAgencyCertificates = async (dir: string): Promise<Array<StoredAgencyCertificate>> => {
  const base = join(dir, "agencies")
  if (!existsSync(base)) return []
  const out: Array<StoredAgencyCertificate> = []
  for (const agency of readdirSync(base).sort()) {
    for (const file of readdirSync(join(base, agency)).filter((f) => f.endsWith(".crt.pem")).sort()) {
      const certificate = new x509.X509Certificate(readFileSync(join(base, agency, file), "utf8"))
      const algorithm = algorithmOf(certificate)
      if (algorithm === undefined || agencyOf(certificate) !== agency) continue
      const keyId = await keyIdOf(new Uint8Array(certificate.rawData))
      const purpose = purposeOf(certificate)
      out.push({
        agency,
        keyId,
        algorithm,
        ...(purpose === undefined ? {} : { purpose }),
        certificate,
        keyPath: join(base, agency, `${keyId}.key.pem`),
        location: locationOf(join(base, agency), keyId)
      })
    }
  }
  return out
}

export interface Revocation {
  readonly keyId: string
  readonly revokedAt: string
  readonly reason: "keyCompromise" | "superseded" | "cessationOfOperation" | "unspecified"
}

export const readRevocations = (dir: string): Array<Revocation> => {
  const path = join(dir, "revoked.json")
  return existsSync(path) ? (JSON.parse(readFileSync(path, "utf8")) as Array<Revocation>) : []
}

export const writeRevocations = (dir: string, list: ReadonlyArray<Revocation>): void =>
  writeFileSync(join(dir, "revoked.json"), JSON.stringify(list, null, 2) + "\n")
