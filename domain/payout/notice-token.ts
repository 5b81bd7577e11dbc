/**
 * The payout notice's QR token: the same idea as a receipt's token (base45,
 * the agency's token key, the trust list) for a creditor's notice (giấy báo
 * nhận tiền). Its first byte, the kind, is 0x11, so a verifier tells it from
 * a receipt token (0x01, 0x02) before anything else; the byte layout is in
 * docs/QR-TOKEN.md, "Payout notice tokens".
 *
 *   kind          0x11 (payout notice, version 1)
 *   algorithm     0x01 Ed25519, 0x02 ECDSA P-256 with SHA-256 (as receipts' version 2)
 *   agency        u8 length + ASCII
 *   case          u8 length + UTF-8 (NFC): the judgment-enforcement decision, e.g. "3699/QĐ-CTHADS"
 *   round         u16 (1–999)
 *   first line    u24: the line number (1-based, in plan order) of the notice's first line
 *   line count    u8 (1–255): the notice's lines are first line … first line + count − 1
 *   approvedAt    u32 seconds since the epoch: when the round was approved
 *   amount        LEB128 whole đồng: what the notice's lines pay (before the fee)
 *   fee           LEB128 whole đồng (≤ amount)
 *   masked name   u8 length + UTF-8 (NFC)
 *   notice hash   16 bytes: SHA-256 of the notice's canonical bytes, truncated
 *   ---- signed: "bienlai-notice-v1\n" + everything above ----
 *   key id        8 bytes
 *   signature     64 bytes
 *
 * The line range is what the notice's status list (notice-status.ts) is read
 * at, as a receipt's number is read in its series' list.
 */
import { Result, Schema } from "effect"
import { decodeBase45, encodeBase45 } from "../signing/base45.ts"
import { ByteReader, ByteWriter, concatBytes, fail, readAll, toHex } from "../signing/bytes.ts"
import { KEY_ID_BYTES, TOKEN_ALGORITHMS, type TokenAlgorithm, tokenAlgorithmCode } from "../signing/token.ts"

/** The kind byte of a payout notice token (receipt tokens start 0x01 or 0x02). */
export const NOTICE_TOKEN_KIND = 0x11
export const NOTICE_HASH_BYTES = 16
export const MAX_CASE_BYTES = 48
export const MAX_NOTICE_NAME_BYTES = 64
export const MAX_NOTICE_LINES = 255
const MAX_AMOUNT_VARINT_BYTES = 10

/** Prefixed to the signed bytes: a notice token's signature can never pass for a receipt token's, a seal or a status list's. */
export const NOTICE_SIGNING_CONTEXT = new TextEncoder().encode("bienlai-notice-v1\n")

/** What a notice token says, before its signature is checked. */
export interface NoticeTokenClaims {
  readonly agency: string
  readonly caseDecision: string
  readonly round: number
  readonly firstLine: number
  readonly lineCount: number
  /** ISO instant, whole seconds. */
  readonly approvedAt: string
  readonly amount: bigint
  readonly fee: bigint
  readonly maskedName: string
  readonly noticeHash: Uint8Array
}

export interface DecodedNoticeToken extends NoticeTokenClaims {
  readonly algorithm: TokenAlgorithm
  readonly approvedAtSeconds: number
  readonly keyId: string
  readonly signature: Uint8Array
  readonly signedBytes: Uint8Array
}

export class MalformedNoticeToken extends Schema.TaggedError<MalformedNoticeToken>()("MalformedNoticeToken", {
  reason: Schema.String,
  message: Schema.String
}) {}

const malformed = (reason: string) => new MalformedNoticeToken({ reason, message: `malformed notice token: ${reason}` })

const agencyPattern = /^[A-Z][A-Z0-9]{1,15}$/
const utf8 = new TextEncoder()

/** Why these claims cannot be written as a token, or undefined when they can. */
export const noticeClaimsProblem = (c: NoticeTokenClaims): string | undefined => {
  if (!agencyPattern.test(c.agency)) return `"${c.agency}" is not an agency code`
  const caseBytes = utf8.encode(c.caseDecision).length
  if (caseBytes < 1 || caseBytes > MAX_CASE_BYTES || c.caseDecision !== c.caseDecision.normalize("NFC")) return `the case decision must be 1–${MAX_CASE_BYTES} bytes of NFC text`
  if (!Number.isInteger(c.round) || c.round < 1 || c.round > 999) return `round ${c.round} is outside 1–999`
  if (!Number.isInteger(c.firstLine) || c.firstLine < 1 || c.firstLine > 0xff_ffff) return `first line ${c.firstLine} is outside 1–16777215`
  if (!Number.isInteger(c.lineCount) || c.lineCount < 1 || c.lineCount > MAX_NOTICE_LINES) return `line count ${c.lineCount} is outside 1–${MAX_NOTICE_LINES}`
  if (c.firstLine + c.lineCount - 1 > 0xff_ffff) return "the notice's lines run past line 16777215"
  const seconds = Date.parse(c.approvedAt) / 1000
  if (!Number.isFinite(seconds) || seconds < 0 || seconds > 0xffff_ffff) return `approval time ${c.approvedAt} is not representable`
  if (c.amount < 0n || c.fee < 0n || c.fee > c.amount) return "the fee must be between 0 and the amount"
  const nameBytes = utf8.encode(c.maskedName).length
  if (nameBytes > MAX_NOTICE_NAME_BYTES || c.maskedName !== c.maskedName.normalize("NFC")) return `the masked name must be at most ${MAX_NOTICE_NAME_BYTES} bytes of NFC text`
  if (c.noticeHash.length !== NOTICE_HASH_BYTES) return `the notice hash must be ${NOTICE_HASH_BYTES} bytes`
  return undefined
}

/** The signed part of a notice token (without the context prefix). */
export const encodeNoticeTokenBody = (c: NoticeTokenClaims, algorithm: TokenAlgorithm): Uint8Array => {
  const problem = noticeClaimsProblem(c)
  if (problem !== undefined) throw new RangeError(`cannot write the notice token: ${problem}`)
  const caseBytes = utf8.encode(c.caseDecision)
  const nameBytes = utf8.encode(c.maskedName)
  return new ByteWriter()
    .u8(NOTICE_TOKEN_KIND)
    .u8(tokenAlgorithmCode(algorithm))
    .shortText(c.agency)
    .u8(caseBytes.length)
    .bytes(caseBytes)
    .uint(c.round, 2)
    .uint(c.firstLine, 3)
    .u8(c.lineCount)
    .uint(Math.floor(Date.parse(c.approvedAt) / 1000), 4)
    .varint(c.amount)
    .varint(c.fee)
    .u8(nameBytes.length)
    .bytes(nameBytes)
    .bytes(c.noticeHash)
    .done()
}

export const noticeTokenSignedBytes = (body: Uint8Array): Uint8Array => concatBytes(NOTICE_SIGNING_CONTEXT, body)

/** Body + key id + signature, base45-encoded. */
export const assembleNoticeToken = (body: Uint8Array, keyIdHex: string, signature: Uint8Array): string => {
  const keyId = new Uint8Array(KEY_ID_BYTES)
  for (let i = 0; i < KEY_ID_BYTES; i++) keyId[i] = parseInt(keyIdHex.slice(2 * i, 2 * i + 2), 16)
  return encodeBase45(concatBytes(body, keyId, signature))
}

const parseBytes = (bytes: Uint8Array): DecodedNoticeToken => {
  const r = new ByteReader(bytes)
  const kind = r.u8("the kind")
  if (kind !== NOTICE_TOKEN_KIND) fail(`kind 0x${kind.toString(16).padStart(2, "0")} is not a payout notice (0x11)`)
  const code = r.u8("the algorithm")
  const known = TOKEN_ALGORITHMS.find((a) => a.code === code)
  if (known === undefined) fail(`algorithm 0x${code.toString(16).padStart(2, "0")} is not one a token is signed with (0x01 Ed25519, 0x02 ECDSA P-256)`)
  const agency = r.shortAscii("the agency")
  if (!agencyPattern.test(agency)) fail(`"${agency}" is not an agency code`)
  const caseLength = r.u8("the length of the case decision")
  if (caseLength < 1 || caseLength > MAX_CASE_BYTES) fail(`the case decision must be 1–${MAX_CASE_BYTES} bytes`)
  const caseDecision = r.utf8(caseLength, "the case decision")
  if (caseDecision !== caseDecision.normalize("NFC")) fail("the case decision is not in NFC")
  const round = r.uint(2, "the round")
  if (round < 1 || round > 999) fail(`round ${round} is outside 1–999`)
  const firstLine = r.uint(3, "the first line")
  if (firstLine < 1) fail("the first line is 0")
  const lineCount = r.u8("the line count")
  if (lineCount < 1) fail("the notice has no lines")
  if (firstLine + lineCount - 1 > 0xff_ffff) fail("the notice's lines run past line 16777215")
  const seconds = r.uint(4, "the approval time")
  const amount = r.varint("the amount", MAX_AMOUNT_VARINT_BYTES)
  const fee = r.varint("the fee", MAX_AMOUNT_VARINT_BYTES)
  if (fee > amount) fail("the fee is larger than the amount")
  const nameLength = r.u8("the length of the creditor's name")
  if (nameLength > MAX_NOTICE_NAME_BYTES) fail(`the creditor's name is longer than ${MAX_NOTICE_NAME_BYTES} bytes`)
  const maskedName = r.utf8(nameLength, "the creditor's name")
  if (maskedName !== maskedName.normalize("NFC")) fail("the creditor's name is not in NFC")
  const noticeHash = r.bytes(NOTICE_HASH_BYTES, "the notice hash")
  const bodyEnd = r.offset
  const keyId = toHex(r.bytes(KEY_ID_BYTES, "the key id"))
  const signature = r.bytes(known!.signatureBytes, "the signature")
  if (r.remaining > 0) fail(`${r.remaining} unexpected byte(s) after the signature`)
  return {
    algorithm: known!.algorithm,
    agency,
    caseDecision,
    round,
    firstLine,
    lineCount,
    approvedAt: new Date(seconds * 1000).toISOString(),
    approvedAtSeconds: seconds,
    amount,
    fee,
    maskedName,
    noticeHash: new Uint8Array(noticeHash),
    keyId,
    signature: new Uint8Array(signature),
    signedBytes: noticeTokenSignedBytes(bytes.subarray(0, bodyEnd))
  }
}

/** Reads a base45 notice token; never throws. */
export const decodeNoticeToken = (token: string): Result.Result<DecodedNoticeToken, MalformedNoticeToken> => {
  if (token.length === 0) return Result.fail(malformed("the token is empty"))
  if (token.length > 1000) return Result.fail(malformed("the token is too long"))
  const bytes = decodeBase45(token)
  if (Result.isFailure(bytes)) return Result.fail(malformed(bytes.failure.message))
  const parsed = readAll(() => parseBytes(bytes.success))
  return "value" in parsed ? Result.succeed(parsed.value) : Result.fail(malformed(parsed.error))
}

/**
 * Whether a token is a payout notice's (its first byte is the notice kind),
 * so a verifier knows which reader to use; a token that does not decode at
 * all is left to the receipt reader, which names what is wrong.
 */
export const isNoticeToken = (token: string): boolean => {
  if (typeof token !== "string" || token.length < 3) return false
  const head = decodeBase45(token.slice(0, 3))
  return Result.isSuccess(head) && head.success[0] === NOTICE_TOKEN_KIND
}
