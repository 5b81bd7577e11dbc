/** The reason for the payment (nội dung), as printed; a transfer's unaccented capitals stay unaccented. */
import { stripDiacritics } from "../../text.ts"
import type { Found, ReaderInput } from "./reader.ts"

// Transfer contents are typed without marks in capitals; a mark there is OCR's invention.
export const isUnaccentedCapitals = (text: string): boolean => {
  const letters = text.match(/\p{L}/gu) ?? []
  const unmarked = letters.filter((c) => /[A-Z]/.test(c)).length
  return letters.length > 0 && unmarked / letters.length >= 0.85 && text === text.toUpperCase()
}

export const readReason = (input: ReaderInput, found: Found): void => {
  const reason = input.raw.get("reason")
  if (reason === undefined) return
  const text = isUnaccentedCapitals(reason.text) ? stripDiacritics(reason.text) : reason.text
  found.set("reason", text.replace(/\.$/u, ""), reason.confidence)
}
