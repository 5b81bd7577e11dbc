/**
 * What a key store publishes for verifiers: the trust list and the CRL,
 * both signed by the root (`bienlai keys trust-list` makes them where the
 * root is kept), and whether they still describe the key store: a service
 * must not sign with a key the published list does not name (nobody could
 * verify it), nor hide a revocation it holds.
 */
import { existsSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { Result } from "effect"
import { currentCertificate } from "./current-key.ts"
import { listAgencyCertificates, readRevocations, readRootCertificate } from "./keystore.ts"
import { CRL_FILE, readSignedTrustList } from "./manage.ts"
import type { SignedTrustList } from "./signed-trust-list.ts"
import { openSignedTrustList } from "./signed-trust-list.ts"

export interface PublishedFiles {
  readonly signed: SignedTrustList | undefined
  readonly crl: Uint8Array | undefined
}

export const readPublished = (dir: string): PublishedFiles => {
  const crlPath = join(dir, CRL_FILE)
  return { signed: readSignedTrustList(dir), crl: existsSync(crlPath) ? new Uint8Array(readFileSync(crlPath)) : undefined }
}

const republish = "publish it again with `bienlai keys trust-list` where the root is kept, and copy trust-list.json and revoked.crl here"

/** Why the published trust list cannot serve this key store (one line), or undefined when it can. */
export const publicationProblem = async (dir: string, now: Date): Promise<string | undefined> => {
  const { signed } = readPublished(dir)
  if (signed === undefined) return `there is no trust list signed by the root in ${dir}: ${republish}`
  const opened = await openSignedTrustList(signed, { heldRoots: [readRootCertificate(dir)] })
  if (Result.isFailure(opened)) return `the trust list in ${dir} is refused (${opened.failure.message}): ${republish}`
  const list = opened.success
  const named = new Set(list.agencies.map((a) => a.keyId))
  const revokedInList = new Set(list.revoked.map((a) => a.keyId))
  const revocations = readRevocations(dir)
  const hidden = revocations.find((r) => !revokedInList.has(r.keyId))
  if (hidden !== undefined) return `the trust list in ${dir} does not publish the revocation of key ${hidden.keyId}: ${republish}`
  const revoked = new Set(revocations.map((r) => r.keyId))
  const stored = (await listAgencyCertificates(dir)).filter((c) => !revoked.has(c.keyId))
  for (const agency of new Set(stored.map((c) => c.agency))) {
    for (const purpose of ["seal", "token"] as const) {
      const current = currentCertificate(stored, agency, now.getTime(), purpose)
      if (current !== undefined && !named.has(current.keyId)) {
        return `the trust list in ${dir} does not name key ${current.keyId}, which signs for ${agency}: ${republish}`
      }
    }
  }
  return undefined
}
