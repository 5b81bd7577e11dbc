import { describe, expect, test } from "bun:test"
import { Result } from "effect"
import fc from "fast-check"
import {
  decodeReceipt,
  encodeReceipt,
  formatReceiptNumber,
  InvalidReceipt,
  isIssued,
  type Receipt,
  symbolYear
} from "../../domain/receipt.ts"
import { anyReceiptArbitrary } from "./receipt.arbitraries.ts"
import { draftJson, issuedJson } from "./receipt.fixtures.ts"

const decoded = (input: unknown): Receipt => {
  const r = decodeReceipt(input)
  if (Result.isFailure(r)) throw new Error(r.failure.message)
  return r.success
}

const failure = (input: unknown): InvalidReceipt => {
  const r = decodeReceipt(input)
  if (Result.isSuccess(r)) throw new Error("expected the receipt to be rejected")
  return r.failure
}

const paths = (e: InvalidReceipt): Array<string> => e.issues.map((i) => i.path).sort()

describe("decodeReceipt", () => {
  test("decodes an issued receipt, the amount as bigint đồng", () => {
    const r = decoded(issuedJson)
    expect(r.amount).toBe(125_500_000n)
    expect(r.payer.name).toBe("Nguyễn Văn An")
    expect(r.case.decisionNumber).toBe("1234/QĐ-CTHADS")
    expect(r.status).toBe("issued")
    expect(isIssued(r)).toBe(true)
  })

  test("decodes a draft, which has no number, lookup code, approver or issue time", () => {
    const r = decoded(draftJson)
    expect(r.status).toBe("draft")
    expect(r.number).toBeUndefined()
    expect(isIssued(r)).toBe(false)
  })

  test("reports every invalid field at once, each with its path and reason", () => {
    const e = failure({
      ...issuedJson,
      agency: "hcm",
      series: { form: "01-BLTHADS", symbol: "AA/2025" },
      number: 10_000_000,
      payer: { name: "  ", idNumber: "12345" },
      case: { decisionNumber: "1234/QD-CTHADS", decisionDate: "2025-02-30" },
      amount: "125.500.000",
      payment: { method: "bank_transfer" },
      issuedAt: "23/06/2025",
      lookupCode: "OIL000000000"
    })
    expect(e).toBeInstanceOf(InvalidReceipt)
    expect(paths(e)).toEqual([
      "agency",
      "amount",
      "case.decisionDate",
      "case.decisionNumber",
      "issuedAt",
      "lookupCode",
      "number",
      "payer.idNumber",
      "payer.name",
      "payment.reference",
      "series.symbol"
    ])
    const reasonOf = (path: string) => e.issues.find((i) => i.path === path)?.message ?? ""
    expect(reasonOf("agency")).toContain("agency code")
    expect(reasonOf("series.symbol")).toContain("AA/25E")
    expect(reasonOf("number")).toContain("9,999,999")
    expect(reasonOf("payer.name")).toContain("must not be empty")
    expect(reasonOf("payer.idNumber")).toContain("has 5 digits")
    expect(reasonOf("case.decisionNumber")).toContain("1234/QĐ-CTHADS")
    expect(reasonOf("case.decisionDate")).toContain("day 30 does not exist in 02/2025")
    expect(reasonOf("amount")).toContain("plain digits")
    expect(reasonOf("issuedAt")).toContain("instant")
    expect(reasonOf("lookupCode")).toContain("Crockford")
    // The message names every field too, for logs and rejects files.
    for (const path of paths(e)) expect(e.message).toContain(`${path}: `)
  })

  test("reports every broken cross-field rule at once", () => {
    const { lookupCode: _code, ...withoutCode } = issuedJson
    const e = failure({
      ...withoutCode,
      series: { form: "01-BLTHADS", symbol: "AA/24E" },
      amountInWords: "Một trăm hai mươi lăm triệu đồng",
      approver: "tran.thi.binh",
      case: { ...issuedJson.case, judgmentDate: "2025-05-01" },
      issuedAt: "2025-06-23T01:00:00.000Z"
    })
    expect(e.issues).toEqual([
      { path: "amountInWords", message: "the amount in words does not say 125500000 đồng" },
      { path: "case.decisionDate", message: "the enforcement decision is dated before the judgment" },
      { path: "lookupCode", message: "an issued receipt must have a lookup code" },
      { path: "approver", message: "the approver must not be the maker (maker-checker)" },
      { path: "issuedAt", message: "the receipt is issued before it was created" },
      { path: "series.symbol", message: "the symbol's year does not match the issue year 2025" }
    ])
  })

  test("the symbol year is the issue year in Vietnam (UTC+7): 31 Dec 17:30 UTC is already 1 January", () => {
    const newYear = { ...issuedJson, createdAt: "2025-12-31T10:00:00.000Z", issuedAt: "2025-12-31T17:30:00.000Z" }
    expect(paths(failure(newYear))).toEqual(["series.symbol"])
    expect(decoded({ ...newYear, series: { form: "01-BLTHADS", symbol: "AA/26E" } }).status).toBe("issued")
  })

  test("a draft must not carry issue-time fields", () => {
    expect(paths(failure({ ...draftJson, number: 7, approver: "le.minh.cuong" }))).toEqual(["approver", "number"])
  })

  test("voided and replaced receipts need their details, and only they may have them", () => {
    const voidedWithoutDetails = failure({ ...issuedJson, status: "voided" })
    expect(voidedWithoutDetails.issues).toEqual([{ path: "voided", message: "a voided receipt must have voiding details" }])
    const replacedWithoutRef = failure({ ...issuedJson, status: "replaced" })
    expect(replacedWithoutRef.issues).toEqual([{ path: "replacedBy", message: "a replaced receipt must have a replacement" }])
    const voiding = { reason: "Lập trùng biên lai", by: "le.minh.cuong", at: "2025-06-23T03:00:00.000Z" }
    const lateVoiding = { ...voiding, at: "2025-06-24T02:00:00.000Z" }
    expect(failure({ ...issuedJson, voided: lateVoiding }).issues).toEqual([
      { path: "voided", message: "an issued receipt must not have voiding details" }
    ])
    expect(failure({ ...issuedJson, status: "voided", voided: voiding }).issues).toEqual([
      { path: "voided.at", message: "the receipt is voided before it was issued" }
    ])
  })

  test("a receipt cannot replace itself", () => {
    const self = { id: issuedJson.id, series: issuedJson.series, number: 41 }
    expect(failure({ ...issuedJson, replaces: self }).issues).toEqual([
      { path: "replaces", message: "a receipt cannot replace itself" }
    ])
  })

  test("unknown fields are rejected by name", () => {
    expect(failure({ ...issuedJson, stamp: "x" }).issues).toEqual([{ path: "stamp", message: "Expected no excess property" }])
  })

  test("anything that is not a receipt is a typed error, never a crash", () => {
    for (const input of [null, 42, "biên lai", [], {}]) {
      expect(failure(input)).toBeInstanceOf(InvalidReceipt)
    }
    expect(failure({}).issues.length).toBeGreaterThan(10)
  })
})

describe("encodeReceipt", () => {
  test("round trip: decode then encode gives back the JSON", () => {
    expect(encodeReceipt(decoded(issuedJson))).toEqual(issuedJson)
    expect(encodeReceipt(decoded(draftJson))).toEqual(draftJson)
  })

  test("the amount travels as a digit string, even above 10^12 (not a float)", () => {
    const huge = decoded({ ...issuedJson, amount: "987654321987654", amountInWords: "Chín trăm tám mươi bảy nghìn sáu trăm năm mươi tư tỷ ba trăm hai mươi mốt triệu chín trăm tám mươi bảy nghìn sáu trăm năm mươi tư đồng" })
    expect(huge.amount).toBe(987_654_321_987_654n)
    expect(encodeReceipt(huge).amount).toBe("987654321987654")
    expect(JSON.parse(JSON.stringify(encodeReceipt(huge))).amount).toBe("987654321987654")
  })

  test("property: every valid receipt survives encode → JSON text → decode unchanged", () => {
    fc.assert(
      fc.property(anyReceiptArbitrary, (r) => {
        const json = encodeReceipt(r)
        const back = decoded(JSON.parse(JSON.stringify(json)))
        expect(back).toEqual(r)
        expect(encodeReceipt(back)).toEqual(json)
      }),
      { numRuns: 200 }
    )
  })
})

describe("numbers and symbols", () => {
  test("receipt numbers print with 7 digits", () => {
    expect(formatReceiptNumber(42)).toBe("0000042")
    expect(formatReceiptNumber(1)).toBe("0000001")
    expect(formatReceiptNumber(9_999_999)).toBe("9999999")
  })

  test("the symbol carries the two-digit year", () => {
    expect(symbolYear("AA/25E")).toBe(2025)
    expect(symbolYear("HN/30E")).toBe(2030)
  })
})
