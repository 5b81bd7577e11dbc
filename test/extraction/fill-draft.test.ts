import { describe, expect, test } from "bun:test"
import fc from "fast-check"
import { Result } from "effect"
import { amountInWords } from "../../domain/amount-in-words.ts"
import { fillDraft, NOT_READ } from "../../domain/extraction/fill-draft.ts"
import { createDraft } from "../../domain/lifecycle.ts"
import type { Receipt } from "../../domain/receipt.ts"
import { draftInput, newId } from "../store/fixtures.ts"

const placeholder = (): Receipt =>
  Result.getOrThrow(createDraft(
    draftInput({ payer: { name: NOT_READ }, case: {}, reason: NOT_READ, amount: 0n, payment: { method: "cash" } }),
    { id: newId(), maker: "lan.nguyen", now: "2025-06-23T02:00:00.000Z" }
  ))
const now = "2025-06-23T03:00:00.000Z"
/** The scan's uploader, its draft's maker. */
const by = "lan.nguyen"

describe("fillDraft", () => {
  test("fills nothing in a draft its uploader did not make: every field is skipped, the draft unchanged", () => {
    const draft = placeholder()
    const r = fillDraft(draft, { fields: { payerName: "Nguyễn Thị Hồng Nhung", amount: "85800000000", reason: "Nộp tiền thi hành án" } }, { by: "hung.tran", now })
    expect(r.applied).toEqual([])
    expect(r.skipped.map((x) => x.field)).toEqual(["payerName", "amount", "reason"])
    expect(r.draft).toEqual(draft)
  })

  test("fills every field found, as the uploader (the maker), with the words following the amount", () => {
    const draft = placeholder()
    const r = fillDraft(draft, {
      fields: {
        payerName: "Nguyễn Thị Hồng Nhung",
        payerIdNumber: "079185001234",
        payerAddress: "Số 12 đường Lê Lợi, phường Bến Thành, Thành phố Hồ Chí Minh",
        decisionNumber: "1234/QĐ-CTHADS",
        decisionDate: "2025-05-12",
        amount: "125500000",
        amountInWords: "Một trăm hai mươi lăm triệu năm trăm nghìn đồng",
        reason: "NOP TIEN THI HANH AN THEO QD 1234/QD-CTHADS",
        bankReference: "FT25163123456",
        paymentDate: "2025-06-23"
      }
    }, { by, now })
    expect(r.skipped).toEqual([])
    expect(r.applied).toEqual(["payerName", "payerIdNumber", "payerAddress", "decisionNumber", "decisionDate", "amount", "reason", "bankReference"])
    expect(r.draft.payer).toEqual({
      name: "Nguyễn Thị Hồng Nhung",
      idNumber: "079185001234",
      address: "Số 12 đường Lê Lợi, phường Bến Thành, Thành phố Hồ Chí Minh"
    })
    expect(r.draft.case).toEqual({ decisionNumber: "1234/QĐ-CTHADS", decisionDate: "2025-05-12" })
    expect(r.draft.amount).toBe(125_500_000n)
    expect(r.draft.amountInWords).toBe(amountInWords(125_500_000n))
    expect(r.draft.payment).toEqual({ method: "bank_transfer", reference: "FT25163123456" })
    expect(r.draft.maker).toBe("lan.nguyen")
    expect(r.draft.id).toBe(draft.id)
  })

  test("a field not found leaves the draft's value; nothing is invented", () => {
    const draft = placeholder()
    const r = fillDraft(draft, { fields: { amount: "500000" } }, { by, now })
    expect(r.applied).toEqual(["amount"])
    expect(r.draft.payer).toEqual(draft.payer)
    expect(r.draft.case).toEqual({})
    expect(r.draft.payment).toEqual({ method: "cash" })
  })

  test("a value the receipt rules refuse is skipped with its reason; the rest still fill", () => {
    const r = fillDraft(placeholder(), { fields: { payerName: "Trần Văn Bình", payerIdNumber: "079985001234", decisionNumber: "12/XYZ" } }, { by, now })
    expect(r.applied).toEqual(["payerName"])
    expect(r.skipped.map((s) => s.field)).toEqual(["payerIdNumber", "decisionNumber"])
    expect(r.skipped[0]?.message).toContain("idNumber")
    expect(r.draft.payer.idNumber).toBeUndefined()
  })

  test("what an officer typed after uploading is kept; only empty or unread fields are filled", () => {
    // The officer typed the payer, the amount and a bank reference while the scan waited in the queue.
    const typed = Result.getOrThrow(createDraft(
      draftInput({ payer: { name: "Lê Thị Mai" }, case: {}, reason: NOT_READ, amount: 3_000_000n, payment: { method: "bank_transfer", reference: "FT25170000001" } }),
      { id: newId(), maker: "lan.nguyen", now: "2025-06-23T02:00:00.000Z" }
    ))
    const r = fillDraft(typed, {
      fields: { payerName: "LE THI MAI", amount: "300000", bankReference: "FT25170999999", reason: "Nộp tiền án phí", decisionNumber: "1234/QĐ-CTHADS" }
    }, { by, now })
    expect(r.applied).toEqual(["decisionNumber", "reason"])
    expect(r.kept).toEqual(["payerName", "amount", "bankReference"])
    expect(r.draft.payer.name).toBe("Lê Thị Mai")
    expect(r.draft.amount).toBe(3_000_000n)
    expect(r.draft.payment).toEqual({ method: "bank_transfer", reference: "FT25170000001" })
    expect(r.draft.reason).toBe("Nộp tiền án phí")
    expect(r.draft.case.decisionNumber).toBe("1234/QĐ-CTHADS")
  })

  test("property: a typed payer name and amount survive any reading", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 999_999_999_999n }), fc.bigInt({ min: 0n, max: 999_999_999_999n }), (typedAmount, readAmount) => {
        const typed = Result.getOrThrow(createDraft(
          draftInput({ payer: { name: "Phạm Quốc Huy" }, case: {}, reason: "Nộp tiền thi hành án", amount: typedAmount, payment: { method: "cash" } }),
          { id: newId(), maker: "lan.nguyen", now: "2025-06-23T02:00:00.000Z" }
        ))
        const r = fillDraft(typed, { fields: { payerName: "Nguyễn Văn An", amount: readAmount.toString() } }, { by, now })
        expect(r.draft.payer.name).toBe("Phạm Quốc Huy")
        expect(r.draft.amount).toBe(typedAmount)
        expect(r.applied).toEqual([])
      }),
      { numRuns: 50 }
    )
  })

  test("an issued receipt is never changed", () => {
    const draft = { ...placeholder(), status: "issued" as const }
    const r = fillDraft(draft, { fields: { payerName: "Trần Văn Bình" } }, { by, now })
    expect(r.applied).toEqual([])
    expect(r.skipped[0]?.message).toContain("issued")
    expect(r.draft).toBe(draft)
  })

  test("property: any amount found becomes the draft's amount with its own words", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 999_999_999_999n }), (amount) => {
        const r = fillDraft(placeholder(), { fields: { amount: amount.toString() } }, { by, now })
        expect(r.draft.amount).toBe(amount)
        expect(r.draft.amountInWords).toBe(amountInWords(amount))
      }),
      { numRuns: 100 }
    )
  })
})
