/**
 * Corrections of the payer's name or address with four eyes
 * (domain/corrections.ts): requested by one officer, approved by another
 * naming the exact text, or rejected with a reason, or withdrawn by the
 * requester; each refusal reason exercised, and a property: whatever is
 * requested and approved, the signed bytes never change and the approved
 * text is what the receipt then says.
 */
import { describe, expect, test } from "bun:test"
import { Result } from "effect"
import fc from "fast-check"
import { canonicalBytes } from "../../domain/canonical.ts"
import {
  approveCorrection,
  CorrectionError,
  CorrectionReason,
  type CorrectionRequest,
  rejectCorrection,
  requestCorrection,
  withdrawCorrection
} from "../../domain/corrections.ts"
import { createDraft, effectivePayer, issue, submit } from "../../domain/lifecycle.ts"
import type { IssuedReceipt, Receipt } from "../../domain/receipt.ts"
import { laterReceiptArbitrary } from "./receipt.arbitraries.ts"
import { draftInput, issuedJson } from "./receipt.fixtures.ts"

const MAKER = "tran.thi.binh"
const APPROVER = "le.minh.cuong"
const OTHER = "pham.thu.ha"
const at = "2025-07-01T02:00:00.000Z"
const later = "2025-07-02T02:00:00.000Z"

const ok = <A, E>(r: Result.Result<A, E>): A => {
  if (Result.isFailure(r)) throw new Error(String((r.failure as { message?: string }).message))
  return r.success
}
const seen = new Set<string>()
const refused = <A>(r: Result.Result<A, unknown>, reason: CorrectionReason): CorrectionError => {
  if (Result.isSuccess(r)) throw new Error(`expected ${reason}, got success`)
  expect(r.failure).toBeInstanceOf(CorrectionError)
  const e = r.failure as CorrectionError
  expect(e.reason).toBe(reason)
  seen.add(reason)
  return e
}

const draft = (): Receipt => ok(createDraft(draftInput, { id: issuedJson.id, maker: MAKER, now: "2025-06-23T01:15:30.000Z" }))
const issued = (): IssuedReceipt =>
  ok(issue(ok(submit(draft(), { by: MAKER })), { approver: APPROVER, number: 42, lookupCode: "7KQ2M9XH4T8P", now: "2025-06-23T03:40:00.000Z" }))
const request = (r: Receipt = issued(), value = "Nguyễn Văn Ân", by = OTHER): CorrectionRequest =>
  ok(requestCorrection(r, { field: "payerName", value, note: "Sai dấu theo CCCD" }, { id: "0d3e8a1c-5b2f-4c6a-9e7d-1f2a3b4c5d6e", by, now: at }))

describe("corrections", () => {
  test("requested by one officer, approved by another with the same text: the receipt then says it, beside the signed name", () => {
    const r = issued()
    const q = request(r)
    expect(q).toMatchObject({ status: "pending", requestedBy: OTHER, value: "Nguyễn Văn Ân", field: "payerName" })
    const done = ok(approveCorrection(r, q, { by: APPROVER, value: "Nguyễn Văn Ân", now: later }))
    expect(done.request).toMatchObject({ status: "approved", decidedBy: APPROVER, decidedAt: later })
    expect(done.receipt.annotations).toEqual([{ field: "payerName", value: "Nguyễn Văn Ân", note: "Sai dấu theo CCCD", by: OTHER, at: later, approvedBy: APPROVER }])
    expect(done.receipt.payer.name).toBe("Nguyễn Văn An")
    expect(effectivePayer(done.receipt).name).toBe("Nguyễn Văn Ân")
    expect(canonicalBytes(done.receipt as IssuedReceipt)).toEqual(canonicalBytes(r))
  })

  test("the requester never decides it; the approval names exactly the requested text", () => {
    const r = issued()
    const q = request(r)
    const e = refused(approveCorrection(r, q, { by: OTHER, value: q.value, now: later }), "requester_cannot_approve")
    expect(e.requestedBy).toBe(OTHER)
    refused(rejectCorrection(r, q, { by: OTHER, reason: "x", now: later }), "requester_cannot_approve")
    refused(approveCorrection(r, q, { by: APPROVER, value: "Nguyễn Văn Án", now: later }), "text_differs")
    // The same text in another Unicode form is the same text.
    expect(Result.isSuccess(approveCorrection(r, q, { by: APPROVER, value: "Nguyễn Văn Ân".normalize("NFD"), now: later }))).toBe(true)
  })

  test("decided once: a rejection needs a reason; only the requester withdraws", () => {
    const r = issued()
    const q = request(r)
    refused(rejectCorrection(r, q, { by: APPROVER, reason: "  ", now: later }), "reason_required")
    const rejected = ok(rejectCorrection(r, q, { by: APPROVER, reason: "Không khớp CCCD", now: later }))
    expect(rejected).toMatchObject({ status: "rejected", decisionNote: "Không khớp CCCD" })
    refused(approveCorrection(r, rejected, { by: APPROVER, value: q.value, now: later }), "not_pending")
    refused(withdrawCorrection(r, q, { by: APPROVER, now: later }), "only_requester_can_withdraw")
    expect(ok(withdrawCorrection(r, q, { by: OTHER, now: later })).status).toBe("withdrawn")
  })

  test("a draft is edited, not corrected; an invalid or unchanged text is refused", () => {
    refused(requestCorrection(draft(), { field: "payerName", value: "Tên Mới" }, { id: "x", by: OTHER, now: at }), "not_issued")
    refused(requestCorrection(issued(), { field: "payerName", value: "   " }, { id: "x", by: OTHER, now: at }), "invalid_value")
    refused(requestCorrection(issued(), { field: "payerName", value: "Nguyễn Văn An" }, { id: "x", by: OTHER, now: at }), "changes_nothing")
    refused(requestCorrection(issued(), { field: "payerAddress", value: "A".repeat(301) }, { id: "x", by: OTHER, now: at }), "invalid_value")
  })

  test("on any later receipt, whatever is requested and approved never changes the signed bytes, and the approved text is in force", () => {
    fc.assert(
      fc.property(laterReceiptArbitrary, fc.constantFrom("payerName" as const, "payerAddress" as const), fc.constantFrom("Trần Thị Bính", "Số 3 Hai Bà Trưng, phường Sài Gòn"), (r, field, value) => {
        const now = new Date(Date.parse(r.issuedAt) + 86_400_000).toISOString()
        const asked = requestCorrection(r, { field, value }, { id: "0d3e8a1c-5b2f-4c6a-9e7d-1f2a3b4c5d6e", by: "requester.a", now })
        if (Result.isFailure(asked)) {
          // Only when the text is already what the receipt says.
          expect(asked.failure.reason).toBe("changes_nothing")
          return
        }
        const done = ok(approveCorrection(r, asked.success, { by: "approver.b", value, now }))
        expect(canonicalBytes(done.receipt as IssuedReceipt)).toEqual(canonicalBytes(r))
        const payer = effectivePayer(done.receipt)
        expect(field === "payerName" ? payer.name : payer.address).toBe(value)
      }),
      { numRuns: 100 }
    )
  })

  test("every CorrectionError reason is covered by a test", () => {
    expect([...seen].sort()).toEqual([...CorrectionReason.literals].sort())
  })
})
