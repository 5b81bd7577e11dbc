/**
 * camt.053 (BankToCustomerStatement: the end-of-day statement, with opening
 * and closing balances) and camt.054 (BankToCustomerDebitCreditNotification:
 * movements as they happen, no balances) into statement events, streaming.
 *
 * Accepted namespaces: urn:iso:std:iso:20022:tech:xsd:camt.053.001.NN and
 * camt.054.001.NN for NN from 02 to 13 (the element paths read here are the
 * same in all of them). A statement's opening balance is OPBD (or PRCD, the
 * previous closing, when there is no OPBD); its closing balance is CLBD.
 */
import { BankFileRefused, type StatementEvent, type StatementFormat, type StatementHeader } from "../../../domain/bank/statement.ts"
import { type StatementTally, startTally } from "../../../domain/bank/statement-tally.ts"
import { accountId, readBalance, readCamtEntry } from "./camt-entry.ts"
import { at, createRecordReader, textAt, textChunks, type XmlNode } from "./xml-records.ts"

const messages = {
  "camt.053": { root: "BkToCstmrStmt", block: "Stmt" },
  "camt.054": { root: "BkToCstmrDbtCdtNtfctn", block: "Ntfctn" }
} as const

type CamtFormat = keyof typeof messages

interface Block {
  readonly where: string
  parts: Map<string, Array<{ node: XmlNode; where: string }>>
  header?: StatementHeader
  tally?: StatementTally
  index: number
}

async function* readCamt(format: CamtFormat, source: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>): AsyncGenerator<StatementEvent> {
  const { root, block: blockName } = messages[format]
  const out: Array<StatementEvent> = []
  let block: Block | undefined
  let groupCreated: string | undefined
  let blocks = 0

  const refuse = (where: string, problem: string): never => {
    throw new BankFileRefused({ format, where, message: `${format} ${where}: ${problem}` })
  }

  // The header parts (Id, Acct, Bal …) come before the first Ntry, as the schema orders them.
  const header = (b: Block): { header: StatementHeader; tally: StatementTally } => {
    if (b.header !== undefined && b.tally !== undefined) return { header: b.header, tally: b.tally }
    const first = (name: string) => b.parts.get(name)?.[0]?.node
    const id = first("Id")?.text.trim()
    if (id === undefined || id === "") refuse(b.where, `the ${blockName} has no Id`)
    const acct = first("Acct")
    const account = accountId(acct)
    if (account === undefined) refuse(`${b.where}/Acct`, "the account has no Id (IBAN or Othr/Id)")
    const currency = textAt(acct, "Ccy")
    if (currency !== undefined && currency !== "VND") refuse(`${b.where}/Acct/Ccy`, `the account is in ${currency}; only VND accounts are read`)
    const balances = new Map<string, { amount: bigint; date: string }>()
    for (const { node, where } of b.parts.get("Bal") ?? []) {
      const problems: Array<string> = []
      const read = readBalance(node, where, problems)
      if (problems.length > 0) refuse(where, `the balance cannot be read: ${problems.join("; ")}`)
      if (read !== undefined && !balances.has(read.type)) balances.set(read.type, read.balance)
    }
    const opening = balances.get("OPBD") ?? balances.get("PRCD")
    const closing = balances.get("CLBD")
    const period = first("FrToDt")
    const from = textAt(period, "FrDtTm")?.slice(0, 10)
    const to = textAt(period, "ToDtTm")?.slice(0, 10)
    const bankId = textAt(acct, "Svcr", "FinInstnId", "BICFI") ?? textAt(acct, "Svcr", "FinInstnId", "BIC")
    const created = first("CreDtTm")?.text.trim() ?? groupCreated
    const sequence = first("ElctrncSeqNb")?.text.trim() ?? first("LglSeqNb")?.text.trim()
    const h: StatementHeader = {
      format: format as StatementFormat,
      statementId: id as string,
      account: account as string,
      currency: "VND",
      ...(bankId === undefined ? {} : { bankId }),
      ...(created === undefined ? {} : { createdAt: created }),
      ...(sequence === undefined ? {} : { sequenceNumber: sequence }),
      ...(from !== undefined && to !== undefined ? { period: { from, to } } : {}),
      ...(opening === undefined ? {} : { opening }),
      ...(closing === undefined ? {} : { closing })
    }
    b.header = h
    b.tally = startTally(h, b.where)
    out.push({ type: "statement", statement: h })
    return { header: h, tally: b.tally }
  }

  const reader = createRecordReader(
    {
      format,
      namespace: new RegExp(`^urn:iso:std:iso:20022:tech:xsd:${format.replace(".", "\\.")}\\.001\\.(0[2-9]|1[0-3])$`),
      expected: `urn:iso:std:iso:20022:tech:xsd:${format}.001.02 to .13`
    },
    {
      isContainer: (path) =>
        path.length === 1 || (path.length === 2 && path[1] === root) || (path.length === 3 && path[1] === root && path[2] === blockName),
      openContainer: (path, where) => {
        if (path.length === 2 && path[1] !== root) refuse(where, `a ${format} Document holds ${root}, not ${path[1]}`)
        if (path.length === 3) {
          block = { where, parts: new Map(), index: 0 }
          blocks++
        }
      },
      closeContainer: (path) => {
        if (path.length === 3 && block !== undefined) {
          const { tally } = header(block)
          out.push({ type: "end", summary: tally.finish() })
          block = undefined
        }
        if (path.length === 1 && blocks === 0) refuse(`Document/${root}`, `the file holds no ${blockName}`)
      },
      record: (path, node, where) => {
        if (path.length === 3 && path[2] === "GrpHdr") {
          groupCreated = textAt(node, "CreDtTm")
          return
        }
        if (block === undefined || path.length !== 4) return
        if (node.name !== "Ntry") {
          const list = block.parts.get(node.name) ?? []
          list.push({ node, where })
          block.parts.set(node.name, list)
          return
        }
        const { header: h, tally } = header(block)
        const outcome = readCamtEntry(node, where, h.account, block.index + 1)
        if (outcome.problems.length > 0) {
          block.index++
          tally.reject()
          out.push({ type: "reject", reject: { index: block.index, where, reasons: outcome.problems } })
          return
        }
        for (const entry of outcome.entries) {
          block.index++
          tally.add(entry)
          out.push({ type: "entry", entry })
        }
      }
    }
  )

  try {
    for await (const chunk of textChunks(source)) {
      reader.write(chunk)
      yield* out.splice(0)
    }
    reader.close()
  } catch (e) {
    if (e instanceof TypeError && /decod|encoded/i.test(e.message)) refuse("document", "the file is not UTF-8")
    throw e
  }
  yield* out.splice(0)
}

/** A camt.053 statement file as events; bytes or text, in chunks. */
export const readCamt053 = (source: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>) => readCamt("camt.053", source)

/** A camt.054 notification file as events (no balances: the check reports "no_balances"). */
export const readCamt054 = (source: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>) => readCamt("camt.054", source)
