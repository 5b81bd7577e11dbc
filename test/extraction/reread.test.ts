import { describe, expect, test } from "bun:test"
import fc from "fast-check"
import { extractFields } from "../../domain/extraction/extract.ts"
import { pageFromText } from "../../domain/extraction/ocr-output.ts"
import { betterOf, replaceWords, rereadTargets } from "../../domain/extraction/reread.ts"

const slipLines = (over: Partial<Record<string, string>> = {}) => [
  "GIẤY NỘP TIỀN THI HÀNH ÁN",
  `Họ và tên người nộp tiền: ${over.name ?? "Nguyễn Thị Hồng Nhung"}`,
  `Số CCCD: ${over.id ?? "079185001234"}`,
  `Địa chỉ: ${over.address ?? "Số 12 đường Lê Lợi, phường Bến Thành, Thành phố Hồ Chí Minh"}`,
  `Căn cứ Quyết định số ${over.decision ?? "1234/QĐ-CTHADS ngày 12/05/2025"}`,
  `Số tiền: ${over.amount ?? "125.500.000 đồng"}`,
  "Bằng chữ: Một trăm hai mươi lăm triệu năm trăm nghìn đồng",
  "TP. Hồ Chí Minh, ngày 23 tháng 6 năm 2025"
]
const page = (lines: ReadonlyArray<string>, confidence = 0.95) => pageFromText(lines.join("\n"), confidence)
const words = (text: string, confidence = 0.9) => text.split(" ").map((t) => ({ text: t, confidence }))

describe("rereadTargets", () => {
  test("a clean, sure reading needs no second look", () => {
    const pages = [page(slipLines())]
    expect(rereadTargets(pages, extractFields(pages))).toEqual([])
  })

  test("a garbled citation line is read again whole, for the decision's number and date", () => {
    const pages = [page(slipLines({ decision: "l2Z4/Q-C7HA ngay l2/O5/2O2" }))]
    const targets = rereadTargets(pages, extractFields(pages))
    expect(targets).toEqual([{ page: 0, line: 4, fields: ["decisionNumber", "decisionDate"], fromWord: 0, toWord: 8 }])
  })

  test("only the date wanted: the line is read again after the decision number, which is kept", () => {
    const pages = [page(slipLines({ decision: "1234/QĐ-CTHADS ngày 2 20 tháng 101 năm 2024" }))]
    const before = extractFields(pages)
    expect(before.fields.decisionNumber).toBe("1234/QĐ-CTHADS")
    expect(before.fields.decisionDate).toBeUndefined()
    const [target] = rereadTargets(pages, before)
    expect(target).toEqual({ page: 0, line: 4, fields: ["decisionDate"], fromWord: 6, toWord: 13 })
    const after = extractFields(replaceWords(pages, target!, words("ngày 20 tháng 10 năm 2024")))
    expect(after.fields.decisionNumber).toBe("1234/QĐ-CTHADS")
    expect(after.fields.decisionDate).toBe("2024-10-20")
    expect(betterOf(before, after, target!)).toBe(true)
  })

  test("a garbled number is read again from after its label to its last digit, digits only", () => {
    // Read as some number that disagrees with the words: unsure, so read again, without "đồng".
    const unsure = [page(slipLines({ amount: "1Z5,5?0.0O0 đồng" }))]
    const extraction = extractFields(unsure)
    expect(extraction.confidence.amount ?? 1).toBeLessThan(0.8)
    expect(rereadTargets(unsure, extraction)).toEqual([{ page: 0, line: 5, fields: ["amount"], fromWord: 2, toWord: 3, whitelist: "0123456789.," }])
    // No figures at all (the amount then comes from the words, unsure): the whole value is read again.
    const missing = [page(slipLines({ amount: "##.###.### đồng" }))]
    expect(extractFields(missing).warnings.map((w) => w.code)).toContain("amount_from_words")
    expect(rereadTargets(missing, extractFields(missing))).toEqual([{ page: 0, line: 5, fields: ["amount"], fromWord: 2, toWord: 4, whitelist: "0123456789.," }])
  })

  test("a blank on the form (a dotted leader) is not read again: nothing is there to find", () => {
    const pages = [page(slipLines({ id: "..............................", address: "......................" }))]
    expect(rereadTargets(pages, extractFields(pages))).toEqual([])
  })

  test("an unsure field is read again; an unknown document never", () => {
    const unsure = [page(slipLines(), 0.6)]
    expect(rereadTargets(unsure, extractFields(unsure)).map((t) => t.fields[0]).sort()).toContain("payerName")
    const menu = [page(["Thực đơn", "Số tiền: 50.000"], 0.3)]
    expect(rereadTargets(menu, extractFields(menu))).toEqual([])
  })
})

describe("replaceWords and betterOf", () => {
  test("a second reading that finds the missing figures replaces the garbled words and is kept", () => {
    const pages = [page(slipLines({ amount: "##.###.### đồng" }))]
    const before = extractFields(pages)
    const [target] = rereadTargets(pages, before)
    const after = replaceWords(pages, target!, words("125.500.000 đồng"))
    expect(after[0]?.lines[5]?.words.map((w) => w.text)).toEqual(["Số", "tiền:", "125.500.000", "đồng"])
    const reread = extractFields(after)
    expect(reread.fields.amount).toBe("125500000")
    expect(reread.warnings).toEqual([])
    expect(betterOf(before, reread, target!)).toBe(true)
  })

  test("a second reading that loses a field the first had is refused", () => {
    const pages = [page(slipLines(), 0.6)]
    const before = extractFields(pages)
    const target = rereadTargets(pages, before).find((t) => t.fields.includes("payerName"))!
    const worse = extractFields(replaceWords(pages, target, words("....")))
    expect(worse.fields.payerName).toBeUndefined()
    expect(betterOf(before, worse, target)).toBe(false)
  })

  test("a second reading that changes a field it was not asked for is refused", () => {
    const pages = [page(slipLines({ decision: "2276/QĐ-CTHADS ngày 2 29 tháng 11 năm 2024" }))]
    const before = extractFields(pages)
    const whole = { page: 0, line: 4, fields: ["decisionDate" as const], fromWord: 0, toWord: 13 }
    const after = extractFields(replaceWords(pages, whole, words("Căn cứ Quyết định số 6/QĐ-CTHADS ngày 29 tháng 11 năm 2024")))
    expect(after.fields.decisionDate).toBe("2024-11-29")
    expect(after.fields.decisionNumber).toBe("6/QĐ-CTHADS")
    expect(betterOf(before, after, whole)).toBe(false)
  })

  test("two readings that disagree: the second wins only if clearly surer", () => {
    const pages = [page(slipLines({ decision: "712/QĐ-CTHADS ngày 26 tháng 6 năm 2024" }), 0.7)]
    const before = extractFields(pages)
    const target = rereadTargets(pages, before).find((t) => t.fields.includes("decisionNumber"))!
    const unsure = extractFields(replaceWords(pages, target, words("Căn cứ Quyết định số 2/QĐ-CTHADS ngày 26 tháng 6 năm 2024", 0.75)))
    expect(unsure.fields.decisionNumber).toBe("2/QĐ-CTHADS")
    expect(betterOf(before, unsure, target)).toBe(false)
    const sure = extractFields(replaceWords(pages, target, words("Căn cứ Quyết định số 742/QĐ-CTHADS ngày 26 tháng 6 năm 2024", 0.95)))
    expect(betterOf(before, sure, target)).toBe(true)
  })

  test("property: replacing a target's words with the same words changes nothing", () => {
    fc.assert(
      fc.property(fc.constantFrom("amount", "id", "decision"), fc.double({ min: 0.1, max: 0.79, noNaN: true }), (which, c) => {
        const pages = [page(slipLines(), c)]
        const before = extractFields(pages)
        for (const t of rereadTargets(pages, before)) {
          const line = pages[0]!.lines[t.line]!
          const same = replaceWords(pages, t, line.words.slice(t.fromWord, t.toWord))
          expect(extractFields(same)).toEqual(before)
          expect(betterOf(before, extractFields(same), t)).toBe(false)
        }
        expect(which).toBeDefined()
      }),
      { numRuns: 20 }
    )
  })
})
