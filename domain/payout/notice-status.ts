/**
 * Notice status lists: how a verifier with no database learns what became
 * of the lines a payout notice names (sent, paid, returned by the bank,
 * deposited). The receipts' status lists say voided/replaced per number;
 * a payout line has more states, so this list carries one 4-bit state per
 * line of a round, signed by the agency's token key. Layout in
 * docs/QR-TOKEN.md, "Notice status lists".
 *
 *   magic "BLPN", version 0x01
 *   agency u8 length + ASCII, case u8 length + UTF-8, round u16
 *   issuedAt u32 seconds, freshFor u32 seconds (as receipts' lists)
 *   count u24: the round's lines 1..count
 *   states: ceil(count / 2) bytes, line n's state in the high nibble of byte
 *     (n−1)/2 when n is odd, the low nibble when even; a trailing odd nibble is 0
 *   ---- signed: "bienlai-notice-status-v1\n" + everything above ----
 *   key id 8 bytes, signature 64 bytes
 */
import { Result, Schema } from "effect"
import { ByteReader, ByteWriter, concatBytes, fail, readAll, toHex } from "../signing/bytes.ts"
import { KEY_ID_BYTES, SIGNATURE_BYTES } from "../signing/token.ts"
import type { TrustAnchors } from "../signing/trust.ts"
import { signsTokens } from "../signing/trust.ts"
import { MAX_CASE_BYTES } from "./notice-token.ts"

export const NOTICE_STATUS_VERSION = 1
const MAGIC = new TextEncoder().encode("BLPN")
export const NOTICE_STATUS_SIGNING_CONTEXT = new TextEncoder().encode("bienlai-notice-status-v1\n")

/** A payout line's state as the list carries it (the codes are the layout's). */
export const LINE_STATE_CODES = { planned: 1, approved: 2, sent: 3, paid: 4, returned: 5, deposited: 6 } as const
export type NoticeLineState = keyof typeof LINE_STATE_CODES
const stateOfCode = new Map<number, NoticeLineState>(Object.entries(LINE_STATE_CODES).map(([k, v]) => [v, k as NoticeLineState]))

export const isNoticeLineState = (s: string): s is NoticeLineState => Object.hasOwn(LINE_STATE_CODES, s)

export interface NoticeRoundRef {
  readonly agency: string
  readonly caseDecision: string
  readonly round: number
}

export interface NoticeStatusContent extends NoticeRoundRef {
  /** ISO instant; whole seconds are kept. */
  readonly issuedAt: string
  readonly freshForSeconds: number
  /** The state of each line, line 1 first. */
  readonly states: ReadonlyArray<NoticeLineState>
}

declare const verified: unique symbol

/** A notice status list whose signature was checked against the trust list. */
export interface NoticeStatusList extends NoticeStatusContent {
  readonly [verified]: true
  readonly keyId: string
}

export const noticeRoundKey = (r: NoticeRoundRef): string => `${r.agency}\u0000${r.caseDecision}\u0000${r.round}`

const utf8 = new TextEncoder()

export const encodeNoticeStatusBody = (c: NoticeStatusContent): Uint8Array => {
  if (!Number.isInteger(c.freshForSeconds) || c.freshForSeconds < 0 || c.freshForSeconds > 0xffff_ffff) throw new RangeError(`freshForSeconds ${c.freshForSeconds} is not a whole number of seconds`)
  if (c.states.length > 0xff_ffff) throw new RangeError("a round has at most 16777215 lines")
  const caseBytes = utf8.encode(c.caseDecision)
  const packed = new Uint8Array(Math.ceil(c.states.length / 2))
  c.states.forEach((s, i) => {
    const code = LINE_STATE_CODES[s]
    packed[i >> 1]! |= (i & 1) === 0 ? code << 4 : code
  })
  return new ByteWriter()
    .bytes(MAGIC)
    .u8(NOTICE_STATUS_VERSION)
    .shortText(c.agency)
    .u8(caseBytes.length)
    .bytes(caseBytes)
    .uint(c.round, 2)
    .uint(Math.floor(Date.parse(c.issuedAt) / 1000), 4)
    .uint(c.freshForSeconds, 4)
    .uint(c.states.length, 3)
    .bytes(packed)
    .done()
}

export const noticeStatusSignedBytes = (body: Uint8Array): Uint8Array => concatBytes(NOTICE_STATUS_SIGNING_CONTEXT, body)

export const assembleNoticeStatus = (body: Uint8Array, keyIdHex: string, signature: Uint8Array): Uint8Array => {
  const keyId = new Uint8Array(KEY_ID_BYTES)
  for (let i = 0; i < KEY_ID_BYTES; i++) keyId[i] = parseInt(keyIdHex.slice(2 * i, 2 * i + 2), 16)
  return concatBytes(body, keyId, signature)
}

export class InvalidNoticeStatus extends Schema.TaggedError<InvalidNoticeStatus>()("InvalidNoticeStatus", {
  reason: Schema.String,
  message: Schema.String
}) {}

const invalid = (reason: string) => new InvalidNoticeStatus({ reason, message: `notice status list rejected: ${reason}` })

interface Parsed extends NoticeStatusContent {
  readonly keyId: string
  readonly signature: Uint8Array
  readonly body: Uint8Array
}

const parse = (bytes: Uint8Array): Parsed => {
  const r = new ByteReader(bytes)
  const magic = r.bytes(4, "the magic")
  if (!magic.every((b, i) => b === MAGIC[i])) fail("it is not a notice status list (magic BLPN)")
  const version = r.u8("the version")
  if (version !== NOTICE_STATUS_VERSION) fail(`version ${version} is not supported`)
  const agency = r.shortAscii("the agency")
  const caseLength = r.u8("the length of the case decision")
  if (caseLength < 1 || caseLength > MAX_CASE_BYTES) fail(`the case decision must be 1–${MAX_CASE_BYTES} bytes`)
  const caseDecision = r.utf8(caseLength, "the case decision")
  const round = r.uint(2, "the round")
  const issued = r.uint(4, "the issue time")
  const freshForSeconds = r.uint(4, "the freshness")
  const count = r.uint(3, "the line count")
  const packed = r.bytes(Math.ceil(count / 2), "the states")
  const states: Array<NoticeLineState> = new Array(count)
  for (let i = 0; i < count; i++) {
    const code = (i & 1) === 0 ? packed[i >> 1]! >> 4 : packed[i >> 1]! & 0x0f
    const state = stateOfCode.get(code)
    if (state === undefined) fail(`line ${i + 1} has state code ${code}, which is none`)
    states[i] = state!
  }
  if ((count & 1) === 1 && (packed[packed.length - 1]! & 0x0f) !== 0) fail("the padding nibble is not 0")
  const bodyEnd = r.offset
  const keyId = toHex(r.bytes(KEY_ID_BYTES, "the key id"))
  const signature = r.bytes(SIGNATURE_BYTES, "the signature")
  if (r.remaining > 0) fail(`${r.remaining} unexpected byte(s) after the signature`)
  return { agency, caseDecision, round, issuedAt: new Date(issued * 1000).toISOString(), freshForSeconds, states, keyId, signature, body: bytes.subarray(0, bodyEnd) }
}

/** Reads a signed notice status list and checks it against the trust list: the key must be the agency's token key. */
export const openNoticeStatus = async (bytes: Uint8Array, trust: TrustAnchors): Promise<Result.Result<NoticeStatusList, InvalidNoticeStatus>> => {
  const parsed = readAll(() => parse(bytes))
  if ("error" in parsed) return Result.fail(invalid(parsed.error))
  const p = parsed.value
  const key = trust.keys.get(p.keyId)
  if (key === undefined) return Result.fail(invalid(`key ${p.keyId} is not in the trust list`))
  if (key.agency !== p.agency) return Result.fail(invalid(`key ${p.keyId} is trusted for ${key.agency}, not for ${p.agency}`))
  if (!signsTokens(key.algorithm, key.purpose)) return Result.fail(invalid(`key ${p.keyId} does not sign status lists`))
  let ok = false
  try {
    ok = await key.check.verify(p.signature, noticeStatusSignedBytes(p.body))
  } catch {
    ok = false
  }
  if (!ok) return Result.fail(invalid("the signature does not match: it was altered or forged"))
  if (key.revokedAt !== undefined) return Result.fail(invalid(`key ${p.keyId} was revoked`))
  const { signature: _s, body: _b, ...content } = p
  return Result.succeed(content as NoticeStatusList)
}

export type NoticeStatusLists = ReadonlyMap<string, NoticeStatusList>

export const indexNoticeStatus = (lists: Iterable<NoticeStatusList>): NoticeStatusLists => {
  const map = new Map<string, NoticeStatusList>()
  for (const l of lists) {
    const key = noticeRoundKey(l)
    const held = map.get(key)
    if (held === undefined || held.issuedAt < l.issuedAt) map.set(key, l)
  }
  return map
}

/**
 * The one state a notice is in, from its lines' states: a line the bank
 * returned is what the creditor must hear about first, then money still on
 * its way, then money not yet sent; a notice whose lines were all paid or
 * deposited is settled.
 */
export type NoticeState = "returned" | "sent" | "approved" | "paid" | "deposited" | "settled"

export const noticeStateOf = (lines: ReadonlyArray<NoticeLineState>): NoticeState => {
  if (lines.includes("returned")) return "returned"
  if (lines.includes("sent")) return "sent"
  if (lines.includes("approved") || lines.includes("planned")) return "approved"
  if (lines.every((l) => l === "paid")) return "paid"
  if (lines.every((l) => l === "deposited")) return "deposited"
  return "settled"
}
