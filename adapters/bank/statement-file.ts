/**
 * A bank statement file of any supported format, streamed from disk into the
 * shared statement events: the entry point for an import command. The
 * format is told from the file's first bytes, not its name: an XML Document
 * in a camt.053 or camt.054 namespace, an MT940 (":20:" or a SWIFT "{1:"
 * block), an XLSX workbook (a ZIP), else CSV, which needs a column mapping.
 */
import { createReadStream } from "node:fs"
import { open } from "node:fs/promises"
import { createInterface } from "node:readline"
import { readMt940Async } from "../../domain/bank/mt940.ts"
import { BankFileRefused, type StatementEvent, type StatementFormat } from "../../domain/bank/statement.ts"
import type { StatementMapping } from "../../domain/bank/statement-mapping.ts"
import { readCamt053, readCamt054 } from "./iso20022/camt.ts"
import { readCsvStatement, readXlsxStatement } from "./statement-sheets.ts"

/** The format of a statement file from its first bytes. */
export const sniffStatementFormat = (head: Uint8Array): StatementFormat => {
  if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) return "xlsx"
  const text = new TextDecoder("utf-8", { fatal: false }).decode(head).replace(/^\uFEFF/, "").trimStart()
  if (text.startsWith("<")) {
    if (/xsd:camt\.053\.001\.\d\d/.test(text)) return "camt.053"
    if (/xsd:camt\.054\.001\.\d\d/.test(text)) return "camt.054"
    throw new BankFileRefused({ format: "xml", where: "file", message: "The XML file is neither a camt.053 statement nor a camt.054 notification (its namespace says otherwise)" })
  }
  if (/^(\{1:|:20:)/.test(text)) return "mt940"
  return "csv"
}

export interface StatementFileOptions {
  /** Needed for CSV and XLSX. */
  readonly mapping?: StatementMapping
  /** For CSV/XLSX files that do not name their account. */
  readonly account?: string
  /** Overrides sniffing. */
  readonly format?: StatementFormat
}

export async function* readStatementFile(path: string, options: StatementFileOptions = {}): AsyncGenerator<StatementEvent> {
  let format = options.format
  if (format === undefined) {
    const handle = await open(path, "r")
    try {
      const head = new Uint8Array(4096)
      const { bytesRead } = await handle.read(head, 0, head.length, 0)
      format = sniffStatementFormat(head.subarray(0, bytesRead))
    } finally {
      await handle.close()
    }
  }
  const needMapping = (): StatementMapping => {
    if (options.mapping === undefined) {
      throw new BankFileRefused({ format: format as string, where: "file", message: `A ${format} statement needs a column mapping to be read (see docs/BANK-FORMATS.md)` })
    }
    return options.mapping
  }
  const statementId = path.split(/[\\/]/).at(-1) ?? path
  const sheetOptions = { statementId, ...(options.account === undefined ? {} : { account: options.account }) }
  switch (format) {
    case "camt.053":
      yield* readCamt053(createReadStream(path))
      return
    case "camt.054":
      yield* readCamt054(createReadStream(path))
      return
    case "mt940":
      yield* readMt940Async(createInterface({ input: createReadStream(path, { encoding: "utf8" }), crlfDelay: Number.POSITIVE_INFINITY }))
      return
    case "xlsx":
      yield* readXlsxStatement(path, needMapping(), sheetOptions)
      return
    case "csv":
      yield* readCsvStatement(createReadStream(path), needMapping(), sheetOptions)
      return
  }
}
