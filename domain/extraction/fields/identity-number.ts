/** The payer's identity number (CCCD, CMND, passport, tax code), checked against its rules. */
import { readIdentityNumber } from "../readers.ts"
import type { Found, ReaderInput } from "./reader.ts"

export const readPayerIdNumber = (input: ReaderInput, found: Found): void => {
  const id = input.raw.get("payerIdNumber")
  if (id === undefined) return
  const read = readIdentityNumber(id.text, input.currentYear)
  if (read === undefined) return
  let c = id.confidence * (read.fixed ? 0.85 : 1)
  if (read.checked._tag === "Failure") {
    c *= 0.4
    found.warn({
      code: "invalid_identity_number",
      field: "payerIdNumber",
      message: `The identity number ${read.value} breaks its rules: ${read.checked.failure.message}`
    })
  }
  found.set("payerIdNumber", read.value, c)
}
