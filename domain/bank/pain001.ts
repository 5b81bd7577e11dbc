/**
 * ISO 20022 pain.001.001.09 (CustomerCreditTransferInitiationV09): the file
 * an agency uploads to its bank to pay many creditors from one account.
 *
 * The writer is pure and streaming: it yields the XML as text chunks (one
 * per transaction), so a million lines never sit in memory, and it is
 * deterministic: the same input gives the same bytes (the creation time is an
 * input; nothing is drawn or looked up inside). One payment information block,
 * BtchBookg false (each line is its own debit on the statement, so camt.054
 * and camt.053 report each end-to-end id back), amounts in whole đồng.
 *
 * Why version 09 and not 03: 03 (2009) is still the most deployed, but 09 is
 * the version the ISO 20022 maintenance releases and the CBPR+/HVPS+ market
 * practice moved to, and nothing this file needs (BIC, clearing-system member
 * id for the NAPAS BIN, unstructured remittance) differs between them beyond
 * element names (BICFI for BIC, ReqdExctnDt/Dt for ReqdExctnDt). If a bank
 * demands 03, only this file's templates change.
 */
import { Result, Schema } from "effect"
import { MAX_VND } from "../money.ts"
import { checkBankAccount } from "./account-number.ts"
import type { Bank } from "./banks.ts"
import { createIdSet } from "./id-set.ts"
import { escapeXml, freeText, identifierProblem, isoDateTimePattern, type TextForm } from "./iso-text.ts"

export const PAIN001_NAMESPACE = "urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"

export interface Pain001Line {
  /** Our payout line id: the bank reports it back in pain.002 and camt. */
  readonly endToEndId: string
  readonly creditorName: string
  readonly creditorAccount: string
  readonly creditorBankBin: string
  /** Whole đồng, 1 ≤ amount < 10^15. */
  readonly amount: bigint
  readonly remittance?: string
}

export interface Pain001Debtor {
  /** The agency, as its bank knows the account holder. */
  readonly name: string
  readonly account: string
  readonly bankBin: string
}

export interface Pain001Header {
  readonly messageId: string
  /** ISO 8601 with seconds and offset, e.g. "2025-06-16T09:30:00+07:00". */
  readonly createdAt: string
  /** "YYYY-MM-DD"; the date part of `createdAt` when absent. */
  readonly requestedExecutionDate?: string
  /** Defaults to the message id. */
  readonly paymentInformationId?: string
  readonly debtor: Pain001Debtor
  /** "unaccented" (default) writes names and remittance text without diacritics, as domestic transfers carry them. */
  readonly textForm?: TextForm
}

export interface Pain001Totals {
  readonly count: number
  readonly sum: bigint
}

export class Pain001Refused extends Schema.TaggedError<Pain001Refused>()("Pain001Refused", {
  /** 1-based position of the line concerned, absent for the header. */
  line: Schema.optional(Schema.Number),
  endToEndId: Schema.optional(Schema.String),
  message: Schema.String
}) {}

/** ISO DecimalNumber has 18 digits. */
const MAX_CONTROL_SUM = 10n ** 18n

interface CheckedLine {
  readonly name: string
  readonly remittance?: string
  readonly account: string
  readonly bank: Bank
}

/** A line's text as it will be written, or every problem with it. */
const checkLine = (line: Pain001Line, textForm: TextForm): { readonly ok: CheckedLine } | { readonly problems: Array<string> } => {
  const problems: Array<string> = []
  const id = identifierProblem("the end-to-end id", line.endToEndId)
  if (id !== undefined) problems.push(id)
  const name = freeText("the creditor name", line.creditorName, 140, textForm)
  if ("problem" in name) problems.push(name.problem)
  const account = checkBankAccount(line.creditorBankBin, line.creditorAccount)
  if (Result.isFailure(account)) problems.push(...account.failure.map((p) => p.message))
  if (line.amount <= 0n) problems.push(`the amount ${line.amount} must be at least 1 đồng`)
  if (line.amount >= MAX_VND) problems.push(`the amount ${line.amount} must be below 10^15 đồng`)
  const remittance = line.remittance === undefined ? undefined : freeText("the remittance text", line.remittance, 140, textForm)
  if (remittance !== undefined && "problem" in remittance) problems.push(remittance.problem)
  if (problems.length > 0 || "problem" in name || Result.isFailure(account) || (remittance !== undefined && "problem" in remittance)) return { problems }
  return { ok: { name: name.text, ...(remittance === undefined ? {} : { remittance: remittance.text }), account: account.success.account, bank: account.success.bank } }
}

/** Every problem with one line, empty when it can be written. */
export const checkPain001Line = (line: Pain001Line, textForm: TextForm = "unaccented"): ReadonlyArray<string> => {
  const checked = checkLine(line, textForm)
  return "problems" in checked ? checked.problems : []
}

const agent = (bank: Bank): string =>
  `<FinInstnId>${bank.bic === undefined ? "" : `<BICFI>${bank.bic}</BICFI>`}<ClrSysMmbId><ClrSysId><Prtry>NAPAS</Prtry></ClrSysId><MmbId>${bank.bin}</MmbId></ClrSysMmbId></FinInstnId>`

const account = (number: string): string => `<Id><Othr><Id>${number}</Id></Othr></Id>`

interface Prepared {
  readonly head: (totals: Pain001Totals) => string
  readonly line: (line: Pain001Line, position: number) => string
  readonly tail: string
  readonly finish: (declared: Pain001Totals) => void
}

const prepare = (header: Pain001Header): Prepared => {
  const form = header.textForm ?? "unaccented"
  const problems: Array<string> = []
  const messageId = identifierProblem("the message id", header.messageId)
  if (messageId !== undefined) problems.push(messageId)
  const paymentInformationId = header.paymentInformationId ?? header.messageId
  const pmtInf = identifierProblem("the payment information id", paymentInformationId)
  if (pmtInf !== undefined && header.paymentInformationId !== undefined) problems.push(pmtInf)
  if (!isoDateTimePattern.test(header.createdAt)) problems.push(`the creation time ${JSON.stringify(header.createdAt)} is not an ISO 8601 date-time with seconds and an offset`)
  const executionDate = header.requestedExecutionDate ?? header.createdAt.slice(0, 10)
  if (!/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/.test(executionDate)) problems.push(`the execution date ${JSON.stringify(executionDate)} is not YYYY-MM-DD`)
  const debtorName = freeText("the debtor name", header.debtor.name, 140, form)
  if ("problem" in debtorName) problems.push(debtorName.problem)
  const debtorAccount = checkBankAccount(header.debtor.bankBin, header.debtor.account)
  if (Result.isFailure(debtorAccount)) problems.push(...debtorAccount.failure.map((p) => `debtor: ${p.message}`))
  if (problems.length > 0 || "problem" in debtorName || Result.isFailure(debtorAccount)) {
    throw new Pain001Refused({ message: `The pain.001 header cannot be written: ${problems.join("; ")}` })
  }
  const dName = escapeXml(debtorName.text)
  const seen = createIdSet()
  // The agent element of each bank is the same for every line: built once.
  const agents = new Map<string, string>()
  const agentOf = (bank: Bank): string => {
    let a = agents.get(bank.bin)
    if (a === undefined) {
      a = agent(bank)
      agents.set(bank.bin, a)
    }
    return a
  }
  let count = 0
  let sum = 0n

  return {
    head: (totals) => {
      if (!Number.isSafeInteger(totals.count) || totals.count < 1) throw new Pain001Refused({ message: `A pain.001 needs at least one line; ${totals.count} declared` })
      if (totals.sum >= MAX_CONTROL_SUM) throw new Pain001Refused({ message: `The control sum ${totals.sum} has more than 18 digits` })
      const nb = totals.count.toString()
      const ctrl = totals.sum.toString()
      return `<?xml version="1.0" encoding="UTF-8"?>\n<Document xmlns="${PAIN001_NAMESPACE}">\n<CstmrCdtTrfInitn>\n` +
        `<GrpHdr><MsgId>${escapeXml(header.messageId)}</MsgId><CreDtTm>${header.createdAt}</CreDtTm><NbOfTxs>${nb}</NbOfTxs><CtrlSum>${ctrl}</CtrlSum><InitgPty><Nm>${dName}</Nm></InitgPty></GrpHdr>\n` +
        `<PmtInf><PmtInfId>${escapeXml(paymentInformationId)}</PmtInfId><PmtMtd>TRF</PmtMtd><BtchBookg>false</BtchBookg><NbOfTxs>${nb}</NbOfTxs><CtrlSum>${ctrl}</CtrlSum>` +
        `<ReqdExctnDt><Dt>${executionDate}</Dt></ReqdExctnDt><Dbtr><Nm>${dName}</Nm></Dbtr><DbtrAcct>${account(debtorAccount.success.account)}<Ccy>VND</Ccy></DbtrAcct>` +
        `<DbtrAgt>${agent(debtorAccount.success.bank)}</DbtrAgt>\n`
    },
    line: (line, position) => {
      const checked = checkLine(line, form)
      // The id is checked (SWIFT characters, at most 35) before it goes into the set.
      const problems = "problems" in checked ? checked.problems : !seen.add(line.endToEndId) ? [`the end-to-end id ${line.endToEndId} is already used by an earlier line of this file`] : []
      if (problems.length > 0 || !("ok" in checked)) {
        throw new Pain001Refused({ line: position, endToEndId: line.endToEndId, message: `pain.001 line ${position} (${line.endToEndId}): ${problems.join("; ")}` })
      }
      count++
      sum += line.amount
      const { name, remittance, account: creditorAccount, bank } = checked.ok
      return `<CdtTrfTxInf><PmtId><EndToEndId>${escapeXml(line.endToEndId)}</EndToEndId></PmtId><Amt><InstdAmt Ccy="VND">${line.amount}</InstdAmt></Amt>` +
        `<CdtrAgt>${agentOf(bank)}</CdtrAgt><Cdtr><Nm>${escapeXml(name)}</Nm></Cdtr><CdtrAcct>${account(creditorAccount)}</CdtrAcct>` +
        `${remittance === undefined ? "" : `<RmtInf><Ustrd>${escapeXml(remittance)}</Ustrd></RmtInf>`}</CdtTrfTxInf>\n`
    },
    tail: "</PmtInf>\n</CstmrCdtTrfInitn>\n</Document>\n",
    finish: (declared) => {
      if (count !== declared.count || sum !== declared.sum) {
        throw new Pain001Refused({
          message: `The pain.001 lines do not match the declared totals: ${count} lines for ${sum} đồng written, ${declared.count} lines for ${declared.sum} đồng declared`
        })
      }
    }
  }
}

/** The totals of lines that are iterated once more to write them. */
export const pain001Totals = (lines: Iterable<Pain001Line>): Pain001Totals => {
  let count = 0
  let sum = 0n
  for (const line of lines) {
    count++
    sum += line.amount
  }
  return { count, sum }
}

/**
 * The pain.001 XML as text chunks. Lines are iterated once when `totals`
 * is given (they are then checked at the end: a mismatch throws), twice when
 * it is not (so pass an array or another re-iterable collection).
 * Throws `Pain001Refused` naming the first line that cannot be written.
 */
export function* pain001Chunks(header: Pain001Header, lines: Iterable<Pain001Line>, totals?: Pain001Totals): Generator<string> {
  const p = prepare(header)
  const declared = totals ?? pain001Totals(lines)
  yield p.head(declared)
  let position = 0
  for (const line of lines) yield p.line(line, ++position)
  p.finish(declared)
  yield p.tail
}

/** The same over lines that arrive asynchronously (a database cursor); the totals must be declared. */
export async function* pain001ChunksAsync(header: Pain001Header, lines: AsyncIterable<Pain001Line>, totals: Pain001Totals): AsyncGenerator<string> {
  const p = prepare(header)
  yield p.head(totals)
  let position = 0
  for await (const line of lines) yield p.line(line, ++position)
  p.finish(totals)
  yield p.tail
}

/** The whole document as one string (for small files and tests). */
export const pain001Document = (header: Pain001Header, lines: ReadonlyArray<Pain001Line>): string => [...pain001Chunks(header, lines)].join("")
