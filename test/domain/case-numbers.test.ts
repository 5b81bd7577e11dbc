import { describe, expect, test } from "bun:test"
import { Result, Schema } from "effect"
import fc from "fast-check"
import { DecisionNumber, JudgmentNumber, parseDecisionNumber, parseJudgmentNumber } from "../../domain/case-numbers.ts"

const ok = (r: Result.Result<string, unknown>) => Result.getOrThrow(r)

describe("decision numbers", () => {
  test("normalise what typists and OCR write", () => {
    expect(ok(parseDecisionNumber("1234/QĐ-CTHADS"))).toBe("1234/QĐ-CTHADS")
    expect(ok(parseDecisionNumber("1234/QD-CTHADS"))).toBe("1234/QĐ-CTHADS")
    expect(ok(parseDecisionNumber("56 / qđ - thads"))).toBe("56/QĐ-THADS")
    expect(ok(parseDecisionNumber("Số: 78/QĐ-CCTHADS"))).toBe("78/QĐ-CCTHADS")
    expect(ok(parseDecisionNumber("12/2025/QĐ-THADS"))).toBe("12/2025/QĐ-THADS")
  })
  test("refuse what is not a decision number", () => {
    for (const bad of ["", "abc", "1234/CTHADS", "12/2025/DS-ST", "/QĐ-THADS"]) {
      expect(Result.isFailure(parseDecisionNumber(bad))).toBe(true)
    }
  })
  test("the schema accepts only the canonical form", () => {
    const decode = Schema.decodeUnknownResult(DecisionNumber)
    expect(Result.isSuccess(decode("1234/QĐ-CTHADS"))).toBe(true)
    const r = decode("1234/QD-CTHADS")
    expect(Result.isFailure(r) && r.failure.message).toContain('write "1234/QĐ-CTHADS"')
  })
  test("round trip: a canonical number parses to itself, noisy spellings to the canonical one", () => {
    const agency = fc.constantFrom("CTHADS", "THADS", "CCTHADS", "CTHADS-HCM")
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 999999 }), agency, fc.boolean(), (n, a, noisy) => {
        const canonical = `${n}/QĐ-${a}`
        const written = noisy ? ` ${n} / qd - ${a.toLowerCase()} ` : canonical
        expect(ok(parseDecisionNumber(written))).toBe(canonical)
      })
    )
  })
})

describe("judgment numbers", () => {
  test("read the usual forms", () => {
    expect(ok(parseJudgmentNumber("12/2025/DS-ST"))).toBe("12/2025/DS-ST")
    expect(ok(parseJudgmentNumber("45/2024/hs-pt"))).toBe("45/2024/HS-PT")
    expect(Result.isFailure(parseJudgmentNumber("12/DS-ST"))).toBe(true)
    expect(Result.isSuccess(Schema.decodeUnknownResult(JudgmentNumber)("3/2023/KDTM-ST"))).toBe(true)
  })
})
