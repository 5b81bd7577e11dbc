import { describe, expect, test } from "bun:test"
import { Result } from "effect"
import fc from "fast-check"
import { amountInWords } from "../../domain/amount-in-words.ts"
import { checkReceipt, draftIfValid } from "../../domain/receipt-check.ts"
import { decodeReceipt, encodeReceipt } from "../../domain/receipt.ts"
import { draftReceiptArbitrary, issuedReceiptArbitrary } from "./receipt.arbitraries.ts"

type Json = Record<string, unknown>
const DELETE = Symbol("delete")
type Mutation = { readonly path: ReadonlyArray<string>; readonly value: unknown }

const draftJsonArbitrary = draftReceiptArbitrary.map((r) => encodeReceipt(r) as unknown as Json)

const mutate = (json: Json, mutations: ReadonlyArray<Mutation>): Json => {
  const copy = structuredClone(json)
  for (const { path, value } of mutations) {
    let target: Json = copy
    for (const key of path.slice(0, -1)) {
      const next = target[key]
      if (typeof next !== "object" || next === null || Array.isArray(next)) break
      target = next as Json
    }
    const last = path[path.length - 1] as string
    if (value === DELETE) delete target[last]
    else target[last] = value
  }
  return copy
}

const long = (n: number) => "ạ".repeat(n)
const wrongTypes = [null, 42, true, [], {}, 12n, undefined]
const badText = (max: number) => ["", "   ", " Nguyễn Văn An", "Nguyễn Văn An ", long(max + 1), ...wrongTypes]

/** Every way the schema can refuse each field of a draft, and keys it must refuse. */
const brokenFields: Record<string, ReadonlyArray<unknown>> = {
  id: ["0B6F0A3C-1D2E-4F5A-8B9C-0D1E2F3A4B5C", "not-a-uuid", "", DELETE, ...wrongTypes],
  agency: ["hcm", "H", "HCM ", "HỒCHÍMINH", "A".repeat(17), "", DELETE, ...wrongTypes],
  office: ["hcm-kv01", "H", "HCM_KV01", "-HCM", "A".repeat(25), "", ...wrongTypes],
  "series.form": ["01 BLTHADS", "", "a", "0".repeat(21), DELETE, ...wrongTypes],
  "series.symbol": ["AA/25", "aa/25E", "A/25E", "AA-25E", "AA/2025E", "", DELETE, ...wrongTypes],
  "series.extra": ["x"],
  series: [DELETE, ...wrongTypes],
  "payer.name": [...badText(200), DELETE],
  "payer.idNumber": ["079 085 001 234", "12345", "079085001234 ", "abc", "", ...wrongTypes],
  "payer.address": badText(300),
  "payer.phone": ["0909123456"],
  payer: [DELETE, ...wrongTypes],
  "case.judgmentNumber": ["12/2025/ds-st", "12/2025", "bản án 12", "", ...wrongTypes],
  "case.decisionNumber": ["1234/qd-cthads", "1234/QD-CTHADS", "QĐ", "", ...wrongTypes],
  "case.judgmentDate": ["2025-02-30", "14/03/2025", "2025-3-14", "1899-12-31", "", ...wrongTypes],
  "case.decisionDate": ["2025-02-29", "2025-13-01", "ngày 14 tháng 3 năm 2025", "1800-01-01", "", ...wrongTypes],
  "case.note": ["x"],
  case: [DELETE, ...wrongTypes],
  reason: [...badText(500), DELETE],
  amount: ["-1", "01", "1.5", "125.500.000", "1000000000000000", "", "1e6", 5, DELETE, ...wrongTypes],
  amountInWords: [...badText(300), "Một trăm đồng", "Chín trăm chín mươi chín nghìn tỷ đồng", "abc", DELETE],
  payment: [
    { method: "cash", reference: "FT12345678" },
    { method: "bank_transfer" },
    { method: "bank_transfer", reference: "" },
    { method: "bank_transfer", reference: " FT1" },
    { method: "bank_transfer", reference: "F".repeat(65) },
    { method: "bank_transfer", reference: "FT1", note: "x" },
    { method: "card" },
    DELETE,
    ...wrongTypes
  ],
  maker: ["Nguyen.Van.An", "a", ".an", "nguyễn", "a".repeat(65), "", DELETE, ...wrongTypes],
  createdAt: ["2025-06-23T08:15:30Z", "2025-06-23", "2025-13-01T00:00:00.000Z", "2025-06-23T25:00:00.000Z", "", DELETE, ...wrongTypes],
  status: ["submitted", "issued", "voided", "replaced", "Draft", "", DELETE, ...wrongTypes],
  annotations: [
    [{ field: "payerName", value: "Nguyễn Văn Bình", by: "tran.thi.binh", at: "2025-06-24T08:00:00.000Z" }],
    [{ field: "payerPhone", value: "x", by: "tran.thi.binh", at: "2025-06-24T08:00:00.000Z" }],
    ["x"],
    DELETE,
    ...wrongTypes
  ],
  number: [1, 0],
  lookupCode: ["ABCDEFGHJKMN"],
  approver: ["tran.thi.binh"],
  issuedAt: ["2025-06-24T08:00:00.000Z"],
  seal: [{ algorithm: "Ed25519", keyId: "0123456789abcdef", signature: "abc" }],
  unknownColumn: ["x"]
}

const fieldMutation: fc.Arbitrary<Mutation> = fc
  .constantFrom(...Object.entries(brokenFields))
  .chain(([path, values]) => fc.constantFrom(...values).map((value) => ({ path: path.split("."), value })))

/** Mutations that keep a draft valid or break it only across fields. */
const crossFieldMutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.bigInt({ min: 0n, max: 10n ** 15n - 1n }).map((n) => ({ path: ["amountInWords"], value: amountInWords(n) })),
  fc.bigInt({ min: 0n, max: 10n ** 15n - 1n }).map((n) => ({ path: ["amount"], value: n.toString() })),
  fc.date({ min: new Date("2000-01-01"), max: new Date("2040-12-31"), noInvalidDate: true }).chain((d) =>
    fc.constantFrom("judgmentDate", "decisionDate").map((k) => ({ path: ["case", k], value: d.toISOString().slice(0, 10) }))
  ),
  fc.constantFrom("HCM-KV01", "HNI-KV12").map((value) => ({ path: ["office"], value })),
  fc.constantFrom("001085001234", "0123456789", "B1234567").map((value) => ({ path: ["payer", "idNumber"], value }))
)

const anyMutation: fc.Arbitrary<Mutation> = fc
  .constantFrom(...Object.keys(brokenFields))
  .chain((path) => fc.anything().map((value) => ({ path: path.split("."), value })))

const mutatedDraftArbitrary = fc
  .tuple(draftJsonArbitrary, fc.array(fc.oneof(fieldMutation, crossFieldMutation, anyMutation), { minLength: 1, maxLength: 3 }))
  .map(([json, mutations]) => mutate(json, mutations))

/** The fast check and the schema agree on `input`, and checkReceipt is the schema's answer. */
const agreesWithSchema = (input: unknown) => {
  const schema = decodeReceipt(input)
  const fast = draftIfValid(input)
  if (fast !== undefined) {
    // Sound: whatever the fast check accepts, the schema accepts, as the same draft.
    expect(Result.isSuccess(schema)).toBe(true)
    if (Result.isSuccess(schema)) expect(fast).toEqual(schema.success)
  } else if (Result.isSuccess(schema)) {
    // Complete for drafts without annotations or seal (all that ingestion builds):
    // the schema's slow path is only for the rest.
    const s = schema.success
    expect((s.status !== "draft" && s.status !== "submitted") || s.annotations.length > 0 || s.seal !== undefined).toBe(true)
  }
  const checked = checkReceipt(input)
  expect(Result.isSuccess(checked)).toBe(Result.isSuccess(schema))
  if (Result.isSuccess(checked) && Result.isSuccess(schema)) expect(checked.success).toEqual(schema.success)
  if (Result.isFailure(checked) && Result.isFailure(schema)) {
    expect(checked.failure.issues).toEqual(schema.failure.issues)
    expect(checked.failure.message).toBe(schema.failure.message)
  }
}

describe("draftIfValid / checkReceipt", () => {
  test("accept every valid draft, as the schema decodes it", () => {
    fc.assert(fc.property(draftJsonArbitrary, (json) => {
      expect(draftIfValid(json)).toBeDefined()
      agreesWithSchema(json)
    }), { numRuns: 300 })
  })

  test("agree with the schema on drafts with any field broken in any way", () => {
    fc.assert(fc.property(mutatedDraftArbitrary, agreesWithSchema), { numRuns: 800 })
  })

  test("every listed breakage of a field alone is refused by both", () => {
    const sample = fc.sample(draftJsonArbitrary, { numRuns: 1, seed: 7 })[0] as Json
    const validAnnotation = brokenFields["annotations"]?.[0]
    for (const [path, values] of Object.entries(brokenFields)) {
      for (const value of values) {
        const input = mutate(sample, [{ path: path.split("."), value }])
        agreesWithSchema(input)
        // Values the schema allows: an annotation, no annotations, a seal on a draft, no case references, a submitted draft.
        const allowed = value === validAnnotation || path === "seal" || (path === "status" && value === "submitted") ||
          (path === "annotations" && Array.isArray(value) && value.length === 0) ||
          (path === "case" && value !== null && typeof value === "object" && !Array.isArray(value))
        if (allowed) continue
        expect({ path, value, refused: Result.isFailure(checkReceipt(input)) }).toEqual({ path, value, refused: true })
      }
    }
  })

  test("leave issued receipts, non-objects and other prototypes to the schema", () => {
    fc.assert(fc.property(issuedReceiptArbitrary, (r) => {
      const json = encodeReceipt(r)
      expect(draftIfValid(json)).toBeUndefined()
      agreesWithSchema(json)
    }), { numRuns: 100 })
    for (const input of [null, undefined, "draft", 42, [], new Map()]) agreesWithSchema(input)
  })

  test("a draft with words for another amount is refused with the schema's reason", () => {
    const sample = fc.sample(draftJsonArbitrary, { numRuns: 1, seed: 11 })[0] as Json
    const input = { ...sample, amount: "125500000", amountInWords: "Một trăm đồng" }
    const r = checkReceipt(input)
    expect(Result.isFailure(r) && r.failure.issues).toEqual([
      { path: "amountInWords", message: "the amount in words does not say 125500000 đồng" }
    ])
  })
})
