/**
 * Bank identifiers typed by people: a NAPAS BIN and an account number.
 * The checks refuse what cannot be right and say why; they cannot prove an
 * account exists (only the bank's name lookup can).
 *
 * Vietnamese account numbers carry no check digit and banks sell chosen
 * numbers ("tài khoản số đẹp", a phone number, a date), so the only rules
 * that hold for every bank are: digits, and a length between 6 and 19 (19 is
 * the most the VietQR account field and NAPAS transfers carry; no bank in the
 * list issues fewer than 6). A bank's own bounds apply where it documents them
 * (`Bank.accountLength`).
 */
import { Result, Schema } from "effect"
import { type Bank, bankByBin } from "./banks.ts"

export const ACCOUNT_MIN_LENGTH = 6
export const ACCOUNT_MAX_LENGTH = 19

export class InvalidBankCode extends Schema.TaggedError<InvalidBankCode>()("InvalidBankCode", {
  rule: Schema.Literals(["empty", "format", "unknown"]),
  input: Schema.String,
  message: Schema.String
}) {}

export class InvalidAccountNumber extends Schema.TaggedError<InvalidAccountNumber>()("InvalidAccountNumber", {
  rule: Schema.Literals(["empty", "characters", "length", "all_zeros"]),
  input: Schema.String,
  message: Schema.String
}) {}

/** The bank of a BIN: six digits, and in the NAPAS list. */
export const checkBin = (input: string): Result.Result<Bank, InvalidBankCode> => {
  const bin = input.trim()
  if (bin === "") return Result.fail(new InvalidBankCode({ rule: "empty", input, message: "The bank code (BIN) is empty" }))
  if (!/^\d{6}$/.test(bin)) {
    return Result.fail(
      new InvalidBankCode({ rule: "format", input, message: `The bank code ${JSON.stringify(input)} is not a 6-digit NAPAS BIN` })
    )
  }
  const bank = bankByBin(bin)
  return bank === undefined
    ? Result.fail(new InvalidBankCode({ rule: "unknown", input, message: `The bank code ${bin} is not in the NAPAS bank list` }))
    : Result.succeed(bank)
}

// Spaces, dots and hyphens are how people group the digits on paper.
const groupSeparators = /[\s.\-\u2010-\u2015]/g

/** Drops the grouping people type ("0071 000 123456", "0071-000-123456"). */
export const normalizeAccountNumber = (input: string): string => input.replace(groupSeparators, "")

/**
 * Checks an account number, with the bank's documented bounds when a bank is
 * given. Returns the digits without separators.
 */
const plainAccount = /^\d{6,19}$/
const zeros = /^0+$/

export const checkAccountNumber = (input: string, bank?: Bank): Result.Result<string, InvalidAccountNumber> => {
  // The common case, digits already clean, without building anything (a payout file checks a million of them).
  if (bank?.accountLength === undefined && plainAccount.test(input) && !zeros.test(input)) return Result.succeed(input)
  const account = normalizeAccountNumber(input)
  const fail = (rule: InvalidAccountNumber["rule"], problem: string) =>
    Result.fail(new InvalidAccountNumber({ rule, input, message: `Account number ${JSON.stringify(input)}: ${problem}` }))
  if (account === "") return Result.fail(new InvalidAccountNumber({ rule: "empty", input, message: "The account number is empty" }))
  const chars = Array.from(account)
  const bad = chars.findIndex((c) => c < "0" || c > "9")
  if (bad >= 0) return fail("characters", `only digits are allowed, found ${JSON.stringify(chars[bad])} at position ${bad + 1}`)
  const min = bank?.accountLength?.min ?? ACCOUNT_MIN_LENGTH
  const max = bank?.accountLength?.max ?? ACCOUNT_MAX_LENGTH
  const whose = bank?.accountLength !== undefined ? `${bank.shortName} account numbers have` : "an account number has"
  if (account.length < min || account.length > max) {
    return fail("length", `${whose} ${min} to ${max} digits, this one has ${account.length}`)
  }
  if (/^0+$/.test(account)) return fail("all_zeros", "an account number cannot be all zeros")
  return Result.succeed(account)
}

export interface BankAccount {
  readonly bank: Bank
  readonly account: string
}

/** A BIN and an account number together, every problem named. */
export const checkBankAccount = (
  bin: string,
  account: string
): Result.Result<BankAccount, ReadonlyArray<InvalidBankCode | InvalidAccountNumber>> => {
  const bank = checkBin(bin)
  const number = checkAccountNumber(account, Result.isSuccess(bank) ? bank.success : undefined)
  if (Result.isSuccess(bank) && Result.isSuccess(number)) return Result.succeed({ bank: bank.success, account: number.success })
  const problems: Array<InvalidBankCode | InvalidAccountNumber> = []
  if (Result.isFailure(bank)) problems.push(bank.failure)
  if (Result.isFailure(number)) problems.push(number.failure)
  return Result.fail(problems)
}
