/**
 * The figures of one cell of a report (an office in a month, or any sum of
 * such cells) and the columns every exporter prints, in one place so the
 * XLSX, the PDF and the CSV can never disagree on what a column means.
 *
 * Every column is additive: the figure of a period is the sum of its months,
 * and an agency's is the sum of its offices. (A count of distinct cases
 * would not be, which is one reason this report counts receipts and payout
 * lines, not cases: see docs/REPORTS.md.)
 */
import type { EventKind } from "./events.ts"

export interface Tally {
  readonly count: number
  readonly amount: bigint
}

export type Figures = { readonly [K in EventKind]: Tally }

const zeroTally: Tally = { count: 0, amount: 0n }

export const zeroFigures: Figures = {
  issued: zeroTally,
  voided: zeroTally,
  replaced: zeroTally,
  paid: zeroTally,
  deposited: zeroTally
}

/** One event added: `count` facts (1 by default) adding up to `amount`. */
export const addEvent = (f: Figures, kind: EventKind, amount: bigint, count = 1): Figures => ({
  ...f,
  [kind]: { count: f[kind].count + count, amount: f[kind].amount + amount }
})

export const addFigures = (a: Figures, b: Figures): Figures => ({
  issued: { count: a.issued.count + b.issued.count, amount: a.issued.amount + b.issued.amount },
  voided: { count: a.voided.count + b.voided.count, amount: a.voided.amount + b.voided.amount },
  replaced: { count: a.replaced.count + b.replaced.count, amount: a.replaced.amount + b.replaced.amount },
  paid: { count: a.paid.count + b.paid.count, amount: a.paid.amount + b.paid.amount },
  deposited: { count: a.deposited.count + b.deposited.count, amount: a.deposited.amount + b.deposited.amount }
})

export const sumFigures = (all: ReadonlyArray<Figures>): Figures => all.reduce(addFigures, zeroFigures)

/**
 * Money actually kept from collection: what was receipted, less receipts
 * voided and receipts replaced (their replacements are counted as issued).
 * It can be negative in a month in which earlier receipts were voided.
 */
export const netCollected = (f: Figures): bigint => f.issued.amount - f.voided.amount - f.replaced.amount

export interface Column {
  /** The CSV header: lowercase ASCII, stable. */
  readonly key: string
  /** The heading printed on the report. */
  readonly heading: string
  readonly unit: "count" | "dong"
  readonly value: (f: Figures) => bigint
}

/** The report's columns in print order. */
export const moneyColumns: ReadonlyArray<Column> = [
  { key: "issued_count", heading: "Số biên lai đã phát hành", unit: "count", value: (f) => BigInt(f.issued.count) },
  { key: "issued_amount", heading: "Số tiền thu theo biên lai", unit: "dong", value: (f) => f.issued.amount },
  { key: "voided_count", heading: "Số biên lai bị hủy", unit: "count", value: (f) => BigInt(f.voided.count) },
  { key: "voided_amount", heading: "Số tiền của biên lai bị hủy", unit: "dong", value: (f) => f.voided.amount },
  { key: "replaced_count", heading: "Số biên lai bị thay thế", unit: "count", value: (f) => BigInt(f.replaced.count) },
  { key: "replaced_amount", heading: "Số tiền của biên lai bị thay thế", unit: "dong", value: (f) => f.replaced.amount },
  { key: "net_amount", heading: "Số tiền thu thực tế", unit: "dong", value: netCollected },
  { key: "paid_count", heading: "Số khoản đã chi trả", unit: "count", value: (f) => BigInt(f.paid.count) },
  { key: "paid_amount", heading: "Số tiền đã chi trả", unit: "dong", value: (f) => f.paid.amount },
  { key: "deposited_count", heading: "Số khoản gửi tiết kiệm", unit: "count", value: (f) => BigInt(f.deposited.count) },
  { key: "deposited_amount", heading: "Số tiền gửi tiết kiệm", unit: "dong", value: (f) => f.deposited.amount }
]

/** How each kind of event is named in the list of adjustments. */
export const eventKindLabel: { readonly [K in EventKind]: string } = {
  issued: "Phát hành biên lai",
  voided: "Hủy biên lai",
  replaced: "Biên lai bị thay thế",
  paid: "Chi trả",
  deposited: "Gửi tiết kiệm"
}
