import { describe, expect, test } from "bun:test"
import fc from "fast-check"
import { extractFields } from "../../domain/extraction/extract.ts"
import { knownPrefixOf, REFERENCE_PREFIXES } from "../../domain/extraction/fields/bank-reference.ts"
import { pageFromText } from "../../domain/extraction/ocr-output.ts"

const advice = (reference: string) =>
  extractFields([
    pageFromText(
      [
        "GIẤY BÁO CÓ",
        "Số tham chiếu: " + reference,
        "Người chuyển: NGUYEN VAN AN",
        "Số tiền: 2.500.000 VND",
        "Nội dung: NOP TIEN THI HANH AN THEO QD 1626/QD-CCTHADS"
      ].join("\n")
    )
  ], { currentYear: 2026 })

describe("bank reference prefixes", () => {
  test("an F read E is put back, with a corrected warning holding what was read, and less sure", () => {
    const right = advice("FT25174001234")
    const misread = advice("ET25174001234")
    expect(misread.fields.bankReference).toBe("FT25174001234")
    expect(misread.warnings).toContainEqual(expect.objectContaining({ code: "corrected", field: "bankReference", original: "ET25174001234", corrected: "FT25174001234" }))
    expect(misread.confidence.bankReference).toBeLessThan(right.confidence.bankReference!)
    expect(right.warnings.filter((w) => w.field === "bankReference")).toEqual([])
  })

  test("a known prefix, or one no single look-alike makes known, is left as read", () => {
    expect(advice("TT25174001234").fields.bankReference).toBe("TT25174001234")
    expect(advice("AB25174001234").fields.bankReference).toBe("AB25174001234")
    expect(knownPrefixOf("FT")).toBeUndefined()
    expect(knownPrefixOf("ET")).toBe("FT")
    expect(knownPrefixOf("FI")).toBe("FT")
    expect(knownPrefixOf("XY")).toBeUndefined()
  })

  test("property: a fix is always a known prefix one letter away, and a known prefix is never changed", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Z]{1,3}$/), (prefix) => {
        const fixed = knownPrefixOf(prefix)
        if (REFERENCE_PREFIXES.includes(prefix)) expect(fixed).toBeUndefined()
        if (fixed === undefined) return
        expect(REFERENCE_PREFIXES).toContain(fixed)
        expect(fixed.length).toBe(prefix.length)
        expect([...prefix].filter((c, i) => c !== fixed[i]).length).toBe(1)
      })
    )
  })
})
