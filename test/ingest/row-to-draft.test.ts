/**
 * One row → one draft: tolerant reading into canonical values, every reason
 * named by its column, maker-checker against the officer registry, and ids
 * that depend on what identifies a receipt and on nothing else.
 */
import { describe, expect, test } from "bun:test"
import fc from "fast-check"
import { Result } from "effect"
import type { RowFields } from "../../jobs/ingest/columns.ts"
import { checkApprover, type OfficerRegistry } from "../../jobs/ingest/officer-registry.ts"
import { draftFromRow, type MappedRow, type RowContext } from "../../jobs/ingest/row-to-draft.ts"
import { formatVndDigits } from "../../domain/money.ts"
import { amountInWords } from "../../domain/amount-in-words.ts"

const officers: OfficerRegistry = {
  "lan.nguyen": { agency: "HCM", role: "officer", active: true },
  "hung.tran": { agency: "HCM", role: "approver", active: true },
  "mai.pham": { agency: "HCM", role: "auditor", active: true },
  "cu.vo": { agency: "HCM", role: "officer", active: false },
  "tuan.le": { agency: "HNI", role: "approver", active: true }
}
const ctx: RowContext = { defaults: { agency: "HCM", form: "01-BLTHADS", symbol: "AA/26E" }, officers, maker: "lan.nguyen", now: "2026-01-05T02:00:00.000Z" }
const row: RowFields = {
  payer_name: "Nguyễn Văn Hòa",
  reason: "Nộp tiền thi hành án theo Quyết định số 1234/QĐ-CTHADS",
  amount: "125.500.000 đ",
  amount_in_words: "Một trăm hai mươi lăm triệu năm trăm nghìn đồng",
  payer_id_number: "079 085 001 234",
  decision_number: "1234/qd-cthads",
  decision_date: "ngày 14 tháng 3 năm 2025",
  judgment_number: "12/2025/ds-st",
  judgment_date: "02/03/2025",
  payment_method: "Chuyển khoản",
  bank_reference: "FT25163123456"
}

const mapped = (fields: RowFields, c: RowContext = ctx): MappedRow => {
  const r = draftFromRow(fields, c)
  if (Result.isFailure(r)) throw new Error(r.failure.join("; "))
  return r.success
}
const reasonsOf = (fields: RowFields, c: RowContext = ctx): Array<string> => {
  const r = draftFromRow(fields, c)
  return Result.isFailure(r) ? r.failure : []
}

describe("reading a row", () => {
  test("what offices type becomes the canonical values", () => {
    const { draft } = mapped(row)
    expect(draft.amount).toBe(125_500_000n)
    expect(draft.payer.idNumber).toBe("079085001234")
    expect(draft.case).toEqual({ decisionNumber: "1234/QĐ-CTHADS", decisionDate: "2025-03-14", judgmentNumber: "12/2025/DS-ST", judgmentDate: "2025-03-02" })
    expect(draft.payment).toEqual({ method: "bank_transfer", reference: "FT25163123456" })
    // A file's row is submitted by the run's maker, the officer of the API token (docs/INGEST.md).
    expect([draft.status, draft.maker, draft.agency, draft.createdAt]).toEqual(["submitted", "lan.nguyen", "HCM", ctx.now])
  })

  test("the words are generated when the column is absent; cash when there is no bank reference", () => {
    const { draft } = mapped({ payer_name: "Lê Hoàng Phúc", reason: "Nộp án phí", amount: "1005000" })
    expect(draft.amountInWords).toBe("Một triệu không trăm linh năm nghìn đồng")
    expect(draft.payment).toEqual({ method: "cash" })
    expect(mapped({ payer_name: "Lê Hoàng Phúc", reason: "Nộp án phí", amount: "1005000", payment_method: "tiền mặt" }).draft.payment).toEqual({ method: "cash" })
  })

  test("every problem of a row is listed, each under its column", () => {
    expect(reasonsOf({ ...row, amount: "12,5tr", payer_id_number: "07908500123", decision_date: "31/02/2025", payment_method: "séc", payer_name: undefined })).toEqual([
      "payer_name: the payer's name is missing",
      expect.stringMatching(/^amount: /),
      expect.stringMatching(/^payer_id_number: .*11 digits/),
      expect.stringMatching(/^decision_date: .*31/),
      expect.stringMatching(/^payment_method: "séc" is not a payment method/)
    ])
  })

  test("the schema's rules across fields are reported too", () => {
    expect(reasonsOf({ ...row, amount_in_words: "Một trăm triệu đồng" })).toEqual([expect.stringMatching(/^amount_in_words: the amount in words does not say 125500000 đồng/)])
    expect(reasonsOf({ ...row, judgment_date: "2025-04-01" })).toEqual(["decision_date: the enforcement decision is dated before the judgment"])
    expect(reasonsOf({ ...row, symbol: "A/26" })).toEqual([expect.stringMatching(/^symbol: .*AA\/25E/)])
  })

  test("a row is submitted by its maker, so it must be ready: no unread placeholder, no amount of 0", () => {
    expect(reasonsOf({ ...row, amount: "0", amount_in_words: undefined })).toEqual(["amount: a receipt cannot be for 0 đồng"])
    expect(reasonsOf({ ...row, payer_name: "[chưa đọc được]" })).toEqual([expect.stringMatching(/^payer_name: still holds the unread placeholder/)])
    expect(mapped(row).draft.status).toBe("submitted")
  })

  test("the maker must be an active officer of the agency who may prepare receipts", () => {
    const by = (maker: string) => ({ ...ctx, maker })
    expect(reasonsOf(row, by("mai.pham"))).toEqual(["maker: mai.pham is an auditor and may not prepare receipts"])
    expect(reasonsOf(row, by("cu.vo"))).toEqual(["maker: cu.vo is disabled"])
    expect(reasonsOf(row, by("tuan.le"))).toEqual(["maker: tuan.le is an officer of HNI, not of HCM"])
    expect(reasonsOf(row, by("ai.do"))).toEqual(["maker: ai.do is not a registered officer"])
    expect(reasonsOf(row, { ...ctx, maker: undefined })).toEqual(["maker: the maker (the officer of the API token) is missing"])
    expect(reasonsOf({ ...row, agency: "HNI" })).toEqual(expect.arrayContaining(["agency: the row belongs to HNI, but this run ingests for HCM"]))
  })

  test("a maker column may only repeat the run's maker: naming anyone else rejects the row, never rewrites it (property)", () => {
    expect(mapped({ ...row, maker: "lan.nguyen" }).draft.maker).toBe("lan.nguyen")
    expect(mapped(row).draft.maker).toBe("lan.nguyen")
    // Any other name, a registered colleague or not, a case or accent variant: the row is rejected with that reason only.
    const other = fc.oneof(fc.constantFrom(...Object.keys(officers), "Lan.Nguyen", "lan.nguyen ", "lân.nguyen"), fc.string({ minLength: 1, maxLength: 20 }))
      .map((s) => s.trim())
      .filter((s) => s !== "" && s !== "lan.nguyen")
    fc.assert(fc.property(other, (named) => {
      expect(reasonsOf({ ...row, maker: named })).toEqual([
        `maker: the row names ${named} as its maker (người lập), but this run's maker is lan.nguyen, the officer of the API token; ${named} ingests their own rows with their own token`
      ])
    }), { numRuns: 200 })
  })

  test("issuing: the approver is never the maker, and the symbol's year is the issue year", () => {
    const issuing = { ...ctx, issue: { approver: "hung.tran", now: "2026-01-05T03:00:00.000Z" } }
    expect(mapped(row, issuing).template?.approver).toBe("hung.tran")
    expect(reasonsOf(row, { ...issuing, maker: "hung.tran" })).toEqual([expect.stringMatching(/^maker: hung.tran prepared this receipt and cannot also approve it/)])
    expect(reasonsOf({ ...row, symbol: "AA/25E" }, issuing)).toEqual([expect.stringMatching(/^symbol: the symbol's year does not match the issue year 2026/)])
  })
})

test("only an active approver of the agency approves, and never their own receipt", () => {
  expect(checkApprover(officers, "HCM", "hung.tran")).toEqual([])
  expect(checkApprover(officers, "HCM", "hung.tran", "hung.tran")).toEqual([expect.stringMatching(/^hung.tran prepared this receipt and cannot also approve it/)])
  expect(checkApprover(officers, "HCM", "lan.nguyen")).toEqual(["lan.nguyen is an officer, not an approver, of HCM"])
  expect(checkApprover(officers, "HCM", "mai.pham")).toEqual(["mai.pham is an auditor, not an approver, of HCM"])
  expect(checkApprover(officers, "HCM", "tuan.le")).toEqual(["the approver tuan.le belongs to HNI, not to HCM"])
  expect(checkApprover({ ...officers, "tuan.le": { agency: "HCM", role: "approver", active: false } }, "HCM", "tuan.le")).toEqual(["the approver tuan.le is disabled"])
  expect(checkApprover(officers, "HCM", "ai.do")).toEqual(["the approver ai.do is not a registered officer"])
})

describe("receipt ids", () => {
  const amount = fc.bigInt({ min: 1n, max: 10n ** 12n })

  test("with an external id, the id is the agency's and the external id's, whatever the content (property)", () => {
    fc.assert(fc.property(amount, amount, (a, b) => {
      const x = mapped({ ...row, external_id: "QLTHA-2025-000123", amount: a.toString(), amount_in_words: undefined })
      const y = mapped({ ...row, external_id: "QLTHA-2025-000123", amount: b.toString(), amount_in_words: undefined, payer_name: "Trần Thị Bích Ngọc" })
      expect(x.draft.id).toBe(y.draft.id)
      expect(mapped({ ...row, external_id: "QLTHA-2025-000124" }).draft.id).not.toBe(x.draft.id)
    }), { numRuns: 30 })
  })

  test("without one, the id follows the content, not how it was typed, who typed it or when (property)", () => {
    fc.assert(fc.property(amount, fc.boolean(), (a, dotted) => {
      const plain = mapped({ ...row, amount: a.toString(), amount_in_words: undefined })
      const typed = mapped(
        { ...row, amount: dotted ? `${formatVndDigits(a)} đồng` : a.toString(), amount_in_words: amountInWords(a), decision_number: "1234/QĐ-CTHADS", payer_id_number: "079085001234" },
        { ...ctx, maker: "hung.tran", now: "2026-02-01T00:00:00.000Z" }
      )
      expect(typed.draft.id).toBe(plain.draft.id)
      const other = mapped({ ...row, amount: (a + 1n).toString(), amount_in_words: undefined })
      expect(other.draft.id).not.toBe(plain.draft.id)
    }), { numRuns: 50 })
  })
})
