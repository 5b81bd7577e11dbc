/**
 * The days the operations view counts from, in Vietnam's calendar (UTC+7,
 * no daylight saving): today, and the statistical period, which under the
 * THADS statistical rules (Circular 05/2024/TT-BTP) runs from 1 October to
 * 30 September. Pure: the instant comes in as a value.
 */
import { vietnamDateOf } from "../dates.ts"
import { periodStart, statisticalYearOf } from "../reports/period.ts"

/**
 * The first day of the statistical year an ISO day (YYYY-MM-DD) falls in:
 * the reports' calendar (domain/reports/period.ts) is the one rule of 1 October.
 */
export const statisticalYearStart = (day: string): string => periodStart({ year: statisticalYearOf(day), months: 12 })

/** The instant a Vietnam calendar day begins (00:00 at UTC+7), as an ISO instant. */
export const vietnamDayStart = (day: string): string => new Date(Date.parse(`${day}T00:00:00.000+07:00`)).toISOString()

export interface OperationsWindow {
  /** Today in Vietnam, YYYY-MM-DD. */
  readonly today: string
  readonly todayStart: string
  /** 1 October of the statistical year, YYYY-MM-DD. */
  readonly periodFrom: string
  readonly periodStart: string
  /** The last `days` days, oldest first, ending today. */
  readonly days: ReadonlyArray<string>
  readonly daysStart: string
}

export const operationsWindow = (nowIso: string, days = 14): OperationsWindow => {
  const today = vietnamDateOf(nowIso)
  const periodFrom = statisticalYearStart(today)
  const todayMs = Date.parse(`${today}T00:00:00.000Z`)
  const list = Array.from({ length: days }, (_, i) => new Date(todayMs - (days - 1 - i) * 86_400_000).toISOString().slice(0, 10))
  return { today, todayStart: vietnamDayStart(today), periodFrom, periodStart: vietnamDayStart(periodFrom), days: list, daysStart: vietnamDayStart(list[0] ?? today) }
}
