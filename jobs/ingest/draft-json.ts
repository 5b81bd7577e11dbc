/**
 * A new draft as `lifecycle.createDraft` builds and checks it, through the
 * hand-written check of domain/receipt-check.ts instead of the schema's
 * generic decoder (a third of a row's CPU in bulk ingestion).
 *
 * `createDraft` = NFC text, generated words when none are given, optional
 * keys left out when undefined, then `decodeReceipt`; `checkReceipt` returns
 * exactly what `decodeReceipt` does. test/ingest/draft-json.test.ts checks
 * that both functions agree on the draft and on every issue.
 */
import type { Result } from "effect"
import { amountInWords } from "../../domain/amount-in-words.ts"
import type { DraftInput } from "../../domain/lifecycle.ts"
import { MAX_VND } from "../../domain/money.ts"
import { checkReceipt } from "../../domain/receipt-check.ts"
import type { InvalidReceipt, Receipt } from "../../domain/receipt.ts"

type Json = Record<string, unknown>

const nfc = (s: string | undefined): string | undefined => s?.normalize("NFC")

/** `{ key: value }` when value is defined, else `{}`: the schema's optional keys must be absent. */
const withDefined = (entries: Record<string, unknown>): Json => {
  const out: Json = {}
  for (const key in entries) if (entries[key] !== undefined) out[key] = entries[key]
  return out
}

// As lifecycle's wordsFor: an invalid amount is reported by the schema alone.
const wordsFor = (amount: bigint): string => (amount >= 0n && amount < MAX_VND ? amountInWords(amount) : "?")

/** The receipt JSON that createDraft checks (the amount as its digit string). */
export const draftJson = (input: DraftInput, ctx: { readonly id: string; readonly maker: string; readonly now: string }): Json => {
  const payment = withDefined({
    method: nfc(input.payment.method),
    reference: input.payment.method === "bank_transfer" ? nfc(input.payment.reference) : undefined
  })
  return withDefined({
    id: ctx.id,
    agency: nfc(input.agency),
    office: nfc(input.office),
    series: withDefined({ form: nfc(input.series.form), symbol: nfc(input.series.symbol) }),
    payer: withDefined({ name: nfc(input.payer.name), idNumber: nfc(input.payer.idNumber), address: nfc(input.payer.address) }),
    case: withDefined({
      judgmentNumber: nfc(input.case.judgmentNumber),
      judgmentDate: nfc(input.case.judgmentDate),
      decisionNumber: nfc(input.case.decisionNumber),
      decisionDate: nfc(input.case.decisionDate)
    }),
    reason: nfc(input.reason),
    payment,
    amount: input.amount.toString(10),
    amountInWords: nfc(input.amountInWords) ?? wordsFor(input.amount),
    maker: ctx.maker,
    createdAt: ctx.now,
    status: "draft",
    annotations: []
  })
}

/** `createDraft(input, ctx)`, with the same draft or the same issues. */
export const createDraftFast = (
  input: DraftInput,
  ctx: { readonly id: string; readonly maker: string; readonly now: string }
): Result.Result<Receipt, InvalidReceipt> => checkReceipt(draftJson(input, ctx))
