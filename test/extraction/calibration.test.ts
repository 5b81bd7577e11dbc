import { describe, expect, test } from "bun:test"
import fc from "fast-check"
import { calibrate, calibrateExtraction, calibrationBins, fitCalibration, fitField, wilsonLower } from "../../domain/extraction/calibration.ts"
import { shippedCalibration } from "../../domain/extraction/calibration-data.ts"
import { fieldNames } from "../../domain/extraction/extraction.ts"

const observation = fc.record({ confidence: fc.double({ min: 0, max: 1, noNaN: true }), correct: fc.boolean() })

describe("property: calibration is computed from what was observed", () => {
  test("the fitted map never gives a surer reading a lower score, and stays within [0, 1]", () => {
    fc.assert(
      fc.property(fc.array(observation, { minLength: 1, maxLength: 200 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (obs, a, b) => {
        const table = { amount: fitField(obs) }
        const [lo, hi] = a <= b ? [a, b] : [b, a]
        expect(calibrate(table, "amount", lo)).toBeLessThanOrEqual(calibrate(table, "amount", hi))
        expect(calibrate(table, "amount", hi)).toBeGreaterThanOrEqual(0)
        expect(calibrate(table, "amount", hi)).toBeLessThanOrEqual(1)
      }),
      { numRuns: 300 }
    )
  })

  test("on the observations it was fitted to, the fields scored ≥ 0.9 are right at least 90 % of the time (the score is a lower bound)", () => {
    fc.assert(
      fc.property(fc.array(observation, { minLength: 1, maxLength: 300 }), (obs) => {
        const table = fitCalibration(obs.map((o) => ({ ...o, field: "payerName" as const })))
        const scored = obs.map((o) => ({ confidence: calibrate(table, "payerName", o.confidence), correct: o.correct }))
        for (const bin of calibrationBins(scored)) {
          if (bin.count > 0) expect(bin.right / bin.count).toBeGreaterThanOrEqual(bin.from - 1e-9)
        }
      }),
      { numRuns: 300 }
    )
  })

  test("all right gives a score that grows with the evidence; all wrong gives 0", () => {
    const right = (n: number) => fitField(Array.from({ length: n }, (_, i) => ({ confidence: 0.5 + i / (2 * n), correct: true })))
    expect(right(10).at(-1)?.to).toBeCloseTo(wilsonLower(10, 10), 3)
    expect(right(300).at(-1)?.to ?? 0).toBeGreaterThan(right(10).at(-1)?.to ?? 1)
    expect(fitField([{ confidence: 0.99, correct: false }, { confidence: 0.98, correct: false }]).at(-1)?.to).toBe(0)
  })

  test("a field without a table keeps its raw confidence; the extraction's fields are all calibrated", () => {
    expect(calibrate({}, "amount", 0.42)).toBe(0.42)
    const e = calibrateExtraction({ amount: [{ from: 0, to: 0.1 }, { from: 0.9, to: 0.995 }] }, {
      documentType: "payment_slip",
      fields: { amount: "1000", payerName: "An" },
      confidence: { amount: 0.95, payerName: 0.7 },
      warnings: []
    })
    expect(e.confidence).toEqual({ amount: 0.995, payerName: 0.7 })
  })

  test("the shipped table was fitted, not written by hand: each field's steps rise, from 0", () => {
    for (const [field, steps] of Object.entries(shippedCalibration)) {
      expect(fieldNames as ReadonlyArray<string>).toContain(field)
      expect(steps?.[0]?.from).toBe(0)
      for (let i = 1; i < (steps?.length ?? 0); i++) {
        expect(steps?.[i]?.from ?? 0).toBeGreaterThan(steps?.[i - 1]?.from ?? 0)
        expect(steps?.[i]?.to ?? 0).toBeGreaterThanOrEqual(steps?.[i - 1]?.to ?? 0)
      }
    }
  })
})
