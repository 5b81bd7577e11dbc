/**
 * A bank-transfer receipt that no credit has paid after N days is flagged:
 * either the money never arrived or it arrived without anything to match it
 * by. (Amounts that differ are flagged by the matcher, with both figures.)
 */
export interface TransferReceipt {
  readonly id: string
  readonly amount: bigint
  /** What matches allocated to it so far. */
  readonly paid: bigint
  /** "YYYY-MM-DD", the day it was issued (Vietnam time). */
  readonly issuedOn: string
}

export interface NoCreditFlag {
  readonly kind: "no_credit"
  readonly receiptId: string
  readonly amount: bigint
  readonly paid: bigint
  readonly days: number
  readonly message: string
}

const dayNumber = (day: string): number => Math.floor(Date.parse(`${day}T00:00:00Z`) / 86_400_000)

export const staleTransfers = (receipts: ReadonlyArray<TransferReceipt>, today: string, afterDays: number): Array<NoCreditFlag> =>
  receipts
    .filter((r) => r.paid < r.amount && dayNumber(today) - dayNumber(r.issuedOn) > afterDays)
    .map((r) => {
      const days = dayNumber(today) - dayNumber(r.issuedOn)
      return {
        kind: "no_credit" as const,
        receiptId: r.id,
        amount: r.amount,
        paid: r.paid,
        days,
        message: `biên lai chuyển khoản ${r.id} số tiền ${r.amount} đồng đã cấp ${days} ngày, nhưng các khoản ghi có mới trả ${r.paid} đồng`
      }
    })
    .sort((a, b) => (a.receiptId < b.receiptId ? -1 : a.receiptId > b.receiptId ? 1 : 0))
