/**
 * A reason's value without what the next row, the next cell or its label's
 * tail left in it (domain/extraction/fields/reason-run-on.ts), each cut
 * reported; a reason that cites its decision itself keeps the citation.
 */
import { describe, expect, test } from "bun:test"
import fc from "fast-check"
import { extractFields } from "../../domain/extraction/extract.ts"
import { holdsWords } from "../../domain/extraction/fields/reason.ts"
import { cutRunOn } from "../../domain/extraction/fields/reason-run-on.ts"
import { cutSignatureBlock } from "../../domain/extraction/fields/signature-block.ts"
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

describe("the signature block under a content, and a reason with no word", () => {
  const memo = "NOP TIEN THI HANH AN THEO QD 2264/QD-CTHADS"

  test("signers' titles and a stamp's scraps closing the value are cut; a title with words after it stays", () => {
    expect(cutSignatureBlock(`${memo} -„ KẾTOÁN -. ng vê KIẾM SOÁT`)).toEqual({ value: memo, cut: "-„ KẾTOÁN -. ng vê KIẾM SOÁT" })
    expect(cutSignatureBlock("Nộp tiền án phí Người nộp tiền Thủ quỹ")).toEqual({ value: "Nộp tiền án phí", cut: "Người nộp tiền Thủ quỹ" })
    // A title stuck to a speck, and a signature's stroke read as one capital (corpus A seed 67219).
    expect(cutSignatureBlock(`${memo} .KẾTOÁN in U`)).toEqual({ value: memo, cut: ".KẾTOÁN in U" })
    for (const text of ["NOP TIEN THAY GIAM DOC CONG TY AN PHAT", "Nộp tiền án phí", "KẾ TOÁN KIỂM SOÁT", memo]) {
      expect(cutSignatureBlock(text)).toEqual({ value: text, cut: undefined })
    }
  })

  test("property: a reason is never cut alone; with a block after it, the reason is what is left, and cutting again cuts nothing", () => {
    const block = fc
      .array(fc.constantFrom("KẾ TOÁN", "KẾTOÁN", "KIẾM SOÁT", "KIỂM SOÁT", "Thủ quỹ", "GIAO DỊCH VIÊN", "-.", "ng", "vê", "„"), { minLength: 1, maxLength: 5 })
      .map((parts) => ["KẾ TOÁN", ...parts].join(" "))
    fc.assert(fc.property(fc.constantFrom(...reasons, memo), fc.option(block, { nil: undefined }), (reason, tail) => {
      const once = cutSignatureBlock(tail === undefined ? reason : `${reason} ${tail}`)
      expect(once.value).toBe(reason)
      expect(once.cut).toBe(tail)
      expect(cutSignatureBlock(once.value).cut).toBeUndefined()
    }))
  })

  test("through the extractor: a memo with the block run on is the memo in capitals, both cuts reported", () => {
    const read = `NOP TIEN THỊ HANH AN THEO QD 2264/QD-CTHADS -„ KẾTOÁN -. ng vê KIẾM SOÁT`
    const e = extractFields([pageFromText(["GIẤY BÁO CÓ", "Số tiền: 5.000.000 đồng", `Nội dung: ${read}`].join("\n"))], { currentYear: 2026 })
    expect(e.fields.reason).toBe(memo)
    expect(e.warnings).toContainEqual(expect.objectContaining({ code: "corrected", field: "reason", original: read, corrected: "NOP TIEN THỊ HANH AN THEO QD 2264/QD-CTHADS" }))
  })

  test("a blank leader's dots and strokes are no reason: the field is left unread for the officer", () => {
    expect(holdsWords("ồ.ồ.ồ..ccc.sss")).toBe(false)
    expect(holdsWords("Nộp tiền")).toBe(true)
    expect(holdsWords("2264/QD-CTHADS")).toBe(true)
    const e = extractFields([pageFromText(["GIẤY NỘP TIỀN VÀO NGÂN SÁCH NHÀ NƯỚC", "Số tiền: 5.000.000 đồng", "Nội dung: ồ.ồ.ồ..ccc.sss"].join("\n"))], { currentYear: 2026 })
    expect(e.fields.reason).toBeUndefined()
    expect(e.fields.amount).toBe("5000000")
  })
})
