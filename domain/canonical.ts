/**
 * The canonical form of an issued receipt: the exact bytes that are hashed
 * and signed. See docs/CANONICAL.md for the specification.
 *
 * It is JSON Canonicalization (RFC 8785) restricted to strings, safe integers,
 * booleans, arrays and objects, over the receipt's issue-time content, with
 * every string in Unicode NFC. Keys are sorted by UTF-16 code units, so field
 * order never matters, and strings are UTF-8, escaped exactly as
 * JSON.stringify does, so Bun, Deno and Node agree byte for byte.
 *
 * What changes after issuance (status, voiding, replacement, annotations, the
 * seal itself) is deliberately outside the signed bytes: a voided receipt's
 * signature stays valid, and its status travels in the signed status list.
 */
import type { IssuedReceipt, Receipt, Series } from "./receipt.ts"

/** Version of the canonical form; it is inside the signed bytes. */
export const CANONICAL_VERSION = 1

type Canonical = string | number | boolean | null | ReadonlyArray<Canonical> | { readonly [key: string]: Canonical | undefined }

// ASCII text is already in NFC; normalising only the rest keeps signing cheap.
const nonAscii = /[^\u0000-\u007f]/
const nfc = (s: string): string => (nonAscii.test(s) ? s.normalize("NFC") : s)

/**
 * RFC 8785 serialisation for the value space above. Undefined object members
 * are omitted; anything outside the value space is a programming error.
 * Keys are sorted by `Array.prototype.sort` without a comparator, which
 * orders strings by UTF-16 code units, as RFC 8785 requires.
 */
export const canonicalJson = (value: Canonical): string => {
  if (value === null || typeof value === "boolean") return JSON.stringify(value)
  if (typeof value === "string") return JSON.stringify(nfc(value))
  if (typeof value === "number") {
    if (!Number.isSafeInteger(value)) throw new RangeError(`canonical form holds only safe integers, got ${value}`)
    return String(value)
  }
  if (Array.isArray(value)) return `[${value.map((v: Canonical) => canonicalJson(v)).join(",")}]`
  const object = value as { readonly [key: string]: Canonical | undefined }
  const members = new Map<string, Canonical>()
  for (const key of Object.keys(object)) {
    const member = object[key]
    if (member !== undefined) members.set(nfc(key), member)
  }
  let out = ""
  for (const key of [...members.keys()].sort()) {
    out += `${out === "" ? "" : ","}${JSON.stringify(key)}:${canonicalJson(members.get(key) as Canonical)}`
  }
  return `{${out}}`
}

const seriesOf = (s: Series) => ({ form: s.form, symbol: s.symbol })

/**
 * The content an approval names: everything the maker prepared that will be
 * signed, which is the signed content without what issuing adds (number,
 * lookup code, approver, issue time). Its SHA-256 (`contentBytes` hashed)
 * is what an approver approves: the store issues the draft only while it
 * still has exactly these bytes (docs/CANONICAL.md, docs/SECURITY.md).
 */
export const canonicalContent = (r: Receipt) => ({
  v: CANONICAL_VERSION,
  id: r.id,
  agency: r.agency,
  office: r.office,
  series: seriesOf(r.series),
  payer: { name: r.payer.name, idNumber: r.payer.idNumber, address: r.payer.address },
  case: {
    judgmentNumber: r.case.judgmentNumber,
    judgmentDate: r.case.judgmentDate,
    decisionNumber: r.case.decisionNumber,
    decisionDate: r.case.decisionDate
  },
  reason: r.reason,
  amount: r.amount.toString(10),
  amountInWords: r.amountInWords,
  payment: r.payment.method === "cash" ? { method: "cash" } : { method: "bank_transfer", reference: r.payment.reference },
  maker: r.maker,
  replaces: r.replaces === undefined
    ? undefined
    : { id: r.replaces.id, series: seriesOf(r.replaces.series), number: r.replaces.number }
}) satisfies Canonical

/** The signed content of an issued receipt, as a plain canonical value: its content and what issuing added. */
export const canonicalReceipt = (r: IssuedReceipt): Canonical => ({
  ...canonicalContent(r),
  number: r.number,
  lookupCode: r.lookupCode,
  approver: r.approver,
  issuedAt: r.issuedAt
})

const utf8 = new TextEncoder()

/** The bytes that are hashed and signed. */
export const canonicalBytes = (r: IssuedReceipt): Uint8Array => utf8.encode(canonicalJson(canonicalReceipt(r)))

/** The bytes of a draft's content (`canonicalContent`), whose SHA-256 an approval names. */
export const contentBytes = (r: Receipt): Uint8Array => utf8.encode(canonicalJson(canonicalContent(r)))
