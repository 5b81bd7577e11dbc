/**
 * A bank's CSV/XLSX statement layout, kept as data: which header names hold
 * which field, how dates are written, where the account number and the
 * balances stand. A new bank needs a JSON file, not code (docs/BANK-FORMATS.md
 * describes the format; adapters/bank/mappings/ holds the shipped ones).
 *
 * Header names are compared folded (no diacritics, lower case, single
 * spaces), so "Ngày giao dịch", "NGAY GIAO DICH" and "Ngày  giao dịch" match.
 */
import { Result } from "effect"

export type MappedField =
  | "bookingDate"
  | "valueDate"
  | "reference"
  | "amount"
  | "credit"
  | "debit"
  | "memo"
  | "counterpartyName"
  | "counterpartyAccount"
  | "counterpartyBank"
  | "endToEndId"

export const mappedFields: ReadonlyArray<MappedField> = [
  "bookingDate",
  "valueDate",
  "reference",
  "amount",
  "credit",
  "debit",
  "memo",
  "counterpartyName",
  "counterpartyAccount",
  "counterpartyBank",
  "endToEndId"
]

export interface StatementMapping {
  readonly id: string
  readonly name: string
  readonly description?: string
  /** NAPAS BIN of the bank whose exports this reads, when it is one bank's. */
  readonly bank?: string
  /** CSV only: "auto" reads it from the header line. */
  readonly delimiter: "," | ";" | "\t" | "auto"
  /** For each field, the header names that hold it (any one of them). */
  readonly columns: Partial<Record<MappedField, ReadonlyArray<string>>>
  /**
   * Where a single amount column has no sign: the column that says which way,
   * and the values meaning credit and debit (compared folded).
   */
  readonly direction?: { readonly column: ReadonlyArray<string>; readonly credit: ReadonlyArray<string>; readonly debit: ReadonlyArray<string> }
  /** Date layouts tried in order: DD, MM, YYYY, YY, HH, mm, ss and any separators; "YYYY-MM-DD" is always tried too. */
  readonly dateFormats: ReadonlyArray<string>
  /** Labels of cells above (or below) the table that hold the account and the balances, e.g. "Số tài khoản:". */
  readonly labels?: {
    readonly account?: ReadonlyArray<string>
    readonly opening?: ReadonlyArray<string>
    readonly closing?: ReadonlyArray<string>
  }
  /**
   * Rows without a date that hold one of these (a totals line: "Tổng cộng",
   * "Total") are passed over; other rows without a date are rejected.
   * Defaults to Tổng cộng, Cộng phát sinh, Cộng, Total.
   */
  readonly summaryLabels?: ReadonlyArray<string>
  /** The header row is looked for in the first rows, 50 unless said. */
  readonly headerSearchRows?: number
}

const isStringList = (v: unknown): v is ReadonlyArray<string> => Array.isArray(v) && v.length > 0 && v.every((s) => typeof s === "string" && s.trim() !== "")

/** Checks a mapping read from JSON, naming every problem. */
export const parseStatementMapping = (input: unknown): Result.Result<StatementMapping, ReadonlyArray<string>> => {
  const problems: Array<string> = []
  if (typeof input !== "object" || input === null || Array.isArray(input)) return Result.fail(["a mapping is a JSON object"])
  const m = input as Record<string, unknown>
  if (typeof m.id !== "string" || !/^[a-z0-9][a-z0-9-]*$/.test(m.id)) problems.push("\"id\" must be lower-case letters, digits and hyphens")
  if (typeof m.name !== "string" || m.name.trim() === "") problems.push("\"name\" is required")
  if (m.description !== undefined && typeof m.description !== "string") problems.push("\"description\" must be text")
  if (m.bank !== undefined && (typeof m.bank !== "string" || !/^\d{6}$/.test(m.bank))) problems.push("\"bank\" must be a 6-digit NAPAS BIN")
  const delimiter = m.delimiter ?? "auto"
  if (![",", ";", "\t", "auto"].includes(delimiter as string)) problems.push("\"delimiter\" must be \",\", \";\", \"\\t\" or \"auto\"")
  const columns = m.columns
  if (typeof columns !== "object" || columns === null || Array.isArray(columns)) {
    problems.push("\"columns\" must map fields to lists of header names")
  } else {
    for (const [field, names] of Object.entries(columns)) {
      if (!mappedFields.includes(field as MappedField)) problems.push(`"columns.${field}" is not a field (fields: ${mappedFields.join(", ")})`)
      else if (!isStringList(names)) problems.push(`"columns.${field}" must be a non-empty list of header names`)
    }
    const c = columns as Record<string, unknown>
    if (c.bookingDate === undefined) problems.push("\"columns.bookingDate\" is required")
    if (c.reference === undefined) problems.push("\"columns.reference\" is required: the bank's reference is the key that makes a re-import change nothing")
    const twoColumns = c.credit !== undefined || c.debit !== undefined
    if (twoColumns && (c.credit === undefined || c.debit === undefined)) problems.push("\"columns.credit\" and \"columns.debit\" go together")
    if (twoColumns && c.amount !== undefined) problems.push("use either \"columns.amount\" or \"columns.credit\" with \"columns.debit\", not both")
    if (!twoColumns && c.amount === undefined) problems.push("amounts need \"columns.amount\" or \"columns.credit\" with \"columns.debit\"")
  }
  const direction = m.direction as Record<string, unknown> | undefined
  if (direction !== undefined && (typeof direction !== "object" || !isStringList(direction.column) || !isStringList(direction.credit) || !isStringList(direction.debit))) {
    problems.push("\"direction\" needs \"column\", \"credit\" and \"debit\" lists")
  }
  if (!isStringList(m.dateFormats)) problems.push("\"dateFormats\" must be a non-empty list such as [\"DD/MM/YYYY\"]")
  else {
    for (const f of m.dateFormats) if (!/DD/.test(f) || !/MM/.test(f) || !/YY/.test(f)) problems.push(`date format "${f}" needs DD, MM and YY or YYYY`)
  }
  const labels = m.labels as Record<string, unknown> | undefined
  if (labels !== undefined) {
    for (const [k, v] of Object.entries(labels)) {
      if (!["account", "opening", "closing"].includes(k)) problems.push(`"labels.${k}" is not a label (labels: account, opening, closing)`)
      else if (!isStringList(v)) problems.push(`"labels.${k}" must be a non-empty list`)
    }
  }
  if (m.summaryLabels !== undefined && !isStringList(m.summaryLabels)) problems.push("\"summaryLabels\" must be a non-empty list")
  if (m.headerSearchRows !== undefined && (!Number.isInteger(m.headerSearchRows) || (m.headerSearchRows as number) < 1)) problems.push("\"headerSearchRows\" must be a positive whole number")
  if (problems.length > 0) return Result.fail(problems)
  return Result.succeed({ ...(m as unknown as StatementMapping), delimiter: delimiter as StatementMapping["delimiter"] })
}
