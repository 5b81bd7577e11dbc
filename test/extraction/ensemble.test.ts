import { describe, expect, test } from "bun:test"
import fc from "fast-check"
import { decideReading, digitTargets, readingOf, type Reading } from "../../domain/extraction/ensemble.ts"
import { extractFields } from "../../domain/extraction/extract.ts"
import { pageFromText } from "../../domain/extraction/ocr-output.ts"
import { replaceWords } from "../../domain/extraction/reread.ts"

const valid = (value: string): Reading => ({ value, valid: true })
const invalid = (value: string): Reading => ({ value, valid: false })
const none: Reading = { valid: false }

describe("decideReading", () => {
  test("a first reading no other reading agrees with stands when the others disagree among themselves", () => {
    expect(decideReading(valid("1826"), [valid("1626"), valid("1826"), valid("1686")])).toEqual({ kind: "keep" })
    expect(decideReading(valid("19"), [valid("16"), valid("18"), none])).toEqual({ kind: "keep" })
  })

  test("a value read twice under other treatments overrules a first reading no other one repeats", () => {
    expect(decideReading(valid("1826"), [valid("1626"), valid("1626"), valid("1826x")])).toEqual({ kind: "replace", value: "1626", votes: 2 })
  })

  test("the first reading confirmed once holds against a value read twice (a tie keeps it)", () => {
    expect(decideReading(valid("1826"), [valid("1626"), valid("1626"), valid("1826")])).toEqual({ kind: "keep" })
  })

  test("an invalid first reading has no vote, but a single valid reading is not enough to replace it", () => {
    expect(decideReading(invalid("0011561900922"), [valid("001156190092"), none, invalid("0011561900922")])).toEqual({ kind: "keep" })
    expect(decideReading(invalid("0011561900922"), [valid("001156190092"), valid("001156190092"), none])).toEqual({
      kind: "replace",
      value: "001156190092",
      votes: 2
    })
  })

  test("readings that break the field's rules never vote, however many", () => {
    expect(decideReading(valid("079185001234"), [invalid("0791850012345"), invalid("0791850012345"), invalid("0791850012345")])).toEqual({ kind: "keep" })
  })

  test("two other values read twice each: a tie, nothing replaced", () => {
    expect(decideReading(none, [valid("16"), valid("16"), valid("18"), valid("18")])).toEqual({ kind: "keep" })
  })

  test("property: the value taken was read valid at least twice, more often than the first and than any other", () => {
    const reading = fc.oneof(
      fc.constant(none),
      fc.record({ value: fc.constantFrom("1626", "1826", "1686", "1628"), valid: fc.boolean() })
    )
    fc.assert(
      fc.property(reading, fc.array(reading, { maxLength: 5 }), (first, others) => {
        const decision = decideReading(first, others)
        const count = (v: string | undefined) => [first, ...others].filter((r) => r.valid && r.value === v && v !== undefined).length
        if (decision.kind === "keep") return
        expect(decision.value).not.toBe(first.value)
        expect(decision.votes).toBe(count(decision.value))
        expect(decision.votes).toBeGreaterThanOrEqual(2)
        expect(decision.votes).toBeGreaterThan(count(first.valid ? first.value : undefined))
        for (const r of others) if (r.value !== decision.value && r.value !== undefined) expect(count(r.value)).toBeLessThan(decision.votes)
      })
    )
  })

  test("property: with no second reading, nothing is ever replaced", () => {
    fc.assert(fc.property(fc.string(), fc.boolean(), (value, ok) => expect(decideReading({ value, valid: ok }, [])).toEqual({ kind: "keep" })))
  })
})

const slip = (decision: string, id = "079185001234", amount = "125.500.000 đồng") =>
  [
    pageFromText(
      [
        "GIẤY NỘP TIỀN THI HÀNH ÁN",
        "Họ và tên người nộp tiền: Nguyễn Thị Hồng Nhung",
        `Số CCCD: ${id}`,
        "Địa chỉ: Số 12 đường Lê Lợi, phường Bến Thành, Thành phố Hồ Chí Minh",
        `Căn cứ Quyết định số ${decision}`,
        `Số tiền: ${amount}`,
        "Bằng chữ: Một trăm hai mươi lăm triệu năm trăm nghìn đồng",
        "TP. Hồ Chí Minh, ngày 23 tháng 6 năm 2025"
      ].join("\n")
    )
  ]

describe("digitTargets and readingOf", () => {
  test("each digit field's target is the words its value was read from, tight, digits only for figures", () => {
    const pages = slip("1826/QĐ-CTHADS ngày 12/05/2025")
    const e = extractFields(pages, { currentYear: 2026 })
    const targets = digitTargets(pages, e, ["payerIdNumber", "amount", "decisionNumber", "decisionDate", "paymentDate"])
    const words = (t: (typeof targets)[number]) => pages[0]!.lines[t.line]!.words.slice(t.fromWord, t.toWord).map((w) => w.text).join(" ")
    expect(targets.map((t) => [t.fields[0], words(t), t.whitelist ?? null, t.tight])).toEqual([
      ["payerIdNumber", "079185001234", "0123456789", true],
      ["amount", "125.500.000", "0123456789.,", true],
      ["decisionNumber", "1826/QĐ-CTHADS", null, true],
      ["decisionDate", "12/05/2025", "0123456789/.-", true],
      ["paymentDate", "ngày 23 tháng 6 năm 2025", null, true]
    ])
  })

  test("a second reading put in place of a target's words changes that field alone", () => {
    const pages = slip("1826/QĐ-CTHADS ngày 12/05/2025")
    const before = extractFields(pages)
    const [target] = digitTargets(pages, before, ["decisionNumber"])
    const after = extractFields(replaceWords(pages, target!, [{ text: "1626/QĐ-CTHADS", confidence: 0.9 }]))
    expect(after.fields.decisionNumber).toBe("1626/QĐ-CTHADS")
    expect({ ...after.fields, decisionNumber: undefined }).toEqual({ ...before.fields, decisionNumber: undefined })
  })

  test("an identity number that breaks its rules, or figures the words contradict, are not valid readings", () => {
    const e = extractFields(slip("1626/QĐ-CTHADS ngày 12/05/2025", "0791850012345", "125.800.000 đồng"), { currentYear: 2026 })
    expect(readingOf(e, "payerIdNumber")).toEqual({ value: "0791850012345", valid: false })
    expect(readingOf(e, "amount").valid).toBe(false)
    expect(readingOf(e, "decisionNumber")).toEqual({ value: "1626/QĐ-CTHADS", valid: true })
  })
})
