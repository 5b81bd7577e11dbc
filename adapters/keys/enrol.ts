/**
 * From a development PKI to a certificate from a licensed CA, the key never
 * leaving its token (docs/SIGNING.md, "Moving to a CA-issued certificate"):
 *
 *   1. `generateKey`: a key pair for an agency, on a PKCS#11 token (or, for
 *      agencies without one, in an encrypted file); it waits in
 *      agencies/<AGENCY>/pending/<id>.json.
 *   2. `writeRequest`: a PKCS#10 request signed by that key, for the CA.
 *   3. `importCertificate`: the CA's certificate, checked (it is for that
 *      waiting key, chains to the root or to a CA of the trust list, is
 *      within its validity, is an end entity with the digital-signature
 *      usage and the right purpose, and names the agency), then stored as
 *      the agency's signing certificate.
 *   4. `describeKeys`: which key signs for which agency.
 *
 * Every refusal is an `EnrolError` with one line that says what is wrong;
 * nothing is stored or signed when a check fails.
 */
import { createPublicKey } from "node:crypto"
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import type { KeyPurpose, SignatureAlgorithm } from "../../domain/signing/trust.ts"
import { keyIdOf, verifyParams } from "../../domain/signing/trust.ts"
import { currentCertificate } from "./current-key.ts"
import { certificateRequest } from "./csr.ts"
import type { RequestKey } from "./csr.ts"
import { decryptPrivateKey, encryptPrivateKey, listAgencyCertificates, readRevocations, readRootCertificate, tokenReferencePath, writePrivate } from "./keystore.ts"
import type { StoredAgencyCertificate, TokenKeyReference } from "./keystore.ts"
import { readCas } from "./manage.ts"
import type { Pkcs11Settings } from "./pkcs11-settings.ts"
import { agencyOf, algorithmOf, algorithmOfKeyType, generateKeyPair, keyUsageOf, purposeOf } from "./pki.ts"
import type { KeyType } from "./pki.ts"
import { isCa } from "./trust-list.ts"
import { x509 } from "./x509.ts"

export class EnrolError extends Error {}

export interface PendingKey {
  readonly id: string
  readonly agency: string
  readonly purpose?: KeyPurpose
  readonly keyType: KeyType
  readonly algorithm: SignatureAlgorithm
  readonly createdAt: string
  /** DER SubjectPublicKeyInfo, base64. */
  readonly spki: string
  readonly location: { readonly kind: "file"; readonly file: string } | { readonly kind: "pkcs11"; readonly reference: TokenKeyReference }
}

const agencyPattern = /^[A-Z][A-Z0-9]{1,15}$/

const pendingDir = (dir: string, agency: string) => join(dir, "agencies", agency, "pending")

const normalSpki = (der: Uint8Array): string =>
  Buffer.from(createPublicKey({ key: Buffer.from(der), format: "der", type: "spki" }).export({ type: "spki", format: "der" })).toString("hex")

const requestId = async (spki: Uint8Array) => Buffer.from(new Uint8Array(await crypto.subtle.digest("SHA-256", spki as Uint8Array<ArrayBuffer>)).subarray(0, 6)).toString("hex")

export const listPending = (dir: string, agency?: string): Array<PendingKey> => {
  const base = join(dir, "agencies")
  if (!existsSync(base)) return []
  return readdirSync(base)
    .filter((a) => agency === undefined || a === agency)
    .flatMap((a) => {
      const folder = pendingDir(dir, a)
      return existsSync(folder) ? readdirSync(folder).filter((f) => f.endsWith(".json")).sort().map((f) => JSON.parse(readFileSync(join(folder, f), "utf8")) as PendingKey) : []
    })
}

/** Generates a key for an agency, on a token when `token` is given, and keeps it waiting for its certificate. */
export const generateKey = async (opts: {
  readonly dir: string
  readonly agency: string
  readonly keyType: KeyType
  readonly purpose?: KeyPurpose
  readonly passphrase: string
  readonly now: Date
  readonly token?: { readonly settings: Pkcs11Settings; readonly tokenLabel: string; readonly keyLabel?: string }
}): Promise<PendingKey> => {
  if (!agencyPattern.test(opts.agency)) throw new EnrolError(`"${opts.agency}" is not an agency code (2–16 capital letters or digits, like HCM)`)
  if (opts.purpose === "token" && algorithmOfKeyType(opts.keyType) === "RSA-PSS") throw new EnrolError("a token-signing key must be ECDSA P-256: an RSA signature does not fit a QR code")
  mkdirSync(pendingDir(opts.dir, opts.agency), { recursive: true })
  let spki: Uint8Array
  let location: PendingKey["location"]
  let id: string
  if (opts.token !== undefined) {
    if (opts.keyType === "Ed25519") throw new EnrolError("keys on a token are ECDSA P-256 or RSA-PSS (Circular 15/2025/TT-BKHCN); Ed25519 is not used there")
    const { generateOnToken, openToken, TokenError } = await import("./pkcs11-token.ts")
    const label = opts.token.keyLabel ?? `bienlai-${opts.agency}-${opts.purpose ?? "seal"}-${opts.now.toISOString().slice(0, 10)}`
    try {
      const token = openToken(opts.token.settings.module, opts.token.tokenLabel, await opts.token.settings.pin(), { write: true })
      try {
        const made = generateOnToken(token, opts.keyType, label)
        spki = made.spki
        location = { kind: "pkcs11", reference: made.reference }
      } finally {
        token.close()
      }
    } catch (e) {
      throw new EnrolError(e instanceof TokenError || e instanceof Error ? e.message : String(e))
    }
    id = await requestId(spki)
  } else {
    const keys = await generateKeyPair(opts.keyType)
    spki = new Uint8Array(await crypto.subtle.exportKey("spki", keys.publicKey))
    id = await requestId(spki)
    const file = `${id}.key.pem`
    writePrivate(join(pendingDir(opts.dir, opts.agency), file), await encryptPrivateKey(keys.privateKey, opts.passphrase))
    location = { kind: "file", file }
  }
  const pending: PendingKey = {
    id,
    agency: opts.agency,
    ...(opts.purpose === undefined ? {} : { purpose: opts.purpose }),
    keyType: opts.keyType,
    algorithm: algorithmOfKeyType(opts.keyType),
    createdAt: opts.now.toISOString(),
    spki: Buffer.from(spki).toString("base64"),
    location
  }
  writeFileSync(join(pendingDir(opts.dir, opts.agency), `${id}.json`), JSON.stringify(pending, null, 2) + "\n")
  return pending
}

const choosePending = (dir: string, agency: string, id: string | undefined): PendingKey => {
  if (!agencyPattern.test(agency)) throw new EnrolError(`"${agency}" is not an agency code (2–16 capital letters or digits, like HCM)`)
  const waiting = listPending(dir, agency)
  if (waiting.length === 0) {
    const known = new Set([...listPending(dir).map((p) => p.agency)])
    throw new EnrolError(
      `unknown agency ${agency}: no key of ${agency} waits for a certificate in ${dir}${known.size > 0 ? ` (keys wait for ${[...known].join(", ")})` : ""}; make one with \`bienlai keys generate --agency ${agency}\``
    )
  }
  if (id !== undefined) {
    const found = waiting.find((p) => p.id === id)
    if (found === undefined) throw new EnrolError(`no key ${id} of ${agency} waits for a certificate (waiting: ${waiting.map((p) => p.id).join(", ")})`)
    return found
  }
  if (waiting.length > 1) throw new EnrolError(`${waiting.length} keys of ${agency} wait for a certificate: name one with --request (${waiting.map((p) => p.id).join(", ")})`)
  return waiting[0]!
}

/** The waiting key as something that signs: decrypted from its file, or opened on its token (public key checked). */
const requestKey = async (dir: string, pending: PendingKey, passphrase: string, token: Pkcs11Settings | undefined): Promise<RequestKey & { readonly close: () => void }> => {
  const spki = new Uint8Array(Buffer.from(pending.spki, "base64"))
  if (pending.location.kind === "file") {
    let privateKey: CryptoKey
    try {
      privateKey = await decryptPrivateKey(readFileSync(join(pendingDir(dir, pending.agency), pending.location.file), "utf8"), passphrase, pending.algorithm)
    } catch {
      throw new EnrolError(`the key ${pending.id} of ${pending.agency} cannot be opened: wrong BIENLAI_KEY_PASSPHRASE?`)
    }
    const params = verifyParams(pending.algorithm)
    return { spki, algorithm: pending.algorithm, sign: async (b) => new Uint8Array(await crypto.subtle.sign(params, privateKey, b as Uint8Array<ArrayBuffer>)), close: () => {} }
  }
  if (token === undefined) throw new EnrolError(`the key ${pending.id} is on token "${pending.location.reference.tokenLabel}": its PKCS#11 module and PIN are needed`)
  const { findKey, openToken, signOnToken } = await import("./pkcs11-token.ts")
  try {
    const open = openToken(token.module, pending.location.reference.tokenLabel, await token.pin())
    const key = findKey(open, pending.location.reference)
    if (key.spki !== undefined && normalSpki(key.spki) !== normalSpki(spki)) {
      open.close()
      throw new EnrolError(`the key on token "${open.label}" is not the key ${pending.id} that was generated: it was replaced`)
    }
    return { spki, algorithm: pending.algorithm, sign: async (b) => signOnToken(open, key, b), close: open.close }
  } catch (e) {
    throw e instanceof EnrolError ? e : new EnrolError(e instanceof Error ? e.message : String(e))
  }
}

/** A PKCS#10 request (PEM) for the agency's waiting key, signed by it. */
export const writeRequest = async (opts: {
  readonly dir: string
  readonly agency: string
  readonly id?: string
  readonly passphrase: string
  readonly token?: Pkcs11Settings
}): Promise<{ readonly pending: PendingKey; readonly pem: string }> => {
  const pending = choosePending(opts.dir, opts.agency, opts.id)
  const key = await requestKey(opts.dir, pending, opts.passphrase, opts.token)
  try {
    const csr = await certificateRequest({ agency: pending.agency, ...(pending.purpose === undefined ? {} : { purpose: pending.purpose }), key })
    if (!(await csr.verify())) throw new EnrolError("the request's signature does not verify under its own key: the key on the token is not the one generated")
    return { pending, pem: csr.toString("pem") + "\n" }
  } finally {
    key.close()
  }
}

const parseCertificate = (bytes: Uint8Array): x509.X509Certificate => {
  try {
    const text = new TextDecoder().decode(bytes)
    return text.includes("-----BEGIN") ? new x509.X509Certificate(text) : new x509.X509Certificate(bytes as Uint8Array<ArrayBuffer>)
  } catch {
    throw new EnrolError("the file is not an X.509 certificate (PEM or DER)")
  }
}

const day = (d: Date) => d.toISOString().slice(0, 10)

/** Checks the CA's certificate for a waiting key and stores it as the agency's signing certificate. */
export const importCertificate = async (opts: {
  readonly dir: string
  readonly certificate: Uint8Array
  readonly now: Date
  readonly agency?: string
}): Promise<{ readonly keyId: string; readonly agency: string; readonly pending: PendingKey; readonly certificate: x509.X509Certificate }> => {
  const cert = parseCertificate(opts.certificate)
  const agency = agencyOf(cert)
  if (agency === undefined) throw new EnrolError(`the certificate "${cert.subject}" names no agency (OU): a bienlai signing certificate carries the agency code in OU, as the request asked`)
  if (opts.agency !== undefined && agency !== opts.agency) throw new EnrolError(`the certificate is for agency ${agency}, not ${opts.agency}`)
  const spki = normalSpki(new Uint8Array(cert.publicKey.rawData))
  const pending = listPending(opts.dir).find((p) => p.agency === agency && normalSpki(new Uint8Array(Buffer.from(p.spki, "base64"))) === spki)
  if (pending === undefined) {
    throw new EnrolError(`the certificate's key is not a key of ${agency} waiting here for a certificate (bienlai keys list shows them): it was issued for another request`)
  }
  const algorithm = algorithmOf(cert)
  if (algorithm === undefined || algorithm !== pending.algorithm) throw new EnrolError(`the certificate's key is not ${pending.algorithm} (RSA needs at least 2048 bits)`)
  // The chain: issued by the root, or by a CA the trust list carries, with that issuer's signature.
  const issuers = [readRootCertificate(opts.dir), ...readCas(opts.dir)].filter((i) => i.subject === cert.issuer && isCa(i))
  let chained: x509.X509Certificate | undefined
  for (const issuer of issuers) {
    try {
      if (await cert.verify({ publicKey: issuer, signatureOnly: true })) chained = issuer
    } catch {
      // an issuer whose algorithm cannot check this signature does not vouch for it
    }
  }
  if (chained === undefined) {
    throw new EnrolError(`the certificate does not chain to the root: its issuer "${cert.issuer}" is not the root or a CA of the trust list, or did not sign it (add the CA's certificate to ${join(opts.dir, "cas")} first)`)
  }
  const now = opts.now.getTime()
  if (now < cert.notBefore.getTime()) throw new EnrolError(`the certificate is not yet valid: it is valid from ${cert.notBefore.toISOString()}`)
  if (now > cert.notAfter.getTime()) throw new EnrolError(`the certificate expired on ${cert.notAfter.toISOString()}`)
  if (now < chained.notBefore.getTime() || now > chained.notAfter.getTime()) throw new EnrolError(`the issuing CA's certificate is not valid now (${day(chained.notBefore)} → ${day(chained.notAfter)})`)
  if (cert.getExtension(x509.BasicConstraintsExtension)?.ca === true) throw new EnrolError("the certificate is a CA certificate, not an agency's signing certificate")
  const usage = keyUsageOf(cert)
  if ((usage & x509.KeyUsageFlags.digitalSignature) === 0) throw new EnrolError("the certificate's key usage does not allow digital signatures (digitalSignature)")
  const purpose = purposeOf(cert)
  if (pending.purpose === "token" && purpose !== "token") throw new EnrolError("the key was generated for QR tokens, but the certificate lacks the token-signing extended key usage")
  if (pending.purpose !== "token" && purpose === "token") throw new EnrolError("the certificate is a token-signing certificate, but the key was generated for the seal")
  const keyId = await keyIdOf(new Uint8Array(cert.rawData))
  const folder = join(opts.dir, "agencies", agency)
  writeFileSync(join(folder, `${keyId}.crt.pem`), cert.toString("pem") + "\n")
  if (pending.location.kind === "file") renameSync(join(pendingDir(opts.dir, agency), pending.location.file), join(folder, `${keyId}.key.pem`))
  else writeFileSync(tokenReferencePath(opts.dir, agency, keyId), JSON.stringify(pending.location.reference, null, 2) + "\n")
  rmSync(join(pendingDir(opts.dir, agency), `${pending.id}.json`))
  return { keyId, agency, pending, certificate: cert }
}

export interface KeyRow {
  readonly agency: string
  readonly keyId: string
  readonly algorithm: SignatureAlgorithm
  readonly purpose: KeyPurpose | undefined
  /** "file", "token \"label\" (id …)", or "no key here". */
  readonly where: string
  readonly notBefore: string
  readonly notAfter: string
  readonly issuer: string
  /** What it signs now: "seal", "token", both, or nothing (older, expired, revoked). */
  readonly signsNow: ReadonlyArray<"seal" | "token">
  readonly revoked: string | undefined
}

const whereOf = (c: StoredAgencyCertificate): string =>
  c.location === undefined || c.location.kind === "file"
    ? "file"
    : c.location.kind === "pkcs11"
    ? `token "${c.location.reference.tokenLabel}"${c.location.reference.keyLabel === undefined ? "" : ` key "${c.location.reference.keyLabel}"`}${c.location.reference.keyId === undefined ? "" : ` id ${c.location.reference.keyId}`}`
    : "no key here"

/** Every certificate of the key store, and which one signs for each agency and purpose now. */
export const describeKeys = async (dir: string, now: Date): Promise<Array<KeyRow>> => {
  const revocations = new Map(readRevocations(dir).map((r) => [r.keyId, r]))
  const all = await listAgencyCertificates(dir)
  const live = all.filter((c) => !revocations.has(c.keyId))
  return all.map((c) => {
    const signsNow = (["seal", "token"] as const).filter((p) => currentCertificate(live, c.agency, now.getTime(), p)?.keyId === c.keyId)
    const r = revocations.get(c.keyId)
    return {
      agency: c.agency,
      keyId: c.keyId,
      algorithm: c.algorithm,
      purpose: c.purpose,
      where: whereOf(c),
      notBefore: c.certificate.notBefore.toISOString(),
      notAfter: c.certificate.notAfter.toISOString(),
      issuer: c.certificate.issuer,
      signsNow,
      revoked: r === undefined ? undefined : `${r.revokedAt} (${r.reason})`
    }
  })
}
