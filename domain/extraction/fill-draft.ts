/**
 * An extraction → the draft it was uploaded to. Each field found is applied
 * through the lifecycle's `editDraft`, one at a time, so a value the receipt
 * rules refuse (an identity number that breaks its rules, a date the case
 * cannot have) is left out with its reason while the others still fill the
 * draft. Fields not found leave the draft as it was: nothing is invented.
 * Each edit is made as the scan's uploader (`ctx.by`): only a draft's maker
 * may add scans to it, and editDraft refuses anyone else, so OCR never
 * writes into a draft on behalf of someone who did not make it. The store's
 * audit entry says the change was OCR's, on behalf of that uploader.
 */
import { Result } from "effect"
import { type DraftInput, editDraft } from "../lifecycle.ts"
import { NOT_READ } from "../submission.ts"
import type { Receipt } from "../receipt.ts"
import { type Extraction, type FieldName, fieldNames } from "./extraction.ts"

export interface SkippedField {
  readonly field: FieldName
  readonly message: string
}

export interface FilledDraft {
  readonly draft: Receipt
  /** Fields whose values went into the draft (they were empty). */
  readonly applied: ReadonlyArray<FieldName>
  readonly skipped: ReadonlyArray<SkippedField>
  /** Fields found on the scan but left alone: the draft already held a value (typed by an officer). */
  readonly kept: ReadonlyArray<FieldName>
}

type Patch = (current: Receipt) => Partial<DraftInput>

// Shown where OCR read nothing; submission refuses it (domain/submission.ts).
export { NOT_READ }

const blank = (v: string | undefined): boolean => v === undefined || v.trim() === "" || v === NOT_READ

/** Whether the draft still waits for this field, so OCR may fill it. */
export const isEmptyField = (r: Receipt, field: FieldName): boolean => {
  switch (field) {
    case "payerName":
      return blank(r.payer.name)
    case "payerIdNumber":
      return blank(r.payer.idNumber)
    case "payerAddress":
      return blank(r.payer.address)
    case "decisionNumber":
      return blank(r.case.decisionNumber)
    case "decisionDate":
      return blank(r.case.decisionDate)
    case "amount":
      return r.amount === 0n
    case "reason":
      return blank(r.reason)
    case "bankReference":
      return r.payment.method === "cash"
    case "amountInWords":
    case "paymentDate":
      return false
  }
}

// The receipt's fields that OCR can fill, and how. Payment date and the amount
// in words have no field of their own: the words follow the amount.
const patchFor = (field: FieldName, value: string): Patch | undefined => {
  switch (field) {
    case "payerName":
      return (r) => ({ payer: { ...r.payer, name: value } })
    case "payerIdNumber":
      return (r) => ({ payer: { ...r.payer, idNumber: value } })
    case "payerAddress":
      return (r) => ({ payer: { ...r.payer, address: value } })
    case "decisionNumber":
      return (r) => ({ case: { ...r.case, decisionNumber: value } })
    case "decisionDate":
      return (r) => ({ case: { ...r.case, decisionDate: value } })
    case "amount":
      return /^\d+$/.test(value) ? () => ({ amount: BigInt(value) }) : undefined
    case "reason":
      return () => ({ reason: value })
    case "bankReference":
      return () => ({ payment: { method: "bank_transfer", reference: value } })
    case "amountInWords":
    case "paymentDate":
      return undefined
  }
}

// The words follow the amount, and a draft has no payment date: every other field, in reading order.
const order: ReadonlyArray<FieldName> = fieldNames.filter((f) => f !== "amountInWords" && f !== "paymentDate")

export const fillDraft = (draft: Receipt, extraction: Pick<Extraction, "fields">, ctx: { readonly by: string; readonly now: string }): FilledDraft => {
  let current = draft
  const applied: Array<FieldName> = []
  const skipped: Array<SkippedField> = []
  const kept: Array<FieldName> = []
  for (const field of order) {
    const value = extraction.fields[field]
    if (value === undefined) continue
    const patch = patchFor(field, value)
    if (patch === undefined) continue
    if (!isEmptyField(current, field)) {
      kept.push(field)
      continue
    }
    const edited = editDraft(current, patch(current), { by: ctx.by, now: ctx.now })
    if (Result.isSuccess(edited)) {
      current = edited.success
      applied.push(field)
    } else {
      skipped.push({ field, message: edited.failure.message })
    }
  }
  return { draft: current, applied, skipped, kept }
}
