/**
 * Exact ratios: a payout round pays "24.81 %" or "2.4553 %" of what remains
 * owed, and a pro-rata round pays an exact fraction M/B of it. Ratios are
 * reduced fractions of bigints, never floating point, so 0.2481 × 123,456,789
 * đồng is computed exactly before it is rounded once, by a stated rule.
 */
import { Result, Schema } from "effect"

/** numerator / denominator, reduced, denominator ≥ 1, numerator ≥ 0. */
export interface Ratio {
  readonly numerator: bigint
  readonly denominator: bigint
}

export class InvalidRatio extends Schema.TaggedError<InvalidRatio>()("InvalidRatio", {
  input: Schema.String,
  reason: Schema.Literals(["empty", "not_a_number", "too_precise", "above_one"]),
  message: Schema.String
}) {}

const gcd = (a: bigint, b: bigint): bigint => {
  while (b !== 0n) [a, b] = [b, a % b]
  return a
}

/** The reduced ratio a/b (b > 0, a ≥ 0). */
export const ratioOf = (numerator: bigint, denominator: bigint): Ratio => {
  if (denominator <= 0n || numerator < 0n) throw new RangeError(`ratio ${numerator}/${denominator} is not a non-negative fraction`)
  const g = gcd(numerator, denominator)
  return g <= 1n ? { numerator, denominator } : { numerator: numerator / g, denominator: denominator / g }
}

export const RATIO_ZERO: Ratio = { numerator: 0n, denominator: 1n }
export const RATIO_ONE: Ratio = { numerator: 1n, denominator: 1n }

export const ratioEquals = (a: Ratio, b: Ratio): boolean => a.numerator === b.numerator && a.denominator === b.denominator

/** -1, 0 or 1 as a < b, a = b, a > b. */
export const compareRatios = (a: Ratio, b: Ratio): number => {
  const l = a.numerator * b.denominator
  const r = b.numerator * a.denominator
  return l < r ? -1 : l > r ? 1 : 0
}

/** ⌊amount × ratio⌋: never more than the exact product. */
export const applyFloor = (amount: bigint, r: Ratio): bigint => (amount * r.numerator) / r.denominator

/** amount × ratio rounded to the nearest đồng, halves up (0.5 → 1). */
export const applyHalfUp = (amount: bigint, r: Ratio): bigint =>
  (2n * amount * r.numerator + r.denominator) / (2n * r.denominator)

/** Most decimal places a typed ratio may carry (of the fraction, i.e. 10 of a percentage). */
export const MAX_RATIO_DECIMALS = 12

const shape = /^(\d{1,3})(?:[.,](\d+))?$/u

/**
 * Reads a ratio as people write it: "24.81%", "24,81 %", "2.4553%", "100%",
 * or as a fraction of one: "0.2481". A comma is a decimal comma, as in
 * Vietnamese; there is no digit grouping in a ratio. At most 100 %.
 */
export const parseRatio = (text: string): Result.Result<Ratio, InvalidRatio> => {
  const fail = (reason: InvalidRatio["reason"], why: string) =>
    Result.fail(new InvalidRatio({ input: text, reason, message: `${why}: ${JSON.stringify(text)}` }))
  const trimmed = text.trim()
  if (trimmed === "") return fail("empty", "The ratio is empty")
  const percent = /\s*%$/u.test(trimmed)
  const body = trimmed.replace(/\s*%$/u, "")
  const m = shape.exec(body)
  if (m === null) return fail("not_a_number", 'The ratio is not a decimal number like "24.81%" or "0.2481"')
  const whole = m[1] ?? "0"
  const fraction = m[2] ?? ""
  const scale = fraction.length + (percent ? 2 : 0)
  if (scale > MAX_RATIO_DECIMALS) {
    return fail("too_precise", `A ratio carries at most ${MAX_RATIO_DECIMALS - 2} decimals of a percentage`)
  }
  const r = ratioOf(BigInt(whole + fraction), 10n ** BigInt(scale))
  if (compareRatios(r, RATIO_ONE) > 0) return fail("above_one", "A ratio cannot exceed 100 %")
  return Result.succeed(r)
}

/** Whether the ratio is a finite decimal (its denominator has no prime factor but 2 and 5). */
export const isDecimalRatio = (r: Ratio): boolean => {
  let d = r.denominator
  while (d % 2n === 0n) d /= 2n
  while (d % 5n === 0n) d /= 5n
  return d === 1n
}

/**
 * A finite decimal ratio as an exact percentage: 2481/10000 → "24.81%",
 * 1 → "100%", 0 → "0%". `parseRatio` reads it back to the same ratio.
 * Ratios that are not finite decimals (1/3) are written with
 * `formatPercentApprox`.
 */
export const formatPercent = (r: Ratio): string => {
  if (!isDecimalRatio(r)) throw new RangeError(`${r.numerator}/${r.denominator} is not a finite decimal`)
  let scale = 0
  while ((r.numerator * 100n * 10n ** BigInt(scale)) % r.denominator !== 0n) scale++
  const scaled = (r.numerator * 100n * 10n ** BigInt(scale)) / r.denominator
  return `${withPoint(scaled, scale)}%`
}

/** A percentage truncated to `decimals` places, e.g. "≈24.8136%" when inexact. */
export const formatPercentApprox = (r: Ratio, decimals: number): string => {
  const scaled = (r.numerator * 100n * 10n ** BigInt(decimals)) / r.denominator
  const exact = (r.numerator * 100n * 10n ** BigInt(decimals)) % r.denominator === 0n
  const fixed = withPoint(scaled, decimals)
  const trimmed = fixed.includes(".") ? fixed.replace(/0+$/u, "").replace(/\.$/u, "") : fixed
  return `${exact ? "" : "≈"}${trimmed}%`
}

const withPoint = (scaled: bigint, scale: number): string => {
  if (scale === 0) return scaled.toString()
  const digits = scaled.toString().padStart(scale + 1, "0")
  return `${digits.slice(0, -scale)}.${digits.slice(-scale)}`
}

/** "2481/10000": the exact, unambiguous text of a ratio in canonical bytes and JSON. */
export const ratioText = (r: Ratio): string => `${r.numerator}/${r.denominator}`

const fractionPattern = /^(0|[1-9]\d*)\/([1-9]\d*)$/

/** Reads `ratioText` back; only reduced fractions are canonical. */
export const parseRatioText = (text: string): Ratio | undefined => {
  const m = fractionPattern.exec(text)
  if (m === null) return undefined
  const r = ratioOf(BigInt(m[1]!), BigInt(m[2]!))
  return ratioText(r) === text ? r : undefined
}

/** A ratio as an officer types it ("24.81%", "0.2481"), checked by `parseRatio`. */
export const RatioString = Schema.String.check(
  Schema.makeFilter((s: string) => {
    const r = parseRatio(s)
    return Result.isFailure(r) ? r.failure.message : undefined
  }, { expected: 'a ratio like "24.81%"' })
)
