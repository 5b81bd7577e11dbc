/**
 * Running totals of one statement and the check every statement must pass:
 * opening balance + credits − debits = closing balance. A statement that does
 * not add up is refused with all the figures, because importing it would
 * book money that the bank's own balances contradict.
 */
import { formatVndDigits } from "../money.ts"
import { type Balance, BankFileRefused, type StatementEntry, type StatementHeader, type StatementSummary } from "./statement.ts"

export interface StatementTally {
  readonly add: (entry: StatementEntry) => void
  readonly reject: () => void
  /** Closes the statement; `closing` overrides the header's when the format gives it at the end. */
  readonly finish: (closing?: Balance) => StatementSummary
}

const signed = (n: bigint): string => (n < 0n ? `−${formatVndDigits(-n)}` : formatVndDigits(n))

export const startTally = (header: StatementHeader, where: string): StatementTally => {
  let credits = 0n
  let creditCount = 0
  let debits = 0n
  let debitCount = 0
  let pending = 0
  let rejected = 0
  return {
    add: (entry) => {
      if (entry.status !== "booked") {
        pending++
      } else if (entry.direction === "credit") {
        credits += entry.amount
        creditCount++
      } else {
        debits += entry.amount
        debitCount++
      }
    },
    reject: () => {
      rejected++
    },
    finish: (closingAtEnd) => {
      const opening = header.opening
      const closing = closingAtEnd ?? header.closing
      const base = {
        statementId: header.statementId,
        account: header.account,
        ...(opening === undefined ? {} : { opening }),
        ...(closing === undefined ? {} : { closing }),
        credits: { count: creditCount, total: credits },
        debits: { count: debitCount, total: debits },
        pending,
        rejected
      }
      if (opening === undefined || closing === undefined) return { ...base, balanceCheck: "no_balances" }
      if (rejected > 0) return { ...base, balanceCheck: "not_checked_rejects" }
      const computed = opening.amount + credits - debits
      if (computed !== closing.amount) {
        throw new BankFileRefused({
          format: header.format,
          where,
          message: `Statement ${header.statementId} of account ${header.account} does not add up: opening balance ${signed(opening.amount)} + credits ${
            formatVndDigits(credits)
          } (${creditCount}) − debits ${formatVndDigits(debits)} (${debitCount}) = ${signed(computed)}, but the closing balance is ${
            signed(closing.amount)
          } (a difference of ${signed(closing.amount - computed)} đồng)`
        })
      }
      return { ...base, balanceCheck: "balanced" }
    }
  }
}
