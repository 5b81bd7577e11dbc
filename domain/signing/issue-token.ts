/**
 * Signing at issuance, through the Signer port: the seal over the canonical
 * bytes (stored with the receipt) and the QR token (a second signature over
 * the token body, which carries a hash of those same canonical bytes).
 *
 * Two signatures because an offline verifier holds only the token: Ed25519
 * signs whole messages, so a signature over the full canonical receipt
 * cannot be checked from a hash of it. The token signature binds the printed
 * summary to the receipt through the hash; the seal remains the signature on
 * the complete receipt. With ECDSA (the default) the token differs at every
 * signing, so store the token with the receipt rather than re-deriving it.
 *
 * The seal is signed with the agency's seal key, the token and the status
 * lists with its token key (the same key unless the seal is RSA: see
 * domain/ports/signer.ts).
 */
import { Effect } from "effect"
import { canonicalBytes } from "../canonical.ts"
import { Signer } from "../ports/signer.ts"
import type { SigningError } from "../ports/signer.ts"
import { maskName } from "../privacy.ts"
import type { IssuedReceipt, Seal } from "../receipt.ts"
import { fromBase64Url } from "./bytes.ts"
import { assembleStatusList, encodeStatusListBody, statusListSignedBytes } from "./status-list.ts"
import type { StatusListContent } from "./status-list.ts"
import { assembleToken, encodeTokenBody, RECEIPT_HASH_BYTES, tokenSignedBytes } from "./token.ts"
import type { TokenClaims } from "./token.ts"
import type { SignatureAlgorithm } from "./trust.ts"

/** First 16 bytes of SHA-256 over the canonical bytes. */
export const receiptHash = (receipt: IssuedReceipt): Effect.Effect<Uint8Array> =>
  Effect.promise(() => crypto.subtle.digest("SHA-256", canonicalBytes(receipt) as Uint8Array<ArrayBuffer>)).pipe(
    Effect.map((digest) => new Uint8Array(digest).slice(0, RECEIPT_HASH_BYTES))
  )

export const tokenClaimsOf = (receipt: IssuedReceipt, hash: Uint8Array): TokenClaims => ({
  agency: receipt.agency,
  form: receipt.series.form,
  symbol: receipt.series.symbol,
  number: receipt.number,
  issuedAt: receipt.issuedAt,
  amount: receipt.amount,
  maskedName: maskName(receipt.payer.name),
  receiptHash: hash
})

const signatureBytes = (seal: Seal): Uint8Array => fromBase64Url(seal.signature) ?? new Uint8Array()

/** The agency's seal over the receipt's canonical bytes. */
export const sealReceipt = (receipt: IssuedReceipt): Effect.Effect<Seal, SigningError, Signer> =>
  Effect.gen(function*() {
    const signer = yield* Signer
    return yield* signer.sign(receipt.agency, canonicalBytes(receipt))
  })

const compactAlgorithm = (algorithm: SignatureAlgorithm) => {
  // Signer adapters never hand an RSA key out for tokens; reaching this is a bug in one.
  if (algorithm === "RSA-PSS") throw new RangeError("an RSA key cannot sign a QR token or a status list")
  return algorithm
}

/** The base45 QR token for an issued receipt, signed with the agency's token key. */
export const signToken = (receipt: IssuedReceipt): Effect.Effect<string, SigningError, Signer> =>
  Effect.gen(function*() {
    const signer = yield* Signer
    const claims = tokenClaimsOf(receipt, yield* receiptHash(receipt))
    let body: Uint8Array = new Uint8Array()
    const seal = yield* signer.signWith(receipt.agency, "token", (key) => {
      body = encodeTokenBody(claims, compactAlgorithm(key.algorithm))
      return tokenSignedBytes(body)
    })
    return assembleToken(body, seal.keyId, signatureBytes(seal))
  })

/** Seal and token together, as issuance needs them. */
export const sealAndToken = (receipt: IssuedReceipt): Effect.Effect<{ readonly seal: Seal; readonly token: string }, SigningError, Signer> =>
  Effect.all({ seal: sealReceipt(receipt), token: signToken(receipt) })

/** A signed status list for one series, ready to publish (signed with the agency's token key: its signature is 64 bytes). */
export const signStatusList = (content: StatusListContent): Effect.Effect<Uint8Array, SigningError, Signer> =>
  Effect.gen(function*() {
    const signer = yield* Signer
    const body = yield* Effect.promise(() => encodeStatusListBody(content))
    const seal = yield* signer.signWith(content.agency, "token", (key) => {
      compactAlgorithm(key.algorithm)
      return statusListSignedBytes(body)
    })
    return assembleStatusList(body, seal.keyId, signatureBytes(seal))
  })
