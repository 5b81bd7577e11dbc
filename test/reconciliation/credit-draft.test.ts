/**
 * The draft receipt a credit becomes (domain/reconciliation/credit-draft.ts):
 * for any amount, payer and bank reference the bank may send, the domain
 * accepts the draft, with the amount in words generated from the figures,
 * the bank reference as the transfer's, and "nộp qua chuyển khoản" in the
 * reason; a missing name is the visible placeholder that blocks submission;
 * a decision number the receipt refuses is left out, not the draft.
 */
import { describe, expect, test } from "bun:test"
import fc from "fast-check"
import { Result } from "effect"
import { amountInWords } from "../../domain/amount-in-words.ts"
import { createDraft, submit } from "../../domain/lifecycle.ts"
import { creditDraftInput } from "../../domain/reconciliation/credit-draft.ts"
import { NOT_READ } from "../../domain/submission.ts"

const series = { form: "01-BLTHADS", symbol: "AA/25E" }
const ctx = { id: "0f0e0d0c-0b0a-4908-8706-050403020100", maker: "lan.nguyen", now: "2025-06-23T03:00:00.000Z" }

describe("a credit's draft receipt", () => {
  test("any credit becomes a draft the domain accepts, prefilled from the statement", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1n, max: 999_999_999_999_999n }),
        fc.option(fc.stringMatching(/^[A-Z][A-Z ]{0,40}$/), { nil: undefined }),
        fc.stringMatching(/^FT[0-9]{11}$/),
        (amount, payerName, bankReference) => {
          const d = createDraft(creditDraftInput({ agency: "HCM", series, bankReference, amount, payerName }), ctx)
          expect(Result.isSuccess(d)).toBe(true)
          if (Result.isFailure(d)) return
          expect(d.success.amount).toBe(amount)
          expect(d.success.amountInWords).toBe(amountInWords(amount))
          expect(d.success.payment).toEqual({ method: "bank_transfer", reference: bankReference })
          expect(d.success.reason).toContain("nộp qua chuyển khoản")
          expect(d.success.payer.name).toBe(payerName === undefined || payerName.trim() === "" ? NOT_READ : payerName.trim())
        }
      ),
      { numRuns: 300 }
    )
  })

  test("a nameless credit's draft cannot be submitted until an officer types the name", () => {
    const d = Result.getOrThrow(createDraft(creditDraftInput({ agency: "HCM", series, bankReference: "FT25171000002", amount: 700_000n }), ctx))
    expect(d.payer.name).toBe(NOT_READ)
    expect(Result.isFailure(submit(d, { by: "lan.nguyen" }))).toBe(true)
  })

  test("the decision number goes on the draft; one the receipt refuses is left out, the draft stays", () => {
    const good = creditDraftInput({ agency: "HCM", series, bankReference: "FT1", amount: 5n, payerName: "A", decisionNumber: "757/QĐ-PTHADS" })
    expect(good.case.decisionNumber).toBe("757/QĐ-PTHADS")
    expect(good.reason).toBe("Nộp tiền thi hành án theo Quyết định số 757/QĐ-PTHADS, nộp qua chuyển khoản")
    const bad = creditDraftInput({ agency: "HCM", series, bankReference: "FT1", amount: 5n, payerName: "A", decisionNumber: "not a decision \u0000" })
    expect(bad.case.decisionNumber).toBeUndefined()
    expect(Result.isSuccess(createDraft(bad, ctx))).toBe(true)
    const request = creditDraftInput({ agency: "HCM", series, bankReference: "FT1", amount: 5n, payerName: "A", requestReference: "BL7K2M9QX4TRZ" })
    expect(request.reason).toContain("BL7K2M9QX4TRZ")
  })
})
