/**
 * Status lists: how a verifier with no database learns that a receipt was
 * voided or replaced. One list per series (agency, form, symbol), published
 * by the agency as a small signed binary file that any cache may hold; the
 * issue time inside lets a client judge freshness. Layout in docs/SIGNING.md.
 *
 *   magic "BLSL", version 0x02
 *   agency u8 length + ASCII, form u8 length + ASCII, symbol 6 ASCII
 *   issuedAt u32 seconds since the epoch
 *   freshFor u32 seconds: how long after issuedAt the agency vouches that
 *     the list is current (a verifier treats an older list as stale)
 *   size u24: the list covers numbers 1..size
 *   bitsLength u32, then gzip(bitstring): bit for number n is bit n−1,
 *     most significant bit first; set = voided or replaced
 *   replacements: u24 count, then per entry number u24, replacement form
 *     (u8 length + ASCII), replacement symbol (6 ASCII), replacement number u24
 *   ---- signed: "bienlai-status-v1\n" + everything above ----
 *   key id 8 bytes, signature 64 bytes
 *
 * A set bit with no replacement entry means voided. Replacement entries are
 * rare, so they travel as a plain list instead of a second bitstring.
 *
 * Version 1 lists (no freshFor) are still read, as vouching for 0 seconds:
 * they can prove a receipt voided or replaced, never that it is in force.
 */
import { Result, Schema } from "effect"
import { MAX_RECEIPT_NUMBER } from "../receipt.ts"
import { seriesKey } from "../series-key.ts"
import { ByteReader, ByteWriter, concatBytes, fail, readAll, toHex } from "./bytes.ts"
import { KEY_ID_BYTES, SIGNATURE_BYTES } from "./token.ts"
import type { TrustAnchors } from "./trust.ts"
import { signsTokens } from "./trust.ts"

export const STATUS_LIST_VERSION = 2
const MAGIC = new TextEncoder().encode("BLSL")
export const STATUS_SIGNING_CONTEXT = new TextEncoder().encode("bienlai-status-v1\n")

export interface SeriesRef {
  readonly form: string
  readonly symbol: string
  readonly number: number
}

export interface StatusListContent {
  readonly agency: string
  readonly form: string
  readonly symbol: string
  /** ISO instant; whole seconds are kept. */
  readonly issuedAt: string
  /**
   * How long after `issuedAt` the agency vouches that the list is current
   * (whole seconds): the publisher's promise to have signed a newer one by
   * then. Past it, "not voided" means only "not voided when it was signed".
   */
  readonly freshForSeconds: number
  /** Numbers 1..size are covered (the highest number issued when the list was made). */
  readonly size: number
  readonly voided: ReadonlyArray<number>
  readonly replaced: ReadonlyArray<{ readonly number: number; readonly by: SeriesRef }>
}

declare const verified: unique symbol

/** A status list whose signature was checked against the trust list. */
export interface StatusList {
  readonly [verified]: true
  readonly agency: string
  readonly form: string
  readonly symbol: string
  readonly issuedAt: string
  readonly freshForSeconds: number
  readonly size: number
  readonly keyId: string
  readonly bits: Uint8Array
  readonly replacements: ReadonlyMap<number, SeriesRef>
}

export type StatusLists = ReadonlyMap<string, StatusList>

export const indexStatusLists = (lists: Iterable<StatusList>): StatusLists => {
  const map = new Map<string, StatusList>()
  for (const l of lists) {
    const key = seriesKey(l)
    const held = map.get(key)
    if (held === undefined || held.issuedAt < l.issuedAt) map.set(key, l)
  }
  return map
}

export type ReceiptStatusInList =
  | { readonly kind: "good" }
  | { readonly kind: "voided" }
  | { readonly kind: "replaced"; readonly by: SeriesRef }
  | { readonly kind: "not-covered" }

export const statusOf = (list: StatusList, number: number): ReceiptStatusInList => {
  if (number < 1 || number > list.size) return { kind: "not-covered" }
  const i = number - 1
  if (((list.bits[i >> 3]! >> (7 - (i & 7))) & 1) === 0) return { kind: "good" }
  const by = list.replacements.get(number)
  return by === undefined ? { kind: "voided" } : { kind: "replaced", by }
}

export class InvalidStatusList extends Schema.TaggedError<InvalidStatusList>()("InvalidStatusList", {
  reason: Schema.String,
  message: Schema.String
}) {}

const invalid = (reason: string) => new InvalidStatusList({ reason, message: `status list rejected: ${reason}` })

const pipeThrough = async (bytes: Uint8Array, stream: CompressionStream | DecompressionStream, limit: number): Promise<Uint8Array | undefined> => {
  const reader = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(stream).getReader()
  const chunks: Array<Uint8Array> = []
  let total = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    total += value.length
    // A decompression bomb stops here instead of filling memory.
    if (total > limit) {
      await reader.cancel()
      return undefined
    }
    chunks.push(value)
  }
  return concatBytes(...chunks)
}

const bitsLength = (size: number): number => Math.ceil(size / 8)

const freshFor = (seconds: number): number => {
  if (!Number.isInteger(seconds) || seconds < 0 || seconds > 0xffff_ffff) throw new RangeError(`freshForSeconds ${seconds} is not a whole number of seconds in 0…2^32−1`)
  return seconds
}

/** The signed part of a status list. `sign` the result with the agency key (context included: see `statusListSignedBytes`). */
export const encodeStatusListBody = async (c: StatusListContent): Promise<Uint8Array> => {
  const bits = new Uint8Array(bitsLength(c.size))
  const mark = (n: number) => {
    if (n < 1 || n > c.size) throw new RangeError(`receipt number ${n} is outside the list (1–${c.size})`)
    bits[(n - 1) >> 3]! |= 0x80 >> ((n - 1) & 7)
  }
  c.voided.forEach(mark)
  const replaced = [...c.replaced].sort((a, b) => a.number - b.number)
  replaced.forEach((r) => mark(r.number))
  const compressed = (await pipeThrough(bits, new CompressionStream("gzip"), Number.MAX_SAFE_INTEGER))!
  const w = new ByteWriter()
    .bytes(MAGIC)
    .u8(STATUS_LIST_VERSION)
    .shortText(c.agency)
    .shortText(c.form)
    .fixedText(c.symbol)
    .uint(Math.floor(Date.parse(c.issuedAt) / 1000), 4)
    .uint(freshFor(c.freshForSeconds), 4)
    .uint(c.size, 3)
    .uint(compressed.length, 4)
    .bytes(compressed)
    .uint(replaced.length, 3)
  for (const r of replaced) w.uint(r.number, 3).shortText(r.by.form).fixedText(r.by.symbol).uint(r.by.number, 3)
  return w.done()
}

export const statusListSignedBytes = (body: Uint8Array): Uint8Array => concatBytes(STATUS_SIGNING_CONTEXT, body)

export const assembleStatusList = (body: Uint8Array, keyIdHex: string, signature: Uint8Array): Uint8Array => {
  const keyId = new Uint8Array(KEY_ID_BYTES)
  for (let i = 0; i < KEY_ID_BYTES; i++) keyId[i] = parseInt(keyIdHex.slice(2 * i, 2 * i + 2), 16)
  return concatBytes(body, keyId, signature)
}

interface Parsed {
  readonly agency: string
  readonly form: string
  readonly symbol: string
  readonly issuedAt: string
  readonly freshForSeconds: number
  readonly size: number
  readonly compressed: Uint8Array
  readonly replacements: Map<number, SeriesRef>
  readonly keyId: string
  readonly signature: Uint8Array
  readonly body: Uint8Array
}

const parse = (bytes: Uint8Array): Parsed => {
  const r = new ByteReader(bytes)
  const magic = r.bytes(4, "the magic")
  if (!magic.every((b, i) => b === MAGIC[i])) fail("it does not start with BLSL")
  const version = r.u8("the version")
  if (version !== 1 && version !== STATUS_LIST_VERSION) fail(`version ${version} is not supported`)
  const agency = r.shortText("the agency")
  const form = r.shortText("the form number")
  const symbol = r.utf8(6, "the series symbol")
  const issuedAt = new Date(r.uint(4, "the issue time") * 1000).toISOString()
  const freshForSeconds = version === 1 ? 0 : r.uint(4, "the freshness")
  const size = r.uint(3, "the size")
  if (size > MAX_RECEIPT_NUMBER) fail(`size ${size} exceeds ${MAX_RECEIPT_NUMBER}`)
  const compressed = r.bytes(r.uint(4, "the bitstring length"), "the bitstring")
  const count = r.uint(3, "the replacement count")
  const replacements = new Map<number, SeriesRef>()
  let previous = 0
  for (let k = 0; k < count; k++) {
    const number = r.uint(3, "a replaced number")
    if (number <= previous || number > size) fail(`replaced number ${number} is out of order or outside the list`)
    previous = number
    const by = { form: r.shortText("a replacement form"), symbol: r.utf8(6, "a replacement symbol"), number: r.uint(3, "a replacement number") }
    replacements.set(number, by)
  }
  const body = bytes.subarray(0, r.offset)
  const keyId = toHex(r.bytes(KEY_ID_BYTES, "the key id"))
  const signature = r.bytes(SIGNATURE_BYTES, "the signature")
  if (r.remaining > 0) fail(`${r.remaining} unexpected byte(s) after the signature`)
  return { agency, form, symbol, issuedAt, freshForSeconds, size, compressed, replacements, keyId, signature, body }
}

/**
 * Reads a status list and checks it: the signing key must be in the trust
 * list, belong to the list's agency, not be revoked, be valid when the list
 * was issued, and its signature must hold. Never throws.
 */
export const openStatusList = async (bytes: Uint8Array, trust: TrustAnchors): Promise<Result.Result<StatusList, InvalidStatusList>> => {
  const parsed = readAll(() => parse(bytes))
  if ("error" in parsed) return Result.fail(invalid(parsed.error))
  const p = parsed.value
  const key = trust.keys.get(p.keyId)
  if (key === undefined) return Result.fail(invalid(`key ${p.keyId} is not in the trust list`))
  if (key.agency !== p.agency) return Result.fail(invalid(`key ${p.keyId} belongs to ${key.agency}, not ${p.agency}`))
  const at = Date.parse(p.issuedAt)
  if (!signsTokens(key.algorithm, key.purpose)) return Result.fail(invalid(`key ${p.keyId} is a seal key; status lists are signed with the agency's token key`))
  if (key.revokedAt !== undefined) return Result.fail(invalid(`key ${p.keyId} is revoked`))
  if (at < key.notBefore || at > key.notAfter) return Result.fail(invalid(`key ${p.keyId} was not valid at ${p.issuedAt}`))
  let ok = false
  try {
    ok = await key.check.verify(p.signature, statusListSignedBytes(p.body))
  } catch {
    ok = false
  }
  if (!ok) return Result.fail(invalid("the signature does not match"))
  let bits: Uint8Array | undefined
  try {
    bits = await pipeThrough(p.compressed, new DecompressionStream("gzip"), bitsLength(p.size))
  } catch {
    bits = undefined
  }
  if (bits === undefined || bits.length !== bitsLength(p.size)) return Result.fail(invalid("the bitstring does not decompress to the list's size"))
  const list = {
    agency: p.agency,
    form: p.form,
    symbol: p.symbol,
    issuedAt: p.issuedAt,
    freshForSeconds: p.freshForSeconds,
    size: p.size,
    keyId: p.keyId,
    bits,
    replacements: p.replacements
  } as unknown as StatusList
  for (const n of p.replacements.keys()) {
    if (statusOf(list, n).kind !== "replaced") return Result.fail(invalid(`replaced number ${n} has no bit set`))
  }
  return Result.succeed(list)
}
