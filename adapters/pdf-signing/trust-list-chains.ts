/**
 * The certificate chain a signed PDF embeds for each key, read from the
 * published trust list: the agency's certificate, then each CA up to the
 * root (matched issuer to subject). The trust list holds every key that
 * may sign, whether its private half is in a file, on a PKCS#11 token or at
 * a remote signing service, so a PDF signed by any of them carries the chain
 * a reader needs. A revoked key is not in `agencies`, so it finds no chain
 * and signs no PDF.
 */
import type { TrustList } from "../../domain/signing/trust.ts"
import { x509 } from "../keys/x509.ts"
import type { CertificateChains } from "./pades.ts"

const parse = (base64: string): x509.X509Certificate | undefined => {
  try {
    return new x509.X509Certificate(Buffer.from(base64, "base64"))
  } catch {
    return undefined
  }
}

const MAX_DEPTH = 4

export const chainsFromTrustList = (list: TrustList): CertificateChains => {
  const cas = list.roots.flatMap((r) => parse(r.certificate) ?? [])
  const chains = new Map<string, ReadonlyArray<x509.X509Certificate>>()
  for (const entry of list.agencies) {
    const leaf = parse(entry.certificate)
    if (leaf === undefined) continue
    const chain = [leaf]
    for (let cert = leaf; chain.length < MAX_DEPTH && cert.subject !== cert.issuer;) {
      const issuer = cas.find((c) => c.subject === cert.issuer && !chain.includes(c))
      if (issuer === undefined) break
      chain.push(issuer)
      cert = issuer
    }
    chains.set(entry.keyId, chain)
  }
  return (keyId) => chains.get(keyId)
}
