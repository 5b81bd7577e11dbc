/**
 * The QR token: a compact, versioned, signed binary summary of an issued
 * receipt, base45-encoded. The byte layout is specified in docs/QR-TOKEN.md;
 * this file is its reference implementation.
 *
 *   version       0x02 (0x01, the first version, is still read: it has no algorithm byte)
 *   algorithm     version 2 only: 0x01 Ed25519, 0x02 ECDSA P-256 with SHA-256
 *   agency        u8 length + ASCII
 *   form          u8 length + ASCII
 *   symbol        6 ASCII bytes ("AA/25E")
 *   number        u24 big-endian
 *   issuedAt      u32 big-endian, seconds since 1970-01-01T00:00:00Z
 *   amount        unsigned LEB128, whole đồng
 *   masked name   u8 length + UTF-8 (NFC)
 *   receipt hash  16 bytes: SHA-256(canonical bytes) truncated
 *   ---- signed: "bienlai-token-v2\n" ("bienlai-token-v1\n" for version 1) + everything above ----
 *   key id        8 bytes
 *   signature     64 bytes (Ed25519, or ECDSA P-256 as raw r‖s)
 *
 * The algorithm byte tells a verifier how to check the signature (and how
 * long it is) before it looks the key up, and puts the signer's choice
 * inside the signed bytes; a version 1 token takes its algorithm from the
 * trust list's entry for its key. RSA never signs a token: a 256-byte
 * signature would not fit a version 10 QR code, so an agency whose seal is
 * RSA signs its tokens with a separate ECDSA P-256 token certificate.
 */
import { Result, Schema } from "effect"
import { MAX_RECEIPT_NUMBER } from "../receipt.ts"
import { decodeBase45, encodeBase45 } from "./base45.ts"
import { ByteReader, ByteWriter, concatBytes, fail, readAll, toHex } from "./bytes.ts"

/** The version this code writes; version 1 is still read. */
export const TOKEN_VERSION = 2
export const RECEIPT_HASH_BYTES = 16
export const KEY_ID_BYTES = 8
export const SIGNATURE_BYTES = 64
const MAX_AMOUNT_VARINT_BYTES = 10
export const MAX_NAME_BYTES = 64

/** The algorithms a token may be signed with: the compact ones. */
export type TokenAlgorithm = "Ed25519" | "ECDSA-P256"

/** The algorithm byte of a version 2 token, and the signature length it implies. */
export const TOKEN_ALGORITHMS: ReadonlyArray<{ readonly code: number; readonly algorithm: TokenAlgorithm; readonly signatureBytes: number }> = [
  { code: 0x01, algorithm: "Ed25519", signatureBytes: 64 },
  { code: 0x02, algorithm: "ECDSA-P256", signatureBytes: 64 }
]

export const tokenAlgorithmCode = (algorithm: TokenAlgorithm): number => TOKEN_ALGORITHMS.find((a) => a.algorithm === algorithm)!.code

/** Prefixed to the signed bytes so a token signature can never pass for a receipt or status-list signature. */
export const TOKEN_SIGNING_CONTEXT = new TextEncoder().encode("bienlai-token-v2\n")
/** The prefix of version 1 tokens. */
export const TOKEN_V1_SIGNING_CONTEXT = new TextEncoder().encode("bienlai-token-v1\n")
/** What the token says about the receipt, before the signature is checked. */
export interface TokenClaims {
  readonly agency: string
  readonly form: string
  readonly symbol: string
  readonly number: number
  /** ISO instant, whole seconds. */
  readonly issuedAt: string
  readonly amount: bigint
  readonly maskedName: string
  readonly receiptHash: Uint8Array
}

export interface DecodedToken extends TokenClaims {
  readonly version: number
  /** The algorithm the token names (version 2); undefined for version 1, where the trust list's key says. */
  readonly algorithm: TokenAlgorithm | undefined
  /** The issue time as seconds since the epoch, as carried. */
  readonly issuedAtSeconds: number
  readonly keyId: string
  readonly signature: Uint8Array
  /** The exact bytes the signature covers (context prefix included). */
  readonly signedBytes: Uint8Array
}

export class MalformedToken extends Schema.TaggedError<MalformedToken>()("MalformedToken", {
  reason: Schema.String,
  message: Schema.String
}) {}

const malformed = (reason: string) => new MalformedToken({ reason, message: `malformed token: ${reason}` })

const agencyPattern = /^[A-Z][A-Z0-9]{1,15}$/
const formPattern = /^[0-9A-Z][0-9A-Z/.-]{0,19}$/
const symbolPattern = /^[A-Z]{2}\/\d{2}E$/

/**
 * The part of the token that is signed (without the context prefix): version
 * 2 with the algorithm byte. `version: 1` writes the first layout, which
 * only tests use, to show that such tokens are still read.
 */
export const encodeTokenBody = (c: TokenClaims, algorithm: TokenAlgorithm, version: 1 | 2 = TOKEN_VERSION): Uint8Array => {
  if (c.receiptHash.length !== RECEIPT_HASH_BYTES) throw new RangeError(`the receipt hash must be ${RECEIPT_HASH_BYTES} bytes`)
  const seconds = Date.parse(c.issuedAt) / 1000
  const w = new ByteWriter().u8(version)
  if (version === 2) w.u8(tokenAlgorithmCode(algorithm))
  return w
    .shortText(c.agency)
    .shortText(c.form)
    .fixedText(c.symbol)
    .uint(c.number, 3)
    .uint(Math.floor(seconds), 4)
    .varint(c.amount)
    .shortText(c.maskedName)
    .bytes(c.receiptHash)
    .done()
}

/** The bytes a token's signature covers: the context of the body's version, then the body. */
export const tokenSignedBytes = (body: Uint8Array): Uint8Array => concatBytes(body[0] === 1 ? TOKEN_V1_SIGNING_CONTEXT : TOKEN_SIGNING_CONTEXT, body)

/** Body + key id + signature, base45-encoded. */
export const assembleToken = (body: Uint8Array, keyIdHex: string, signature: Uint8Array): string => {
  const keyId = new ByteWriter()
  for (let i = 0; i < KEY_ID_BYTES; i++) keyId.u8(parseInt(keyIdHex.slice(2 * i, 2 * i + 2), 16))
  return encodeBase45(concatBytes(body, keyId.done(), signature))
}

const parseBytes = (bytes: Uint8Array): DecodedToken => {
  const r = new ByteReader(bytes)
  const version = r.u8("the version")
  if (version !== 1 && version !== 2) fail(`version ${version} is not supported (this verifier reads versions 1 and 2)`)
  let algorithm: TokenAlgorithm | undefined
  let signatureBytes = SIGNATURE_BYTES
  if (version === 2) {
    const code = r.u8("the algorithm")
    const known = TOKEN_ALGORITHMS.find((a) => a.code === code)
    if (known === undefined) fail(`algorithm 0x${code.toString(16).padStart(2, "0")} is not one a token is signed with (0x01 Ed25519, 0x02 ECDSA P-256)`)
    algorithm = known!.algorithm
    signatureBytes = known!.signatureBytes
  }
  const agency = r.shortAscii("the agency")
  if (!agencyPattern.test(agency)) fail(`"${agency}" is not an agency code`)
  const form = r.shortAscii("the form number")
  if (!formPattern.test(form)) fail(`"${form}" is not a form number`)
  const symbol = r.ascii(6, "the series symbol")
  if (!symbolPattern.test(symbol)) fail(`"${symbol}" is not a series symbol`)
  const number = r.uint(3, "the receipt number")
  if (number < 1 || number > MAX_RECEIPT_NUMBER) fail(`receipt number ${number} is outside 1–${MAX_RECEIPT_NUMBER}`)
  const seconds = r.uint(4, "the issue time")
  const amount = r.varint("the amount", MAX_AMOUNT_VARINT_BYTES)
  if (amount <= 0n) fail("the amount is not positive")
  const nameLength = r.u8("the length of the payer's name")
  if (nameLength > MAX_NAME_BYTES) fail(`the payer's name is longer than ${MAX_NAME_BYTES} bytes`)
  const maskedName = r.utf8(nameLength, "the payer's name")
  if (maskedName !== maskedName.normalize("NFC")) fail("the payer's name is not in NFC")
  const receiptHash = r.bytes(RECEIPT_HASH_BYTES, "the receipt hash")
  const bodyEnd = r.offset
  const keyId = toHex(r.bytes(KEY_ID_BYTES, "the key id"))
  const signature = r.bytes(signatureBytes, "the signature")
  if (r.remaining > 0) fail(`${r.remaining} unexpected byte(s) after the signature`)
  return {
    version,
    algorithm,
    agency,
    form,
    symbol,
    number,
    issuedAt: new Date(seconds * 1000).toISOString(),
    issuedAtSeconds: seconds,
    amount,
    maskedName,
    receiptHash,
    keyId,
    signature,
    signedBytes: tokenSignedBytes(bytes.subarray(0, bodyEnd))
  }
}

/** Reads a base45 token (as in the URL path after percent-decoding); never throws. */
export const decodeToken = (token: string): Result.Result<DecodedToken, MalformedToken> => {
  if (token.length === 0) return Result.fail(malformed("the token is empty"))
  if (token.length > 1000) return Result.fail(malformed("the token is too long"))
  const bytes = decodeBase45(token)
  if (Result.isFailure(bytes)) return Result.fail(malformed(bytes.failure.message))
  const parsed = readAll(() => parseBytes(bytes.success))
  return "value" in parsed ? Result.succeed(parsed.value) : Result.fail(malformed(parsed.error))
}
