/**
 * The ReceiptStore port: central storage of drafts and issued receipts, and
 * the only place receipt numbers come from. Issuing assigns the next number
 * of the series in the same transaction that stores the signed receipt, so a
 * number exists only for a receipt that was issued (docs/STORAGE.md).
 */
import { Context, Schema } from "effect"
import type { Effect } from "effect"
import type { TransitionError } from "../lifecycle.ts"
import type { InvalidReceipt, IssuedReceipt, Receipt } from "../receipt.ts"
import type { SigningError } from "./signer.ts"

/** The database could not be reached or failed; nothing was changed unless it says so. */
export class StoreUnavailable extends Schema.TaggedError<StoreUnavailable>()("StoreUnavailable", {
  operation: Schema.String,
  message: Schema.String
}) {}

export class ReceiptNotFound extends Schema.TaggedError<ReceiptNotFound>()("ReceiptNotFound", {
  agency: Schema.String,
  id: Schema.String,
  message: Schema.String
}) {}

/** Every number 1..9,999,999 of the series is used; a new symbol opens another series. */
export class SeriesExhausted extends Schema.TaggedError<SeriesExhausted>()("SeriesExhausted", {
  agency: Schema.String,
  form: Schema.String,
  symbol: Schema.String,
  message: Schema.String
}) {}

/** The symbol carries a year; a receipt is issued only into its issue year's symbol. */
export class SymbolYearMismatch extends Schema.TaggedError<SymbolYearMismatch>()("SymbolYearMismatch", {
  agency: Schema.String,
  symbol: Schema.String,
  symbolYear: Schema.Number,
  issueYear: Schema.Number,
  message: Schema.String
}) {}

/**
 * The stored state changed under the request (issued twice, original
 * replaced meanwhile, code reused, or the draft is no longer the content its
 * approver approved).
 */
export class StoreConflict extends Schema.TaggedError<StoreConflict>()("StoreConflict", {
  agency: Schema.String,
  id: Schema.String,
  reason: Schema.Literals(["already_issued", "original_not_issued", "lookup_code_taken", "not_a_draft", "state_changed", "content_changed"]),
  message: Schema.String
}) {}

/** A bulk range was refused as a whole; `failures` names each bad request by index. */
export class RangeRejected extends Schema.TaggedError<RangeRejected>()("RangeRejected", {
  failures: Schema.Array(Schema.Struct({ index: Schema.Number, message: Schema.String })),
  message: Schema.String
}) {}

/** Approval of one submitted draft: the store adds the number, the seal and stores it. */
export interface IssueRequest {
  readonly draft: Receipt
  readonly approver: string
  readonly lookupCode: string
  /** Issue instant (IsoInstant); its year in Vietnam must be the symbol's year. */
  readonly now: string
  /**
   * The SHA-256 (hex) of the content the approver approved (the draft's
   * canonical content, domain/canonical.ts `contentBytes`). With it, `draft`
   * must have exactly that content and be stored as submitted with that
   * hash, checked inside the issuing transaction: a draft changed after the
   * approver read it is refused (StoreConflict "content_changed"). Without
   * it (a bulk file issued directly) the receipt is written as a new row,
   * never over a stored draft.
   */
  readonly contentHash?: string
}

export type IssueError =
  | InvalidReceipt
  | TransitionError
  | SeriesExhausted
  | SymbolYearMismatch
  | SigningError
  | StoreConflict
  | StoreUnavailable

export interface NumberGap {
  readonly from: number
  readonly to: number
}

/** One series as the numbering audit sees it. */
export interface SeriesAudit {
  readonly agency: string
  readonly form: string
  readonly symbol: string
  readonly count: number
  readonly first: number | null
  readonly last: number | null
  /** The counter's last handed-out number; equals `last` when nothing is missing at the end. */
  readonly counter: number
  readonly gaps: ReadonlyArray<NumberGap>
  readonly duplicates: ReadonlyArray<number>
}

export interface NumberingFilter {
  readonly agency?: string
  readonly year?: number
}

export class ReceiptStore extends Context.Service<ReceiptStore, {
  /**
   * Stores a new draft, or replaces a stored draft's content and status
   * (draft or submitted; a submitted one with its content hash). Only the
   * maker's drafts are replaced. `auditDetail` is added to the audit entry
   * (the OCR worker says on whose behalf it filled the draft).
   */
  readonly saveDraft: (
    draft: Receipt,
    ctx: { readonly now: string; readonly auditDetail?: Readonly<Record<string, unknown>> }
  ) => Effect.Effect<Receipt, StoreConflict | StoreUnavailable>
  /** Deletes a draft (and its scans): by its maker, or with an administrator's reason (`override`), which the audit keeps. */
  readonly deleteDraft: (
    agency: string,
    id: string,
    ctx: { readonly by: string; readonly override?: { readonly reason: string } }
  ) => Effect.Effect<void, ReceiptNotFound | TransitionError | StoreUnavailable>
  readonly get: (agency: string, id: string) => Effect.Effect<Receipt, ReceiptNotFound | StoreUnavailable>
  readonly findByLookupCode: (lookupCode: string) => Effect.Effect<Receipt, ReceiptNotFound | StoreUnavailable>
  /**
   * Issues a draft: next number of its series, signed, stored, in one
   * transaction. A draft with `replaces` also marks the original replaced in
   * that transaction. Concurrent requests for one series share a transaction.
   */
  readonly issue: (request: IssueRequest) => Effect.Effect<IssuedReceipt, IssueError>
  /**
   * Bulk issuance into one series: reserves exactly `requests.length`
   * consecutive numbers and stores that many receipts in one transaction, or
   * nothing at all.
   */
  readonly issueRange: (
    requests: ReadonlyArray<IssueRequest>
  ) => Effect.Effect<ReadonlyArray<IssuedReceipt>, IssueError | RangeRejected>
  readonly voidReceipt: (
    agency: string,
    id: string,
    ctx: { readonly by: string; readonly reason: string; readonly now: string }
  ) => Effect.Effect<Receipt, ReceiptNotFound | TransitionError | StoreConflict | StoreUnavailable>
  /** Per series: count, first, last, gaps and duplicates (there must be none). */
  readonly auditNumbering: (filter: NumberingFilter) => Effect.Effect<ReadonlyArray<SeriesAudit>, StoreUnavailable>
}>()("bienlai/domain/ports/ReceiptStore") {}

// Re-exported for callers that only import the port.
export type { IssuedReceipt, Receipt }
