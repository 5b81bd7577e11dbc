import { describe, expect, test } from "bun:test"
import { readFileSync } from "node:fs"
import { join } from "node:path"
import fc from "fast-check"
import { readMt940 } from "../../domain/bank/mt940.ts"
import type { BankFileRefused, StatementEntry, StatementEvent, StatementSummary } from "../../domain/bank/statement.ts"
import { closingOf, statementArbitrary, writeMt940 } from "./statement-arbitraries.ts"

const fixture = (name: string) => readFileSync(join(import.meta.dir, "fixtures", name), "utf8")
const events = (text: string): Array<StatementEvent> => [...readMt940(text.split("\n"))]
const entries = (es: ReadonlyArray<StatementEvent>): Array<StatementEntry> => es.flatMap((e) => (e.type === "entry" ? [e.entry] : []))
const summaries = (es: ReadonlyArray<StatementEvent>): Array<StatementSummary> => es.flatMap((e) => (e.type === "end" ? [e.summary] : []))
const refusal = (lines: ReadonlyArray<string>): BankFileRefused => {
  try {
    ;[...readMt940(lines)]
  } catch (e) {
    if ((e as { _tag?: string })._tag === "BankFileRefused") return e as BankFileRefused
    throw e
  }
  throw new Error("expected the statement to be refused")
}

// A statement that adds up: 1,250,000,000 + 125,500,000 − 5,000,000 = 1,370,500,000.
const good = [
  ":20:STMT1",
  ":25:0071000123456",
  ":28C:1/1",
  ":60F:C250616VND1250000000,",
  ":61:2506160616C125500000,NTRFNONREF//FT25167001234",
  ":86:NGUYEN VAN A NOP TIEN",
  ":61:2506160616D5000000,NTRFPAY-1//FT25167009876",
  ":86:CHI TRA",
  ":62F:C250616VND1370500000,",
  "-"
]

describe("MT940: a real-shaped two-day file with the SWIFT envelope", () => {
  const es = events(fixture("vcb-two-days.mt940"))

  test("reads two statements, each balanced", () => {
    const s = summaries(es)
    expect(s.map((x) => [x.statementId, x.balanceCheck, x.closing?.amount])).toEqual([
      ["VCB250616001", "balanced", 3_245_000_000n],
      ["VCB250617001", "balanced", 3_290_000_000n]
    ])
    expect(s[0]?.credits).toEqual({ count: 2, total: 2_125_500_000n })
    expect(s[0]?.debits).toEqual({ count: 2, total: 130_500_000n })
  })

  test("the header carries the account, the bank's BIC and the opening balance", () => {
    const header = es.find((e) => e.type === "statement")
    expect(header?.type === "statement" && header.statement).toMatchObject({
      format: "mt940",
      account: "0071000123456",
      bankId: "BFTVVNVX",
      sequenceNumber: "166/1",
      opening: { amount: 1_250_000_000n, date: "2025-06-16" }
    })
  })

  test("entries carry dates, direction, bank reference, memo and end-to-end id", () => {
    const [first, second, third] = entries(es)
    expect(first).toMatchObject({
      index: 1,
      bookingDate: "2025-06-16",
      valueDate: "2025-06-16",
      amount: 125_500_000n,
      direction: "credit",
      bankReference: "FT25167001234",
      transactionCode: "NTRF",
      reversal: false,
      // The :86: line was cut at 65 characters inside "VIETCOMBANK".
      memo: "NGUYEN VAN A NOP TIEN THA THEO QD 757/QD-PTHADS MA BL0000123 TAI VIETCOMBANK CN HCM"
    })
    expect(first?.endToEndId).toBeUndefined()
    expect(second).toMatchObject({ direction: "debit", amount: 5_000_000n, endToEndId: "PAY-2025-0001", bankReference: "FT25167009876" })
    // RC is the reversal of a credit: money leaves the account.
    expect(third).toMatchObject({ direction: "debit", reversal: true, amount: 125_500_000n })
  })

  test("an amount written with decimal zeros (45000000,00) is whole đồng", () => {
    expect(entries(es).at(-1)?.amount).toBe(45_000_000n)
  })
})

describe("MT940: statements that do not add up or cannot be read are refused", () => {
  test("balances that do not add up, with every figure in the message", () => {
    const lines = good.map((l) => (l.startsWith(":62F:") ? ":62F:C250616VND1370400000," : l))
    const e = refusal(lines)
    expect(e.message).toContain("does not add up")
    expect(e.message).toContain("opening balance 1.250.000.000 + credits 125.500.000 (1) − debits 5.000.000 (1) = 1.370.500.000")
    expect(e.message).toContain("closing balance is 1.370.400.000")
    expect(e.message).toContain("difference of −100.000")
  })

  test.each([
    ["a fractional VND opening balance", ":60F:C250616VND1250000000,50", "fraction of a đồng", 4],
    ["a balance in another currency", ":60F:C250616USD1250000000,", "only VND", 4],
    ["a malformed balance", ":60F:250616VND1250000000,", "must be C or D", 4],
    ["an impossible date", ":60F:C250230VND1250000000,", "does not exist", 4]
  ])("%s", (_what, replacement, fragment, line) => {
    const e = refusal(good.map((l) => (l.startsWith(":60F:") ? replacement : l)))
    expect(e.message).toContain(fragment)
    expect(e.where).toBe(`line ${line}`)
  })

  test("a statement without a closing balance", () => {
    expect(refusal(good.filter((l) => !l.startsWith(":62F:"))).message).toContain("without a closing balance :62F:")
  })

  test("an entry before the opening balance", () => {
    expect(refusal([":20:X", ":25:123456789", ":61:2506160616C5,NTRFX//Y", ":62F:C250616VND5,"]).message).toContain("before the statement's :20:, :25: and :60F:")
  })

  test("text that is not MT940 at all", () => {
    expect(refusal(["Date;Amount;Memo", "16/06/2025;100000;x"]).message).toContain("is not an MT940 field")
  })

  test("an empty file", () => {
    expect(refusal([]).message).toContain("holds no MT940 statement")
  })
})

describe("MT940: a bad :61: line is rejected with every reason; the rest is read", () => {
  const lines = [
    ...good.slice(0, 6),
    ":61:2506160616C1000,50NTRFNONREF//FT1",
    ":61:2513320616X77NOPE",
    ...good.slice(6)
  ]
  const es = events(lines.join("\n"))

  test("the good entries come through, the bad ones are rejects naming the line and the reason", () => {
    expect(entries(es).map((e) => e.bankReference)).toEqual(["FT25167001234", "FT25167009876"])
    const rejects = es.flatMap((e) => (e.type === "reject" ? [e.reject] : []))
    expect(rejects.map((r) => r.where)).toEqual(["line 7", "line 8"])
    expect(rejects[0]?.reasons.join("; ")).toContain("fraction of a đồng")
    expect(rejects[1]?.reasons.join("; ")).toContain("month 13 does not exist")
    expect(rejects[1]?.reasons.join("; ")).toContain("debit/credit mark must be C, D, RC or RD")
  })

  test("the balance check is then reported as not done, never as passed", () => {
    expect(summaries(es)[0]).toMatchObject({ rejected: 2, balanceCheck: "not_checked_rejects" })
  })
})

describe("MT940: reading the :61: line", () => {
  test("an entry booked in December with a January value date belongs to the year before", () => {
    const lines = [":20:NY", ":25:123456789", ":60F:C241231VND0,", ":61:2501011231C5,NTRFNONREF//A1", ":62F:C250101VND5,"]
    expect(entries([...readMt940(lines)])[0]).toMatchObject({ valueDate: "2025-01-01", bookingDate: "2024-12-31" })
  })
  test("a funds code letter after the mark is skipped; RD is a credit", () => {
    const lines = [":20:F", ":25:123456789", ":60F:C250616VND0,", ":61:250616RDD7,NCHKREF1", ":62F:C250616VND7,"]
    expect(entries([...readMt940(lines)])[0]).toMatchObject({ direction: "credit", reversal: true, amount: 7n, bankReference: "REF1" })
  })
})

describe("MT940 properties", () => {
  test("every generated statement reads back with the same entries and a passing balance check", () => {
    fc.assert(
      fc.property(statementArbitrary, (s) => {
        const es = [...readMt940(writeMt940(s))]
        const read = entries(es)
        expect(read.map((e) => [e.amount, e.direction, e.bankReference, e.memo, e.bookingDate])).toEqual(
          s.entries.map((e) => [e.amount, e.direction, e.reference, e.memo, e.date])
        )
        expect(summaries(es)[0]).toMatchObject({ balanceCheck: "balanced", closing: { amount: closingOf(s) } })
      }),
      { numRuns: 300 }
    )
  })

  test("changing any one entry's amount is caught by the balance check", () => {
    fc.assert(
      fc.property(statementArbitrary.filter((s) => s.entries.length > 0), fc.nat(), fc.bigInt({ min: 1n, max: 10n ** 9n }), (s, which, delta) => {
        const i = which % s.entries.length
        const entry = s.entries[i]
        if (entry === undefined) return
        const lines = writeMt940(s)
        const tampered = writeMt940({ ...s, entries: s.entries.map((e, j) => (j === i ? { ...e, amount: e.amount + delta } : e)) })
        // Keep the original closing balance: the file now contradicts itself.
        const closing = lines.find((l) => l.startsWith(":62F:")) as string
        expect(() => [...readMt940(tampered.map((l) => (l.startsWith(":62F:") ? closing : l)))]).toThrow("does not add up")
      }),
      { numRuns: 200 }
    )
  })
})
