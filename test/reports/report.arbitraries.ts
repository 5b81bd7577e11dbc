/**
 * Generated report events around one statistical year: receipts and payout
 * lines at any instant from a month before the year to a month after it,
 * recorded at once or up to two months late.
 */
import fc from "fast-check"
import type { EventKind, ReportEvent } from "../../domain/reports/events.ts"
import { periodEndsAt, periodStart } from "../../domain/reports/period.ts"

export const DAY = 86_400_000
export const kinds: ReadonlyArray<EventKind> = ["issued", "voided", "replaced", "paid", "deposited"]

export const iso = (ms: number): string => new Date(ms).toISOString()

/** Start and end (exclusive) of the statistical year, in ms, as instants in Vietnam. */
export const yearBounds = (year: number) => {
  const start = Date.parse(`${periodStart({ year, months: 12 })}T00:00:00.000+07:00`)
  const end = Date.parse(periodEndsAt({ year, months: 12 }))
  return { start, end }
}

interface Shape {
  readonly kind: EventKind
  readonly agency: string
  readonly office: string | undefined
  readonly amount: bigint
  readonly atMs: number
  readonly delayMs: number
}

const shapeArb = (fromMs: number, toMs: number, maxDelayMs: number): fc.Arbitrary<Shape> =>
  fc.record({
    kind: fc.constantFrom(...kinds),
    agency: fc.constantFrom("HCM", "HNI", "DNG"),
    office: fc.constantFrom(undefined, "KV01", "KV02", "KV13"),
    amount: fc.oneof(fc.bigInt({ min: 0n, max: 10_000_000n }), fc.bigInt({ min: 0n, max: 2_000_000_000_000n })),
    atMs: fc.integer({ min: fromMs, max: toMs }),
    delayMs: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: DAY }), fc.integer({ min: 0, max: maxDelayMs }))
  })

const toEvent = (s: Shape, id: string, notRecordedBeforeMs = 0): ReportEvent => ({
  id,
  kind: s.kind,
  agency: s.agency,
  office: s.office === undefined ? undefined : `${s.agency}-${s.office}`,
  amount: s.amount,
  at: iso(s.atMs),
  recordedAt: iso(Math.max(s.atMs, notRecordedBeforeMs) + s.delayMs),
  ref: `ref-${id}`,
  label: `AA/25E ${id}`
})

/** Events of (around) the statistical year `year`, with ids `${prefix}0`, `${prefix}1`, … */
export const eventsArb = (year: number, options: { readonly prefix?: string; readonly maxLength?: number; readonly notRecordedBefore?: number } = {}) => {
  const { start, end } = yearBounds(year)
  return fc
    .array(shapeArb(start - 31 * DAY, end + 31 * DAY, 60 * DAY), { maxLength: options.maxLength ?? 60 })
    .map((shapes) => shapes.map((s, i) => toEvent(s, `${options.prefix ?? "e"}${i}`, options.notRecordedBefore)))
}

export const yearArb = fc.integer({ min: 2024, max: 2031 })
export const monthsArb = fc.integer({ min: 1, max: 12 })
