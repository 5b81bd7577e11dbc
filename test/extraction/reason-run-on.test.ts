/**
 * A reason's value without what the next row, the next cell or its label's
 * tail left in it (domain/extraction/fields/reason-run-on.ts), each cut
 * reported; a reason that cites its decision itself keeps the citation.
 */
import { describe, expect, test } from "bun:test"
import fc from "fast-check"
import { extractFields } from "../../domain/extraction/extract.ts"
import { cutRunOn } from "../../domain/extraction/fields/reason-run-on.ts"
import { pageFromText } from "../../domain/extraction/ocr-output.ts"

const reasons = [
  "Nộp tiền thi hành án",
  "Nộp tiền lãi chậm thi hành án",
  "Thanh toán tiền trả nợ theo hợp đồng vay",
  "Nộp tiền tạm ứng chi phí định giá tài sản",
  "Nộp tiền án phí dân sự sơ thẩm"
]

describe("what runs on into a reason", () => {
  test("the next row's citation, the next cell's bare decision and date, a label's tail: cut", () => {
    expect(cutRunOn("Thanh toán tiền trả nợ theo hợp đồng vay Theo Quyết định thi hành án số 2519/QĐ-THADS ngày 29 tháng 7 năm 2025")).toEqual({
      value: "Thanh toán tiền trả nợ theo hợp đồng vay",
      cut: ["Theo Quyết định thi hành án số 2519/QĐ-THADS ngày 29 tháng 7 năm 2025"]
    })
    expect(cutRunOn("Nộp tiền lãi chậm thi hành án 2054/QĐ-THADS ngày 04/07/2026").value).toBe("Nộp tiền lãi chậm thi hành án")
    expect(cutRunOn("nôn: Nộp tiền lãi chậm thi hành án")).toEqual({ value: "Nộp tiền lãi chậm thi hành án", cut: ["nôn:"] })
  })

  test("a reason citing its decision itself keeps it; so does one that opens with the citation", () => {
    for (const text of [
      "Nộp tiền thi hành án theo Quyết định số 2054/QĐ-THADS ngày 04/07/2026",
      "Nộp tiền thi hành án theo QĐ 2054/QĐ-THADS",
      "Theo Quyết định số 12/QĐ-CTHADS nộp tiền",
      "Nộp tiền bồi thường thiệt hại theo bản án"
    ]) expect(cutRunOn(text)).toEqual({ value: text, cut: [] })
  })

  test("property: a reason alone is never cut; with a run-on, the reason is what is left, and cutting again cuts nothing", () => {
    const runOns = fc.oneof(
      fc.tuple(fc.integer({ min: 1, max: 9999 }), fc.constantFrom("THADS", "CTHADS")).map(([n, o]) => ` Theo Quyết định thi hành án số ${n}/QĐ-${o} ngày 3 tháng 7 năm 2025`),
      fc.tuple(fc.integer({ min: 1, max: 9999 }), fc.constantFrom("THADS", "PTHADS")).map(([n, o]) => ` ${n}/QĐ-${o} ngày 04/07/2026`)
    )
    fc.assert(fc.property(fc.constantFrom(...reasons), fc.option(runOns, { nil: undefined }), (reason, runOn) => {
      const once = cutRunOn(reason + (runOn ?? ""))
      expect(once.value).toBe(reason)
      expect(once.cut.length).toBe(runOn === undefined ? 0 : 1)
      expect(cutRunOn(once.value)).toEqual({ value: reason, cut: [] })
    }))
  })

  test("through the extractor: the reason without the run-on, and a corrected warning with what was read", () => {
    const read = "Nộp tiền lãi chậm thi hành án 2054/QĐ-THADS ngày 04/07/2026"
    const e = extractFields([pageFromText(["GIẤY NỘP TIỀN VÀO NGÂN SÁCH NHÀ NƯỚC", "Số tiền: 5.000.000 đồng", `Nội dung: ${read}`].join("\n"))], { currentYear: 2026 })
    expect(e.fields.reason).toBe("Nộp tiền lãi chậm thi hành án")
    expect(e.warnings).toContainEqual(expect.objectContaining({ code: "corrected", field: "reason", original: read, corrected: "Nộp tiền lãi chậm thi hành án" }))
  })
})
