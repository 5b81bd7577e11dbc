/**
 * A bank's answer file to a payout batch, read into answers about payout
 * lines (store/payout/bank-answers.ts): a pain.002 status report, a camt.054
 * (or camt.053) of the debits and returns, or a CSV/XLSX statement through
 * a column mapping (docs/BANK-FORMATS.md). The format is told from the
 * file's first bytes. Movements that name no end-to-end id are not payout
 * lines and are counted, not answered; every movement that cannot be read
 * is a problem with where it is in the file.
 */
import { createReadStream } from "node:fs"
import { open } from "node:fs/promises"
import { BankFileRefused } from "../../domain/bank/statement.ts"
import type { StatementMapping } from "../../domain/bank/statement-mapping.ts"
import type { BankAnswer } from "../../domain/payout/bank-answer.ts"
import { readPain002 } from "./iso20022/pain002.ts"
import { readStatementFile } from "./statement-file.ts"

export interface ReadAnswers {
  readonly format: string
  readonly answers: ReadonlyArray<BankAnswer>
  readonly problems: ReadonlyArray<{ readonly where: string; readonly message: string }>
  /** Movements without an end-to-end id: not payout lines. */
  readonly other: number
}

const isPain002 = async (path: string): Promise<boolean> => {
  const handle = await open(path, "r")
  try {
    const head = new Uint8Array(4096)
    const { bytesRead } = await handle.read(head, 0, head.length, 0)
    return /xsd:pain\.002\.001\.\d\d/.test(new TextDecoder().decode(head.subarray(0, bytesRead)))
  } finally {
    await handle.close()
  }
}

const reasonText = (reasons: ReadonlyArray<{ code?: string; proprietary?: string; additionalInfo?: string }>): string | undefined => {
  const text = reasons.map((r) => [r.code ?? r.proprietary, r.additionalInfo].filter((x) => x !== undefined).join(" ")).join("; ")
  return text === "" ? undefined : text
}

/** Reads the whole file (throws BankFileRefused when it cannot be read at all). */
export const readPayoutAnswers = async (path: string, options: { readonly mapping?: StatementMapping; readonly account?: string } = {}): Promise<ReadAnswers> => {
  const answers: Array<BankAnswer> = []
  const problems: Array<{ where: string; message: string }> = []
  let other = 0
  if (await isPain002(path)) {
    let groupStatus: string | undefined
    for await (const event of readPain002(createReadStream(path))) {
      if (event.type === "report") groupStatus = event.report.groupStatus
      else if (event.type === "reject") problems.push({ where: event.reject.where, message: event.reject.reasons.join("; ") })
      else if (event.type === "transaction") {
        const t = event.transaction
        const where = `pain.002 TxInfAndSts ${t.index} (${t.originalEndToEndId})`
        const outcome = t.meaning === "settled"
          ? "paid"
          : t.meaning === "rejected" || t.meaning === "cancelled"
          ? "returned"
          : t.meaning === "unknown"
          ? undefined
          : "pending"
        if (outcome === undefined) {
          problems.push({ where, message: `the status ${t.status} is not an ISO 20022 payment status bienlai knows` })
          continue
        }
        const reference = outcome === "returned" ? reasonText(t.reasons) ?? t.status : t.statusId
        answers.push({ where, lineId: t.originalEndToEndId, outcome, ...(reference === undefined ? {} : { reference }), ...(t.amount === undefined ? {} : { amount: t.amount }) })
      } else if (event.type === "end" && event.summary.transactions + event.summary.rejected === 0) {
        problems.push({
          where: "Document/CstmrPmtStsRpt",
          message: `the report lists no transaction (group status ${groupStatus ?? "none"}); bienlai answers lines one by one, so ask the bank for the transactions' statuses`
        })
      }
    }
    return { format: "pain.002", answers, problems, other }
  }
  let format = "statement"
  for await (const event of readStatementFile(path, options)) {
    if (event.type === "statement") format = event.statement.format
    else if (event.type === "reject") problems.push({ where: `${format} ${event.reject.where}`, message: event.reject.reasons.join("; ") })
    else if (event.type === "entry") {
      const e = event.entry
      if (e.endToEndId === undefined || e.endToEndId === "") {
        other++
        continue
      }
      const where = `${format} entry ${e.index} (${e.bankReference})`
      const returned = e.direction === "credit" || e.reversal
      const outcome = e.status !== "booked" ? "pending" : returned ? "returned" : "paid"
      const reference = returned ? e.returnReason ?? e.bankReference : e.bankReference
      answers.push({ where, lineId: e.endToEndId, outcome, reference, amount: e.amount })
    }
  }
  return { format, answers, problems, other }
}

export { BankFileRefused }
