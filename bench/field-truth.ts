/** Whether a field was read right: text after NFC; the amount in words by the amount it names. */
import { Result } from "effect"
import { parseAmountInWords } from "../domain/amount-in-words.ts"
import type { FieldName } from "../domain/extraction/extraction.ts"

export const sameValue = (field: FieldName, truth: string, read: string): boolean => {
  if (field === "amountInWords") {
    const a = parseAmountInWords(truth)
    const b = parseAmountInWords(read)
    return Result.isSuccess(a) && Result.isSuccess(b) && a.success === b.success
  }
  return truth.normalize("NFC") === read.normalize("NFC")
}
