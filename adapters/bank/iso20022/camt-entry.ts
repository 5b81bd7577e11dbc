/**
 * One camt.053/camt.054 <Ntry> into statement entries. Versions 02 to 08 and
 * later name a few things differently, and both spellings are read:
 * Sts as text (02) or Sts/Cd (08); a party's name in Dbtr/Nm (02) or
 * Dbtr/Pty/Nm (08); a transaction amount in TxDtls/Amt (08) or
 * TxDtls/AmtDtls/TxAmt/Amt (02); BIC (02) or BICFI (08).
 *
 * An entry that books several transactions at once (a batch) is split into
 * one statement entry per TxDtls when each has its own amount and they add
 * up to the entry's amount, so each payout line's end-to-end id comes back on
 * its own; otherwise the entry stays one movement.
 */
import { Result } from "effect"
import { parseDecimalVnd } from "../../../domain/bank/decimal-amount.ts"
import type { Balance, Direction, StatementEntry } from "../../../domain/bank/statement.ts"
import { at, childrenNamed, textAt, type XmlNode } from "./xml-records.ts"

export interface EntryOutcome {
  readonly entries: ReadonlyArray<StatementEntry>
  /** Problems found, each naming its element; when not empty, `entries` is empty. */
  readonly problems: ReadonlyArray<string>
}

/** Reads an Amt element (Ccy attribute, whole VND). */
export const readAmount = (node: XmlNode | undefined, where: string, problems: Array<string>, allowZero = false): bigint | undefined => {
  if (node === undefined) {
    problems.push(`${where} is missing`)
    return undefined
  }
  const currency = node.attributes.Ccy
  if (currency !== "VND") {
    problems.push(`${where} is in ${currency === undefined ? "no currency (Ccy attribute missing)" : currency}; only VND is read`)
    return undefined
  }
  const amount = parseDecimalVnd(node.text.trim(), ".", { allowZero })
  if (Result.isFailure(amount)) {
    problems.push(`${where}: ${amount.failure.message}`)
    return undefined
  }
  return amount.success
}

/** The date of a Dt / DtTm choice: the calendar day as written. */
export const readDate = (node: XmlNode | undefined): string | undefined => {
  const value = textAt(node, "Dt") ?? textAt(node, "DtTm")
  const m = value === undefined ? null : /^(\d{4}-\d{2}-\d{2})/.exec(value)
  return m === null ? undefined : m[1]
}

const direction = (text: string | undefined): Direction | undefined => (text === "CRDT" ? "credit" : text === "DBIT" ? "debit" : undefined)

/** An account's id: IBAN or Othr/Id. */
export const accountId = (acct: XmlNode | undefined): string | undefined => textAt(acct, "Id", "IBAN") ?? textAt(acct, "Id", "Othr", "Id")

const partyName = (party: XmlNode | undefined): string | undefined => textAt(party, "Pty", "Nm") ?? textAt(party, "Nm")
const agentId = (agent: XmlNode | undefined): string | undefined =>
  textAt(agent, "FinInstnId", "BICFI") ?? textAt(agent, "FinInstnId", "BIC") ?? textAt(agent, "FinInstnId", "ClrSysMmbId", "MmbId")

const statusOf = (ntry: XmlNode): string | undefined => textAt(ntry, "Sts", "Cd") ?? textAt(ntry, "Sts", "Prtry") ?? textAt(ntry, "Sts")

const bankCode = (ntry: XmlNode): string | undefined => {
  const domain = at(ntry, "BkTxCd", "Domn")
  const iso = domain === undefined
    ? undefined
    : [textAt(domain, "Cd"), textAt(domain, "Fmly", "Cd"), textAt(domain, "Fmly", "SubFmlyCd")].filter((x) => x !== undefined).join("/")
  return iso !== undefined && iso !== "" ? iso : textAt(ntry, "BkTxCd", "Prtry", "Cd")
}

const usable = (id: string | undefined): string | undefined => (id === undefined || id === "NOTPROVIDED" ? undefined : id)

interface TxInfo {
  readonly amount?: bigint
  readonly reference?: string
  readonly endToEndId?: string
  readonly counterpartyName?: string
  readonly counterpartyAccount?: string
  readonly counterpartyBank?: string
  readonly memo?: string
  readonly returnReason?: string
}

const readTx = (tx: XmlNode, dir: Direction | undefined, where: string, problems: Array<string>): TxInfo => {
  const amountNode = at(tx, "Amt") ?? at(tx, "AmtDtls", "TxAmt", "Amt")
  const amount = amountNode === undefined ? undefined : readAmount(amountNode, `${where}/Amt`, problems)
  const parties = at(tx, "RltdPties")
  const agents = at(tx, "RltdAgts")
  // The counterparty of a credit is who paid; of a debit, who was paid.
  const side = dir === "debit" ? "Cdtr" : "Dbtr"
  const memo = [...childrenNamed(at(tx, "RmtInf"), "Ustrd").map((u) => u.text.trim()), textAt(tx, "AddtlTxInf")]
    .filter((s): s is string => s !== undefined && s !== "")
    .join(" ")
  const info: { -readonly [K in keyof TxInfo]: TxInfo[K] } = {}
  const set = <K extends keyof TxInfo>(key: K, value: TxInfo[K] | undefined) => {
    if (value !== undefined) info[key] = value
  }
  set("amount", amount)
  set("reference", usable(textAt(tx, "Refs", "AcctSvcrRef")))
  set("endToEndId", usable(textAt(tx, "Refs", "EndToEndId")))
  set("counterpartyName", partyName(at(parties, side)))
  set("counterpartyAccount", accountId(at(parties, `${side}Acct`)))
  set("counterpartyBank", agentId(at(agents, `${side}Agt`)))
  set("memo", memo === "" ? undefined : memo)
  set("returnReason", textAt(tx, "RtrInf", "Rsn", "Cd") ?? textAt(tx, "RtrInf", "Rsn", "Prtry"))
  return info
}

/** The entries of one Ntry; `firstIndex` is the position of its first movement in the statement. */
export const readCamtEntry = (ntry: XmlNode, where: string, account: string, firstIndex: number): EntryOutcome => {
  const problems: Array<string> = []
  const amount = readAmount(at(ntry, "Amt"), `${where}/Amt`, problems)
  const indicator = textAt(ntry, "CdtDbtInd")
  const dir = direction(indicator)
  if (dir === undefined) problems.push(`${where}/CdtDbtInd must be CRDT or DBIT, not ${JSON.stringify(indicator ?? "")}`)
  const sts = statusOf(ntry)
  const status: StatementEntry["status"] | undefined = sts === "BOOK" ? "booked" : sts === "PDNG" ? "pending" : sts === "INFO" ? "info" : undefined
  if (status === undefined) problems.push(`${where}/Sts must be BOOK, PDNG or INFO, not ${JSON.stringify(sts ?? "")}`)
  const valueDate = readDate(at(ntry, "ValDt"))
  const bookingDate = readDate(at(ntry, "BookgDt")) ?? (status === "booked" ? undefined : valueDate)
  if (bookingDate === undefined) problems.push(`${where}/BookgDt has no date`)
  const entryRef = usable(textAt(ntry, "AcctSvcrRef")) ?? usable(textAt(ntry, "NtryRef"))
  const txs = childrenNamed(ntry, "NtryDtls").flatMap((d) => childrenNamed(d, "TxDtls"))
  const details = txs.map((tx, i) => readTx(tx, dir, `${where}/NtryDtls/TxDtls${txs.length > 1 ? `[${i + 1}]` : ""}`, problems))
  if (entryRef === undefined && !(details.length > 1 && details.every((d) => d.reference !== undefined))) {
    problems.push(`${where} has no bank reference (AcctSvcrRef or NtryRef)`)
  }
  const split = details.length > 1 && details.every((d) => d.amount !== undefined)
  if (split && amount !== undefined) {
    const sum = details.reduce((s, d) => s + (d.amount as bigint), 0n)
    if (sum !== amount) problems.push(`${where}: its ${details.length} transactions add up to ${sum}, but the entry's amount is ${amount}`)
  }
  if (problems.length > 0 || amount === undefined || dir === undefined || status === undefined || bookingDate === undefined) {
    return { entries: [], problems }
  }
  const common = {
    account,
    bookingDate,
    ...(valueDate === undefined ? {} : { valueDate }),
    direction: dir,
    status,
    reversal: ["true", "1"].includes(textAt(ntry, "RvslInd") ?? ""),
    ...((): { transactionCode?: string } => {
      const code = bankCode(ntry)
      return code === undefined ? {} : { transactionCode: code }
    })()
  }
  const entryMemo = textAt(ntry, "AddtlNtryInf")
  const make = (tx: TxInfo | undefined, index: number, movement: bigint, reference: string): StatementEntry => {
    const { amount: _amount, reference: _reference, memo, ...rest } = tx ?? {}
    const text = memo ?? entryMemo
    return { index, ...common, amount: movement, bankReference: reference, ...rest, ...(text === undefined ? {} : { memo: text }) }
  }
  if (!split) return { entries: [make(details[0], firstIndex, amount, entryRef as string)], problems: [] }
  return {
    entries: details.map((d, i) => make(d, firstIndex + i, d.amount as bigint, d.reference ?? `${entryRef}/${i + 1}`)),
    problems: []
  }
}

/** A camt.053 Bal element: type code, signed amount, date. */
export const readBalance = (bal: XmlNode, where: string, problems: Array<string>): { readonly type: string; readonly balance: Balance } | undefined => {
  const type = textAt(bal, "Tp", "CdOrPrtry", "Cd") ?? textAt(bal, "Tp", "CdOrPrtry", "Prtry") ?? ""
  const amount = readAmount(at(bal, "Amt"), `${where}/Amt`, problems, true)
  const indicator = textAt(bal, "CdtDbtInd")
  if (indicator !== "CRDT" && indicator !== "DBIT") problems.push(`${where}/CdtDbtInd must be CRDT or DBIT, not ${JSON.stringify(indicator ?? "")}`)
  const date = readDate(at(bal, "Dt"))
  if (date === undefined) problems.push(`${where}/Dt has no date`)
  if (amount === undefined || date === undefined || (indicator !== "CRDT" && indicator !== "DBIT")) return undefined
  return { type, balance: { amount: indicator === "DBIT" ? -amount : amount, date } }
}
