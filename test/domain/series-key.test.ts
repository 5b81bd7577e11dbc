/**
 * The series key (domain/series-key.ts): one key per series, built one way.
 * Properties: parse∘format is the identity for any three strings, format is
 * injective (distinct series never share a key, which is what every Map
 * keyed by it relies on), and parse refuses any text format could not make.
 */
import { describe, expect, test } from "bun:test"
import { Result } from "effect"
import fc from "fast-check"
import { parseSeriesKey, sameSeries, type SeriesId, seriesKey, seriesOf } from "../../domain/series-key.ts"
import { FormNumber, SeriesSymbol } from "../../domain/receipt.ts"
import { Schema } from "effect"

/** Any three strings, weighted towards the characters the key escapes. */
const part = fc.string({ unit: fc.oneof(fc.constantFrom("\\", "|", "A", "/", "-", "0"), fc.string({ unit: "binary", minLength: 1, maxLength: 1 })), maxLength: 12 })
const anySeries: fc.Arbitrary<SeriesId> = fc.record({ agency: part, form: part, symbol: part })

/** Series as the domain allows them: the usual shapes. */
const validSeries: fc.Arbitrary<SeriesId> = fc.record({
  agency: fc.stringMatching(/^[A-Z][A-Z0-9]{1,15}$/),
  form: fc.stringMatching(/^[0-9A-Z][0-9A-Z/.-]{0,19}$/),
  symbol: fc.stringMatching(/^[A-Z]{2}\/\d{2}E$/)
})

describe("seriesKey", () => {
  test("reads as agency|form|symbol for valid codes", () => {
    expect(seriesKey({ agency: "HCM", form: "01-BLTHADS", symbol: "AA/25E" })).toBe("HCM|01-BLTHADS|AA/25E")
  })

  test("valid codes never need escaping", () => {
    fc.assert(fc.property(validSeries, (s) => {
      expect(Schema.is(FormNumber)(s.form) && Schema.is(SeriesSymbol)(s.symbol)).toBe(true)
      expect(seriesKey(s)).toBe(`${s.agency}|${s.form}|${s.symbol}`)
    }))
  })

  test("parse∘format is the identity (round trip), for any strings", () => {
    fc.assert(fc.property(anySeries, (s) => {
      const parsed = parseSeriesKey(seriesKey(s))
      expect(Result.isSuccess(parsed) && parsed.success).toEqual(s)
    }), { numRuns: 2000 })
  })

  test("injective: distinct series never share a key", () => {
    fc.assert(fc.property(anySeries, anySeries, (a, b) => {
      expect(seriesKey(a) === seriesKey(b)).toBe(sameSeries(a, b))
    }), { numRuns: 2000 })
    // The collisions a plain join would have: a part holding the separator.
    const a = { agency: "A|B", form: "C", symbol: "D" }
    const b = { agency: "A", form: "B|C", symbol: "D" }
    expect(seriesKey(a)).not.toBe(seriesKey(b))
    expect(seriesKey({ agency: "A\\", form: "|B", symbol: "C" })).not.toBe(seriesKey({ agency: "A", form: "\\|B", symbol: "C" }))
  })

  test("format∘parse is the identity on every text parse accepts", () => {
    const text = fc.string({ unit: fc.constantFrom("\\", "|", "A", "B"), maxLength: 10 })
    fc.assert(fc.property(text, (t) => {
      const parsed = parseSeriesKey(t)
      if (Result.isSuccess(parsed)) expect(seriesKey(parsed.success)).toBe(t)
    }), { numRuns: 2000 })
  })

  test("parse names what is wrong", () => {
    const parts = parseSeriesKey("HCM|01-BLTHADS")
    expect(Result.isFailure(parts) && parts.failure.message).toContain("2 part(s) where agency|form|symbol has 3")
    const escape = parseSeriesKey("HCM|01\\X|AA/25E")
    expect(Result.isFailure(escape) && escape.failure.message).toContain("escapes neither")
    const trailing = parseSeriesKey("HCM|01|AA/25E\\")
    expect(Result.isFailure(trailing) && trailing.failure._tag).toBe("SeriesKeyInvalid")
  })

  test("seriesOf takes a receipt's series", () => {
    expect(seriesOf({ agency: "HCM", series: { form: "01-BLTHADS", symbol: "AB/26E" } })).toEqual({ agency: "HCM", form: "01-BLTHADS", symbol: "AB/26E" })
  })
})
