import { describe, expect, test } from "bun:test"
import { createHash } from "node:crypto"
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { Result } from "effect"
import fc from "fast-check"
import { CANONICAL_VERSION, canonicalBytes, canonicalJson, canonicalReceipt } from "../../domain/canonical.ts"
import { decodeReceipt, encodeReceipt, type IssuedReceipt, isIssued, type ReceiptJson } from "../../domain/receipt.ts"
import { laterReceiptArbitrary } from "./receipt.arbitraries.ts"
import { issuedJson } from "./receipt.fixtures.ts"

const issuedFrom = (json: unknown): IssuedReceipt => {
  const r = decodeReceipt(json)
  if (Result.isFailure(r)) throw new Error(r.failure.message)
  if (!isIssued(r.success)) throw new Error("not issued")
  return r.success
}
const text = (r: IssuedReceipt): string => new TextDecoder().decode(canonicalBytes(r))
const hex = (r: IssuedReceipt): string => Buffer.from(canonicalBytes(r)).toString("hex")
const base = issuedFrom(issuedJson)

/** The same JSON with the keys of every object in a random order. */
const shuffledKeys = (value: unknown): fc.Arbitrary<unknown> => {
  if (Array.isArray(value)) return fc.tuple(...value.map(shuffledKeys))
  if (value === null || typeof value !== "object") return fc.constant(value)
  const entries = Object.entries(value)
  if (entries.length === 0) return fc.constant({})
  return fc
    .tuple(fc.shuffledSubarray(entries, { minLength: entries.length, maxLength: entries.length }), ...entries.map(([, v]) => shuffledKeys(v)))
    .map(([order, ...values]) => {
      const shuffled = new Map(entries.map(([k], i) => [k, values[i]]))
      return Object.fromEntries(order.map(([k]) => [k, shuffled.get(k)]))
    })
}

describe("canonicalJson (RFC 8785 subset)", () => {
  test("sorts keys at every level, no whitespace, integers as digits", () => {
    expect(canonicalJson({ b: 1, a: { d: [true, null, "x"], c: -7 } })).toBe('{"a":{"c":-7,"d":[true,null,"x"]},"b":1}')
  })

  test("omits undefined members: absent and undefined are the same", () => {
    expect(canonicalJson({ a: "1", b: undefined })).toBe(canonicalJson({ a: "1" }))
  })

  test("escapes strings as JSON.stringify does and keeps Vietnamese letters as UTF-8", () => {
    expect(canonicalJson("Đặng \"Bé\"\n\\ \u0001 ₫")).toBe('"Đặng \\"Bé\\"\\n\\\\ \\u0001 ₫"')
  })

  test("refuses numbers that are not safe integers instead of rounding them", () => {
    expect(() => canonicalJson(1.5)).toThrow(RangeError)
    expect(() => canonicalJson(2 ** 53)).toThrow(RangeError)
  })
})

describe("canonical form of a receipt", () => {
  test("holds exactly the issue-time content, version first in key order", () => {
    expect(Object.keys(JSON.parse(text(base)))).toEqual([
      "agency", "amount", "amountInWords", "approver", "case", "id", "issuedAt", "lookupCode", "maker", "number", "office",
      "payer", "payment", "reason", "series", "v"
    ])
    expect(JSON.parse(text(base)).v).toBe(CANONICAL_VERSION)
  })

  test("the amount is a digit string, exact above 2^53", () => {
    const huge = { ...issuedJson, amount: "999999999999999", amountInWords: "Chín trăm chín mươi chín nghìn chín trăm chín mươi chín tỷ chín trăm chín mươi chín triệu chín trăm chín mươi chín nghìn chín trăm chín mươi chín đồng" }
    expect(text(issuedFrom(huge))).toContain('"amount":"999999999999999"')
  })

  test("property: the order of fields in the JSON does not matter", () => {
    fc.assert(
      fc.property(
        laterReceiptArbitrary.chain((r) => shuffledKeys(encodeReceipt(r)).map((shuffled) => ({ r, shuffled }))),
        ({ r, shuffled }) => {
          expect(hex(issuedFrom(shuffled))).toBe(hex(r))
        }
      ),
      { numRuns: 100 }
    )
  })

  test("Vietnamese text in NFD (decomposed) gives the same bytes as NFC", () => {
    const nfd = "Nguyễn".normalize("NFD")
    expect(nfd).not.toBe("Nguyễn".normalize("NFC"))
    const decomposed = issuedFrom({
      ...issuedJson,
      payer: { ...issuedJson.payer, name: issuedJson.payer.name.normalize("NFD"), address: issuedJson.payer.address.normalize("NFD") },
      reason: issuedJson.reason.normalize("NFD"),
      amountInWords: issuedJson.amountInWords.normalize("NFD")
    })
    expect(decomposed.payer.name).not.toBe(base.payer.name)
    expect(hex(decomposed)).toBe(hex(base))
    expect(text(base)).toContain('"name":"Nguyễn Văn An"')
  })

  test("status, voiding, replacement link, annotations, seal and creation time are outside the signed bytes", () => {
    const later = issuedFrom({
      ...issuedJson,
      createdAt: "2025-06-20T01:00:00.000Z",
      status: "replaced",
      replacedBy: { id: "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d", series: { form: "01-BLTHADS", symbol: "AA/25E" }, number: 57 },
      seal: { algorithm: "Ed25519", keyId: "0123456789abcdef", signature: "c2lnbmF0dXJl" },
      annotations: [{ field: "payerName", value: "Nguyễn Văn Ân", by: "le.minh.cuong", at: "2025-06-24T01:00:00.000Z" }]
    })
    expect(hex(later)).toBe(hex(base))
    const voided = issuedFrom({
      ...issuedJson,
      status: "voided",
      voided: { reason: "Lập trùng biên lai", by: "le.minh.cuong", at: "2025-06-24T02:00:00.000Z" }
    })
    expect(hex(voided)).toBe(hex(base))
  })

  // Every signed field, changed to another valid value: each must change the bytes.
  const changes: ReadonlyArray<readonly [string, (j: ReceiptJson) => ReceiptJson]> = [
    ["id", (j) => ({ ...j, id: "3f2c9d1e-8b4a-4c7e-9f1a-2b3c4d5e6f71" })],
    ["agency", (j) => ({ ...j, agency: "HNI" })],
    ["office", (j) => ({ ...j, office: "HCM-KV02" })],
    ["office absent", ({ office: _o, ...j }) => j],
    ["series.form", (j) => ({ ...j, series: { ...j.series, form: "02-BLTHADS" } })],
    ["series.symbol", (j) => ({ ...j, series: { ...j.series, symbol: "AB/25E" } })],
    ["number", (j) => ({ ...j, number: (j.number ?? 0) + 1 })],
    ["lookupCode", (j) => ({ ...j, lookupCode: "7KQ2M9XH4T8Q" })],
    ["payer.name", (j) => ({ ...j, payer: { ...j.payer, name: "Nguyễn Văn Ân" } })],
    ["payer.idNumber", (j) => ({ ...j, payer: { ...j.payer, idNumber: "079085001235" } })],
    ["payer.address", (j) => ({ ...j, payer: { ...j.payer, address: "Số 14 đường Lê Lợi" } })],
    ["case.judgmentNumber", (j) => ({ ...j, case: { ...j.case, judgmentNumber: "13/2025/DS-ST" } })],
    ["case.judgmentDate", (j) => ({ ...j, case: { ...j.case, judgmentDate: "2025-03-11" } })],
    ["case.decisionNumber", (j) => ({ ...j, case: { ...j.case, decisionNumber: "1235/QĐ-CTHADS" } })],
    ["case.decisionDate", (j) => ({ ...j, case: { ...j.case, decisionDate: "2025-04-03" } })],
    ["reason", (j) => ({ ...j, reason: `${j.reason} (lần 2)` })],
    ["amount and words", (j) => ({ ...j, amount: "125500001", amountInWords: "Một trăm hai mươi lăm triệu năm trăm nghìn không trăm linh một đồng" })],
    ["amountInWords alone (another wording of the same amount)", (j) => ({ ...j, amountInWords: "Một trăm hai mươi lăm triệu năm trăm ngàn đồng" })],
    ["payment", (j) => ({ ...j, payment: { method: "bank_transfer", reference: "FT25174000001" } })],
    ["maker", (j) => ({ ...j, maker: "pham.thu.ha" })],
    ["approver", (j) => ({ ...j, approver: "hoang.duc.long" })],
    ["issuedAt", (j) => ({ ...j, issuedAt: "2025-06-23T03:40:00.001Z" })],
    ["replaces", (j) => ({ ...j, replaces: { id: "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d", series: { form: "01-BLTHADS", symbol: "AA/25E" }, number: 7 } })]
  ]

  test.each(changes.map(([name, change]) => [name, change] as const))("changing %s changes the bytes", (_name, change) => {
    const changed = issuedFrom(change(issuedJson))
    expect(hex(changed)).not.toBe(hex(base))
  })

  test("the changes above cover every signed field", () => {
    const signedKeys = Object.keys(canonicalReceipt(issuedFrom({ ...issuedJson, replaces: { id: "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d", series: issuedJson.series, number: 7 } })) as object)
    const covered = new Set(changes.map(([name]) => name.split(/[. ]/)[0]))
    expect(signedKeys.filter((k) => k !== "v" && !covered.has(k))).toEqual([])
  })
})

describe("test vectors (test/vectors/canonical.json)", () => {
  const vectorsFile = join(import.meta.dir, "..", "vectors", "canonical.json")
  const { vectors } = JSON.parse(readFileSync(vectorsFile, "utf8")) as {
    vectors: Array<{ name: string; receipt: unknown; canonical: string; utf8Base64: string; byteLength: number; sha256: string }>
  }

  test("there are vectors for cash, bank transfer, replacement, a huge amount and a minimal receipt", () => {
    expect(vectors.map((v) => v.name)).toEqual(["cash", "bank-transfer", "replacement", "huge-amount", "minimal", "voided-annotated-nfd"])
  })

  test.each(vectors.map((v) => [v.name, v] as const))("%s: receipt → canonical text → bytes → SHA-256 as committed", (_name, v) => {
    const bytes = canonicalBytes(issuedFrom(v.receipt))
    expect(new TextDecoder().decode(bytes)).toBe(v.canonical)
    expect(Buffer.from(bytes).toString("base64")).toBe(v.utf8Base64)
    expect(bytes.length).toBe(v.byteLength)
    expect(createHash("sha256").update(bytes).digest("hex")).toBe(v.sha256)
  })

  const node = Bun.which("node")
  test.skipIf(node === null)("plain Node re-derives and re-hashes the vectors without our code (check.mjs)", () => {
    const run = Bun.spawnSync([node ?? "node", join(import.meta.dir, "..", "vectors", "check.mjs")])
    expect(run.stdout.toString()).toContain(`${vectors.length} of ${vectors.length} vectors ok`)
    expect(run.exitCode).toBe(0)
  })
})
