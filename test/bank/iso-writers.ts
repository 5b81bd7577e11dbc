/**
 * Test-side writers of bank answers: camt.053/camt.054 version 08 and
 * pain.002 version 11, valid against the vendored XSDs. They stand in for a
 * bank so the readers can be checked on generated files of any size, and on a
 * bank's answer to a pain.001 that we wrote.
 */
import { escapeXml } from "../../domain/bank/iso-text.ts"
import type { Pain001Line } from "../../domain/bank/pain001.ts"
import { closingOf, type GeneratedEntry, type GeneratedStatement } from "./statement-arbitraries.ts"

const balance = (code: string, amount: bigint, date: string) =>
  `<Bal><Tp><CdOrPrtry><Cd>${code}</Cd></CdOrPrtry></Tp><Amt Ccy="VND">${amount < 0n ? -amount : amount}</Amt><CdtDbtInd>${amount < 0n ? "DBIT" : "CRDT"}</CdtDbtInd><Dt><Dt>${date}</Dt></Dt></Bal>`

export const camtEntry = (e: GeneratedEntry): string => {
  const credit = e.direction === "credit"
  const side = credit ? "Dbtr" : "Cdtr"
  const party = e.counterpartyName === undefined && e.counterpartyAccount === undefined
    ? ""
    : `<RltdPties>${e.counterpartyName === undefined ? "" : `<${side}><Pty><Nm>${escapeXml(e.counterpartyName)}</Nm></Pty></${side}>`}${
      e.counterpartyAccount === undefined ? "" : `<${side}Acct><Id><Othr><Id>${e.counterpartyAccount}</Id></Othr></Id></${side}Acct>`
    }</RltdPties>`
  return `<Ntry><Amt Ccy="VND">${e.amount}</Amt><CdtDbtInd>${credit ? "CRDT" : "DBIT"}</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts><BookgDt><Dt>${e.date}</Dt></BookgDt>` +
    `<ValDt><Dt>${e.date}</Dt></ValDt><AcctSvcrRef>${escapeXml(e.reference)}</AcctSvcrRef>` +
    `<BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>${credit ? "RCDT" : "ICDT"}</Cd><SubFmlyCd>DMCT</SubFmlyCd></Fmly></Domn></BkTxCd>` +
    `<NtryDtls><TxDtls>${e.endToEndId === undefined ? "" : `<Refs><EndToEndId>${escapeXml(e.endToEndId)}</EndToEndId></Refs>`}${party}` +
    `<RmtInf><Ustrd>${escapeXml(e.memo)}</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>\n`
}

const blockStart = (kind: "053" | "054", s: GeneratedStatement) =>
  `<${kind === "053" ? "Stmt" : "Ntfctn"}><Id>${escapeXml(s.id)}</Id><CreDtTm>${s.date}T23:59:00+07:00</CreDtTm>` +
  `<Acct><Id><Othr><Id>${s.account}</Id></Othr></Id><Ccy>VND</Ccy></Acct>` +
  (kind === "053" ? balance("OPBD", s.opening, s.date) + balance("CLBD", closingOf(s), s.date) : "") + "\n"

/** A camt.053 (or camt.054) document as chunks: one per entry, so a million entries stream. */
export function* camtChunks(kind: "053" | "054", statements: ReadonlyArray<GeneratedStatement>, entries?: (s: GeneratedStatement) => Iterable<GeneratedEntry>): Generator<string> {
  const root = kind === "053" ? "BkToCstmrStmt" : "BkToCstmrDbtCdtNtfctn"
  yield `<?xml version="1.0" encoding="UTF-8"?>\n<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.${kind}.001.08"><${root}>` +
    `<GrpHdr><MsgId>TEST-${kind}</MsgId><CreDtTm>2025-06-16T23:59:00+07:00</CreDtTm></GrpHdr>\n`
  for (const s of statements) {
    yield blockStart(kind, s)
    for (const e of entries === undefined ? s.entries : entries(s)) yield camtEntry(e)
    yield `</${kind === "053" ? "Stmt" : "Ntfctn"}>\n`
  }
  yield `</${root}></Document>\n`
}

export const camtDocument = (kind: "053" | "054", statements: ReadonlyArray<GeneratedStatement>): string => [...camtChunks(kind, statements)].join("")

export interface BankAnswer {
  readonly endToEndId: string
  readonly status: "ACSC" | "ACCP" | "RJCT"
  readonly reason?: string
  readonly amount?: bigint
}

/** A pain.002.001.11 answering a pain.001. */
export const pain002Document = (originalMessageId: string, answers: ReadonlyArray<BankAnswer>, groupStatus?: string): string =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.11"><CstmrPmtStsRpt>` +
  `<GrpHdr><MsgId>PSR-${escapeXml(originalMessageId)}</MsgId><CreDtTm>2025-06-16T11:00:00+07:00</CreDtTm></GrpHdr>` +
  `<OrgnlGrpInfAndSts><OrgnlMsgId>${escapeXml(originalMessageId)}</OrgnlMsgId><OrgnlMsgNmId>pain.001.001.09</OrgnlMsgNmId>${groupStatus === undefined ? "" : `<GrpSts>${groupStatus}</GrpSts>`}</OrgnlGrpInfAndSts>` +
  `<OrgnlPmtInfAndSts><OrgnlPmtInfId>${escapeXml(originalMessageId)}</OrgnlPmtInfId>\n` +
  answers.map((a, i) =>
    `<TxInfAndSts><StsId>S${i + 1}</StsId><OrgnlEndToEndId>${escapeXml(a.endToEndId)}</OrgnlEndToEndId><TxSts>${a.status}</TxSts>` +
    (a.reason === undefined ? "" : `<StsRsnInf><Rsn><Cd>${a.reason}</Cd></Rsn></StsRsnInf>`) +
    (a.amount === undefined ? "" : `<OrgnlTxRef><Amt><InstdAmt Ccy="VND">${a.amount}</InstdAmt></Amt></OrgnlTxRef>`) +
    `</TxInfAndSts>\n`
  ).join("") +
  `</OrgnlPmtInfAndSts></CstmrPmtStsRpt></Document>\n`

/** The camt.054 a bank sends after executing the lines of a pain.001: one debit per line. */
export const debitNotificationFor = (account: string, date: string, lines: ReadonlyArray<Pain001Line>): string =>
  camtDocument("054", [{
    id: "NTF-1",
    account,
    date,
    opening: 0n,
    entries: lines.map((l, i) => ({
      date,
      amount: l.amount,
      direction: "debit" as const,
      reference: `FT${String(i + 1).padStart(10, "0")}`,
      endToEndId: l.endToEndId,
      memo: l.remittance ?? "CHI TRA",
      counterpartyName: l.creditorName,
      counterpartyAccount: l.creditorAccount
    }))
  }])
