/**
 * The fields OCR found → a draft the domain accepts. A required field that
 * was not read gets a visible placeholder (the review page highlights it and
 * submission is refused until an officer types the value); an optional field
 * the domain rejects (say, an identity number that breaks the CCCD rules) is
 * left out, and the extractor's warning still tells the reviewer what was
 * read. The amount in words is always regenerated from the figures: OCR's
 * words are only evidence for the cross-check warning.
 */
import { Result } from "effect"
import type { ScanReading } from "./scan-reading.ts"
import { createDraft, type DraftInput } from "../../domain/lifecycle.ts"
import type { Series } from "../../domain/receipt.ts"

import { NOT_READ } from "../../domain/extraction/fill-draft.ts"

// The OCR worker fills exactly the fields still holding this placeholder (or empty ones).
export { NOT_READ }

export const hasPlaceholder = (d: { readonly payer: { readonly name: string }; readonly reason: string }): boolean =>
  d.payer.name === NOT_READ || d.reason === NOT_READ

const digitsOnly = /^\d{1,15}$/

export const draftInputFromReading = (reading: ScanReading, agency: string, series: Series): DraftInput => {
  const f = reading.fields
  const amount = f.amount !== undefined && digitsOnly.test(f.amount) ? BigInt(f.amount) : 0n
  const input: DraftInput = {
    agency,
    series,
    payer: {
      name: f.payerName ?? NOT_READ,
      ...(f.payerIdNumber === undefined ? {} : { idNumber: f.payerIdNumber }),
      ...(f.payerAddress === undefined ? {} : { address: f.payerAddress })
    },
    case: {
      ...(f.decisionNumber === undefined ? {} : { decisionNumber: f.decisionNumber }),
      ...(f.decisionDate === undefined ? {} : { decisionDate: f.decisionDate })
    },
    reason: f.reason ?? NOT_READ,
    amount,
    payment: f.bankReference === undefined ? { method: "cash" } : { method: "bank_transfer", reference: f.bankReference }
  }
  return withoutRejectedFields(input)
}

// Which part of the input a schema issue path points at, and how to drop it.
const droppers: ReadonlyArray<readonly [RegExp, (d: DraftInput) => DraftInput]> = [
  [/^payer\.idNumber/, (d) => ({ ...d, payer: { name: d.payer.name, ...(d.payer.address === undefined ? {} : { address: d.payer.address }) } })],
  [/^payer\.address/, (d) => ({ ...d, payer: { name: d.payer.name, ...(d.payer.idNumber === undefined ? {} : { idNumber: d.payer.idNumber }) } })],
  [/^payer\.name/, (d) => ({ ...d, payer: { ...d.payer, name: NOT_READ } })],
  [/^case\.decisionNumber/, (d) => ({ ...d, case: { ...d.case, decisionNumber: undefined } })],
  [/^case\.decisionDate/, (d) => ({ ...d, case: { ...d.case, decisionDate: undefined } })],
  [/^reason/, (d) => ({ ...d, reason: NOT_READ })],
  [/^payment/, (d) => ({ ...d, payment: { method: "cash" } })],
  [/^amount/, (d) => ({ ...d, amount: 0n })]
]

const probe = { id: "00000000-0000-4000-8000-000000000000", maker: "ocr.probe", now: "2000-01-01T00:00:00.000Z" }

/** Drops, one pass at a time, every field the domain refuses; three passes cover every field above. */
const withoutRejectedFields = (input: DraftInput): DraftInput => {
  let current = input
  for (let pass = 0; pass < 3; pass++) {
    const checked = createDraft(current, probe)
    if (Result.isSuccess(checked)) return current
    const paths = checked.failure.issues.map((i) => i.path)
    let changed = false
    for (const [pattern, drop] of droppers) {
      if (paths.some((p) => pattern.test(p))) {
        current = drop(current)
        changed = true
      }
    }
    if (!changed) return current
  }
  return current
}
