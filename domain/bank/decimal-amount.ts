/**
 * Amounts as bank files write them: ISO 20022 with a decimal point
 * ("1250000", "1250000.00"), MT940 with a decimal comma ("1250000," or
 * "1250000,00"). VND has no minor unit (ISO 4217: 0 decimals), so a decimal
 * part made only of zeros is read as whole đồng and any other is refused.
 * No floating point: the digits go straight into a bigint.
 */
import { Result } from "effect"
import { formatVndDigits } from "../money.ts"

export interface AmountProblem {
  readonly reason: "format" | "fractional" | "too_large" | "zero"
  readonly message: string
}

/** 10^18: ISO 20022 amounts have at most 18 digits. */
export const MAX_FILE_AMOUNT = 10n ** 18n

export const parseDecimalVnd = (
  text: string,
  separator: "." | ",",
  options: { readonly allowZero?: boolean; readonly max?: bigint } = {}
): Result.Result<bigint, AmountProblem> => {
  const pattern = separator === "." ? /^(\d+)(?:\.(\d*))?$/ : /^(\d+)(?:,(\d*))?$/
  const m = pattern.exec(text)
  if (m === null) {
    const other = separator === "." ? "," : "."
    const hint = text.includes(other) ? ` (this format writes the decimal separator as "${separator}", not "${other}")` : ""
    return Result.fail({ reason: "format", message: `${JSON.stringify(text)} is not an amount${hint}` })
  }
  const fraction = m[2] ?? ""
  if (/[1-9]/.test(fraction)) {
    return Result.fail({ reason: "fractional", message: `${text} has a fraction of a đồng; VND amounts are whole đồng` })
  }
  const amount = BigInt(m[1] as string)
  const max = options.max ?? MAX_FILE_AMOUNT
  if (amount >= max) return Result.fail({ reason: "too_large", message: `${text} is not below ${formatVndDigits(max)} đồng` })
  if (amount === 0n && options.allowZero !== true) return Result.fail({ reason: "zero", message: "an amount of 0 is not a movement" })
  return Result.succeed(amount)
}

/** ISO 20022 form of a whole-đồng amount: plain digits. */
export const formatIsoVnd = (amount: bigint): string => amount.toString()
