/**
 * The one place that decides whether a trust list obtained from elsewhere
 * (fetched from the public service by `bienlai verify`) may be believed: it
 * must be anchored in a root certificate this verifier already holds (the
 * root of its key store, or one given with --root).
 *
 * Today that means: the list's roots are replaced by the held roots it
 * names (byte for byte), so every agency certificate in it must chain to a
 * root held beforehand; a list naming none of them is refused. What this
 * cannot yet catch is a list with entries left out (a revocation hidden by
 * whoever served it): the root-signed trust list closes that, and its
 * signature check belongs here.
 */
import { Result } from "effect"
import { TrustList as TrustListSchema } from "../../domain/signing/trust.ts"
import { listIssues } from "../../domain/receipt.ts"
import { Schema } from "effect"
import { InvalidTrustList, loadTrustList, type LoadedTrust } from "./trust-list.ts"
import { x509 } from "./x509.ts"

const decode = Schema.decodeUnknownResult(TrustListSchema)

const sameBytes = (a: ArrayBuffer, b: ArrayBuffer): boolean => {
  if (a.byteLength !== b.byteLength) return false
  const x = new Uint8Array(a)
  const y = new Uint8Array(b)
  return x.every((v, i) => v === y[i])
}

export const checkTrustListAnchor = async (json: unknown, heldRoots: ReadonlyArray<x509.X509Certificate>): Promise<Result.Result<LoadedTrust, InvalidTrustList>> => {
  if (heldRoots.length === 0) return Result.fail(new InvalidTrustList({ message: "no root certificate is held to check the trust list against" }))
  const decoded = decode(json, { errors: "all" })
  if (Result.isFailure(decoded)) {
    return Result.fail(new InvalidTrustList({ message: `invalid trust list: ${listIssues(decoded.failure.issue).map((i) => `${i.path}: ${i.message}`).join("; ")}` }))
  }
  const list = decoded.success
  const anchored = list.roots.filter((r) => {
    let cert: x509.X509Certificate
    try {
      cert = new x509.X509Certificate(Buffer.from(r.certificate, "base64"))
    } catch {
      return false
    }
    return heldRoots.some((held) => sameBytes(held.rawData, cert.rawData))
  })
  if (anchored.length === 0) {
    return Result.fail(new InvalidTrustList({ message: `the trust list is not anchored in the root held here (${heldRoots.map((r) => r.subject).join("; ")})` }))
  }
  return loadTrustList({ ...list, roots: anchored })
}

/** A root certificate from a PEM or DER file's bytes. */
export const parseRootCertificate = (bytes: Uint8Array): x509.X509Certificate => {
  const text = new TextDecoder().decode(bytes)
  return text.includes("-----BEGIN") ? new x509.X509Certificate(text) : new x509.X509Certificate(bytes as Uint8Array<ArrayBuffer>)
}
