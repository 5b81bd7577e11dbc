/**
 * The one place that decides whether a trust list obtained from elsewhere
 * (fetched from the public service by `bienlai verify`) may be believed: it
 * must be signed by a root certificate this verifier already holds (the
 * root of its key store, or one given with --root), and unaltered since.
 *
 * The root's signature covers the whole list, so a list with an entry left
 * out (a revocation hidden by whoever served it) or a key slipped in fails
 * here, as does a bare list without a signature.
 */
import { Result } from "effect"
import type { SignatureVerifier } from "../../domain/ports/signature-verifier.ts"
import { InvalidTrustList, loadTrustList, type LoadedTrust } from "./trust-list.ts"
import { x509 } from "./x509.ts"

export const checkTrustListAnchor = async (
  json: unknown,
  heldRoots: ReadonlyArray<x509.X509Certificate>,
  verifier?: SignatureVerifier["Service"]
): Promise<Result.Result<LoadedTrust, InvalidTrustList>> => {
  if (heldRoots.length === 0) return Result.fail(new InvalidTrustList({ message: "no root certificate is held to check the trust list against" }))
  return loadTrustList(json, { heldRoots, ...(verifier === undefined ? {} : { verifier }) })
}

/** A root certificate from a PEM or DER file's bytes. */
export const parseRootCertificate = (bytes: Uint8Array): x509.X509Certificate => {
  const text = new TextDecoder().decode(bytes)
  return text.includes("-----BEGIN") ? new x509.X509Certificate(text) : new x509.X509Certificate(bytes as Uint8Array<ArrayBuffer>)
}
