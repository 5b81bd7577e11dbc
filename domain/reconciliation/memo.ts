/**
 * What a bank memo says, read the way banks write it: unaccented, upper case,
 * often truncated, words run together. For example
 *
 *   NGUYEN VAN A NOP TIEN THA THEO QD 757/QD-PTHADS BL7K2M9QX4TR5
 *
 * gives the payer "NGUYEN VAN A", the decision "757/QĐ-PTHADS" (through the
 * domain's decision-number parser) and the bienlai reference. Nothing here
 * decides a match; it only lists what the memo carries.
 */
import { Result } from "effect"
import { parseDecisionNumber } from "../case-numbers.ts"
import { parseVnd } from "../money.ts"
import { stripDiacritics } from "../text.ts"
import { findPaymentReferences } from "./payment-reference.ts"

export interface MemoReading {
  readonly references: ReadonlyArray<string>
  /** Bank transaction references (FT…) the memo mentions. */
  readonly bankReferences: ReadonlyArray<string>
  /** Canonical decision numbers ("757/QĐ-PTHADS"). */
  readonly decisionNumbers: ReadonlyArray<string>
  /** An amount written in the memo ("SO TIEN 125.500.000 VND"), when there is one. */
  readonly amount?: bigint
  /** The payer's name as the memo starts it (folded: upper case, no accents). */
  readonly payerName?: string
}

/** Upper case, no accents, single spaces: how names are compared with memos. */
export const foldName = (name: string): string => unaccented(name).toUpperCase().replace(/[^A-Z0-9 ]/g, " ").replace(/\s+/g, " ").trim()

const decisionPattern = /(\d{1,6})\s*\/\s*(?:(\d{4})\s*\/\s*)?Q\s*[DĐ]\s*[-_ ]\s*([A-Z]{2,12}(?:-[A-Z0-9]{1,12}){0,3})/g
const bankReferencePattern = /\bFT\d{5,}[A-Z0-9]*\b/g
const amountPattern = /(?:SO TIEN|ST|SOTIEN)\s*:?\s*(\d{1,3}(?:[.,]\d{3})+|\d{4,})|(\d{1,3}(?:[.,]\d{3})+|\d{4,})\s*(?:VND|DONG|D)\b/
// Words that end the payer's name at the start of a memo.
const nameEnds = /\s(?:NOP|NT|CK|CHUYEN|CHUYEN KHOAN|CHUYEN TIEN|TT|THANH TOAN|THI HANH AN|THA|TRA|GUI|NOP TIEN)\b/

// Bank memos are almost always plain ASCII already: skip Unicode normalisation for them (a third of the time per memo).
const ascii = /^[\x00-\x7f]*$/
export const unaccented = (text: string): string => (ascii.test(text) ? text : stripDiacritics(text))

const unique = <A,>(xs: ReadonlyArray<A>): Array<A> => [...new Set(xs)]

export const readMemo = (memo: string): MemoReading => {
  const text = unaccented(memo).toUpperCase().replace(/\s+/g, " ").trim()
  const decisions = unique(
    [...text.matchAll(decisionPattern)].flatMap((m) => {
      const parsed = parseDecisionNumber(`${m[1]}/${m[2] === undefined ? "" : `${m[2]}/`}QĐ-${m[3]}`)
      return Result.isSuccess(parsed) ? [parsed.success] : []
    })
  )
  const amountMatch = amountPattern.exec(text)
  const amountText = amountMatch?.[1] ?? amountMatch?.[2]
  const amount = amountText === undefined ? undefined : parseVnd(amountText.replace(/[.,]/g, ""))
  const nameMatch = nameEnds.exec(` ${text}`)
  const nameText = nameMatch === null ? undefined : foldName(` ${text}`.slice(0, nameMatch.index))
  const payerName = nameText !== undefined && /^[A-Z]+(?: [A-Z]+){1,6}$/.test(nameText) ? nameText : undefined
  return {
    references: findPaymentReferences(text),
    bankReferences: unique(text.match(bankReferencePattern) ?? []),
    decisionNumbers: decisions,
    ...(amount !== undefined && Result.isSuccess(amount) && amount.success > 0n ? { amount: amount.success } : {}),
    ...(payerName === undefined ? {} : { payerName })
  }
}
