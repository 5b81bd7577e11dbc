/**
 * An account's daily reports over a month, for the console's chart: each day
 * of the month with its report, or why it has none (no entries) or why it
 * was refused (the bank's balances do not add up), and whether it is closed.
 */
import { Result } from "effect"
import type { DailyReport } from "../../domain/reconciliation/daily-report.ts"
import type { Sql } from "../database/db.ts"
import { accountDayReport } from "./days.ts"

export interface MonthDay {
  readonly day: string
  readonly report: DailyReport | undefined
  readonly refused: string | undefined
  readonly closed: boolean
}

/** The days of "YYYY-MM", in order. */
export const daysOfMonth = (month: string): Array<string> => {
  const [y, m] = month.split("-").map(Number) as [number, number]
  const n = new Date(Date.UTC(y, m, 0)).getUTCDate()
  return Array.from({ length: n }, (_, i) => `${month}-${String(i + 1).padStart(2, "0")}`)
}

export const monthReports = async (db: Sql, agency: string, account: string, month: string): Promise<Array<MonthDay>> => {
  const days = daysOfMonth(month)
  const active = new Set((await db.query<{ day: string }>(
    "SELECT DISTINCT booking_date::text AS day FROM bank_entries WHERE agency = $1::text AND account = $2::text AND booking_date BETWEEN $3::date AND $4::date",
    [agency, account, days[0], days.at(-1)]
  )).map((r) => r.day))
  const closed = new Set((await db.query<{ day: string }>(
    "SELECT day::text AS day FROM recon_closed_days WHERE agency = $1::text AND account = $2::text AND day BETWEEN $3::date AND $4::date",
    [agency, account, days[0], days.at(-1)]
  )).map((r) => r.day))
  const out: Array<MonthDay> = []
  for (const day of days) {
    if (!active.has(day)) {
      out.push({ day, report: undefined, refused: undefined, closed: closed.has(day) })
      continue
    }
    const r = await accountDayReport(db, agency, account, day)
    out.push({ day, report: Result.isSuccess(r) ? r.success : undefined, refused: Result.isFailure(r) ? r.failure.message : undefined, closed: closed.has(day) })
  }
  return out
}
