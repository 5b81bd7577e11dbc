/**
 * Closing a day: an approver closes an account's day once its report
 * balances; after that the day never changes (the database refuses it too,
 * migration 0430). A correction found later is a dated adjustment booked on
 * an open day, naming the closed day it corrects, requested by one officer
 * and approved by another.
 */
import { Result, Schema } from "effect"
import type { DailyReport } from "./daily-report.ts"

export class DayClosingRefused extends Schema.TaggedError<DayClosingRefused>()("DayClosingRefused", {
  reason: Schema.Literals(["not_an_approver", "already_closed", "day_closed", "maker_checker", "not_earlier"]),
  message: Schema.String
}) {}

const refuse = (reason: DayClosingRefused["reason"], message: string) => Result.fail(new DayClosingRefused({ reason, message }))

export const checkDayClosing = (
  report: DailyReport,
  closer: { readonly id: string; readonly role: string },
  closedDays: ReadonlySet<string>
): Result.Result<DailyReport, DayClosingRefused> => {
  if (closer.role !== "approver") return refuse("not_an_approver", `only an approver closes a day; ${closer.id} is ${closer.role}`)
  if (closedDays.has(report.day)) return refuse("already_closed", `${report.day} of account ${report.account} is already closed`)
  return Result.succeed(report)
}

export interface Adjustment {
  readonly account: string
  /** The closed day it corrects. */
  readonly correctsDay: string
  /** The open day it is booked on. */
  readonly bookedOn: string
  /** Signed đồng. */
  readonly amount: bigint
  readonly reason: string
  readonly by: string
  readonly approvedBy: string
}

export const checkAdjustment = (a: Adjustment, closedDays: ReadonlySet<string>): Result.Result<Adjustment, DayClosingRefused> => {
  if (a.by === a.approvedBy) return refuse("maker_checker", "an adjustment is approved by another officer than the one who asked for it")
  if (closedDays.has(a.bookedOn)) return refuse("day_closed", `${a.bookedOn} is closed; book the adjustment on an open day`)
  if (!(a.correctsDay < a.bookedOn)) return refuse("not_earlier", `an adjustment corrects an earlier day: ${a.correctsDay} is not before ${a.bookedOn}`)
  return Result.succeed(a)
}
