/**
 * pain.002 (CustomerPaymentStatusReport) into payment status events,
 * streaming: a report on a million payout lines is read one transaction at a
 * time. Accepted namespaces: pain.002.001.03 to pain.002.001.14 (the elements
 * read here have the same names and places in all of them).
 *
 * A transaction without its own TxSts takes its block's PmtInfSts, else the
 * group's GrpSts (a report that rejects a whole file often lists the lines
 * without repeating the status).
 */
import {
  type PaymentInformationStatus,
  type PaymentStatusEvent,
  type StatusReason,
  statusMeaning,
  type StatusReport
} from "../../../domain/bank/payment-status.ts"
import { BankFileRefused } from "../../../domain/bank/statement.ts"
import { readAmount } from "./camt-entry.ts"
import { at, childrenNamed, createRecordReader, textAt, textChunks, type XmlNode } from "./xml-records.ts"

const format = "pain.002"
const statusCode = /^[A-Z]{4}$/

const reasonsOf = (node: XmlNode | undefined): Array<StatusReason> =>
  childrenNamed(node, "StsRsnInf").map((r) => {
    const code = textAt(r, "Rsn", "Cd")
    const proprietary = textAt(r, "Rsn", "Prtry")
    const info = childrenNamed(r, "AddtlInf").map((a) => a.text.trim()).filter((s) => s !== "").join(" ")
    return { ...(code === undefined ? {} : { code }), ...(proprietary === undefined ? {} : { proprietary }), ...(info === "" ? {} : { additionalInfo: info }) }
  })

interface Block {
  readonly where: string
  id?: string
  status?: string
  reasons: Array<StatusReason>
  announced: boolean
}

export async function* readPain002(source: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>): AsyncGenerator<PaymentStatusEvent> {
  const out: Array<PaymentStatusEvent> = []
  let messageId: string | undefined
  let createdAt: string | undefined
  let report: StatusReport | undefined
  let block: Block | undefined
  let index = 0
  let rejected = 0
  const byStatus: Record<string, number> = {}

  const refuse = (where: string, problem: string): never => {
    throw new BankFileRefused({ format, where, message: `${format} ${where}: ${problem}` })
  }

  const announce = (b: Block) => {
    if (b.announced) return
    b.announced = true
    if (b.id === undefined) refuse(b.where, "the payment information block has no OrgnlPmtInfId")
    const paymentInformation: PaymentInformationStatus = { originalPaymentInformationId: b.id as string, ...(b.status === undefined ? {} : { status: b.status }), reasons: b.reasons }
    out.push({ type: "payment-information", paymentInformation })
  }

  const transaction = (node: XmlNode, where: string) => {
    if (report === undefined) refuse(where, "a transaction status comes before the original group information (OrgnlGrpInfAndSts)")
    index++
    const problems: Array<string> = []
    const endToEndId = textAt(node, "OrgnlEndToEndId")
    if (endToEndId === undefined) problems.push(`${where}/OrgnlEndToEndId is missing`)
    const own = textAt(node, "TxSts")
    const status = own ?? block?.status ?? report?.groupStatus
    if (status === undefined) problems.push(`${where}/TxSts is missing and neither the block nor the group has a status`)
    else if (!statusCode.test(status)) problems.push(`${where}/TxSts ${JSON.stringify(status)} is not a 4-letter status code`)
    const amountNode = at(node, "OrgnlTxRef", "Amt", "InstdAmt")
    const amount = amountNode === undefined ? undefined : readAmount(amountNode, `${where}/OrgnlTxRef/Amt/InstdAmt`, problems)
    if (problems.length > 0 || endToEndId === undefined || status === undefined) {
      rejected++
      out.push({ type: "reject", reject: { index, where, reasons: problems } })
      return
    }
    const instructionId = textAt(node, "OrgnlInstrId")
    const statusId = textAt(node, "StsId")
    byStatus[status] = (byStatus[status] ?? 0) + 1
    out.push({
      type: "transaction",
      transaction: {
        index,
        ...(block?.id === undefined ? {} : { originalPaymentInformationId: block.id }),
        originalEndToEndId: endToEndId,
        ...(instructionId === undefined ? {} : { originalInstructionId: instructionId }),
        ...(statusId === undefined ? {} : { statusId }),
        status,
        meaning: statusMeaning(status),
        reasons: reasonsOf(node),
        ...(amount === undefined ? {} : { amount })
      }
    })
  }

  const reader = createRecordReader(
    { format, namespace: /^urn:iso:std:iso:20022:tech:xsd:pain\.002\.001\.(0[3-9]|1[0-4])$/, expected: "urn:iso:std:iso:20022:tech:xsd:pain.002.001.03 to .14" },
    {
      isContainer: (path) => path.length === 1 || (path.length === 2 && path[1] === "CstmrPmtStsRpt") || (path.length === 3 && path[2] === "OrgnlPmtInfAndSts"),
      openContainer: (path, where) => {
        if (path.length === 2 && path[1] !== "CstmrPmtStsRpt") refuse(where, `a pain.002 Document holds CstmrPmtStsRpt, not ${path[1]}`)
        if (path.length === 3) {
          if (report === undefined) refuse(where, "OrgnlPmtInfAndSts comes before the original group information (OrgnlGrpInfAndSts)")
          block = { where, reasons: [], announced: false }
        }
      },
      closeContainer: (path) => {
        if (path.length === 3 && block !== undefined) {
          announce(block)
          block = undefined
        }
        if (path.length === 2 && report === undefined) refuse("Document/CstmrPmtStsRpt", "the report has no OrgnlGrpInfAndSts")
      },
      record: (path, node, where) => {
        if (path.length === 3 && node.name === "GrpHdr") {
          messageId = textAt(node, "MsgId")
          createdAt = textAt(node, "CreDtTm")
          if (messageId === undefined) refuse(where, "the group header has no MsgId")
          return
        }
        if (path.length === 3 && node.name === "OrgnlGrpInfAndSts") {
          const originalMessageId = textAt(node, "OrgnlMsgId")
          if (originalMessageId === undefined) refuse(`${where}/OrgnlMsgId`, "the original message id is missing")
          const groupStatus = textAt(node, "GrpSts")
          if (groupStatus !== undefined && !statusCode.test(groupStatus)) refuse(`${where}/GrpSts`, `${JSON.stringify(groupStatus)} is not a 4-letter status code`)
          const originalMessageType = textAt(node, "OrgnlMsgNmId")
          report = {
            messageId: messageId ?? refuse("Document/CstmrPmtStsRpt/GrpHdr", "the group header is missing"),
            ...(createdAt === undefined ? {} : { createdAt }),
            originalMessageId: originalMessageId as string,
            ...(originalMessageType === undefined ? {} : { originalMessageType }),
            ...(groupStatus === undefined ? {} : { groupStatus }),
            groupReasons: reasonsOf(node)
          }
          out.push({ type: "report", report })
          return
        }
        if (path.length !== 4 || block === undefined) return
        if (node.name === "OrgnlPmtInfId") block.id = node.text.trim()
        else if (node.name === "PmtInfSts") {
          const s = node.text.trim()
          if (!statusCode.test(s)) refuse(where, `${JSON.stringify(s)} is not a 4-letter status code`)
          block.status = s
        } else if (node.name === "StsRsnInf") block.reasons.push(...reasonsOf({ ...node, name: "", children: [node] }))
        else if (node.name === "TxInfAndSts") {
          announce(block)
          transaction(node, where)
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
  if (report === undefined) refuse("Document/CstmrPmtStsRpt", "the report has no OrgnlGrpInfAndSts")
  yield { type: "end", summary: { transactions: index - rejected, byStatus, rejected } }
}
