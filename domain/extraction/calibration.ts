/**
 * Confidence that predicts correctness. The extractor's raw confidence (the
 * engine's word confidences, lowered by repairs, raised by cross-checks)
 * orders fields well but is not a probability. For each field a table,
 * fitted on an evaluation corpus with known truth, maps raw confidence to
 * the share of fields read right at that confidence: isotonic (pool
 * adjacent violators, so a surer reading never gets a lower score), each
 * block scored by the lower bound of its accuracy's Wilson interval, so a
 * few lucky readings never earn a high score. `calibrationBins` measures
 * how well it worked on other documents.
 */
import type { Extraction, FieldName } from "./extraction.ts"

/** Raw confidence ≥ `from` maps to `to` (steps in increasing `from`). */
export interface CalibrationStep {
  readonly from: number
  readonly to: number
}

export type CalibrationTable = Partial<Record<FieldName, ReadonlyArray<CalibrationStep>>>

export interface Observation {
  readonly field: FieldName
  readonly confidence: number
  readonly correct: boolean
}

// z for a one-sided 95 % bound.
const Z = 1.645

/** Lower bound of the Wilson score interval for `right` out of `n`. */
export const wilsonLower = (right: number, n: number): number => {
  if (n === 0) return 0
  const p = right / n
  const z2 = Z * Z
  return (p + z2 / (2 * n) - Z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / (1 + z2 / n)
}

interface Block {
  from: number
  right: number
  n: number
}

/** Isotonic steps for one field's observations. */
export const fitField = (observations: ReadonlyArray<{ readonly confidence: number; readonly correct: boolean }>): ReadonlyArray<CalibrationStep> => {
  const sorted = [...observations].sort((a, b) => a.confidence - b.confidence)
  const blocks: Array<Block> = []
  for (const o of sorted) {
    const last = blocks.at(-1)
    // Equal raw confidences cannot be told apart: one block.
    if (last !== undefined && last.from === o.confidence) {
      last.right += o.correct ? 1 : 0
      last.n++
    } else blocks.push({ from: o.confidence, right: o.correct ? 1 : 0, n: 1 })
    // Pool adjacent violators: merge while a block is no better than the one before it.
    while (blocks.length > 1) {
      const b = blocks[blocks.length - 1] as Block
      const a = blocks[blocks.length - 2] as Block
      if (a.right / a.n < b.right / b.n) break
      blocks.splice(blocks.length - 2, 2, { from: a.from, right: a.right + b.right, n: a.n + b.n })
    }
  }
  // Scores by the Wilson bound, kept non-decreasing.
  let floor = 0
  return blocks.map((b, i) => {
    floor = Math.max(floor, wilsonLower(b.right, b.n))
    return { from: i === 0 ? 0 : b.from, to: Math.round(floor * 1000) / 1000 }
  })
}

export const fitCalibration = (observations: ReadonlyArray<Observation>): CalibrationTable => {
  const table: Partial<Record<FieldName, ReadonlyArray<CalibrationStep>>> = {}
  const fields = [...new Set(observations.map((o) => o.field))]
  for (const f of fields) table[f] = fitField(observations.filter((o) => o.field === f))
  return table
}

/** The calibrated confidence of a raw one; a field without a table keeps its raw confidence. */
export const calibrate = (table: CalibrationTable, field: FieldName, raw: number): number => {
  const steps = table[field]
  if (steps === undefined || steps.length === 0) return raw
  let to = steps[0]?.to ?? raw
  for (const s of steps) if (raw >= s.from) to = s.to
  return to
}

/** The extraction with every field's confidence calibrated. */
export const calibrateExtraction = (table: CalibrationTable, extraction: Extraction): Extraction => {
  const confidence: Partial<Record<FieldName, number>> = {}
  for (const [f, c] of Object.entries(extraction.confidence) as Array<[FieldName, number]>) confidence[f] = calibrate(table, f, c)
  return { ...extraction, confidence }
}

export interface CalibrationBin {
  readonly from: number
  readonly to: number
  readonly count: number
  readonly right: number
}

/** Observations binned by confidence ([0, 0.5), [0.5, 0.7), [0.7, 0.8), [0.8, 0.9), [0.9, 0.95), [0.95, 1]), with how many were right. */
export const calibrationBins = (
  observations: ReadonlyArray<{ readonly confidence: number; readonly correct: boolean }>,
  edges: ReadonlyArray<number> = [0, 0.5, 0.7, 0.8, 0.9, 0.95, 1.0000001]
): ReadonlyArray<CalibrationBin> =>
  edges.slice(0, -1).map((from, i) => {
    const to = edges[i + 1] ?? 1
    const inBin = observations.filter((o) => o.confidence >= from && o.confidence < to)
    return { from, to: Math.min(1, to), count: inBin.length, right: inBin.filter((o) => o.correct).length }
  })
