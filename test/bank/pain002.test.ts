import { describe, expect, test } from "bun:test"
import { readFileSync } from "node:fs"
import { join } from "node:path"
import fc from "fast-check"
import { readPain002 } from "../../adapters/bank/iso20022/pain002.ts"
import { type PaymentStatusEvent, statusMeaning } from "../../domain/bank/payment-status.ts"
import type { BankFileRefused } from "../../domain/bank/statement.ts"
import { type BankAnswer, pain002Document } from "./iso-writers.ts"
import { nativeXmllint, nativeXsdErrors, xsdErrors } from "./xsd.ts"

const fixturePath = join(import.meta.dir, "fixtures", "pain002-partly-rejected.xml")
const fixture = readFileSync(fixturePath, "utf8")

const collect = async (events: AsyncIterable<PaymentStatusEvent>): Promise<Array<PaymentStatusEvent>> => {
  const all: Array<PaymentStatusEvent> = []
  for await (const e of events) all.push(e)
  return all
}
const refusal = async (text: string): Promise<BankFileRefused> => {
  try {
    await collect(readPain002([text]))
  } catch (e) {
    if ((e as { _tag?: string })._tag === "BankFileRefused") return e as BankFileRefused
    throw e
  }
  throw new Error("expected the report to be refused")
}

describe("pain.002: the bank's status report", () => {
  test("the fixture is valid against the official XSD", async () => {
    expect(await xsdErrors("pain.002.001.11", fixture)).toEqual([])
  })
  test.skipIf(!nativeXmllint)(`native xmllint agrees ${nativeXmllint ? "" : "(skipped: xmllint is not installed on this machine)"}`, () => {
    const errors = nativeXsdErrors("pain.002.001.11", fixturePath)
    if (errors !== undefined) expect(errors).toEqual([])
  })

  test("group, payment information and transaction statuses, with reasons and amounts", async () => {
    const events = await collect(readPain002([fixture]))
    expect(events.map((e) => e.type)).toEqual(["report", "payment-information", "transaction", "transaction", "transaction", "end"])
    expect(events[0]).toEqual({
      type: "report",
      report: {
        messageId: "VCB-PSR-20250616-0007",
        createdAt: "2025-06-16T11:00:00+07:00",
        originalMessageId: "PAYOUT-HCM-R8",
        originalMessageType: "pain.001.001.09",
        groupStatus: "PART",
        groupReasons: []
      }
    })
    expect(events[1]).toEqual({ type: "payment-information", paymentInformation: { originalPaymentInformationId: "PAYOUT-HCM-R8", status: "PART", reasons: [] } })
    const txs = events.flatMap((e) => (e.type === "transaction" ? [e.transaction] : []))
    expect(txs[0]).toEqual({
      index: 1,
      originalPaymentInformationId: "PAYOUT-HCM-R8",
      originalEndToEndId: "PAY-R8-000001",
      statusId: "S-1",
      status: "ACSC",
      meaning: "settled",
      reasons: [],
      amount: 20_000_000n
    })
    expect(txs[1]).toMatchObject({ originalEndToEndId: "PAY-R8-000003", status: "RJCT", meaning: "rejected", reasons: [{ code: "AC01", additionalInfo: "SO TAI KHOAN KHONG DUNG" }] })
    expect(txs[2]).toMatchObject({ originalEndToEndId: "PAY-R8-000004", meaning: "rejected", reasons: [{ proprietary: "VCB-051", additionalInfo: "TAI KHOAN BI PHONG TOA" }] })
    expect(events.at(-1)).toEqual({ type: "end", summary: { transactions: 3, byStatus: { ACSC: 1, RJCT: 2 }, rejected: 0 } })
  })

  test("a transaction without its own status takes the group's (a whole file rejected)", async () => {
    const doc = fixture.replace("<GrpSts>PART</GrpSts>", "<GrpSts>RJCT</GrpSts><StsRsnInf><Rsn><Cd>AM04</Cd></Rsn></StsRsnInf>").replace("<PmtInfSts>PART</PmtInfSts>", "").replace(/<TxSts>\w+<\/TxSts>/g, "")
    const events = await collect(readPain002([doc]))
    const report = events[0]
    expect(report?.type === "report" && report.report.groupReasons).toEqual([{ code: "AM04" }])
    expect(events.flatMap((e) => (e.type === "transaction" ? [e.transaction.meaning] : []))).toEqual(["rejected", "rejected", "rejected"])
  })

  test("version 03 (still the most common) is read the same way", async () => {
    const v03 = fixture.replace("pain.002.001.11", "pain.002.001.03")
    expect((await collect(readPain002([v03]))).filter((e) => e.type === "transaction")).toHaveLength(3)
  })

  test("status codes mean what ISO says", () => {
    expect(["ACSC", "ACCC", "ACCP", "ACTC", "ACSP", "RJCT", "PDNG", "RCVD", "CANC", "PART", "ZZZZ"].map(statusMeaning)).toEqual([
      "settled", "settled", "accepted", "accepted", "accepted", "rejected", "pending", "received", "cancelled", "partially_accepted", "unknown"
    ])
  })
})

describe("pain.002: refusals and rejects name the element", () => {
  test.each([
    ["malformed XML", fixture.replace("</TxSts>", "</TxStatus>"), "malformed"],
    ["a camt file", fixture.replace("pain.002.001.11\">", "camt.054.001.08\">"), "pain.002.001.03 to .14"],
    ["no original group information", fixture.replace(/<OrgnlGrpInfAndSts>[\s\S]*<\/OrgnlGrpInfAndSts>/, ""), "OrgnlGrpInfAndSts"],
    ["a group status that is not a code", fixture.replace("<GrpSts>PART</GrpSts>", "<GrpSts>partly</GrpSts>"), "not a 4-letter status code"],
    ["a fractional amount", fixture.replace("<InstdAmt Ccy=\"VND\">20000000</InstdAmt>", "<InstdAmt Ccy=\"VND\">20000000.5</InstdAmt>"), "fraction of a đồng"]
  ])("%s", async (what, text, fragment) => {
    if (what === "a fractional amount") {
      const events = await collect(readPain002([text]))
      const reject = events.find((e) => e.type === "reject")
      expect(reject?.type === "reject" && reject.reject.where).toBe("Document/CstmrPmtStsRpt/OrgnlPmtInfAndSts[1]/TxInfAndSts[1]")
      expect(reject?.type === "reject" && reject.reject.reasons.join()).toContain(fragment)
      return
    }
    expect((await refusal(text)).message).toContain(fragment)
  })

  test("a transaction without an end-to-end id is rejected, the others read", async () => {
    const events = await collect(readPain002([fixture.replace("<OrgnlEndToEndId>PAY-R8-000003</OrgnlEndToEndId>", "")]))
    expect(events.filter((e) => e.type === "transaction")).toHaveLength(2)
    const reject = events.find((e) => e.type === "reject")
    expect(reject?.type === "reject" && reject.reject.reasons).toEqual(["Document/CstmrPmtStsRpt/OrgnlPmtInfAndSts[1]/TxInfAndSts[2]/OrgnlEndToEndId is missing"])
  })
})

describe("pain.002 property", () => {
  test("every generated report is XSD-valid and reads back status for status", async () => {
    const answer: fc.Arbitrary<BankAnswer> = fc.record({
      endToEndId: fc.string({ unit: fc.constantFrom(..."ABCDEFGHJK0123456789-"), minLength: 1, maxLength: 35 }),
      status: fc.constantFrom("ACSC" as const, "ACCP" as const, "RJCT" as const),
      reason: fc.option(fc.constantFrom("AC01", "AC04", "AM04", "BE01"), { nil: undefined }),
      amount: fc.option(fc.bigInt({ min: 1n, max: 10n ** 15n - 1n }), { nil: undefined })
    }).map((a) => Object.fromEntries(Object.entries(a).filter(([, v]) => v !== undefined)) as unknown as BankAnswer)
    await fc.assert(
      fc.asyncProperty(fc.array(answer, { minLength: 1, maxLength: 20 }), async (answers) => {
        const doc = pain002Document("MSG-1", answers)
        expect(await xsdErrors("pain.002.001.11", doc)).toEqual([])
        const txs = (await collect(readPain002([doc]))).flatMap((e) => (e.type === "transaction" ? [e.transaction] : []))
        expect(txs.map((t) => [t.originalEndToEndId, t.status, t.reasons[0]?.code, t.amount])).toEqual(answers.map((a) => [a.endToEndId, a.status, a.reason, a.amount]))
      }),
      { numRuns: 20 }
    )
  }, 120_000)
})
