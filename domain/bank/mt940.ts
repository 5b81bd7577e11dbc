/**
 * SWIFT MT940 customer statements, read line by line (so a file of any size
 * streams through in constant memory) into the shared statement events.
 *
 *   :20: statement reference    :25: account ("BIC/account" or the account)
 *   :28C: statement/sequence    :60F: or :60M: opening balance, e.g. C250616VND1250000,
 *   :61: an entry               :86: information about the entry before it
 *   :62F: or :62M: closing balance, checked against opening + credits − debits
 *
 * A :61: line is YYMMDD value date, optional MMDD entry date, C / D / RC
 * (reversal of a credit: a debit) / RD (reversal of a debit: a credit), an
 * optional funds code letter, the amount with a decimal comma, a 4-character
 * transaction type (N, S or F and 3 more), the reference for the account
 * owner and optionally "//" and the bank's reference; a second line may hold
 * supplementary details. An optional SWIFT envelope ({1:…}{2:…}{4: … -}) is
 * skipped. :86: lines wrapped at 65 characters are joined without a space
 * (the bank cut a word), shorter ones with a space. We cannot verify the
 * envelope's {5:{CHK:…}} trailer (SWIFT's own checksum); the balance check
 * is what proves a statement complete.
 *
 * Why not the npm package mt940-js: it reads amounts with parseFloat (so
 * 9007199254740993 becomes …992), keeps a bank reference only when it has
 * exactly 16 characters, turns a :61: line it cannot read into an empty
 * transaction without saying so, and reads the whole file into memory.
 */
import { Result } from "effect"
import { makeIsoDate } from "../dates.ts"
import { parseDecimalVnd } from "./decimal-amount.ts"
import {
  type Balance,
  BankFileRefused,
  type Direction,
  type EntryReject,
  type StatementEntry,
  type StatementEvent,
  type StatementHeader
} from "./statement.ts"
import { type StatementTally, startTally } from "./statement-tally.ts"

interface Field {
  readonly tag: string
  readonly lines: Array<string>
  readonly line: number
}

interface OpenStatement {
  reference?: string
  account?: string
  bankId?: string
  sequence?: string
  header?: StatementHeader
  tally?: StatementTally
  index: number
  pending?: { entry: StatementEntry; supplementary?: string; memo: Array<string>; line: number }
}

const refuse = (line: number, message: string): BankFileRefused =>
  new BankFileRefused({ format: "mt940", where: `line ${line}`, message: `MT940 line ${line}: ${message}` })

const year2 = (yy: number): number => (yy < 80 ? 2000 + yy : 1900 + yy)

const yymmdd = (text: string): Result.Result<string, string> => {
  if (!/^\d{6}$/.test(text)) return Result.fail(`${JSON.stringify(text)} is not a date YYMMDD`)
  const date = makeIsoDate(year2(Number(text.slice(0, 2))), Number(text.slice(2, 4)), Number(text.slice(4, 6)), text)
  return Result.isFailure(date) ? Result.fail(`date ${text}: ${date.failure.message}`) : Result.succeed(date.success)
}

const balancePattern = /^([CD])(\d{6})([A-Z]{3})(\d[\d,]*)$/

const readBalance = (tag: string, text: string, line: number): Balance => {
  const m = balancePattern.exec(text.trim())
  if (m === null) {
    throw refuse(line, `:${tag}: must be C or D, a date YYMMDD, a currency and an amount with a decimal comma (e.g. C250616VND1250000,), not ${JSON.stringify(text)}`)
  }
  const [, mark, date, currency, amountText] = m as unknown as [string, string, string, string, string]
  if (currency !== "VND") throw refuse(line, `:${tag}: is in ${currency}; only VND statements are read`)
  const day = yymmdd(date)
  if (Result.isFailure(day)) throw refuse(line, `:${tag}: ${day.failure}`)
  const amount = parseDecimalVnd(amountText, ",", { allowZero: true })
  if (Result.isFailure(amount)) throw refuse(line, `:${tag}: ${amount.failure.message}`)
  return { amount: mark === "D" ? -amount.success : amount.success, date: day.success }
}

interface EntryLine {
  readonly valueDate?: string
  readonly bookingDate?: string
  readonly direction?: Direction
  readonly reversal: boolean
  readonly amount?: bigint
  readonly transactionCode?: string
  readonly ownerReference?: string
  readonly bankReference?: string
}

/** Reads the first line of a :61: field; every problem found is listed. */
export const readEntryLine = (text: string): { readonly entry: EntryLine; readonly problems: ReadonlyArray<string> } => {
  const problems: Array<string> = []
  let rest = text.trimEnd()
  const valueText = rest.slice(0, 6)
  rest = rest.slice(6)
  const value = yymmdd(valueText)
  if (Result.isFailure(value)) problems.push(`value date: ${value.failure}`)
  let bookingDate: string | undefined
  const entryDate = /^\d{4}/.exec(rest)?.[0]
  if (entryDate !== undefined && Result.isSuccess(value)) {
    rest = rest.slice(4)
    const valueYear = Number(value.success.slice(0, 4))
    const valueMonth = Number(value.success.slice(5, 7))
    const month = Number(entryDate.slice(0, 2))
    // An entry booked across New Year: value date in January, entry in December, or the other way round.
    const year = month === 12 && valueMonth === 1 ? valueYear - 1 : month === 1 && valueMonth === 12 ? valueYear + 1 : valueYear
    const booked = makeIsoDate(year, month, Number(entryDate.slice(2, 4)), entryDate)
    if (Result.isFailure(booked)) problems.push(`entry date ${entryDate}: ${booked.failure.message}`)
    else bookingDate = booked.success
  } else if (entryDate !== undefined) {
    rest = rest.slice(4)
  }
  const mark = /^(RC|RD|C|D)/.exec(rest)?.[1]
  let direction: Direction | undefined
  if (mark === undefined) {
    problems.push(`the debit/credit mark must be C, D, RC or RD, found ${JSON.stringify(rest.slice(0, 2))}`)
  } else {
    rest = rest.slice(mark.length)
    // RC reverses a credit, so money leaves the account; RD reverses a debit.
    direction = mark === "C" || mark === "RD" ? "credit" : "debit"
    if (/^[A-Z]/.test(rest)) rest = rest.slice(1) // funds code, the third letter of the currency
  }
  let amount: bigint | undefined
  const amountText = /^\d[\d,]*/.exec(rest)?.[0]
  if (amountText === undefined) {
    problems.push(`the amount is missing after the debit/credit mark`)
  } else {
    rest = rest.slice(amountText.length)
    if (!amountText.includes(",")) problems.push(`the amount ${amountText} must have a decimal comma (write ${amountText},)`)
    else {
      const parsed = parseDecimalVnd(amountText, ",")
      if (Result.isFailure(parsed)) problems.push(`amount: ${parsed.failure.message}`)
      else amount = parsed.success
    }
  }
  const transactionCode = /^[NSF][A-Z0-9]{3}/.exec(rest)?.[0]
  if (transactionCode === undefined) {
    if (amountText !== undefined) problems.push(`the transaction type (N, S or F and three characters, e.g. NTRF) is missing, found ${JSON.stringify(rest.slice(0, 4))}`)
  } else {
    rest = rest.slice(4)
  }
  const split = rest.indexOf("//")
  const owner = (split < 0 ? rest : rest.slice(0, split)).trim()
  const bank = split < 0 ? undefined : rest.slice(split + 2).trim()
  if (owner.length > 16) problems.push(`the reference for the account owner has more than 16 characters: ${JSON.stringify(owner)}`)
  if (bank !== undefined && (bank.length === 0 || bank.length > 16)) problems.push(`the bank reference after "//" must have 1 to 16 characters: ${JSON.stringify(bank)}`)
  return {
    entry: {
      ...(Result.isSuccess(value) ? { valueDate: value.success } : {}),
      ...(bookingDate === undefined ? {} : { bookingDate }),
      ...(direction === undefined ? {} : { direction }),
      reversal: mark === "RC" || mark === "RD",
      ...(amount === undefined ? {} : { amount }),
      ...(transactionCode === undefined ? {} : { transactionCode }),
      ...(owner === "" || owner === "NONREF" ? {} : { ownerReference: owner }),
      ...(bank === undefined || bank === "" || bank === "NONREF" ? {} : { bankReference: bank })
    },
    problems
  }
}

const endToEndPattern = /(?:\/EREF\/|EREF\+)([^/\s?]{1,35})/

/** Joins :86: lines: a line cut at the 65-character limit continues the word on the next one. */
const joinInformation = (lines: ReadonlyArray<string>): string =>
  lines.reduce((text, line, i) => (i === 0 ? line : (lines[i - 1] as string).length >= 65 ? text + line : `${text} ${line}`), "").trim()

export interface Mt940Reader {
  /** Feeds one line (without its line break); returns the events it completes. */
  readonly line: (text: string) => ReadonlyArray<StatementEvent>
  /** Ends the file; returns the last events or throws if a statement was left open. */
  readonly end: () => ReadonlyArray<StatementEvent>
}

export const createMt940Reader = (): Mt940Reader => {
  let lineNo = 0
  let field: Field | undefined
  let statement: OpenStatement | undefined
  let statements = 0
  let out: Array<StatementEvent> = []

  const emitPending = () => {
    const p = statement?.pending
    if (statement === undefined || p === undefined) return
    statement.pending = undefined
    const memo = p.memo.length > 0 ? joinInformation(p.memo) : p.supplementary
    const endToEndId = (memo === undefined ? undefined : endToEndPattern.exec(memo)?.[1]) ?? p.entry.endToEndId
    const entry: StatementEntry = {
      ...p.entry,
      ...(memo === undefined || memo === "" ? {} : { memo }),
      ...(endToEndId === undefined ? {} : { endToEndId })
    }
    statement.tally?.add(entry)
    out.push({ type: "entry", entry })
  }

  const rejectEntry = (reject: EntryReject) => {
    statement?.tally?.reject()
    out.push({ type: "reject", reject })
  }

  const requireHeader = (f: Field): OpenStatement & { header: StatementHeader; tally: StatementTally } => {
    if (statement?.header === undefined || statement.tally === undefined) {
      throw refuse(f.line, `:${f.tag}: comes before the statement's :20:, :25: and :60F: opening balance`)
    }
    return statement as OpenStatement & { header: StatementHeader; tally: StatementTally }
  }

  const handle = (f: Field) => {
    const text = f.lines[0] ?? ""
    switch (f.tag) {
      case "20": {
        if (statement !== undefined) throw refuse(f.line, `a new statement (:20:) starts before statement ${statement.reference ?? ""} was closed by :62F:`)
        statement = { reference: text.trim(), index: 0 }
        return
      }
      case "25": {
        if (statement === undefined) throw refuse(f.line, ":25: comes before the statement reference :20:")
        const value = text.trim()
        const slash = value.lastIndexOf("/")
        statement.account = slash < 0 ? value : value.slice(slash + 1)
        if (slash > 0) statement.bankId = value.slice(0, slash)
        if (statement.account === "") throw refuse(f.line, ":25: holds no account number")
        return
      }
      case "28":
      case "28C": {
        if (statement !== undefined) statement.sequence = text.trim()
        return
      }
      case "60F":
      case "60M": {
        if (statement === undefined || statement.account === undefined) throw refuse(f.line, `:${f.tag}: comes before the statement's :20: and :25:`)
        if (statement.header !== undefined) throw refuse(f.line, `a second opening balance :${f.tag}: in statement ${statement.reference ?? ""}`)
        const opening = readBalance(f.tag, text, f.line)
        const header: StatementHeader = {
          format: "mt940",
          statementId: statement.reference ?? "",
          account: statement.account,
          currency: "VND",
          ...(statement.bankId === undefined ? {} : { bankId: statement.bankId }),
          ...(statement.sequence === undefined ? {} : { sequenceNumber: statement.sequence }),
          opening
        }
        statement.header = header
        statement.tally = startTally(header, `line ${f.line}`)
        statements++
        out.push({ type: "statement", statement: header })
        return
      }
      case "61": {
        const s = requireHeader(f)
        emitPending()
        s.index++
        const { entry, problems } = readEntryLine(text)
        const reference = entry.bankReference ?? entry.ownerReference
        const reasons = [...problems, ...(reference === undefined ? ["the entry has no reference (neither //bank reference nor a reference for the account owner)"] : [])]
        if (reasons.length > 0 || entry.amount === undefined || entry.direction === undefined || entry.valueDate === undefined || reference === undefined) {
          rejectEntry({ index: s.index, where: `line ${f.line}`, reasons })
          return
        }
        const supplementary = f.lines.slice(1).join(" ").trim()
        s.pending = {
          entry: {
            index: s.index,
            account: s.header.account,
            bookingDate: entry.bookingDate ?? entry.valueDate,
            valueDate: entry.valueDate,
            amount: entry.amount,
            direction: entry.direction,
            bankReference: reference,
            ...(entry.ownerReference === undefined ? {} : { endToEndId: entry.ownerReference }),
            status: "booked",
            reversal: entry.reversal,
            ...(entry.transactionCode === undefined ? {} : { transactionCode: entry.transactionCode })
          },
          ...(supplementary === "" ? {} : { supplementary }),
          memo: [],
          line: f.line
        }
        return
      }
      case "86": {
        if (statement?.pending !== undefined) statement.pending.memo.push(...f.lines)
        return
      }
      case "62F":
      case "62M": {
        const s = requireHeader(f)
        emitPending()
        const closing = readBalance(f.tag, text, f.line)
        const summary = s.tally.finish(closing)
        out.push({ type: "end", summary })
        statement = undefined
        return
      }
      default:
        // :21:, :64:, :65:, :86: after the closing balance and bank-specific tags carry nothing we book.
        return
    }
  }

  const flush = () => {
    if (field !== undefined) handle(field)
    field = undefined
  }

  const endMessage = () => {
    flush()
    if (statement !== undefined) {
      throw refuse(lineNo, `statement ${statement.reference ?? ""} ends without a closing balance :62F:`)
    }
  }

  const take = (): ReadonlyArray<StatementEvent> => {
    const events = out
    out = []
    return events
  }

  return {
    line: (raw) => {
      lineNo++
      let text = raw.replace(/\r$/, "")
      if (lineNo === 1) text = text.replace(/^\uFEFF/, "")
      // SWIFT envelope: {1:…}{2:…}{3:…}{4: opens the text block, -} closes it, {5:…} is the trailer.
      if (text.startsWith("{1:") || text.startsWith("{2:") || text.startsWith("{4:")) {
        const body = text.indexOf("{4:")
        text = body < 0 ? "" : text.slice(body + 3)
        if (text.trim() === "") return take()
      }
      if (text.startsWith("{5:") || text.startsWith("{S:")) return take()
      if (text === "-" || text === "-}" || text.startsWith("-}")) {
        endMessage()
        return take()
      }
      const tag = /^:(\d{2}[A-Z]?):/.exec(text)
      if (tag !== null) {
        flush()
        field = { tag: tag[1] as string, lines: [text.slice(tag[0].length)], line: lineNo }
      } else if (field !== undefined) {
        if (text.trim() !== "") field.lines.push(text)
      } else if (text.trim() !== "") {
        throw refuse(lineNo, `${JSON.stringify(text.slice(0, 40))} is not an MT940 field (fields start with a tag such as :20:)`)
      }
      return take()
    },
    end: () => {
      endMessage()
      if (statements === 0) throw refuse(lineNo, "the file holds no MT940 statement (no :20: … :60F: … :62F:)")
      return take()
    }
  }
}

/** All events of an MT940 text given as lines. */
export function* readMt940(lines: Iterable<string>): Generator<StatementEvent> {
  const reader = createMt940Reader()
  for (const line of lines) yield* reader.line(line)
  yield* reader.end()
}

/** The same over lines that arrive asynchronously (a file stream). */
export async function* readMt940Async(lines: AsyncIterable<string>): AsyncGenerator<StatementEvent> {
  const reader = createMt940Reader()
  for await (const line of lines) yield* reader.line(line)
  yield* reader.end()
}
