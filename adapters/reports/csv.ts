/**
 * The money report as CSV for machines (RFC 4180: comma-separated, CRLF,
 * fields quoted when they hold a comma, quote or line break; UTF-8 without
 * a byte-order mark). Two files:
 *
 * - figures: one line per office (or agency's own row) and month, plus a
 *   line per office with month "total"; amounts in whole đồng as digits,
 *   every line repeating the period, status and cutoff so that a line
 *   read alone says what it is;
 * - adjustments: the dated adjustments and late entries.
 *
 * Officers who want a spreadsheet get the XLSX. The only free text here
 * is a payout line's label; a label that a spreadsheet would run as a
 * formula (= + - @) gets a leading apostrophe, as the console's exports do.
 */
import { type Adjustment, type MoneyReport } from "../../domain/reports/money-report.ts"
import { type Figures, moneyColumns } from "../../domain/reports/figures.ts"
import { formatPeriod } from "../../domain/reports/period.ts"

export class MalformedCsv extends Error {
  constructor(message: string) {
    super(message)
    this.name = "MalformedCsv"
  }
}

const quote = (field: string): string => (/[",\r\n]/.test(field) ? `"${field.replace(/"/g, '""')}"` : field)

/** Rows to CSV text: every field quoted as needed, CRLF after every row. */
export const formatCsv = (rows: ReadonlyArray<ReadonlyArray<string>>): string => rows.map((r) => r.map(quote).join(",") + "\r\n").join("")

/** CSV text to rows, as formatCsv writes it (and as RFC 4180 allows: LF alone ends a row too). */
export const parseCsv = (text: string): Array<Array<string>> => {
  const rows: Array<Array<string>> = []
  let row: Array<string> = []
  let field = ""
  let i = 0
  let quoted = false
  let fieldStarted = false
  while (i < text.length) {
    const c = text[i]!
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"'
          i += 2
          continue
        }
        quoted = false
        i++
        if (i < text.length && text[i] !== "," && text[i] !== "\r" && text[i] !== "\n") {
          throw new MalformedCsv(`a quoted field ends with text after its closing quote, at character ${i}`)
        }
        continue
      }
      field += c
      i++
      continue
    }
    if (c === '"' && !fieldStarted) {
      quoted = true
      fieldStarted = true
      i++
      continue
    }
    if (c === ",") {
      row.push(field)
      field = ""
      fieldStarted = false
      i++
      continue
    }
    if (c === "\r" || c === "\n") {
      row.push(field)
      rows.push(row)
      row = []
      field = ""
      fieldStarted = false
      i += c === "\r" && text[i + 1] === "\n" ? 2 : 1
      continue
    }
    field += c
    fieldStarted = true
    i++
  }
  if (quoted) throw new MalformedCsv("a quoted field is not closed")
  if (fieldStarted || row.length > 0) {
    row.push(field)
    rows.push(row)
  }
  return rows
}

const formulaStart = /^[=+\-@\t\r]/
const neutralize = (text: string): string => (formulaStart.test(text) ? `'${text}` : text)

const figureFields = (f: Figures): Array<string> => moneyColumns.map((c) => c.value(f).toString())

export const figuresHeader: ReadonlyArray<string> = ["period", "status", "cutoff", "agency", "office", "month", ...moneyColumns.map((c) => c.key)]

/** The figures file. */
export const figuresCsv = (report: MoneyReport): string => {
  const lead = [formatPeriod(report.period), report.status, report.cutoff]
  const rows: Array<Array<string>> = [[...figuresHeader]]
  for (const group of report.groups) {
    for (const row of group.rows) {
      const unit = [row.agency, row.office ?? ""]
      report.months.forEach((m, i) => rows.push([...lead, ...unit, m.key, ...figureFields(row.monthly[i]!)]))
      rows.push([...lead, ...unit, "total", ...figureFields(row.total)])
    }
  }
  return formatCsv(rows)
}

export const adjustmentsHeader: ReadonlyArray<string> = [
  "list",
  "event_id",
  "kind",
  "agency",
  "office",
  "ref",
  "label",
  "amount",
  "month",
  "at",
  "recorded_at",
  "missing_from"
]

const adjustmentFields = (list: string, a: Adjustment): Array<string> => [
  list,
  a.eventId,
  a.kind,
  a.agency,
  a.office ?? "",
  neutralize(a.ref),
  neutralize(a.label),
  a.amount.toString(),
  a.month,
  a.at,
  a.recordedAt,
  a.missingFrom.map((c) => `${formatPeriod(c)}@${c.closedAt}`).join(" ")
]

/** The adjustments file: "adjustment" lines (after closing, not in the figures), then "late_entry" lines (in the figures). */
export const adjustmentsCsv = (report: MoneyReport): string =>
  formatCsv([
    [...adjustmentsHeader],
    ...report.adjustments.map((a) => adjustmentFields("adjustment", a)),
    ...report.lateEntries.map((a) => adjustmentFields("late_entry", a))
  ])
