/**
 * The daily reconciliation report of one account: opening balance, credits,
 * debits and closing balance, checked against the bank's own balances (a
 * mismatch is an error, never ignored), and how many credits are matched,
 * queued, unmatched and flagged.
 */
import { Result, Schema } from "effect"

export interface DayMovement {
  readonly direction: "credit" | "debit"
  readonly amount: bigint
  /** For credits: "matched", "queued", "unmatched"; debits: "matched" or "unmatched". */
  readonly state: "matched" | "queued" | "unmatched"
}

export interface DayInput {
  readonly agency: string
  readonly account: string
  /** "YYYY-MM-DD" */
  readonly day: string
  /** The bank's balances for the day, when a statement gave them. */
  readonly opening?: bigint
  readonly closing?: bigint
  readonly movements: ReadonlyArray<DayMovement>
  readonly flagged: number
  /** Dated adjustments booked on this day for earlier, closed days. */
  readonly adjustments: bigint
}

export interface DailyReport {
  readonly agency: string
  readonly account: string
  readonly day: string
  readonly opening: bigint | null
  readonly credits: { readonly count: number; readonly total: bigint }
  readonly debits: { readonly count: number; readonly total: bigint }
  readonly closing: bigint | null
  readonly balance: "balanced" | "no_balances"
  readonly matched: number
  readonly queued: number
  readonly unmatched: number
  readonly flagged: number
  readonly adjustments: bigint
}

export class DayDoesNotBalance extends Schema.TaggedError<DayDoesNotBalance>()("DayDoesNotBalance", {
  account: Schema.String,
  day: Schema.String,
  message: Schema.String
}) {}

export const dailyReport = (input: DayInput): Result.Result<DailyReport, DayDoesNotBalance> => {
  let credits = 0n
  let creditCount = 0
  let debits = 0n
  let debitCount = 0
  let matched = 0
  let queued = 0
  let unmatched = 0
  for (const m of input.movements) {
    if (m.direction === "credit") {
      credits += m.amount
      creditCount++
    } else {
      debits += m.amount
      debitCount++
    }
    if (m.state === "matched") matched++
    else if (m.state === "queued") queued++
    else unmatched++
  }
  const report: DailyReport = {
    agency: input.agency,
    account: input.account,
    day: input.day,
    opening: input.opening ?? null,
    credits: { count: creditCount, total: credits },
    debits: { count: debitCount, total: debits },
    closing: input.closing ?? null,
    balance: input.opening === undefined || input.closing === undefined ? "no_balances" : "balanced",
    matched,
    queued,
    unmatched,
    flagged: input.flagged,
    adjustments: input.adjustments
  }
  if (input.opening !== undefined && input.closing !== undefined) {
    const computed = input.opening + credits - debits
    if (computed !== input.closing) {
      return Result.fail(
        new DayDoesNotBalance({
          account: input.account,
          day: input.day,
          message: `account ${input.account} on ${input.day} does not balance: opening ${input.opening} + credits ${credits} − debits ${debits} = ${computed}, but the bank's closing balance is ${input.closing} (a difference of ${input.closing - computed} đồng)`
        })
      )
    }
  }
  return Result.succeed(report)
}
