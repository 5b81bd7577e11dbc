/**
 * Which digit fields get second opinions (domain/extraction/reread.ts,
 * used by adapters/ocr/reread.ts): the vote reads a value four more times,
 * so a value read surely and passing its checks is left alone, on
 * low-resolution pages too, but for the identity number, checked on every
 * page; a value that breaks its rules is always checked.
 */
import { describe, expect, test } from "bun:test"
import fc from "fast-check"
import { LOW_CONFIDENCE, SURE_ON_LOW_RESOLUTION, wantsSecondOpinions } from "../../domain/extraction/reread.ts"

const fields = fc.record({ confidence: fc.double({ min: 0, max: 1, noNaN: true }), valid: fc.boolean(), lowResolution: fc.boolean() })

describe("second opinions: which fields", () => {
  test("a value that breaks its rules is checked however sure it was read", () => {
    fc.assert(fc.property(fields, (f) => expect(wantsSecondOpinions({ ...f, valid: false })).toBe(true)))
  })

  test("the identity number is checked however sure, on every page; other fields as their confidence says", () => {
    fc.assert(fc.property(fields, (f) => {
      expect(wantsSecondOpinions({ ...f, name: "payerIdNumber" })).toBe(true)
      expect(wantsSecondOpinions({ ...f, name: "amount" })).toBe(wantsSecondOpinions(f))
    }))
    expect(wantsSecondOpinions({ name: "amount", confidence: 0.95, valid: true, lowResolution: true })).toBe(false)
  })

  test("a valid value read at 0.9 or more is not checked, even on a low-resolution page", () => {
    fc.assert(
      fc.property(fc.double({ min: SURE_ON_LOW_RESOLUTION, max: 1, noNaN: true }), fc.boolean(), (confidence, lowResolution) =>
        expect(wantsSecondOpinions({ confidence, valid: true, lowResolution })).toBe(false)
      )
    )
  })

  test("on a low-resolution page a valid value below 0.9 is checked; on others only below 0.8", () => {
    expect(wantsSecondOpinions({ confidence: 0.89, valid: true, lowResolution: true })).toBe(true)
    expect(wantsSecondOpinions({ confidence: 0.89, valid: true, lowResolution: false })).toBe(false)
    expect(wantsSecondOpinions({ confidence: LOW_CONFIDENCE - 0.01, valid: true, lowResolution: false })).toBe(true)
  })

  test("less sure is never checked less: a field checked at one confidence is checked at any lower one", () => {
    fc.assert(
      fc.property(fields, fc.double({ min: 0, max: 1, noNaN: true }), (f, lower) => {
        if (wantsSecondOpinions(f)) expect(wantsSecondOpinions({ ...f, confidence: Math.min(lower, f.confidence) })).toBe(true)
      })
    )
  })
})
