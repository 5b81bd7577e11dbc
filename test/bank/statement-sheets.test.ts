import { describe, expect, test } from "bun:test"
import { mkdirSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { Result } from "effect"
import ExcelJS from "exceljs"
import fc from "fast-check"
import { loadStatementMapping, loadStatementMappings, shippedMappingsDir } from "../../adapters/bank/mappings.ts"
import { readCsvStatement, readXlsxStatement } from "../../adapters/bank/statement-sheets.ts"
import { formatCsvRecord, splitCsv } from "../../domain/bank/csv.ts"
import { collect, entries, refusal, summaries } from "./statement-events.ts"
import { parseStatementMapping, type StatementMapping } from "../../domain/bank/statement-mapping.ts"
import { formatVndDigits } from "../../domain/money.ts"
import { closingOf, type GeneratedStatement, statementArbitrary } from "./statement-arbitraries.ts"

const out = join(import.meta.dir, "..", "..", "test-output", "bank")
mkdirSync(out, { recursive: true })
const fixture = readFileSync(join(import.meta.dir, "fixtures", "vn-internet-banking.csv"))
const mappings = loadStatementMappings()
const vn = mappings.get("vn-internet-banking") as StatementMapping
const standard = mappings.get("bienlai-standard") as StatementMapping

const pieces = (bytes: Uint8Array, size: number) => Array.from({ length: Math.ceil(bytes.length / size) }, (_, i) => bytes.subarray(i * size, (i + 1) * size))
const csvText = fixture.toString("utf8")

describe("CSV through the vn-internet-banking mapping", () => {
  test("reads the account and balances above the table, every movement, and checks the balances", async () => {
    const es = await collect(readCsvStatement(pieces(fixture, 13), vn, { statementId: "sao-ke-2025-06.csv" }))
    const header = es[0]
    expect(header?.type === "statement" && header.statement).toMatchObject({ format: "csv", account: "0071000123456", opening: { amount: 1_250_000_000n } })
    expect(entries(es)).toEqual([
      { index: 1, account: "0071000123456", bookingDate: "2025-06-16", amount: 125_500_000n, direction: "credit", bankReference: "FT25167001234", memo: "NGUYEN VAN A NOP TIEN THA THEO QD 757/QD-PTHADS", status: "booked", reversal: false },
      { index: 2, account: "0071000123456", bookingDate: "2025-06-16", amount: 20_000_000n, direction: "debit", bankReference: "FT25167009001", memo: "CHI TRA TIEN THA; VU AN 3699\nDOT 8 PAY-R8-000001", status: "booked", reversal: false },
      { index: 3, account: "0071000123456", bookingDate: "2025-06-17", amount: 45_000_000n, direction: "credit", bankReference: "FT25168000001", memo: "CONG TY \"ABC\" NOP TIEN", status: "booked", reversal: false }
    ])
    expect(summaries(es)[0]).toMatchObject({ balanceCheck: "balanced", closing: { amount: 1_400_500_000n, date: "2025-06-17" }, credits: { count: 2, total: 170_500_000n } })
  })

  test("balances that do not add up are refused with the figures", async () => {
    const bad = csvText.replace("Số dư cuối kỳ:;1.400.500.000", "Số dư cuối kỳ:;1.400.000.000")
    const e = await refusal(readCsvStatement([bad], vn, { statementId: "x.csv" }))
    expect(e.message).toContain("= 1.400.500.000, but the closing balance is 1.400.000.000")
  })

  test("bad rows are rejected naming the row and every reason; the others are read", async () => {
    const bad = csvText
      .replace("16/06/2025 09:12:44;FT25167001234;;125.500.000", "31/06/2025 09:12:44;FT25167001234;;125.500.000,50")
      .replace("17/06/2025 08:00:00;FT25168000001;;45.000.000", "17/06/2025 08:00:00;;10.000;45.000.000")
    const es = await collect(readCsvStatement([bad], vn, { statementId: "x.csv" }))
    const rejects = es.flatMap((e) => (e.type === "reject" ? [e.reject] : []))
    expect(rejects).toEqual([
      {
        index: 1,
        where: "row 8",
        reasons: [
          "Ngày giao dịch \"31/06/2025 09:12:44\" is not a date in the form DD/MM/YYYY or DD/MM/YYYY HH:mm:ss or DD/MM/YYYY HH:mm or DD-MM-YYYY or DD/MM/YY",
          "Số tiền ghi có: An amount must be whole đồng, without a decimal part: \"125.500.000,50\""
        ]
      },
      // Row 10: the quoted memo of row 9 holds a line break, and a spreadsheet shows it as one row.
      { index: 3, where: "row 10", reasons: ["Số tham chiếu is empty", "both Số tiền ghi có and Số tiền ghi nợ hold an amount"] }
    ])
    expect(entries(es).map((e) => e.index)).toEqual([2])
    expect(summaries(es)[0]?.balanceCheck).toBe("not_checked_rejects")
  })

  test.each([
    ["no header row", "a;b;c\n1;2;3\n", "no header row naming"],
    ["no account anywhere", csvText.replace("Số tài khoản:;0071 000 123456", ";"), "does not say which account"],
    ["an unreadable balance", csvText.replace("Số dư đầu kỳ:;1.250.000.000", "Số dư đầu kỳ:;một tỷ"), "opening balance \"một tỷ\" cannot be read"]
  ])("refused: %s", async (_what, text, fragment) => {
    expect((await refusal(readCsvStatement([text], vn, { statementId: "x.csv" }))).message).toContain(fragment)
  })

  test("a file in a legacy encoding is refused with the way out", async () => {
    const latin = new Uint8Array([...new TextEncoder().encode("Ngay giao dich;So tham chieu\n")].concat([0x4e, 0xe3, 0x0a]))
    expect((await refusal(readCsvStatement([latin], vn, { statementId: "x.csv", account: "123456789" }))).message).toContain("CSV UTF-8")
  })
})

describe("XLSX through the same mapping", () => {
  const file = join(out, "vn-internet-banking.xlsx")

  test("an Excel export with date and number cells gives the same entries as the CSV", async () => {
    const workbook = new ExcelJS.Workbook()
    const sheet = workbook.addWorksheet("Sao ke")
    sheet.addRow(["SAO KÊ TÀI KHOẢN"])
    sheet.addRow(["Số tài khoản:", "0071000123456"])
    sheet.addRow(["Số dư đầu kỳ:", 1_250_000_000])
    sheet.addRow([])
    sheet.addRow(["Ngày giao dịch", "Số tham chiếu", "Số tiền ghi nợ", "Số tiền ghi có", "Số dư", "Mô tả"])
    sheet.addRow([new Date(Date.UTC(2025, 5, 16)), "FT25167001234", null, 125_500_000, 1_375_500_000, "NGUYEN VAN A NOP TIEN THA THEO QD 757/QD-PTHADS"])
    sheet.addRow([new Date(Date.UTC(2025, 5, 16)), "FT25167009001", 20_000_000, null, 1_355_500_000, "CHI TRA TIEN THA; VU AN 3699\nDOT 8 PAY-R8-000001"])
    sheet.addRow(["17/06/2025", "FT25168000001", null, "45.000.000", 1_400_500_000, "CONG TY \"ABC\" NOP TIEN"])
    sheet.addRow([null, "Tổng cộng", 20_000_000, 170_500_000])
    sheet.addRow(["Số dư cuối kỳ:", 1_400_500_000])
    await workbook.xlsx.writeFile(file)

    const fromXlsx = await collect(readXlsxStatement(file, vn, { statementId: "sao-ke.xlsx" }))
    const fromCsv = await collect(readCsvStatement([fixture], vn, { statementId: "sao-ke.csv" }))
    expect(entries(fromXlsx)).toEqual(entries(fromCsv))
    expect(summaries(fromXlsx)[0]?.balanceCheck).toBe("balanced")
  })

  test("a file that is not a workbook is refused", async () => {
    const notXlsx = join(out, "not-a-workbook.xlsx")
    writeFileSync(notXlsx, "Ngày giao dịch;Số tham chiếu\n")
    expect((await refusal(readXlsxStatement(notXlsx, vn, { statementId: "x" }))).message).toContain("cannot be opened as an Excel workbook")
  })
})

describe("mappings are data", () => {
  test("the shipped mappings load and are valid", () => {
    expect([...mappings.keys()].sort()).toEqual(["bienlai-standard", "vn-internet-banking"])
  })

  test("a bank is added with a JSON file, no code", async () => {
    const mine = join(out, "my-bank.json")
    writeFileSync(mine, JSON.stringify({
      id: "my-bank",
      name: "My bank's export",
      bank: "970415",
      delimiter: ",",
      columns: { bookingDate: ["Posting date"], reference: ["Txn ID"], amount: ["Amount"], memo: ["Details"] },
      direction: { column: ["Dr/Cr"], credit: ["CR"], debit: ["DR"] },
      dateFormats: ["YYYY/MM/DD"]
    }))
    const mapping = loadStatementMapping(mine)
    const csv = "Posting date,Txn ID,Amount,Dr/Cr,Details\n2025/06/16,T1,\"1,500,000\",CR,NOP TIEN\n2025/06/16,T2,700000,DR,PHI\n2025/06/16,T3,5,XX,?\n"
    const es = await collect(readCsvStatement([csv], mapping, { statementId: "x", account: "101012345678" }))
    expect(entries(es).map((e) => [e.bankReference, e.amount, e.direction])).toEqual([["T1", 1_500_000n, "credit"], ["T2", 700_000n, "debit"]])
    expect(es.find((e) => e.type === "reject")).toMatchObject({ reject: { where: "row 4", reasons: ["Dr/Cr \"XX\" is neither CR nor DR"] } })
  })

  test("a broken mapping is refused with every problem", () => {
    const r = parseStatementMapping({ id: "Bad Id", name: "", columns: { bookingDate: ["Date"], credit: ["C"], colour: ["x"] }, dateFormats: ["YYYY"] })
    expect(Result.isFailure(r) && r.failure).toEqual([
      "\"id\" must be lower-case letters, digits and hyphens",
      "\"name\" is required",
      "\"columns.colour\" is not a field (fields: bookingDate, valueDate, reference, amount, credit, debit, memo, counterpartyName, counterpartyAccount, counterpartyBank, endToEndId)",
      "\"columns.reference\" is required: the bank's reference is the key that makes a re-import change nothing",
      "\"columns.credit\" and \"columns.debit\" go together",
      "date format \"YYYY\" needs DD, MM and YY or YYYY"
    ])
  })

  test("the shipped folder holds only valid mappings (each file checked)", () => {
    expect(() => loadStatementMappings(shippedMappingsDir)).not.toThrow()
  })
})

/** A statement in the bienlai standard layout, as an agency would fill it. */
const standardCsv = (s: GeneratedStatement): string =>
  [
    formatCsvRecord(["Số tài khoản:", s.account]),
    formatCsvRecord(["Số dư đầu kỳ:", s.opening < 0n ? `-${formatVndDigits(-s.opening)}` : formatVndDigits(s.opening)]),
    formatCsvRecord(["Ngày hạch toán", "Số tham chiếu", "Ghi nợ", "Ghi có", "Nội dung", "Tên đối ứng", "Tài khoản đối ứng", "Mã giao dịch gốc"]),
    ...s.entries.map((e) =>
      formatCsvRecord([
        `${e.date.slice(8, 10)}/${e.date.slice(5, 7)}/${e.date.slice(0, 4)}`,
        e.reference,
        e.direction === "debit" ? formatVndDigits(e.amount) : "",
        e.direction === "credit" ? formatVndDigits(e.amount) : "",
        e.memo,
        e.counterpartyName ?? "",
        e.counterpartyAccount ?? "",
        e.endToEndId ?? ""
      ])
    ),
    formatCsvRecord(["Số dư cuối kỳ:", closingOf(s) < 0n ? `(${formatVndDigits(-closingOf(s))})` : formatVndDigits(closingOf(s))])
  ].join("\r\n") + "\r\n"

describe("CSV properties", () => {
  test("any statement written in the standard layout reads back entry for entry, balanced, whatever the chunking", async () => {
    await fc.assert(
      // Spreadsheet figures are read with the receipts' amount reader: below 10^15 đồng.
      fc.asyncProperty(statementArbitrary.filter((s) => [s.opening, closingOf(s)].every((b) => b > -(10n ** 15n) && b < 10n ** 15n)), fc.integer({ min: 1, max: 200 }), async (s, size) => {
        const bytes = new TextEncoder().encode(standardCsv(s))
        const es = await collect(readCsvStatement(pieces(bytes, size), standard, { statementId: s.id }))
        expect(entries(es).map((e) => [e.bookingDate, e.amount, e.direction, e.bankReference, e.memo, e.counterpartyName, e.counterpartyAccount, e.endToEndId])).toEqual(
          s.entries.map((e) => [e.date, e.amount, e.direction, e.reference, e.memo, e.counterpartyName, e.counterpartyAccount, e.endToEndId])
        )
        expect(summaries(es)[0]).toMatchObject({ balanceCheck: "balanced", closing: { amount: closingOf(s) } })
      }),
      { numRuns: 200 }
    )
  })

  test("CSV records: split(format(cells)) = cells, with delimiters, quotes and line breaks inside cells", () => {
    const cell = fc.string({ unit: fc.constantFrom("a", "Đ", " ", ",", ";", "\"", "\n", "\r\n", "1"), maxLength: 8 })
    fc.assert(
      fc.property(fc.array(fc.array(cell, { minLength: 2, maxLength: 5 }), { minLength: 1, maxLength: 6 }), fc.constantFrom("," as const, ";" as const), (records, delimiter) => {
        const text = records.map((r) => formatCsvRecord(r, delimiter)).join("\n") + "\n"
        expect(splitCsv(text, delimiter).map((r) => r.cells)).toEqual(records)
      }),
      { numRuns: 500 }
    )
  })

  test("50,000 CSV rows stream through", async () => {
    const count = 50_000
    const rows = function*() {
      yield "Số tài khoản:;0071000123456\nNgày hạch toán;Số tham chiếu;Ghi nợ;Ghi có;Nội dung\n"
      for (let i = 1; i <= count; i++) yield `16/06/2025;FT${i};;${1000 + i};NOP TIEN BL${i}\n`
    }
    let n = 0
    let total = 0n
    for await (const e of readCsvStatement(rows(), standard, { statementId: "big.csv" })) {
      if (e.type === "entry") {
        n++
        total += e.entry.amount
      }
    }
    expect(n).toBe(count)
    expect(total).toBe(BigInt(count) * 1000n + BigInt((count * (count + 1)) / 2))
  }, 60_000)
})
