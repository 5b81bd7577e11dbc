/**
 * What a bank answers to a pain.001: a pain.002 status report, at three
 * levels (the whole file, a payment information block, each transaction),
 * each with an ISO status code and reasons (ISO external code list, e.g.
 * AC01 wrong account number, AM04 insufficient funds, AC04 closed account).
 */
import type { EntryReject } from "./statement.ts"

/** What a status code means for a payout line. */
export type StatusMeaning = "received" | "pending" | "accepted" | "settled" | "rejected" | "cancelled" | "partially_accepted" | "unknown"

// ExternalPaymentTransactionStatus1Code / ExternalPaymentGroupStatus1Code values.
const meanings: Record<string, StatusMeaning> = {
  RCVD: "received",
  PDNG: "pending",
  ACTC: "accepted",
  ACCP: "accepted",
  ACSP: "accepted",
  ACWC: "accepted",
  ACWP: "accepted",
  ACFC: "accepted",
  ACIS: "accepted",
  ACSC: "settled",
  ACCC: "settled",
  RJCT: "rejected",
  CANC: "cancelled",
  PART: "partially_accepted"
}

export const statusMeaning = (code: string): StatusMeaning => meanings[code] ?? "unknown"

export interface StatusReason {
  /** ISO external reason code (Rsn/Cd), e.g. "AC01". */
  readonly code?: string
  /** A bank's own reason code (Rsn/Prtry). */
  readonly proprietary?: string
  readonly additionalInfo?: string
}

export interface StatusReport {
  readonly messageId: string
  readonly createdAt?: string
  readonly originalMessageId: string
  /** "pain.001.001.09" */
  readonly originalMessageType?: string
  readonly groupStatus?: string
  readonly groupReasons: ReadonlyArray<StatusReason>
}

export interface PaymentInformationStatus {
  readonly originalPaymentInformationId: string
  readonly status?: string
  readonly reasons: ReadonlyArray<StatusReason>
}

export interface TransactionStatus {
  /** 1-based position in the report. */
  readonly index: number
  readonly originalPaymentInformationId?: string
  /** The payout line id we wrote as EndToEndId. */
  readonly originalEndToEndId: string
  readonly originalInstructionId?: string
  readonly statusId?: string
  /** The transaction's own status, or the block's or the group's when it has none. */
  readonly status: string
  readonly meaning: StatusMeaning
  readonly reasons: ReadonlyArray<StatusReason>
  /** The amount of the original transaction, when the bank repeats it. */
  readonly amount?: bigint
}

export type PaymentStatusEvent =
  | { readonly type: "report"; readonly report: StatusReport }
  | { readonly type: "payment-information"; readonly paymentInformation: PaymentInformationStatus }
  | { readonly type: "transaction"; readonly transaction: TransactionStatus }
  | { readonly type: "reject"; readonly reject: EntryReject }
  | { readonly type: "end"; readonly summary: { readonly transactions: number; readonly byStatus: Readonly<Record<string, number>>; readonly rejected: number } }
