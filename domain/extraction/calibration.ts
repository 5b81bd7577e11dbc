/**
 * Confidence that predicts correctness. The extractor's raw confidence (the
 * engine's word confidences, lowered by repairs, raised by cross-checks)
 * orders fields well but is not a probability, and the same raw confidence
 * means less on a fax or in a bank's unaccented memo than on a clean slip.
 * So each field's score comes from a table fitted on corpora with known
 * truth per (field, context) (calibration-context.ts): isotonic in raw
 * confidence (pool adjacent violators, so a surer reading never gets a lower
 * score), each block scored by the lower bound of its accuracy's Wilson
 * interval, so a few lucky readings never earn a high score.
 *
 * Pooling where a context holds few fields (see docs/OCR.md "Confidence"):
 * the exact context (all its flags) has a table when it held at least
 * MIN_SAMPLES fields; otherwise each risk flag it carries (fax, second
 * reading, correction ...) has a table, fitted on the field's observations
 * with that flag and the same check status, or on every field's, or
 * whatever the status, and the score is the lowest of them: a field is never
 * surer than any of the risky contexts it belongs to. A field without risk
 * flags and without its exact table takes the field's table (all its
 * observations), and no context scores a field above that table.
 * `calibrationBins` measures how well it worked on other documents.
 */
import { type ContextFlag, contextFlags, type FieldContexts, passedFlags } from "./calibration-context.ts"
import type { Extraction, FieldName } from "./extraction.ts"

/** Raw confidence ≥ `from` maps to `to` (steps in increasing `from`). */
export interface CalibrationStep {
  readonly from: number
  readonly to: number
}

export type CalibrationSteps = ReadonlyArray<CalibrationStep>

export interface CalibrationTable {
  /** Every observation of the field: the fallback. */
  readonly fields: Partial<Record<FieldName, CalibrationSteps>>
  /**
   * "field=flag+flag": the field in exactly that context ("field=" no flag at all);
   * "field~flag": the field with that flag, whatever else; "*~flag": any field with that flag.
   */
  readonly contexts: Readonly<Record<string, CalibrationSteps>>
  /** How many observations each table was fitted on (same keys; fields by name). */
  readonly samples?: Readonly<Record<string, number>>
}

export interface Observation {
  readonly field: FieldName
  readonly confidence: number
  readonly correct: boolean
  readonly context?: ReadonlyArray<ContextFlag>
}

/**
 * A context table is fitted only on this many observations or more (all right, 25 would earn a Wilson bound
 * of 0.90). 60 since the fourth round: with 25, tables of narrow contexts (a reason in capitals, corrected,
 * on a fax) fitted on the few such fields of the fit pages scored held-out misses at 0.95 (98.9 % right at
 * ≥ 0.9 on the held-out pages; 99.1 % with 60, 99.4 % with 100 but only 21 context tables left).
 */
export const MIN_SAMPLES = 60

export const exactKey = (field: FieldName, context: ReadonlyArray<ContextFlag>): string =>
  `${field}=${contextFlags.filter((f) => context.includes(f)).join("+")}`
/** A risk flag's table: the field's (or every field's, "*") with that flag; `passed` keeps to fields whose check passed, or did not. */
export const flagKey = (field: FieldName | "*", flag: ContextFlag, passed?: boolean): string =>
  `${field}~${flag}${passed === undefined ? "" : passed ? "+passed" : "-passed"}`

const hasPassed = (context: ReadonlyArray<ContextFlag>): boolean => context.some((f) => passedFlags.has(f))

// Where a risk flag's score is looked up, most specific first: the same field with the same
// check status, every field with it, then the field and every field whatever the status.
const flagKeys = (field: FieldName, flag: ContextFlag, passed: boolean): ReadonlyArray<string> => [
  flagKey(field, flag, passed),
  flagKey("*", flag, passed),
  flagKey(field, flag),
  flagKey("*", flag)
]

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

// The risk-flag tables an observation belongs to.
const riskKeys = (field: FieldName | "*") => (o: Observation): ReadonlyArray<string> =>
  (o.context ?? []).filter((f) => !passedFlags.has(f)).flatMap((flag) => [flagKey(field, flag, hasPassed(o.context ?? [])), flagKey(field, flag)])

export const fitCalibration = (observations: ReadonlyArray<Observation>, minSamples = MIN_SAMPLES): CalibrationTable => {
  const fields: Partial<Record<FieldName, CalibrationSteps>> = {}
  const contexts: Record<string, CalibrationSteps> = {}
  const samples: Record<string, number> = {}
  const fit = (into: Record<string, CalibrationSteps>, key: string, obs: ReadonlyArray<Observation>, min: number) => {
    if (obs.length < min || obs.length === 0) return
    into[key] = fitField(obs)
    samples[key] = obs.length
  }
  const groups = <K>(obs: ReadonlyArray<Observation>, keysOf: (o: Observation) => ReadonlyArray<K>): Map<K, Array<Observation>> => {
    const m = new Map<K, Array<Observation>>()
    for (const o of obs) for (const k of keysOf(o)) m.set(k, [...(m.get(k) ?? []), o])
    return m
  }
  for (const [field, obs] of groups(observations, (o) => [o.field])) {
    fit(fields, field, obs, 1)
    for (const [key, inKey] of groups(obs, (o) => [exactKey(field, o.context ?? [])])) fit(contexts, key, inKey, minSamples)
    for (const [key, withFlag] of groups(obs, riskKeys(field))) fit(contexts, key, withFlag, minSamples)
  }
  for (const [key, withFlag] of groups(observations, riskKeys("*"))) fit(contexts, key, withFlag, minSamples)
  return { fields, contexts, samples }
}

const lookup = (steps: CalibrationSteps, raw: number): number => {
  let to = steps[0]?.to ?? raw
  for (const s of steps) if (raw >= s.from) to = s.to
  return to
}

/**
 * The calibrated confidence of a raw one in its context (see the pooling above); a field
 * without any table keeps its raw confidence.
 */
/**
 * A field its own document contradicts (a CCCD breaking its rules, figures the words deny, a decision dated
 * after its payment) is no surer than this, whatever its tables say: the fits saw too few such fields to
 * learn it (none held out in the fourth round), and one was read wrong at 0.98 on an unseen page.
 */
export const WARNED_AT_MOST = 0.5

export const calibrate = (table: CalibrationTable, field: FieldName, raw: number, context: ReadonlyArray<ContextFlag> = []): number => {
  const calibrated = calibrateInTables(table, field, raw, context)
  return context.includes("warned") ? Math.min(calibrated, WARNED_AT_MOST) : calibrated
}

const calibrateInTables = (table: CalibrationTable, field: FieldName, raw: number, context: ReadonlyArray<ContextFlag>): number => {
  const own = table.fields[field]
  const fallback = own === undefined || own.length === 0 ? raw : lookup(own, raw)
  // Never above the field's own table: a context table that saw no misreading (one block from 0)
  // knows nothing of raw confidence, which the field's table, fitted on all its misreadings, does.
  const exact = table.contexts[exactKey(field, context)]
  if (exact !== undefined && exact.length > 0) return Math.min(fallback, lookup(exact, raw))
  const risks = context.filter((f) => !passedFlags.has(f))
  return Math.min(
    fallback,
    ...risks.map((flag) => {
      const steps = flagKeys(field, flag, hasPassed(context)).map((k) => table.contexts[k]).find((t) => t !== undefined && t.length > 0)
      return steps === undefined ? fallback : lookup(steps, raw)
    })
  )
}

/** The extraction with every field's confidence calibrated in its context. */
export const calibrateExtraction = (table: CalibrationTable, extraction: Extraction, contexts: FieldContexts = {}): Extraction => {
  const confidence: Partial<Record<FieldName, number>> = {}
  for (const [f, c] of Object.entries(extraction.confidence) as Array<[FieldName, number]>) confidence[f] = calibrate(table, f, c, contexts[f] ?? [])
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
