/**
 * The trust list signed by the root: a JWS (RFC 7515) in the flattened JSON
 * serialisation, so that any JOSE library can check it. Byte for byte, in
 * docs/SIGNING.md ("The signed trust list"):
 *
 *   {
 *     "payload":   BASE64URL(the trust list as UTF-8 JSON),
 *     "protected": BASE64URL(UTF-8 JSON of {"alg": "ES256" | "EdDSA" | "PS256",
 *                                           "typ": "bienlai-trust-list+json",
 *                                           "x5c": [base64 DER of the root certificate]}),
 *     "signature": BASE64URL(the root's signature over ASCII(protected + "." + payload))
 *   }
 *
 * ES256 signatures are raw r‖s; PS256 is RSASSA-PSS with SHA-256, MGF1 and
 * a 32-byte salt. A verifier refuses a bare (unsigned) list, any change to
 * the payload or the header, and a list signed by a root it does not hold.
 */
import { Result, Schema } from "effect"
import { listIssues } from "../../domain/receipt.ts"
import type { SignatureVerifier } from "../../domain/ports/signature-verifier.ts"
import type { SignatureAlgorithm, TrustList } from "../../domain/signing/trust.ts"
import { TrustList as TrustListSchema } from "../../domain/signing/trust.ts"
import { fastestVerifier } from "../verify/fastest.ts"
import { algorithmOf, signingParams } from "./pki.ts"
import { InvalidTrustList } from "./trust-list-error.ts"
import { x509 } from "./x509.ts"

export const TRUST_LIST_JWS_TYPE = "bienlai-trust-list+json"

export interface SignedTrustList {
  readonly payload: string
  readonly protected: string
  readonly signature: string
}

const JWS_ALG: Record<SignatureAlgorithm, string> = { "ECDSA-P256": "ES256", Ed25519: "EdDSA", "RSA-PSS": "PS256" }

const utf8 = new TextEncoder()
const b64url = (bytes: Uint8Array | string) => Buffer.from(typeof bytes === "string" ? utf8.encode(bytes) : bytes).toString("base64url")
/** Base64url as written by an encoder: unpadded and canonical (no unused low bits set), so every text has one meaning. */
const isB64url = (s: unknown): s is string =>
  typeof s === "string" && /^[A-Za-z0-9_-]+$/.test(s) && Buffer.from(s, "base64url").toString("base64url") === s

/** The exact payload bytes: the list as 2-space-indented JSON with a final newline, readable once decoded. */
export const trustListPayload = (list: TrustList): Uint8Array => utf8.encode(JSON.stringify(list, null, 2) + "\n")

/** Signs a trust list with the root's private key. */
export const signTrustList = async (list: TrustList, root: { readonly certificate: x509.X509Certificate; readonly privateKey: CryptoKey }): Promise<SignedTrustList> => {
  const algorithm = algorithmOf(root.certificate)
  if (algorithm === undefined) throw new Error("the root certificate's algorithm cannot sign a trust list")
  const header = { alg: JWS_ALG[algorithm], typ: TRUST_LIST_JWS_TYPE, x5c: [Buffer.from(root.certificate.rawData).toString("base64")] }
  const protectedHeader = b64url(JSON.stringify(header))
  const payload = b64url(trustListPayload(list))
  const signature = new Uint8Array(await crypto.subtle.sign(signingParams(algorithm), root.privateKey, utf8.encode(`${protectedHeader}.${payload}`)))
  return { payload, protected: protectedHeader, signature: b64url(signature) }
}

const refuse = (message: string) => Result.fail(new InvalidTrustList({ message }))

const decodeList = Schema.decodeUnknownResult(TrustListSchema)

const sameBytes = (a: ArrayBuffer, b: ArrayBuffer): boolean => Buffer.from(a).equals(Buffer.from(b))

/**
 * Opens a signed trust list: checks the envelope, the header, who signed it
 * (one of `heldRoots` if given, else a root the list itself names) and the
 * signature, then decodes the list. Never throws.
 */
export const openSignedTrustList = async (
  json: unknown,
  options: { readonly verifier?: SignatureVerifier["Service"]; readonly heldRoots?: ReadonlyArray<x509.X509Certificate> } = {}
): Promise<Result.Result<TrustList, InvalidTrustList>> => {
  if (typeof json !== "object" || json === null) return refuse("the trust list is not a JSON object")
  const envelope = json as Record<string, unknown>
  if (envelope["format"] === "bienlai-trust-list") {
    return refuse("the trust list is not signed by the root: it is a bare list; sign it with `bienlai keys trust-list` on the machine that holds the root")
  }
  if (!isB64url(envelope["payload"]) || !isB64url(envelope["protected"]) || !isB64url(envelope["signature"])) {
    return refuse("the trust list is not signed: expected a JWS envelope { payload, protected, signature } (docs/SIGNING.md)")
  }
  const extra = Object.keys(envelope).filter((k) => !["payload", "protected", "signature"].includes(k))
  if (extra.length > 0) return refuse(`the signed trust list has unexpected member(s) outside its signature: ${extra.join(", ")}`)
  let header: { alg?: unknown; typ?: unknown; x5c?: unknown; crit?: unknown }
  try {
    header = JSON.parse(Buffer.from(envelope["protected"], "base64url").toString("utf8"))
  } catch {
    return refuse("the signed trust list's header is not JSON")
  }
  if (header.typ !== TRUST_LIST_JWS_TYPE) return refuse(`the signed document is not a trust list (typ ${JSON.stringify(header.typ)})`)
  if (header.crit !== undefined) return refuse("the signed trust list's header has critical extensions this verifier does not know")
  if (!Array.isArray(header.x5c) || header.x5c.length !== 1 || typeof header.x5c[0] !== "string") return refuse("the signed trust list's header does not name the root that signed it (x5c)")
  let signer: x509.X509Certificate
  try {
    signer = new x509.X509Certificate(Buffer.from(header.x5c[0], "base64"))
  } catch {
    return refuse("the certificate that signed the trust list does not parse")
  }
  const algorithm = algorithmOf(signer)
  if (algorithm === undefined || header.alg !== JWS_ALG[algorithm]) return refuse(`the trust list's signature algorithm ${JSON.stringify(header.alg)} is not that of the root that signed it`)
  if (options.heldRoots !== undefined && !options.heldRoots.some((r) => sameBytes(r.rawData, signer.rawData))) {
    return refuse(`the trust list is signed by "${signer.subject}", not by the root held here (${options.heldRoots.map((r) => r.subject).join("; ") || "none"})`)
  }
  const verifier = options.verifier ?? fastestVerifier()
  let valid = false
  try {
    const check = await verifier.importPublicKey(new Uint8Array(signer.publicKey.rawData), algorithm)
    valid = await check.verify(Buffer.from(envelope["signature"], "base64url"), utf8.encode(`${envelope["protected"]}.${envelope["payload"]}`))
  } catch {
    valid = false
  }
  if (!valid) return refuse("the trust list's signature does not verify: it was altered after the root signed it, or forged")
  let content: unknown
  try {
    content = JSON.parse(Buffer.from(envelope["payload"], "base64url").toString("utf8"))
  } catch {
    return refuse("the signed trust list's payload is not JSON")
  }
  const decoded = decodeList(content, { errors: "all" })
  if (Result.isFailure(decoded)) {
    return refuse(`invalid trust list: ${listIssues(decoded.failure.issue).map((i) => `${i.path}: ${i.message}`).join("; ")}`)
  }
  const list = decoded.success
  if (!list.roots.some((r) => Buffer.from(r.certificate, "base64").equals(Buffer.from(signer.rawData)))) {
    return refuse("the trust list is signed by a certificate that is not among its roots")
  }
  // Signed by itself: a self-signed CA. When the signer was not pinned by a held root, this is all that ties the list to it.
  if (options.heldRoots === undefined) {
    let selfSigned = false
    try {
      selfSigned = await signer.verify({ signatureOnly: true })
    } catch {
      selfSigned = false
    }
    if (!selfSigned) return refuse("the certificate that signed the trust list is not a self-signed root")
  }
  return Result.succeed(list)
}

/** The payload of a signed trust list, unchecked: for tools that only display it. */
export const peekTrustList = (envelope: SignedTrustList): unknown => JSON.parse(Buffer.from(envelope.payload, "base64url").toString("utf8"))
