/** The payer's identity number (CCCD, CMND, passport, tax code), checked against its rules. */
import { readIdentityNumber } from "../readers.ts"
import type { Found, ReaderInput } from "./reader.ts"

/**
 * The value without the words after the number that hold no digit: a fax's
 * speck read as a letter ("077195243650 c"), a table's rule and what is left
 * of the next cell ("095165801304 | cu"). Undefined when there are none.
 */
export const withoutTrailingSpecks = (text: string): string | undefined => {
  const words = text.trim().split(/\s+/)
  let end = words.length
  while (end > 1 && !/\d/.test(words[end - 1] ?? "")) end--
  return end === words.length || end === 0 ? undefined : words.slice(0, end).join(" ")
}

const read = (text: string, currentYear: number | undefined) => {
  const whole = readIdentityNumber(text, currentYear)
  if (whole !== undefined && whole.checked._tag === "Success") return whole
  // A letter after the digits may be a misread digit ("…365 O"): it is dropped only when the
  // number does not read whole, or reads whole breaking its rules and keeps them without it.
  const trimmed = withoutTrailingSpecks(text)
  const without = trimmed === undefined ? undefined : readIdentityNumber(trimmed, currentYear)
  return whole === undefined || without?.checked._tag === "Success" ? without ?? whole : whole
}

export const readPayerIdNumber = (input: ReaderInput, found: Found): void => {
  const id = input.raw.get("payerIdNumber")
  if (id === undefined) return
  const number = read(id.text, input.currentYear)
  if (number === undefined) return
  let c = id.confidence * (number.fixed ? 0.85 : 1)
  if (number.checked._tag === "Failure") {
    c *= 0.4
    found.warn({
      code: "invalid_identity_number",
      field: "payerIdNumber",
      message: `The identity number ${number.value} breaks its rules: ${number.checked.failure.message}`
    })
  }
  found.set("payerIdNumber", number.value, c)
}
