import { describe, expect, test } from "bun:test"
import fc from "fast-check"
import { type ContextFlag, contextFlags, fieldContexts, type PageFacts } from "../../domain/extraction/calibration-context.ts"
import {
  calibrate,
  calibrateExtraction,
  calibrationBins,
  exactKey,
  fitCalibration,
  fitField,
  flagKey,
  MIN_SAMPLES,
  type Observation,
  WARNED_AT_MOST,
  wilsonLower
} from "../../domain/extraction/calibration.ts"
import { shippedCalibration } from "../../domain/extraction/calibration-data.ts"
import { type Extraction, fieldNames } from "../../domain/extraction/extraction.ts"

const confidence = fc.double({ min: 0, max: 1, noNaN: true })
const observation = fc.record({ confidence, correct: fc.boolean() })
const flags = fc.subarray([...contextFlags])
const contextual = fc.record({
  field: fc.constantFrom(...fieldNames),
  confidence,
  correct: fc.boolean(),
  context: flags
})

const clean: PageFacts = { fax: false, contrast: 220, unevenLight: false }

describe("the Wilson bound", () => {
  test("known values: 0 of nothing, 10 of 10 is 0.787, 99 of 100 is 0.957", () => {
    expect(wilsonLower(0, 0)).toBe(0)
    expect(wilsonLower(10, 10)).toBeCloseTo(0.787, 3)
    expect(wilsonLower(99, 100)).toBeCloseTo(0.957, 2)
    expect(wilsonLower(0, 50)).toBeCloseTo(0, 9)
  })

  test("property: it lies in [0, the observed share], and grows with the evidence at the same share", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 500 }), fc.integer({ min: 0, max: 500 }), fc.integer({ min: 2, max: 5 }), (n, r, k) => {
        const right = Math.min(r, n)
        const w = wilsonLower(right, n)
        expect(w).toBeGreaterThanOrEqual(-1e-12)
        expect(w).toBeLessThanOrEqual(right / n + 1e-12)
        if (right > 0) expect(wilsonLower(right * k, n * k)).toBeGreaterThan(w)
      }),
      { numRuns: 300 }
    )
  })

  test("all right, 25 fields earn 0.9 and fewer do not; a context table needs at least that many (MIN_SAMPLES)", () => {
    expect(wilsonLower(25, 25)).toBeGreaterThanOrEqual(0.9)
    expect(wilsonLower(24, 24)).toBeLessThan(0.9)
    expect(MIN_SAMPLES).toBeGreaterThanOrEqual(25)
  })

})

describe("property: calibration is computed from what was observed", () => {
  test("one field's map never gives a surer reading a lower score, and stays within [0, 1]", () => {
    fc.assert(
      fc.property(fc.array(observation, { minLength: 1, maxLength: 200 }), confidence, confidence, (obs, a, b) => {
        const table = { fields: { amount: fitField(obs) }, contexts: {} }
        const [lo, hi] = a <= b ? [a, b] : [b, a]
        expect(calibrate(table, "amount", lo)).toBeLessThanOrEqual(calibrate(table, "amount", hi))
        expect(calibrate(table, "amount", hi)).toBeGreaterThanOrEqual(0)
        expect(calibrate(table, "amount", hi)).toBeLessThanOrEqual(1)
      }),
      { numRuns: 300 }
    )
  })

  test("monotone in every bucket: in any context, a surer raw reading never scores lower (exact tables, flag tables, pooled tables, fallbacks)", () => {
    fc.assert(
      fc.property(fc.array(contextual, { minLength: 1, maxLength: 400 }), fc.integer({ min: 1, max: 40 }), fc.constantFrom(...fieldNames), flags, confidence, confidence, (obs, min, field, context, a, b) => {
        const table = fitCalibration(obs, min)
        const [lo, hi] = a <= b ? [a, b] : [b, a]
        const low = calibrate(table, field, lo, context)
        const high = calibrate(table, field, hi, context)
        expect(low).toBeLessThanOrEqual(high)
        expect(high).toBeLessThanOrEqual(1)
        expect(low).toBeGreaterThanOrEqual(0)
      }),
      { numRuns: 300 }
    )
  })

  test("on the observations it was fitted to, fields in each exact context scored ≥ 0.9 are right at least 90 % of the time (the score is a lower bound)", () => {
    fc.assert(
      fc.property(fc.array(contextual, { minLength: 1, maxLength: 400 }), (obs) => {
        const table = fitCalibration(obs, 5)
        const buckets = new Map<string, Array<Observation>>()
        for (const o of obs) buckets.set(exactKey(o.field, o.context), [...(buckets.get(exactKey(o.field, o.context)) ?? []), o])
        for (const [key, inBucket] of buckets) {
          if (table.contexts[key] === undefined) continue
          const scored = inBucket.map((o) => ({ confidence: calibrate(table, o.field, o.confidence, o.context), correct: o.correct }))
          for (const bin of calibrationBins(scored)) if (bin.count > 0) expect(bin.right / bin.count).toBeGreaterThanOrEqual(bin.from - 1e-9)
        }
      }),
      { numRuns: 200 }
    )
  })

  test("all right gives a score that grows with the evidence; all wrong gives 0", () => {
    const right = (n: number) => fitField(Array.from({ length: n }, (_, i) => ({ confidence: 0.5 + i / (2 * n), correct: true })))
    expect(right(10).at(-1)?.to).toBeCloseTo(wilsonLower(10, 10), 3)
    expect(right(300).at(-1)?.to ?? 0).toBeGreaterThan(right(10).at(-1)?.to ?? 1)
    expect(fitField([{ confidence: 0.99, correct: false }, { confidence: 0.98, correct: false }]).at(-1)?.to).toBe(0)
  })
})

// n fields at raw 0.95, `wrong` of them misread, in `context`.
const many = (field: Observation["field"], n: number, wrong: number, context: ReadonlyArray<ContextFlag> = [], raw = 0.95): Array<Observation> =>
  Array.from({ length: n }, (_, i) => ({ field, confidence: raw, correct: i >= wrong, context }))

describe("calibration in context, with pooling where a context is small", () => {
  const cleanNames = many("payerName", 300, 0, [], 0.97)
  // The mechanism, at a minimum the contexts below pass (40 fields) and the rare ones do not (3–4); the shipped
  // minimum (MIN_SAMPLES) is a fit setting.
  const SMALL = 25
  test("a context with enough fields has its own table: faxed names that were often wrong score low, even as sure as clean ones", () => {
    const table = fitCalibration([...cleanNames, ...many("payerName", 40, 12, ["fax"], 0.95)], SMALL)
    expect(table.contexts[exactKey("payerName", ["fax"])]).toBeDefined()
    expect(calibrate(table, "payerName", 0.97, [])).toBeGreaterThan(0.95)
    expect(calibrate(table, "payerName", 0.97, ["fax"])).toBeLessThan(0.7)
  })

  test("property: a context never scores a field above the field's own table (which alone saw all its misreadings along raw confidence)", () => {
    fc.assert(
      fc.property(fc.array(contextual, { minLength: 1, maxLength: 400 }), fc.integer({ min: 1, max: 40 }), fc.constantFrom(...fieldNames), flags, confidence, (obs, min, field, context, raw) => {
        const table = fitCalibration(obs, min)
        expect(calibrate(table, field, raw, context)).toBeLessThanOrEqual(calibrate({ fields: table.fields, contexts: {} }, field, raw))
      }),
      { numRuns: 300 }
    )
  })

  test("a risk flag is pooled among fields whose check passed alike: names misread on faxes do not lower faxed amounts that agree with their words", () => {
    const obs = [
      ...many("amount", 300, 0, ["checked"], 0.97),
      ...many("amount", 30, 0, ["fax", "checked"], 0.97),
      ...many("payerName", 300, 0, [], 0.97),
      ...many("payerName", 40, 15, ["fax"], 0.97),
      ...many("reason", 40, 15, ["fax"], 0.97)
    ]
    const table = fitCalibration(obs, SMALL)
    // The amount's exact context is fitted: no pooling needed. Without it, the flag table of checked faxed fields speaks.
    expect(calibrate(table, "amount", 0.97, ["fax", "checked"])).toBeGreaterThan(0.9)
    const { [exactKey("amount", ["fax", "checked"])]: _, ...withoutExact } = table.contexts
    expect(calibrate({ ...table, contexts: withoutExact }, "amount", 0.97, ["fax", "checked"])).toBeGreaterThan(0.9)
    // An unchecked field on a fax, with no table of its own, takes the pooled table of unchecked faxed fields.
    expect(calibrate({ ...table, fields: { ...table.fields, payerAddress: [{ from: 0, to: 0.99 }] } }, "payerAddress", 0.97, ["fax"])).toBeLessThan(0.7)
  })

  test("a combination too rare for its own table scores as low as the riskiest of its flags", () => {
    const obs = [...cleanNames, ...many("payerName", 40, 12, ["fax"]), ...many("payerName", 60, 1, ["reread"]), ...many("payerName", 3, 0, ["fax", "reread"])]
    const table = fitCalibration(obs, SMALL)
    expect(table.contexts[exactKey("payerName", ["fax", "reread"])]).toBeUndefined()
    const both = calibrate(table, "payerName", 0.95, ["fax", "reread"])
    // The flag tables: every faxed name (combinations included), every name read twice.
    const flagOnly = (flag: ContextFlag) => calibrate({ fields: {}, contexts: { [exactKey("payerName", [flag])]: table.contexts[flagKey("payerName", flag)] ?? [] } }, "payerName", 0.95, [flag])
    expect(both).toBe(Math.min(flagOnly("fax"), flagOnly("reread")))
    expect(both).toBeLessThan(0.8)
  })

  test("a flag too rare for the field borrows the table fitted on every field with that flag", () => {
    const obs = [...cleanNames, ...many("amount", 300, 0), ...many("amount", 40, 15, ["capitals"]), ...many("payerName", 4, 0, ["capitals"])]
    const table = fitCalibration(obs, SMALL)
    expect(table.contexts[flagKey("payerName", "capitals")]).toBeUndefined()
    expect(table.contexts[flagKey("*", "capitals")]).toBeDefined()
    // 4 lucky names in capitals do not make capitals safe: the pooled table (15 of 44 wrong) speaks.
    expect(calibrate(table, "payerName", 0.95, ["capitals"])).toBeLessThan(0.7)
  })

  test("a context seen too rarely anywhere falls back to the field's table; so does a passed check without its own table", () => {
    const table = fitCalibration([...cleanNames, ...many("payerName", 3, 0, ["photo"]), ...many("payerName", 3, 0, ["checked"])])
    const field = calibrate(table, "payerName", 0.95, [])
    expect(calibrate(table, "payerName", 0.95, ["photo"])).toBe(calibrate({ fields: table.fields, contexts: {} }, "payerName", 0.95))
    expect(calibrate(table, "payerName", 0.95, ["checked"])).toBe(calibrate({ fields: table.fields, contexts: {} }, "payerName", 0.95))
    expect(field).toBeGreaterThan(0.95)
  })

  test("a field without a table keeps its raw confidence; the extraction's fields are all calibrated in their contexts", () => {
    expect(calibrate({ fields: {}, contexts: {} }, "amount", 0.42)).toBe(0.42)
    const table = { fields: { amount: [{ from: 0, to: 0.1 }, { from: 0.9, to: 0.995 }] }, contexts: { [flagKey("amount", "fax")]: [{ from: 0, to: 0.5 }] } }
    const e = calibrateExtraction(table, {
      documentType: "payment_slip",
      fields: { amount: "1000", payerName: "An" },
      confidence: { amount: 0.95, payerName: 0.7 },
      warnings: []
    })
    expect(e.confidence).toEqual({ amount: 0.995, payerName: 0.7 })
    const faxed = calibrateExtraction(table, { documentType: "payment_slip", fields: { amount: "1000" }, confidence: { amount: 0.95 }, warnings: [] }, { amount: ["fax"] })
    expect(faxed.confidence).toEqual({ amount: 0.5 })
  })

  test("the shipped table was fitted, not written by hand: each table's steps rise, from 0, for known fields and flags", () => {
    const tables = [...Object.entries(shippedCalibration.fields), ...Object.entries(shippedCalibration.contexts)]
    expect(tables.length).toBeGreaterThan(0)
    for (const [key, steps] of tables) {
      const [field, rest] = key.replace(/[+-]passed$/, "").split(/[=~]/)
      if (field !== "*") expect(fieldNames as ReadonlyArray<string | undefined>).toContain(field)
      for (const flag of (rest ?? "").split("+").filter((f) => f !== "")) expect(contextFlags as ReadonlyArray<string>).toContain(flag)
      expect(steps?.[0]?.from).toBe(0)
      for (let i = 1; i < (steps?.length ?? 0); i++) {
        expect(steps?.[i]?.from ?? 0).toBeGreaterThan(steps?.[i - 1]?.from ?? 0)
        expect(steps?.[i]?.to ?? 0).toBeGreaterThanOrEqual(steps?.[i - 1]?.to ?? 0)
      }
    }
  })
})

describe("what the pipeline knows about a field", () => {
  const extraction = (over: Partial<Extraction>): Extraction => ({ documentType: "bank_advice", fields: {}, confidence: {}, warnings: [], ...over })

  test("a fax page, a faint page, a photo mark every field; a second reading, a correction, a warning, capitals mark their own", () => {
    const final = extraction({
      fields: { payerName: "VO THU MINH", amount: "5000000", reason: "Nộp tiền thi hành án", payerIdNumber: "079185001234" },
      confidence: { payerName: 0.9, amount: 0.9, reason: 0.9, payerIdNumber: 0.9 },
      warnings: [
        { code: "corrected", field: "reason", message: "", original: "bối", corrected: "bồi" },
        { code: "amount_words_unreadable", field: "amount", message: "" }
      ]
    })
    const first = extraction({ fields: { payerName: "VO THU MINH", amount: "5000600", reason: "Nộp tiền thi hành án" } })
    const c = fieldContexts(final, first, [{ fax: true, contrast: 255, unevenLight: false }])
    expect(c.payerName).toEqual(["fax", "capitals"])
    expect(c.amount).toEqual(["fax", "reread", "warned"])
    expect(c.reason).toEqual(["fax", "corrected"])
    expect(c.payerIdNumber).toEqual(["fax", "reread", "checked"])
    expect(fieldContexts(final, first, [{ fax: false, contrast: 90, unevenLight: true }]).payerName).toEqual(["faint", "photo", "capitals"])
    expect(fieldContexts(final, final, [clean]).payerName).toEqual(["capitals"])
  })

  test("checks that passed: figures agreeing with the words, a CCCD that keeps its rules, a decision before its payment", () => {
    const agreeing = extraction({
      fields: { amount: "5000000", amountInWords: "Năm triệu đồng", payerIdNumber: "079185001234", decisionDate: "2025-01-02", paymentDate: "2025-02-03" },
      confidence: {}
    })
    const c = fieldContexts(agreeing, agreeing, [clean])
    for (const f of ["amount", "amountInWords", "payerIdNumber", "decisionDate", "paymentDate"] as const) expect(c[f]).toEqual(["checked"])
    const disagreeing = extraction({
      ...agreeing,
      fields: { ...agreeing.fields, payerIdNumber: "079185001" },
      warnings: [{ code: "amount_words_mismatch", field: "amount", message: "" }, { code: "decision_after_payment", field: "decisionDate", message: "" }]
    })
    const d = fieldContexts(disagreeing, disagreeing, [clean])
    expect(d.amount).toEqual(["warned"])
    expect(d.amountInWords).toEqual([])
    expect(d.payerIdNumber).toEqual([])
    expect(d.decisionDate).toEqual(["warned"])
  })

  test("property: every field read has a context, in the canonical order, and only the fields read", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...fieldNames), fc.string({ maxLength: 12 })), fc.boolean(), fc.integer({ min: 0, max: 255 }), (fields, fax, contrast) => {
        const e = extraction({ fields })
        const c = fieldContexts(e, extraction({}), [{ fax, contrast, unevenLight: false }])
        expect(Object.keys(c).sort()).toEqual(Object.keys(fields).sort())
        for (const flags of Object.values(c)) expect([...(flags ?? [])]).toEqual(contextFlags.filter((f) => (flags ?? []).includes(f)))
      }),
      { numRuns: 200 }
    )
  })
})

describe("a field its own document contradicts", () => {
  test("property: with the warned flag no field is scored above WARNED_AT_MOST, whatever its raw confidence and other flags", () => {
    fc.assert(
      fc.property(fc.constantFrom(...fieldNames), fc.double({ min: 0, max: 1, noNaN: true }), fc.subarray([...contextFlags]), (field, raw, flags) => {
        const context = [...new Set<ContextFlag>([...flags, "warned"])]
        expect(calibrate(shippedCalibration, field, raw, context)).toBeLessThanOrEqual(WARNED_AT_MOST)
      })
    )
  })
})
