import { describe, expect, test } from "bun:test"
import { readFileSync } from "node:fs"
import { join } from "node:path"
import fc from "fast-check"
import { readCamt053, readCamt054 } from "../../adapters/bank/iso20022/camt.ts"
import type { StatementSummary } from "../../domain/bank/statement.ts"
import { collect, entries, refusal, summaries } from "./statement-events.ts"
import { camtChunks, camtDocument } from "./iso-writers.ts"
import { closingOf, statementArbitrary } from "./statement-arbitraries.ts"
import { nativeXmllint, nativeXsdErrors, xsdErrors } from "./xsd.ts"

const fixturePath = (name: string) => join(import.meta.dir, "fixtures", name)
const fixture = (name: string) => readFileSync(fixturePath(name), "utf8")

// Splits text into small chunks so every test also crosses chunk boundaries.
const chunked = (text: string, size = 97): Array<string> => Array.from({ length: Math.ceil(text.length / size) }, (_, i) => text.slice(i * size, (i + 1) * size))

describe("the fixtures are valid against the official XSDs", () => {
  test.each([
    ["camt053-vcb-day.xml", "camt.053.001.08"],
    ["camt054-payout-debits.xml", "camt.054.001.08"]
  ] as const)("%s", async (file, xsd) => {
    expect(await xsdErrors(xsd, fixture(file))).toEqual([])
  })

  test.skipIf(!nativeXmllint)(`native xmllint agrees ${nativeXmllint ? "" : "(skipped: xmllint is not installed on this machine)"}`, () => {
    if (!nativeXmllint) return
    expect(nativeXsdErrors("camt.053.001.08", fixturePath("camt053-vcb-day.xml"))).toEqual([])
    expect(nativeXsdErrors("camt.054.001.08", fixturePath("camt054-payout-debits.xml"))).toEqual([])
  })
})

describe("camt.053: an agency's day", () => {
  test("the header: statement id, account, bank, sequence, period, opening and closing balances", async () => {
    const es = await collect(readCamt053(chunked(fixture("camt053-vcb-day.xml"))))
    const header = es[0]
    expect(header?.type === "statement" && header.statement).toEqual({
      format: "camt.053",
      statementId: "VCB250616001",
      account: "0071000123456",
      currency: "VND",
      bankId: "BFTVVNVX",
      createdAt: "2025-06-16T23:59:00+07:00",
      sequenceNumber: "166",
      period: { from: "2025-06-16", to: "2025-06-16" },
      opening: { amount: 1_250_000_000n, date: "2025-06-16" },
      closing: { amount: 1_370_500_000n, date: "2025-06-16" }
    })
  })

  test("entries: a credit with its payer and memo, a batch debit split per payout line, a returned payout, a pending credit", async () => {
    const es = entries(await collect(readCamt053(chunked(fixture("camt053-vcb-day.xml")))))
    expect(es).toHaveLength(5)
    expect(es[0]).toEqual({
      index: 1,
      account: "0071000123456",
      bookingDate: "2025-06-16",
      valueDate: "2025-06-16",
      amount: 125_500_000n,
      direction: "credit",
      bankReference: "FT25167001234",
      counterpartyName: "NGUYEN VAN A",
      counterpartyAccount: "101012345678",
      counterpartyBank: "ICBVVNVX",
      memo: "NGUYEN VAN A NOP TIEN THA THEO QD 757/QD-PTHADS",
      status: "booked",
      reversal: false,
      transactionCode: "PMNT/RCDT/DMCT"
    })
    expect(es.slice(1, 3).map((e) => [e.index, e.amount, e.direction, e.endToEndId, e.bankReference, e.counterpartyName, e.counterpartyBank])).toEqual([
      [2, 20_000_000n, "debit", "PAY-R8-000001", "FT25167009876-1", "TRAN THI B", "BFTVVNVX"],
      [3, 15_000_000n, "debit", "PAY-R8-000002", "FT25167009876-2", "LE VAN C", "VTCBVNVX"]
    ])
    expect(es[3]).toMatchObject({ direction: "credit", endToEndId: "PAY-R7-004211", returnReason: "AC04", memo: "HOAN TRA LENH CHI PAY-R7-004211" })
    expect(es[4]).toMatchObject({ status: "pending", bookingDate: "2025-06-17", memo: "PHAM VAN D NOP TIEN AN PHI" })
  })

  test("the balances add up and the summary says so; the pending entry moves nothing", async () => {
    const [summary] = summaries(await collect(readCamt053([fixture("camt053-vcb-day.xml")])))
    expect(summary).toEqual({
      statementId: "VCB250616001",
      account: "0071000123456",
      opening: { amount: 1_250_000_000n, date: "2025-06-16" },
      closing: { amount: 1_370_500_000n, date: "2025-06-16" },
      credits: { count: 2, total: 155_500_000n },
      debits: { count: 2, total: 35_000_000n },
      pending: 1,
      rejected: 0,
      balanceCheck: "balanced"
    })
  })

  test("a document written with a namespace prefix (ns2:Document …) reads the same", async () => {
    const prefixed = fixture("camt053-vcb-day.xml")
      .replace(/<(\/?)([A-Za-z])/g, "<$1ns2:$2")
      .replace("xmlns=\"urn:iso", "xmlns:ns2=\"urn:iso")
    expect(await xsdErrors("camt.053.001.08", prefixed)).toEqual([])
    const plain = await collect(readCamt053([fixture("camt053-vcb-day.xml")]))
    expect(await collect(readCamt053(chunked(prefixed)))).toEqual(plain)
  })

  test("bytes split inside a multi-byte character are decoded right", async () => {
    const doc = camtDocument("053", [{ id: "S", account: "0123456789", date: "2025-06-16", opening: 0n, entries: [{ date: "2025-06-16", amount: 5n, direction: "credit", reference: "R1", memo: "Nguyễn Văn Ả nộp tiền" }] }])
    const bytes = new TextEncoder().encode(doc)
    const pieces = Array.from({ length: Math.ceil(bytes.length / 7) }, (_, i) => bytes.subarray(i * 7, (i + 1) * 7))
    expect(entries(await collect(readCamt053(pieces)))[0]?.memo).toBe("Nguyễn Văn Ả nộp tiền")
  })
})

describe("camt.053: refused files name the element", () => {
  const good = fixture("camt053-vcb-day.xml")
  test.each([
    ["malformed XML", good.replace("</Acct>", "</Acc>"), "malformed", "Stmt[1]"],
    ["a wrong namespace", good.replace("xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.08\"", "xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.052.001.08\""), "namespace urn:iso:std:iso:20022:tech:xsd:camt.053.001.02 to .13", "Document"],
    ["a camt.054 given as camt.053", fixture("camt054-payout-debits.xml"), "a camt.053 file is a Document in namespace", "Document"],
    ["a DOCTYPE", good.replace("<Document", "<!DOCTYPE x [<!ENTITY a \"b\">]>\n<Document"), "DOCTYPE", "document"],
    ["a fractional VND balance", good.replace("<Amt Ccy=\"VND\">1250000000</Amt>", "<Amt Ccy=\"VND\">1250000000.50</Amt>"), "Bal[1]/Amt: 1250000000.50 has a fraction of a đồng", "Stmt[1]/Bal[1]"],
    ["an account in another currency", good.replace("<Ccy>VND</Ccy>", "<Ccy>USD</Ccy>"), "only VND accounts", "Acct/Ccy"],
    ["balances that do not add up", good.replace("<Amt Ccy=\"VND\">1370500000</Amt>", "<Amt Ccy=\"VND\">1370400000</Amt>"), "does not add up", "Stmt[1]"],
    ["not XML at all", "Ngày;Số tiền\n16/06/2025;100000", "malformed", "document"],
    ["an empty file", "", "no XML element", "document"]
  ])("%s", async (_what, text, fragment, where) => {
    const e = await refusal(readCamt053(chunked(text)))
    expect(e.message).toContain(fragment)
    expect(e.where).toContain(where)
  })

  test("the balance message carries every figure", async () => {
    const e = await refusal(readCamt053([good.replace("<Amt Ccy=\"VND\">1370500000</Amt>", "<Amt Ccy=\"VND\">1370400000</Amt>")]))
    expect(e.message).toContain("opening balance 1.250.000.000 + credits 155.500.000 (2) − debits 35.000.000 (2) = 1.370.500.000, but the closing balance is 1.370.400.000")
  })

  test("bytes that are not UTF-8", async () => {
    const bytes = new TextEncoder().encode(good.replace("NGUYEN VAN A</Nm>", "NGUYEN VAN A\u00ff</Nm>"))
    const latin1 = new Uint8Array([...bytes].flatMap((b, i, all) => (b === 0xc3 && all[i + 1] === 0xbf ? [0xff] : b === 0xbf && all[i - 1] === 0xc3 ? [] : [b])))
    expect((await refusal(readCamt053([latin1]))).message).toContain("not UTF-8")
  })
})

describe("camt.053: a bad entry is rejected with every reason and the rest is read", () => {
  const good = fixture("camt053-vcb-day.xml")
  const bad = good
    .replace("<Amt Ccy=\"VND\">125500000</Amt>", "<Amt Ccy=\"VND\">125500000.5</Amt>")
    .replace("<CdtDbtInd>DBIT</CdtDbtInd>\n        <Sts><Cd>BOOK</Cd></Sts>", "<CdtDbtInd>DEBIT</CdtDbtInd>\n        <Sts><Cd>BOOK</Cd></Sts>")
  test("rejects name the entry and the element; the balance check is reported as not done", async () => {
    const es = await collect(readCamt053(chunked(bad)))
    const rejects = es.flatMap((e) => (e.type === "reject" ? [e.reject] : []))
    expect(rejects.map((r) => r.where)).toEqual(["Document/BkToCstmrStmt/Stmt[1]/Ntry[1]", "Document/BkToCstmrStmt/Stmt[1]/Ntry[2]"])
    expect(rejects[0]?.reasons).toEqual(["Document/BkToCstmrStmt/Stmt[1]/Ntry[1]/Amt: 125500000.5 has a fraction of a đồng; VND amounts are whole đồng"])
    expect(rejects[1]?.reasons[0]).toContain("Ntry[2]/CdtDbtInd must be CRDT or DBIT, not \"DEBIT\"")
    expect(entries(es).map((e) => e.bankReference)).toEqual(["FT25167012345", "FT25167099999"])
    expect(summaries(es)[0]).toMatchObject({ rejected: 2, balanceCheck: "not_checked_rejects" })
  })

  test("a batch whose transactions do not add up to the entry is rejected", async () => {
    const es = await collect(readCamt053([good.replace("<Amt Ccy=\"VND\">15000000</Amt>", "<Amt Ccy=\"VND\">14000000</Amt>")]))
    const reject = es.find((e) => e.type === "reject")
    expect(reject?.type === "reject" && reject.reject.reasons[0]).toContain("its 2 transactions add up to 34000000, but the entry's amount is 35000000")
  })

  test("an entry in another currency is rejected", async () => {
    const es = await collect(readCamt053([good.replace("<Amt Ccy=\"VND\">30000000</Amt>", "<Amt Ccy=\"USD\">30000000</Amt>")]))
    const reject = es.find((e) => e.type === "reject")
    expect(reject?.type === "reject" && reject.reject).toEqual({ index: 4, where: "Document/BkToCstmrStmt/Stmt[1]/Ntry[3]", reasons: ["Document/BkToCstmrStmt/Stmt[1]/Ntry[3]/Amt is in USD; only VND is read"] })
  })

  test("an entry without any bank reference is rejected", async () => {
    const es = await collect(readCamt053([good.replace("<AcctSvcrRef>FT25167012345</AcctSvcrRef>", "").replace("<NtryRef>3</NtryRef>", "")]))
    const reject = es.find((e) => e.type === "reject")
    expect(reject?.type === "reject" && reject.reject.reasons[0]).toContain("has no bank reference (AcctSvcrRef or NtryRef)")
  })
})

describe("camt.054: payout debit notifications", () => {
  test("each debit comes with its end-to-end id, creditor and booking date; no balances to check", async () => {
    const es = await collect(readCamt054(chunked(fixture("camt054-payout-debits.xml"))))
    expect(entries(es).map((e) => [e.endToEndId, e.amount, e.direction, e.bookingDate, e.bankReference, e.counterpartyName])).toEqual([
      ["PAY-R8-000001", 20_000_000n, "debit", "2025-06-16", "FT25167009001", "TRAN THI B"],
      ["PAY-R8-000002", 15_000_000n, "debit", "2025-06-16", "FT25167009002", "LE VAN C"]
    ])
    expect(summaries(es)[0]).toMatchObject({ balanceCheck: "no_balances", debits: { count: 2, total: 35_000_000n } })
  })

  test("a camt.053 given as camt.054 is refused", async () => {
    expect((await refusal(readCamt054([fixture("camt053-vcb-day.xml")]))).message).toContain("camt.054.001.02 to .13")
  })
})

describe("camt properties", () => {
  test("every generated statement is XSD-valid and reads back entry for entry, balanced", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(statementArbitrary, { minLength: 1, maxLength: 3 }), async (statements) => {
        const doc = camtDocument("053", statements)
        expect(await xsdErrors("camt.053.001.08", doc)).toEqual([])
        const es = await collect(readCamt053(chunked(doc, 301)))
        expect(entries(es).map((e) => [e.amount, e.direction, e.bankReference, e.endToEndId, e.memo, e.counterpartyName, e.counterpartyAccount])).toEqual(
          statements.flatMap((s) => s.entries.map((e) => [e.amount, e.direction, e.reference, e.endToEndId, e.memo, e.counterpartyName, e.counterpartyAccount]))
        )
        expect(summaries(es).map((s) => [s.balanceCheck, s.closing?.amount])).toEqual(statements.map((s) => ["balanced", closingOf(s)]))
      }),
      { numRuns: 25 }
    )
  }, 120_000)

  test("a 50,000-entry camt.053 streams through in bounded memory", async () => {
    const date = "2025-06-16"
    const count = 50_000
    const statement = { id: "BIG", account: "0071000123456", date, opening: 0n, entries: [] }
    let expectedClosing = 0n
    const make = function*() {
      for (let i = 1; i <= count; i++) {
        const amount = BigInt(1_000 + (i % 997) * 1_000)
        expectedClosing += amount
        yield { date, amount, direction: "credit" as const, reference: `FT${String(i).padStart(12, "0")}`, memo: `NOP TIEN THA BL${i}` }
      }
    }
    // The closing balance is only known after generating; write it in by a second small pass.
    for (const e of make()) void e
    const closing = expectedClosing
    const chunks = camtChunks("053", [{ ...statement, opening: 0n }], () => make())
    const withClosing = (function*() {
      for (const c of chunks) yield c.replace("<Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy=\"VND\">0</Amt>", `<Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy="VND">${closing}</Amt>`)
    })()
    // Live heap after a full collection at 10,000 and 40,000 entries: a reader that kept
    // what it read would grow by tens of MB between the two.
    const live: Array<number> = []
    let n = 0
    let summary: StatementSummary | undefined
    for await (const e of readCamt053(withClosing)) {
      if (e.type === "entry") {
        n++
        if (n === 10_000 || n === 40_000) {
          Bun.gc(true)
          live.push(process.memoryUsage().heapUsed)
        }
      }
      if (e.type === "end") summary = e.summary
    }
    expect(n).toBe(count)
    expect(summary).toMatchObject({ balanceCheck: "balanced", credits: { count, total: closing } })
    expect((live[1] as number) - (live[0] as number)).toBeLessThan(5 * 1024 * 1024)
  }, 60_000)
})
