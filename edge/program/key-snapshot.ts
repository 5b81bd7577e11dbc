/**
 * One immutable view of the key store: the Signer over the keys that may
 * sign now and the trust list the edge serves and verifies against, loaded
 * and checked together, so a process swaps both at once
 * (edge/program/key-reload.ts).
 *
 * A view is refused as a whole (the process keeps the one it has) when:
 *   - the published trust list is missing, unsigned, altered, or not signed
 *     by the root held here;
 *   - the CRL is not signed by that root;
 *   - a certificate whose private key is here, not revoked, does not chain
 *     to a root of the list, or the list names it but its loader refused it
 *     (wrong agency, purpose, key id).
 * A certificate that chains but that the published list does not name yet
 * is not refused: it does not sign until the list names it (nobody could
 * verify what it signed), and `waiting` says so. Revoked keys (revoked.json
 * or the list's revoked entries) never sign.
 */
import { createHash } from "node:crypto"
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs"
import { join } from "node:path"
import type { Signer } from "../../domain/ports/signer.ts"
import type { SignatureVerifier } from "../../domain/ports/signature-verifier.ts"
import { currentCertificate } from "../../adapters/keys/current-key.ts"
import { listAgencyCertificates, readRevocations, readRootCertificate } from "../../adapters/keys/keystore.ts"
import type { Pkcs11Settings } from "../../adapters/keys/pkcs11-settings.ts"
import { readPublished } from "../../adapters/keys/published.ts"
import type { RawKey } from "../../adapters/keys/raw-key.ts"
import { keyStoreSigner } from "../../adapters/keys/signer.ts"
import { x509 } from "../../adapters/keys/x509.ts"
import { makeTrustSource, type TrustSource } from "../verification/trust-source.ts"

export interface KeySnapshot {
  readonly signer: Signer["Service"]
  readonly trust: TrustSource
  /** The key store's content when it was read (keyDirFingerprint). */
  readonly fingerprint: string
  /** The keys that sign now, per agency and purpose (for the log). */
  readonly signing: ReadonlyArray<{ readonly agency: string; readonly purpose: "seal" | "token"; readonly keyId: string }>
  /** Certificates that chain but are not in the published list yet: they sign once it names them. */
  readonly waiting: ReadonlyArray<{ readonly agency: string; readonly keyId: string }>
}

export class KeySnapshotRefused extends Error {}

/**
 * A hash of what the key store holds (names and contents of its small
 * files; private keys by name only): unchanged means nothing to reload.
 */
export const keyDirFingerprint = (dir: string): string => {
  const hash = createHash("sha256")
  const walk = (folder: string, depth: number) => {
    if (!existsSync(folder)) return
    for (const name of readdirSync(folder).sort()) {
      const path = join(folder, name)
      const stat = statSync(path)
      if (stat.isDirectory()) {
        if (depth < 3) walk(path, depth + 1)
        continue
      }
      hash.update(`${path}\0${stat.size}\0`)
      if (!name.endsWith(".key.pem") && stat.size < 4_000_000) hash.update(readFileSync(path))
    }
  }
  walk(dir, 0)
  return hash.digest("hex")
}

export const loadKeySnapshot = async (opts: {
  readonly dir: string
  readonly passphrase: string
  readonly pkcs11?: Pkcs11Settings
  readonly verifier: SignatureVerifier["Service"]
  readonly now: Date
  /** Keys opened by the view this one replaces. */
  readonly opened?: Map<string, Promise<RawKey>>
}): Promise<KeySnapshot> => {
  const { dir } = opts
  const fingerprint = keyDirFingerprint(dir)
  const published = readPublished(dir)
  if (published.signed === undefined) throw new KeySnapshotRefused(`there is no trust list signed by the root in ${dir}`)
  const root = readRootCertificate(dir)
  if (published.crl !== undefined) {
    let signed = false
    try {
      signed = await new x509.X509Crl(published.crl as Uint8Array<ArrayBuffer>).verify({ publicKey: root })
    } catch {
      signed = false
    }
    if (!signed) throw new KeySnapshotRefused(`the CRL in ${dir} (revoked.crl) is not signed by the root: it was altered or comes from another PKI`)
  }
  let trust: TrustSource
  try {
    trust = await makeTrustSource(published.signed, { heldRoots: [root], verifier: opts.verifier, ...(published.crl === undefined ? {} : { crl: published.crl }) })
  } catch (e) {
    throw new KeySnapshotRefused(`the trust list in ${dir} is refused: ${e instanceof Error ? e.message : String(e)}`)
  }
  const roots = trust.list.roots.map((r) => new x509.X509Certificate(Buffer.from(r.certificate, "base64")))
  const revoked = new Set([...readRevocations(dir).map((r) => r.keyId), ...trust.list.revoked.map((r) => r.keyId)])
  const rejected = new Map(trust.rejected.map((r) => [r.keyId, r.reason]))
  const named = new Set(trust.list.agencies.map((a) => a.keyId))
  const held = (await listAgencyCertificates(dir)).filter((c) => (c.location?.kind ?? "file") !== "none" && !revoked.has(c.keyId))
  const usable = new Set<string>()
  const waiting: Array<{ agency: string; keyId: string }> = []
  for (const c of held) {
    const refusedBecause = rejected.get(c.keyId)
    if (refusedBecause !== undefined) throw new KeySnapshotRefused(`certificate ${c.keyId} of ${c.agency} is refused by the trust list's checks: ${refusedBecause}`)
    if (!(await chainsTo(c.certificate, roots))) {
      throw new KeySnapshotRefused(`certificate ${c.keyId} of ${c.agency} does not chain to the root or a CA of the trust list: it would sign what nobody can verify`)
    }
    if (named.has(c.keyId) && trust.anchors.keys.has(c.keyId)) usable.add(c.keyId)
    else waiting.push({ agency: c.agency, keyId: c.keyId })
  }
  const signer = await keyStoreSigner({
    dir,
    passphrase: opts.passphrase,
    only: usable,
    ...(opts.pkcs11 === undefined ? {} : { pkcs11: opts.pkcs11 }),
    ...(opts.opened === undefined ? {} : { opened: opts.opened })
  })
  const candidates = held.filter((c) => usable.has(c.keyId))
  const signing = [...new Set(candidates.map((c) => c.agency))].flatMap((agency) =>
    (["seal", "token"] as const).flatMap((purpose) => {
      const current = currentCertificate(candidates, agency, opts.now.getTime(), purpose)
      return current === undefined ? [] : [{ agency, purpose, keyId: current.keyId }]
    })
  )
  return { signer, trust, fingerprint, signing, waiting }
}

const chainsTo = async (cert: x509.X509Certificate, roots: ReadonlyArray<x509.X509Certificate>): Promise<boolean> => {
  for (const root of roots) {
    if (cert.issuer !== root.subject) continue
    try {
      if (await cert.verify({ publicKey: root, signatureOnly: true })) return true
    } catch {
      // a root of another algorithm does not vouch for it
    }
  }
  return false
}
