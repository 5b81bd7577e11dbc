/**
 * The development key store: a directory of PEM files.
 *
 *   <dir>/root.crt.pem                       the Ministry root certificate
 *   <dir>/root.key.pem                       its private key (encrypted PKCS#8)
 *   <dir>/agencies/<AGENCY>/<keyId>.crt.pem  an agency signing certificate
 *   <dir>/agencies/<AGENCY>/<keyId>.key.pem  its private key (encrypted PKCS#8)
 *   <dir>/revoked.json                       [{ keyId, revokedAt, reason }]
 *
 * Private keys are PKCS#8 encrypted with PBES2 (PBKDF2-HMAC-SHA-256,
 * AES-256-CBC) under the passphrase, the format `openssl pkey` reads.
 * WebCrypto cannot write encrypted PKCS#8, so node:crypto does that step;
 * keys are imported into WebCrypto as non-extractable for signing.
 */
import { createPrivateKey } from "node:crypto"
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import type { SignatureAlgorithm } from "../../domain/signing/trust.ts"
import { importParams, keyIdOf } from "../../domain/signing/trust.ts"
import { agencyOf, algorithmOf } from "./pki.ts"
import type { IssuedCertificate } from "./pki.ts"
import { x509 } from "./x509.ts"

export const defaultKeysDir = (env: NodeJS.ProcessEnv = process.env): string => env.BIENLAI_KEYS_DIR ?? ".bienlai/keys"

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

const writePrivate = (path: string, text: string) => writeFileSync(path, text, { mode: 0o600 })

export const saveRoot = async (dir: string, root: IssuedCertificate, passphrase: string): Promise<void> => {
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, "root.crt.pem"), root.certificate.toString("pem") + "\n")
  writePrivate(join(dir, "root.key.pem"), await encryptPrivateKey(root.keys.privateKey, passphrase))
}

export const saveAgencyKey = async (dir: string, agency: string, issued: IssuedCertificate, passphrase: string): Promise<void> => {
  const folder = join(dir, "agencies", agency)
  mkdirSync(folder, { recursive: true })
  writeFileSync(join(folder, `${issued.keyId}.crt.pem`), issued.certificate.toString("pem") + "\n")
  writePrivate(join(folder, `${issued.keyId}.key.pem`), await encryptPrivateKey(issued.keys.privateKey, passphrase))
}

export const hasRoot = (dir: string): boolean => existsSync(join(dir, "root.crt.pem"))

export const readRootCertificate = (dir: string): x509.X509Certificate =>
  new x509.X509Certificate(readFileSync(join(dir, "root.crt.pem"), "utf8"))

/** The root with its private key, to issue more agency certificates. */
export const openRoot = async (dir: string, passphrase: string): Promise<IssuedCertificate> => {
  const certificate = readRootCertificate(dir)
  const algorithm = algorithmOf(certificate)
  if (algorithm === undefined) throw new Error("the root certificate uses an unsupported algorithm")
  const privateKey = await decryptPrivateKey(readFileSync(join(dir, "root.key.pem"), "utf8"), passphrase, algorithm)
  const publicKey = await certificate.publicKey.export(importParams(algorithm), ["verify"])
  return { certificate, keys: { privateKey, publicKey }, algorithm, keyId: await keyIdOf(new Uint8Array(certificate.rawData)) }
}

export interface StoredAgencyCertificate {
  readonly agency: string
  readonly keyId: string
  readonly algorithm: SignatureAlgorithm
  readonly certificate: x509.X509Certificate
  readonly keyPath: string
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
      out.push({ agency, keyId, algorithm, certificate, keyPath: join(base, agency, `${keyId}.key.pem`) })
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
