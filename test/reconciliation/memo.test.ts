import { describe, expect, test } from "bun:test"
import fc from "fast-check"
import { foldName, readMemo } from "../../domain/reconciliation/memo.ts"
import { formatPaymentReference } from "../../domain/reconciliation/payment-reference.ts"

describe("reading bank memos", () => {
  test("the issue's example: payer, decision through the domain parser", () => {
    const r = readMemo("NGUYEN VAN A NOP TIEN THA THEO QD 757/QD-PTHADS")
    expect(r.payerName).toBe("NGUYEN VAN A")
    expect(r.decisionNumbers).toEqual(["757/QĐ-PTHADS"])
    expect(r.references).toEqual([])
  })

  test("reference, FT reference, amount and a decision with spaces and a year", () => {
    const ref = formatPaymentReference("7K2M9QX4TR")
    const r = readMemo(`Trần Thị Bé nộp tiền ${ref.slice(0, 6)} ${ref.slice(6)} so tien 125.500.000 VND QD 12 / 2025 / QD - CTHADS ref FT25167001234`)
    expect(r.payerName).toBe("TRAN THI BE")
    expect(r.references).toEqual([ref])
    expect(r.bankReferences).toEqual(["FT25167001234"])
    expect(r.amount).toBe(125_500_000n)
    expect(r.decisionNumbers).toEqual(["12/2025/QĐ-CTHADS"])
  })

  test("a memo without any of it reads as nothing", () => {
    expect(readMemo("CHUYEN KHOAN")).toEqual({ references: [], bankReferences: [], decisionNumbers: [] })
    expect(readMemo("")).toEqual({ references: [], bankReferences: [], decisionNumbers: [] })
  })

  test("any Vietnamese name folds to what an unaccented upper-case memo carries", () => {
    const names = fc.array(fc.constantFrom("Nguyễn", "Trần", "Lê", "Phạm", "Đặng", "Văn", "Thị", "Hòa", "Hoà", "Ánh", "Đức"), { minLength: 2, maxLength: 4 })
    fc.assert(fc.property(names, (ns) => {
      const name = ns.join(" ")
      const memo = `${foldName(name)} NOP TIEN THA THEO QD 1/QD-CTHADS`
      expect(readMemo(memo).payerName).toBe(foldName(name))
    }))
  })
})
