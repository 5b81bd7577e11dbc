import { describe, expect, test } from "bun:test"
import { mkdirSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { loadStatementMappings } from "../../adapters/bank/mappings.ts"
import { readStatementFile, sniffStatementFormat } from "../../adapters/bank/statement-file.ts"
import { collect } from "./statement-events.ts"

const fixtures = join(import.meta.dir, "fixtures")
const out = join(import.meta.dir, "..", "..", "test-output", "bank")
mkdirSync(out, { recursive: true })

describe("a statement file of any format, from disk", () => {
  test.each([
    ["camt053-vcb-day.xml", "camt.053", 5, "balanced"],
    ["camt054-payout-debits.xml", "camt.054", 2, "no_balances"],
    ["vcb-two-days.mt940", "mt940", 5, "balanced"],
    ["vn-internet-banking.csv", "csv", 3, "balanced"]
  ])("%s is read as %s", async (file, format, count, check) => {
    const es = await collect(readStatementFile(join(fixtures, file), { mapping: loadStatementMappings().get("vn-internet-banking") }))
    const first = es[0]
    expect(first?.type === "statement" && first.statement.format).toBe(format as never)
    expect(es.filter((e) => e.type === "entry")).toHaveLength(count)
    expect(es.filter((e) => e.type === "end").every((e) => e.type === "end" && e.summary.balanceCheck === check)).toBe(true)
  })

  test("a CSV without a mapping is refused, saying what is missing", async () => {
    await expect(collect(readStatementFile(join(fixtures, "vn-internet-banking.csv")))).rejects.toThrow("needs a column mapping")
  })

  test("an XML that is not a statement is refused", async () => {
    const file = join(out, "pain002-as-statement.xml")
    writeFileSync(file, "<?xml version=\"1.0\"?><Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:pain.002.001.11\"/>")
    await expect(collect(readStatementFile(file))).rejects.toThrow("neither a camt.053 statement nor a camt.054 notification")
  })

  test("sniffing looks at bytes, not names", () => {
    expect(sniffStatementFormat(new Uint8Array([0x50, 0x4b, 0x03, 0x04]))).toBe("xlsx")
    expect(sniffStatementFormat(new TextEncoder().encode("\uFEFF:20:X"))).toBe("mt940")
    expect(sniffStatementFormat(new TextEncoder().encode("Ngày;Số tiền"))).toBe("csv")
  })
})
