/**
 * One model for what every bank file reader produces: camt.053 statements,
 * camt.054 notifications, MT940 statements and CSV/XLSX statements through a
 * column mapping all become the same events, so storage and matching never
 * know which format a bank used.
 *
 * A reader yields, for each statement in a file: a `statement` event (the
 * header: account, and the balances known before the entries), then one
 * `entry` per booked or pending movement or one `reject` per movement that
 * could not be read (with every reason), then an `end` event with the
 * totals and the balance check. A problem that makes the rest of the file
 * unreadable (malformed XML, a wrong namespace, a statement whose balances do
 * not add up) is thrown as `BankFileRefused` instead.
 */
import { Schema } from "effect"

export type StatementFormat = "camt.053" | "camt.054" | "mt940" | "csv" | "xlsx"
export type Direction = "credit" | "debit"

/** A balance on a day. Positive is in the account holder's favour (credit), negative an overdraft (debit). */
export interface Balance {
  readonly amount: bigint
  readonly date: string
}

export interface StatementHeader {
  readonly format: StatementFormat
  /** The bank's identification of the statement or notification (camt Stmt/Id, MT940 :20:). */
  readonly statementId: string
  readonly account: string
  readonly currency: "VND"
  /** Whatever identifies the bank in the file: a BIC, a BIN or a bank code. */
  readonly bankId?: string
  readonly createdAt?: string
  readonly sequenceNumber?: string
  readonly period?: { readonly from: string; readonly to: string }
  readonly opening?: Balance
  /** Known up front in camt.053; an MT940 closing balance arrives after the entries (see the end event). */
  readonly closing?: Balance
}

export interface StatementEntry {
  /** Position of the movement in its statement, from 1 (a camt entry split per transaction counts each). */
  readonly index: number
  readonly account: string
  /** "YYYY-MM-DD" */
  readonly bookingDate: string
  readonly valueDate?: string
  /** Whole đồng, always positive; `direction` says which way. */
  readonly amount: bigint
  readonly direction: Direction
  /** The bank's own reference for the movement: the key for idempotent import. */
  readonly bankReference: string
  /** The payer's end-to-end id (for our own payouts: the payout line id). */
  readonly endToEndId?: string
  readonly counterpartyName?: string
  readonly counterpartyAccount?: string
  /** BIC or BIN of the counterparty's bank. */
  readonly counterpartyBank?: string
  /** Transfer memo / remittance information, as the bank gives it. */
  readonly memo?: string
  /** Only booked movements change a balance; pending ones may still be booked, "info" ones never are (camt INFO). */
  readonly status: "booked" | "pending" | "info"
  /** The bank reversed an earlier movement (camt RvslInd, MT940 RC/RD). */
  readonly reversal: boolean
  /** The bank's transaction code (camt BkTxCd, MT940 transaction type). */
  readonly transactionCode?: string
  /** Why a payment came back, when the bank says (camt RtrInf reason code). */
  readonly returnReason?: string
}

export interface EntryReject {
  readonly index: number
  /** Where in the file: "line 14" or "Stmt[1]/Ntry[3]" or "row 9". */
  readonly where: string
  readonly reasons: ReadonlyArray<string>
}

export interface Totals {
  readonly count: number
  readonly total: bigint
}

export interface StatementSummary {
  readonly statementId: string
  readonly account: string
  readonly opening?: Balance
  readonly closing?: Balance
  /** Booked movements only: pending and information-only ones do not move a balance. */
  readonly credits: Totals
  readonly debits: Totals
  /** Movements read but not booked (pending or information only). */
  readonly pending: number
  readonly rejected: number
  /**
   * "balanced": opening + credits − debits = closing was checked and holds.
   * "no_balances": the file has no opening and closing balance to check (camt.054, most CSV).
   * "not_checked_rejects": some movements were rejected, so the sum cannot be checked.
   */
  readonly balanceCheck: "balanced" | "no_balances" | "not_checked_rejects"
}

export type StatementEvent =
  | { readonly type: "statement"; readonly statement: StatementHeader }
  | { readonly type: "entry"; readonly entry: StatementEntry }
  | { readonly type: "reject"; readonly reject: EntryReject }
  | { readonly type: "end"; readonly summary: StatementSummary }

/** A bank file that cannot be read on: says where and what. */
export class BankFileRefused extends Schema.TaggedError<BankFileRefused>()("BankFileRefused", {
  format: Schema.String,
  /** "line 12", "Document/BkToCstmrStmt/Stmt[1]/Ntry[5]/Amt", "row 7", or a statement id. */
  where: Schema.String,
  message: Schema.String
}) {}
