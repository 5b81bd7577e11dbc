/**
 * The THADS statistical calendar (chế độ báo cáo thống kê thi hành án dân sự,
 * Circular 05/2024/TT-BTP, which kept the calendar of 06/2019/TT-BTP art. 4):
 *
 * - the statistical year runs from 1 October to 30 September and is named
 *   by the year it ends in: "năm 2025" is 01/10/2024 – 30/09/2025;
 * - a reporting period is cumulative: "N tháng" runs from 1 October to the
 *   last day of the N-th month (1 ≤ N ≤ 12; 12 months is the year).
 *
 * Every date here is a Vietnamese calendar day ("YYYY-MM-DD"); instants are
 * placed on the day they fall on in Vietnam (UTC+7) by `vietnamDateOf`.
 */
import { Result, Schema } from "effect"
import { vietnamDateOf } from "../dates.ts"

export class InvalidPeriod extends Schema.TaggedError<InvalidPeriod>()("InvalidPeriod", {
  input: Schema.String,
  message: Schema.String
}) {}

/** `months` months of the statistical year that ends on 30 September `year`. */
export interface StatisticalPeriod {
  readonly year: number
  readonly months: number
}

/** One month of a statistical year: `index` 1 is October of `year - 1`, 12 is September of `year`. */
export interface StatisticalMonth {
  readonly year: number
  readonly index: number
}

export const MIN_YEAR = 2001
export const MAX_YEAR = 2199

const pad2 = (n: number): string => String(n).padStart(2, "0")

const daysInMonth = (year: number, month: number): number =>
  month === 2 ? (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31

/** The calendar year and month (1–12) of a statistical month. */
export const calendarMonth = (m: StatisticalMonth): { readonly year: number; readonly month: number } => {
  const month = ((m.index + 8) % 12) + 1
  return { year: month >= 10 ? m.year - 1 : m.year, month }
}

/** "2024-10" for the first month of the year 2025. */
export const calendarMonthKey = (m: StatisticalMonth): string => {
  const c = calendarMonth(m)
  return `${c.year}-${pad2(c.month)}`
}

/** The statistical month a calendar day belongs to: 2024-10-01 → year 2025, month 1. */
export const statisticalMonthOfDate = (isoDate: string): StatisticalMonth => {
  const year = Number(isoDate.slice(0, 4))
  const month = Number(isoDate.slice(5, 7))
  return month >= 10 ? { year: year + 1, index: month - 9 } : { year, index: month + 3 }
}

/** The statistical month an instant falls in, by the Vietnamese calendar day. */
export const statisticalMonthOfInstant = (isoInstant: string): StatisticalMonth =>
  statisticalMonthOfDate(vietnamDateOf(isoInstant))

/** The statistical year a calendar day belongs to: 2024-09-30 → 2024, 2024-10-01 → 2025. */
export const statisticalYearOf = (isoDate: string): number => statisticalMonthOfDate(isoDate).year

/** First day of the period: always 1 October of the year before `year`. */
export const periodStart = (p: StatisticalPeriod): string => `${p.year - 1}-10-01`

/** Last day of the period: the last day of its last month. */
export const periodEnd = (p: StatisticalPeriod): string => {
  const c = calendarMonth({ year: p.year, index: p.months })
  return `${c.year}-${pad2(c.month)}-${pad2(daysInMonth(c.year, c.month))}`
}

/** The months of the period in order, first to last. */
export const periodMonths = (p: StatisticalPeriod): ReadonlyArray<StatisticalMonth> =>
  Array.from({ length: p.months }, (_, i) => ({ year: p.year, index: i + 1 }))

export const periodContainsMonth = (p: StatisticalPeriod, m: StatisticalMonth): boolean =>
  m.year === p.year && m.index >= 1 && m.index <= p.months

/**
 * The first instant after the period, in UTC: midnight in Vietnam of the day
 * after its last day. Nothing may close the period before this instant.
 */
export const periodEndsAt = (p: StatisticalPeriod): string => {
  const [y, m, d] = periodEnd(p).split("-").map(Number) as [number, number, number]
  return new Date(Date.UTC(y, m - 1, d + 1) - 7 * 3600_000).toISOString()
}

export const samePeriod = (a: StatisticalPeriod, b: StatisticalPeriod): boolean => a.year === b.year && a.months === b.months

/** Checks a period's numbers, naming what is wrong. */
export const checkPeriod = (p: StatisticalPeriod, input = `${p.year}/${p.months}`): Result.Result<StatisticalPeriod, InvalidPeriod> => {
  if (!Number.isInteger(p.year) || p.year < MIN_YEAR || p.year > MAX_YEAR) {
    return Result.fail(new InvalidPeriod({ input, message: `the statistical year ${p.year} is outside ${MIN_YEAR}–${MAX_YEAR}` }))
  }
  if (!Number.isInteger(p.months) || p.months < 1 || p.months > 12) {
    return Result.fail(new InvalidPeriod({ input, message: `a period has 1 to 12 months, not ${p.months}` }))
  }
  return Result.succeed({ year: p.year, months: p.months })
}

/** The machine form "2025/6": six months of the statistical year 2025. */
export const formatPeriod = (p: StatisticalPeriod): string => `${p.year}/${p.months}`

const machinePattern = /^(\d{4})\s*\/\s*(\d{1,2})$/
// "6 tháng năm 2025", also without diacritics ("6 thang nam 2025").
const wordsPattern = /^(\d{1,2})\s*th[aá]ng\s*(?:n[aă]m\s*)?(\d{4})$/

/** Reads "2025/6" or "6 tháng năm 2025" (6 months of the statistical year 2025). */
export const parsePeriod = (text: string): Result.Result<StatisticalPeriod, InvalidPeriod> => {
  const cleaned = text.normalize("NFC").toLowerCase().replace(/\s+/g, " ").trim()
  const machine = machinePattern.exec(cleaned)
  if (machine) return checkPeriod({ year: Number(machine[1]), months: Number(machine[2]) }, text)
  const words = wordsPattern.exec(cleaned)
  if (words) return checkPeriod({ year: Number(words[2]), months: Number(words[1]) }, text)
  return Result.fail(
    new InvalidPeriod({ input: text, message: `"${text}" is not a reporting period; write "2025/6" or "6 tháng năm 2025" (6 months from 01/10/2024)` })
  )
}

const shortDate = (isoDate: string): string => `${isoDate.slice(8, 10)}/${isoDate.slice(5, 7)}/${isoDate.slice(0, 4)}`

/** "6 tháng năm 2025 (từ 01/10/2024 đến 31/03/2025)", as printed on the report. */
export const periodLabel = (p: StatisticalPeriod): string =>
  `${p.months === 12 ? "12 tháng (năm)" : `${p.months} tháng`} năm ${p.year} (từ ${shortDate(periodStart(p))} đến ${shortDate(periodEnd(p))})`

/** "Tháng 10/2024", the heading of one month's column. */
export const monthLabel = (m: StatisticalMonth): string => {
  const c = calendarMonth(m)
  return `Tháng ${pad2(c.month)}/${c.year}`
}

/** The period's first instant in UTC: midnight in Vietnam of 1 October (17:00 UTC on 30 September). */
export const periodStartsAt = (p: StatisticalPeriod): string => `${p.year - 1}-09-30T17:00:00.000Z`
