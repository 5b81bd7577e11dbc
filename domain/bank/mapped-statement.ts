/**
 * Rows of a CSV or XLSX statement, read through a column mapping into the
 * shared statement events. Row by row, so a file of any size streams.
 *
 * Rows above the table may carry the account and the balances ("Số tài
 * khoản: 0071000123456", "Số dư đầu kỳ | 1.250.000.000"); the header row is
 * the first that names every required column; after it each row is an entry,
 * a reject with every reason, or a row without date and reference (blank,
 * "Tổng cộng") that is passed over. A closing-balance label below the table
 * is read too. When both balances are known they are checked.
 */
import { Result } from "effect"
import { makeIsoDate } from "../dates.ts"
import { parseVnd } from "../money.ts"
import { foldForSearch } from "../text.ts"
import { type Balance, BankFileRefused, type Direction, type StatementEntry, type StatementEvent, type StatementHeader } from "./statement.ts"
import type { MappedField, StatementMapping } from "./statement-mapping.ts"
import { type StatementTally, startTally } from "./statement-tally.ts"

export interface MappedStatementOptions {
  readonly format: "csv" | "xlsx"
  /** What identifies this statement, e.g. the file name. */
  readonly statementId: string
  /** The account, when the file does not say it. */
  readonly account?: string
}

const datePattern = (format: string): { regex: RegExp; order: Array<"D" | "M" | "Y" | "y"> } => {
  const order: Array<"D" | "M" | "Y" | "y"> = []
  const source = format
    .replace(/[.*+?^${}()|[\]\\]/g, "\\$&")
    .replace(/YYYY|YY|DD|MM|HH|mm|ss/g, (token) => {
      if (token === "YYYY") order.push("Y")
      else if (token === "YY") order.push("y")
      else if (token === "DD") order.push("D")
      else if (token === "MM") order.push("M")
      return token === "YYYY" ? "(\\d{4})" : token === "DD" || token === "MM" ? "(\\d{1,2})" : token === "YY" ? "(\\d{2})" : "\\d{1,2}"
    })
  return { regex: new RegExp(`^${source}$`), order }
}

/** A signed amount as statements write it: "-1.000.000", "(1.000.000)", "1.000.000-", "+500.000". */
const signedAmount = (text: string): Result.Result<bigint, string> => {
  let t = text.trim()
  let negative = false
  if (/^\(.*\)$/.test(t)) {
    negative = true
    t = t.slice(1, -1)
  } else if (/^[-\u2212]/.test(t)) {
    negative = true
    t = t.slice(1)
  } else if (/[-\u2212]$/.test(t)) {
    negative = true
    t = t.slice(0, -1)
  }
  const amount = parseVnd(t)
  return Result.isFailure(amount) ? Result.fail(amount.failure.message) : Result.succeed(negative ? -amount.success : amount.success)
}

export interface MappedStatementReader {
  readonly row: (cells: ReadonlyArray<string>, rowNumber: number) => ReadonlyArray<StatementEvent>
  readonly end: () => ReadonlyArray<StatementEvent>
}

export const createMappedStatementReader = (mapping: StatementMapping, options: MappedStatementOptions): MappedStatementReader => {
  const formats = [...mapping.dateFormats, "YYYY-MM-DD"].map(datePattern)
  const searchRows = mapping.headerSearchRows ?? 50
  const labels = {
    account: (mapping.labels?.account ?? []).map(foldForSearch),
    opening: (mapping.labels?.opening ?? []).map(foldForSearch),
    closing: (mapping.labels?.closing ?? []).map(foldForSearch)
  }
  const wanted = Object.entries(mapping.columns).map(([field, names]) => [field as MappedField, (names ?? []).map(foldForSearch)] as const)
  const directionNames = mapping.direction?.column.map(foldForSearch)
  const summaryWords = (mapping.summaryLabels ?? ["Tổng cộng", "Cộng phát sinh", "Cộng", "Total"]).map(foldForSearch)
  const creditWords = new Set(mapping.direction?.credit.map(foldForSearch))
  const debitWords = new Set(mapping.direction?.debit.map(foldForSearch))

  let rows = 0
  let columns: Map<MappedField | "direction", number> | undefined
  let account = options.account
  let opening: Balance | undefined
  let closing: Balance | undefined
  let header: StatementHeader | undefined
  let tally: StatementTally | undefined
  let index = 0
  let lastDate: string | undefined

  const refuse = (where: string, message: string) => new BankFileRefused({ format: options.format, where, message: `${options.format} ${where}: ${message}` })

  const readDate = (text: string): string | undefined => {
    const t = text.trim()
    for (const f of formats) {
      const m = f.regex.exec(t)
      if (m === null) continue
      const part = (k: "D" | "M" | "Y" | "y") => {
        const i = f.order.indexOf(k)
        return i < 0 ? undefined : Number(m[i + 1])
      }
      const year = part("Y") ?? (part("y") === undefined ? undefined : 2000 + (part("y") as number))
      const date = makeIsoDate(year ?? 0, part("M") ?? 0, part("D") ?? 0, t)
      if (Result.isSuccess(date)) return date.success
    }
    return undefined
  }

  /** A labelled value in a row: the rest of the label's cell, or the next non-empty cell. */
  const labelled = (cells: ReadonlyArray<string>, names: ReadonlyArray<string>): string | undefined => {
    if (names.length === 0) return undefined
    for (let i = 0; i < cells.length; i++) {
      const folded = foldForSearch(cells[i] ?? "")
      const name = names.find((n) => folded.startsWith(n))
      if (name === undefined) continue
      // Folding keeps digits, so the rest of the folded cell is the value.
      const rest = folded.slice(name.length).replace(/^[\s:]+/, "").trim()
      if (rest !== "") return rest
      const next = cells.slice(i + 1).find((c) => c.trim() !== "")
      if (next !== undefined) return next.trim()
    }
    return undefined
  }

  const balanceFrom = (text: string, rowNumber: number, what: string): Balance => {
    const amount = signedAmount(text)
    if (Result.isFailure(amount)) throw refuse(`row ${rowNumber}`, `the ${what} ${JSON.stringify(text)} cannot be read: ${amount.failure}`)
    return { amount: amount.success, date: lastDate ?? "" }
  }

  const findHeader = (cells: ReadonlyArray<string>): Map<MappedField | "direction", number> | undefined => {
    const folded = cells.map(foldForSearch)
    const found = new Map<MappedField | "direction", number>()
    for (const [field, names] of wanted) {
      const i = folded.findIndex((c) => names.includes(c))
      if (i >= 0) found.set(field, i)
    }
    if (directionNames !== undefined) {
      const i = folded.findIndex((c) => directionNames.includes(c))
      if (i >= 0) found.set("direction", i)
    }
    const required: Array<MappedField | "direction"> = ["bookingDate", "reference", ...(mapping.columns.amount !== undefined ? ["amount" as const] : ["credit" as const, "debit" as const]), ...(directionNames === undefined ? [] : ["direction" as const])]
    return required.every((f) => found.has(f)) ? found : undefined
  }

  const startStatement = (rowNumber: number): Array<StatementEvent> => {
    if (account === undefined || account === "") {
      throw refuse(`row ${rowNumber}`, `the file does not say which account it is for${labels.account.length > 0 ? ` (no "${mapping.labels?.account?.[0]}" above the table)` : ""}, and none was given`)
    }
    header = { format: options.format, statementId: options.statementId, account, currency: "VND", ...(opening === undefined ? {} : { opening }), ...(closing === undefined ? {} : { closing }) }
    tally = startTally(header, options.statementId)
    return [{ type: "statement", statement: header }]
  }

  const entryRow = (cells: ReadonlyArray<string>, rowNumber: number, cols: Map<MappedField | "direction", number>): Array<StatementEvent> => {
    const cell = (f: MappedField | "direction") => {
      const i = cols.get(f)
      return i === undefined ? "" : (cells[i] ?? "").trim()
    }
    const dateText = cell("bookingDate")
    const reference = cell("reference")
    // The closing balance is often written below the table (rows with a date are movements: no need to look).
    const bookingDate = readDate(dateText)
    const end = bookingDate === undefined ? labelled(cells, labels.closing) : undefined
    if (end !== undefined) {
      closing = balanceFrom(end, rowNumber, "closing balance")
      return []
    }
    if (dateText === "") {
      // A totals line, or a row with nothing to book, is not a movement.
      const folded = cells.map(foldForSearch)
      const anyAmount = (["amount", "credit", "debit"] as const).some((f) => cell(f) !== "")
      if ((reference === "" && !anyAmount) || folded.some((c) => summaryWords.some((w) => c === w || c.startsWith(`${w} `)))) return []
    }
    const reasons: Array<string> = []
    const name = (f: MappedField) => mapping.columns[f]?.[0] ?? f
    if (bookingDate === undefined) reasons.push(`${name("bookingDate")} ${JSON.stringify(dateText)} is not a date in the form ${mapping.dateFormats.join(" or ")}`)
    const valueText = cell("valueDate")
    const valueDate = valueText === "" ? undefined : readDate(valueText)
    if (valueText !== "" && valueDate === undefined) reasons.push(`${name("valueDate")} ${JSON.stringify(valueText)} is not a date`)
    if (reference === "") reasons.push(`${name("reference")} is empty`)
    let amount: bigint | undefined
    let direction: Direction | undefined
    if (cols.has("credit")) {
      const read = (f: "credit" | "debit") => {
        const t = cell(f)
        if (t === "" || t === "-") return 0n
        const a = signedAmount(t)
        if (Result.isFailure(a)) {
          reasons.push(`${name(f)}: ${a.failure}`)
          return undefined
        }
        if (a.success < 0n) reasons.push(`${name(f)} ${JSON.stringify(t)} is negative`)
        return a.success
      }
      const credit = read("credit")
      const debit = read("debit")
      if (credit !== undefined && debit !== undefined) {
        if (credit > 0n && debit > 0n) reasons.push(`both ${name("credit")} and ${name("debit")} hold an amount`)
        else if (credit === 0n && debit === 0n) reasons.push(`neither ${name("credit")} nor ${name("debit")} holds an amount`)
        else [amount, direction] = credit > 0n ? [credit, "credit"] : [debit, "debit"]
      }
    } else {
      const t = cell("amount")
      const a = signedAmount(t)
      if (t === "") reasons.push(`${name("amount")} is empty`)
      else if (Result.isFailure(a)) reasons.push(`${name("amount")}: ${a.failure}`)
      else if (a.success === 0n) reasons.push(`${name("amount")} is 0`)
      else if (cols.has("direction")) {
        const word = foldForSearch(cell("direction"))
        direction = creditWords.has(word) ? "credit" : debitWords.has(word) ? "debit" : undefined
        if (direction === undefined) reasons.push(`${mapping.direction?.column[0]} ${JSON.stringify(cell("direction"))} is neither ${mapping.direction?.credit.join("/")} nor ${mapping.direction?.debit.join("/")}`)
        if (a.success < 0n) reasons.push(`${name("amount")} is negative although ${mapping.direction?.column[0]} says which way`)
        amount = a.success
      } else {
        ;[amount, direction] = a.success < 0n ? [-a.success, "debit"] : [a.success, "credit"]
      }
    }
    index++
    if (reasons.length > 0 || bookingDate === undefined || amount === undefined || direction === undefined) {
      tally?.reject()
      return [{ type: "reject", reject: { index, where: `row ${rowNumber}`, reasons } }]
    }
    lastDate = bookingDate
    const optional = (f: MappedField, key: keyof StatementEntry) => (cell(f) === "" ? {} : { [key]: cell(f) })
    const entry: StatementEntry = {
      index,
      account: header?.account ?? "",
      bookingDate,
      ...(valueDate === undefined ? {} : { valueDate }),
      amount,
      direction,
      bankReference: reference,
      ...optional("endToEndId", "endToEndId"),
      ...optional("counterpartyName", "counterpartyName"),
      ...optional("counterpartyAccount", "counterpartyAccount"),
      ...optional("counterpartyBank", "counterpartyBank"),
      ...optional("memo", "memo"),
      status: "booked",
      reversal: false
    }
    tally?.add(entry)
    return [{ type: "entry", entry }]
  }

  return {
    row: (cells, rowNumber) => {
      rows++
      if (cells.every((c) => c.trim() === "")) return []
      if (columns === undefined) {
        columns = findHeader(cells)
        if (columns !== undefined) return startStatement(rowNumber)
        const acct = labelled(cells, labels.account)
        if (acct !== undefined) account = acct.replace(/[\s.\-]/g, "")
        const open = labelled(cells, labels.opening)
        if (open !== undefined) opening = balanceFrom(open, rowNumber, "opening balance")
        const close = labelled(cells, labels.closing)
        if (close !== undefined) closing = balanceFrom(close, rowNumber, "closing balance")
        if (rows >= searchRows) {
          throw refuse(`row ${rowNumber}`, `no header row naming ${Object.entries(mapping.columns).slice(0, 4).map(([, n]) => `"${n?.[0]}"`).join(", ")} in the first ${searchRows} rows; is this a ${mapping.name} file?`)
        }
        return []
      }
      return entryRow(cells, rowNumber, columns)
    },
    end: () => {
      if (columns === undefined || tally === undefined) {
        throw refuse(`row ${rows}`, `no header row naming ${Object.entries(mapping.columns).slice(0, 4).map(([, n]) => `"${n?.[0]}"`).join(", ")}; is this a ${mapping.name} file?`)
      }
      // Balances written without a date take the statement's last booking date.
      const dated = (b: Balance | undefined) => (b === undefined ? undefined : { ...b, date: b.date === "" ? lastDate ?? "" : b.date })
      const summary = tally.finish(dated(closing))
      return [{ type: "end", summary: { ...summary, ...(summary.opening === undefined ? {} : { opening: dated(summary.opening) as Balance }) } }]
    }
  }
}
