import { describe, expect, test } from "bun:test"
import fc from "fast-check"
import { decideReading, digitTargets, LONE_READING_CONFIDENCE, MIN_AGREEING, readingOf, type Reading, withDecision } from "../../domain/extraction/ensemble.ts"
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

  test("the first reading confirmed once holds against a value read three times (a photo's 8 read 6 when scaled up)", () => {
    expect(decideReading(valid("096056068315"), [valid("096056066315"), valid("096056068315"), valid("096056066315"), valid("096056066315")])).toEqual({ kind: "keep" })
  })

  test("an invalid first reading is replaced by the one valid value read, alone, at lowered confidence", () => {
    // A CCCD read with a thirteenth digit: one treatment reads 12 digits that keep the rules.
    expect(decideReading(invalid("0011561900922"), [valid("001156190092"), none, invalid("0011561900922")])).toEqual({
      kind: "replace",
      value: "001156190092",
      votes: 1,
      confidenceAtMost: LONE_READING_CONFIDENCE
    })
    // Read twice, it overrules as any value read twice does, with no cap.
    expect(decideReading(invalid("0011561900922"), [valid("001156190092"), valid("001156190092"), none])).toEqual({
      kind: "replace",
      value: "001156190092",
      votes: 2
    })
  })

  test("an invalid first reading with two different valid values read once each: nothing is taken", () => {
    expect(decideReading(invalid("0011561900922"), [valid("001156190092"), valid("001156190022"), invalid("0011561900922")])).toEqual({ kind: "keep" })
  })

  test("a valid first reading is never overruled by a single reading, nor a missing first reading", () => {
    expect(decideReading(valid("2025-06-18"), [valid("2025-06-16"), none, none])).toEqual({ kind: "keep" })
    expect(decideReading(none, [valid("2025-06-16"), none, none])).toEqual({ kind: "keep" })
  })

  test("readings that break the field's rules never vote, however many", () => {
    expect(decideReading(valid("079185001234"), [invalid("0791850012345"), invalid("0791850012345"), invalid("0791850012345")])).toEqual({ kind: "keep" })
  })

  test("a broken first reading's own value read valid twice ties with another read twice: nothing replaced (a 5,000-run property found it)", () => {
    expect(decideReading(invalid("1626"), [valid("1626"), valid("1686"), valid("1626"), valid("1686")])).toEqual({ kind: "keep" })
    expect(decideReading(invalid("1626"), [valid("1626"), valid("1686"), valid("1686")])).toEqual({ kind: "replace", value: "1686", votes: 2 })
  })

  test("two other values read twice each: a tie, nothing replaced", () => {
    expect(decideReading(none, [valid("16"), valid("16"), valid("18"), valid("18")])).toEqual({ kind: "keep" })
  })

  const reading = fc.oneof(
    fc.constant(none),
    fc.record({ value: fc.constantFrom("1626", "1826", "1686", "1628"), valid: fc.boolean() })
  )
  const count = (v: string | undefined, all: ReadonlyArray<Reading>) => all.filter((r) => r.valid && r.value === v && v !== undefined).length

  test("property: a value taken on votes was read valid at least twice, more often than the first and than any other", () => {
    fc.assert(
      fc.property(reading, fc.array(reading, { maxLength: 5 }), (first, others) => {
        const decision = decideReading(first, others)
        if (decision.kind === "keep" || decision.confidenceAtMost !== undefined) return
        const all = [first, ...others]
        expect(decision.value).not.toBe(first.value)
        expect(decision.votes).toBe(count(decision.value, all))
        expect(decision.votes).toBeGreaterThanOrEqual(MIN_AGREEING)
        expect(decision.votes).toBeGreaterThan(count(first.valid ? first.value : undefined, all))
        for (const r of others) if (r.value !== decision.value && r.value !== undefined) expect(count(r.value, all)).toBeLessThan(decision.votes)
      })
    )
  })

  test("property: an invalid value never wins; a valid first reading is never overruled by fewer than two, nor once confirmed", () => {
    fc.assert(
      fc.property(reading, fc.array(reading, { maxLength: 5 }), (first, others) => {
        const decision = decideReading(first, others)
        if (decision.kind === "keep") return
        expect(others.some((r) => r.valid && r.value === decision.value)).toBe(true)
        if (first.valid) expect(decision.votes).toBeGreaterThanOrEqual(MIN_AGREEING)
        // A valid first reading a second opinion confirmed is never overruled.
        if (first.valid) expect(others.some((r) => r.valid && r.value === first.value)).toBe(false)
      })
    )
  })

  test("property: a value taken on a single vote replaces an invalid first reading, is the only valid value read, and is capped", () => {
    fc.assert(
      fc.property(reading, fc.array(reading, { maxLength: 5 }), (first, others) => {
        const decision = decideReading(first, others)
        if (decision.kind === "keep" || decision.votes >= MIN_AGREEING) return
        expect(first.value !== undefined && !first.valid).toBe(true)
        expect(new Set(others.filter((r) => r.valid).map((r) => r.value))).toEqual(new Set([decision.value]))
        expect(decision.confidenceAtMost).toBeLessThanOrEqual(0.7)
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

describe("withDecision", () => {
  const read = extractFields(slip("1626/QĐ-CTHADS ngày 12/05/2025", "001156190092"), { currentYear: 2026 })

  test("a value taken on a single vote is no surer than the cap; the other fields keep theirs", () => {
    const taken = withDecision(read, "payerIdNumber", { kind: "replace", value: "001156190092", votes: 1, confidenceAtMost: LONE_READING_CONFIDENCE })
    expect(read.confidence.payerIdNumber).toBeGreaterThan(LONE_READING_CONFIDENCE)
    expect(taken.confidence.payerIdNumber).toBe(LONE_READING_CONFIDENCE)
    expect({ ...taken.confidence, payerIdNumber: 0 }).toEqual({ ...read.confidence, payerIdNumber: 0 })
    expect(taken.fields).toEqual(read.fields)
  })

  test("a value taken on votes keeps the confidence it was read with", () => {
    expect(withDecision(read, "payerIdNumber", { kind: "replace", value: "001156190092", votes: 2 })).toBe(read)
  })
})
