import { describe, expect, test } from "bun:test"
import { Result } from "effect"
import fc from "fast-check"
import { canonicalBytes } from "../../domain/canonical.ts"
import {
  addScan,
  annotate,
  createDraft,
  deleteDraft,
  draftReplacement,
  type DraftInput,
  editDraft,
  effectivePayer,
  issue,
  markReplaced,
  refOf,
  submit,
  TransitionError,
  TransitionReason,
  voidReceipt,
  withdraw
} from "../../domain/lifecycle.ts"
import { NOT_READ, submissionProblems } from "../../domain/submission.ts"
import {
  decodeReceipt,
  encodeReceipt,
  InvalidReceipt,
  type IssuedReceipt,
  type Receipt
} from "../../domain/receipt.ts"
import { seriesKey, seriesOf } from "../../domain/series-key.ts"
import { issuedReceiptArbitrary, laterReceiptArbitrary } from "./receipt.arbitraries.ts"
import { bankTransferInput, draftInput, draftJson, issuedJson } from "./receipt.fixtures.ts"

const ok = <A, E>(r: Result.Result<A, E>): A => {
  if (Result.isFailure(r)) throw new Error(`expected success, got ${String((r.failure as { message?: string }).message)}`)
  return r.success
}

const reasonsSeen = new Set<string>()

/** Asserts a refusal with the given reason, and returns it for further checks. */
const refused = <A>(r: Result.Result<A, TransitionError | InvalidReceipt>, reason: TransitionReason): TransitionError => {
  if (Result.isSuccess(r)) throw new Error(`expected a refusal (${reason}), got success`)
  expect(r.failure).toBeInstanceOf(TransitionError)
  const e = r.failure as TransitionError
  expect(e.reason).toBe(reason)
  reasonsSeen.add(reason)
  return e
}

const invalid = <A>(r: Result.Result<A, TransitionError | InvalidReceipt>): InvalidReceipt => {
  if (Result.isSuccess(r)) throw new Error("expected InvalidReceipt, got success")
  expect(r.failure).toBeInstanceOf(InvalidReceipt)
  return r.failure as InvalidReceipt
}

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString("hex")

const MAKER = "tran.thi.binh"
const APPROVER = "le.minh.cuong"
const DRAFT_ID = issuedJson.id
const REPLACEMENT_ID = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"
const created = "2025-06-23T01:15:30.000Z"
const issuedAt = "2025-06-23T03:40:00.000Z"
const later = "2025-07-01T02:00:00.000Z"

const newDraft = (input: DraftInput = draftInput, id = DRAFT_ID): Receipt => ok(createDraft(input, { id, maker: MAKER, now: created }))
/** A draft its maker has submitted for approval. */
const submitted = (draft: Receipt = newDraft()): Receipt => ok(submit(draft, { by: draft.maker }))
const issued = (draft: Receipt = submitted(), number = 42): IssuedReceipt =>
  ok(issue(draft.status === "draft" ? submitted(draft) : draft, { approver: APPROVER, number, lookupCode: "7KQ2M9XH4T8P", now: issuedAt }))
const voided = (): Receipt => ok(voidReceipt(issued(), { by: APPROVER, reason: "Lập trùng biên lai số 0000041", now: later }))

const replacementInput: DraftInput = { ...draftInput, amount: 152_500_000n }
const replacementPair = () => {
  const original = issued()
  const draft = ok(draftReplacement(original, replacementInput, { id: REPLACEMENT_ID, maker: MAKER, now: later }))
  const replacement = ok(issue(submitted(draft), { approver: APPROVER, number: 57, lookupCode: "Q4M8ZT2K9HXP", now: later }))
  return { original, replacement, replaced: ok(markReplaced(original, replacement, { now: later })) }
}

describe("createDraft", () => {
  test("builds a draft from what the officer entered, writing the amount in words", () => {
    const draft = newDraft()
    expect(encodeReceipt(draft)).toEqual(draftJson)
    expect(draft.amountInWords).toBe("Một trăm hai mươi lăm triệu năm trăm nghìn đồng")
  })

  test("keeps words the officer or OCR wrote, if they agree with the figures (ngàn for nghìn)", () => {
    const draft = newDraft({ ...draftInput, amountInWords: "Một trăm hai mươi lăm triệu năm trăm ngàn đồng" })
    expect(draft.amountInWords).toBe("Một trăm hai mươi lăm triệu năm trăm ngàn đồng")
  })

  test("stores Vietnamese text in NFC, whatever the keyboard or OCR produced", () => {
    const decomposed = "Nguyễn Văn An".normalize("NFD")
    const draft = newDraft({ ...draftInput, payer: { ...draftInput.payer, name: decomposed } })
    expect(draft.payer.name).toBe("Nguyễn Văn An".normalize("NFC"))
    expect(draft.payer.name).not.toBe(decomposed)
  })

  test("lists every invalid field, without crashing on an impossible amount", () => {
    const e = invalid(createDraft({
      ...draftInput,
      series: { form: "01-BLTHADS", symbol: "AA-25" },
      payer: { name: "" },
      amount: -5_000n
    }, { id: DRAFT_ID, maker: "Trần Thị Bình", now: "hôm nay" }))
    expect(e.issues.map((i) => i.path).sort()).toEqual(["amount", "createdAt", "maker", "payer.name", "series.symbol"])
    expect(Result.isFailure(createDraft({ ...draftInput, amount: 10n ** 15n }, { id: DRAFT_ID, maker: MAKER, now: created }))).toBe(true)
  })

  test("words that contradict the figures are rejected", () => {
    const e = invalid(createDraft({ ...draftInput, amountInWords: "Một trăm hai mươi lăm triệu đồng" }, { id: DRAFT_ID, maker: MAKER, now: created }))
    expect(e.issues).toEqual([{ path: "amountInWords", message: "the amount in words does not say 125500000 đồng" }])
  })
})

describe("editDraft", () => {
  test("a changed amount gets new words", () => {
    const edited = ok(editDraft(newDraft(), { amount: 1_005_000n }, { by: MAKER, now: later }))
    expect(edited.amount).toBe(1_005_000n)
    expect(edited.amountInWords).toBe("Một triệu không trăm linh năm nghìn đồng")
    expect(edited.payer).toEqual(draftInput.payer)
  })

  test("words given with the amount are kept; other edits keep the words", () => {
    const withWords = ok(editDraft(newDraft(), { amount: 1_005_000n, amountInWords: "Một triệu không trăm lẻ năm ngàn đồng chẵn" }, { by: MAKER, now: later }))
    expect(withWords.amountInWords).toBe("Một triệu không trăm lẻ năm ngàn đồng chẵn")
    const renamed = ok(editDraft(withWords, { reason: "Nộp án phí dân sự sơ thẩm" }, { by: MAKER, now: later }))
    expect(renamed.reason).toBe("Nộp án phí dân sự sơ thẩm")
    expect(renamed.amountInWords).toBe("Một triệu không trăm lẻ năm ngàn đồng chẵn")
  })

  test("an optional field set to undefined is removed", () => {
    const edited = ok(editDraft(newDraft(), { office: undefined }, { by: MAKER, now: later }))
    expect("office" in edited).toBe(false)
  })

  test("an invalid edit lists its invalid fields", () => {
    const e = invalid(editDraft(newDraft(), { payer: { name: "Nguyễn Văn An", idNumber: "0790850012" }, reason: " " }, { by: MAKER, now: later }))
    expect(e.issues.map((i) => i.path).sort()).toEqual(["payer.idNumber", "reason"])
  })

  test("only the maker edits; the checker sends it back instead", () => {
    const e = refused(editDraft(newDraft(), { amount: 1n }, { by: APPROVER, now: later }), "only_maker_can_edit")
    expect(e.message).toContain(`send it back to ${MAKER}`)
  })

  test("an issued receipt cannot be edited", () => {
    const e = refused(editDraft(issued(), { amount: 1n }, { by: MAKER, now: later }), "not_a_draft")
    expect(e.message).toBe(
      "receipt AA/25E 0000042 is issued and its content can no longer change; correct the payer's name or address with an annotation, or issue a replacement receipt"
    )
    expect(e.action).toBe("edit")
    expect(e.from).toBe("issued")
    expect(e.receiptId).toBe(DRAFT_ID)
  })
})

describe("submit and withdraw", () => {
  test("the maker submits a ready draft; only the status changes", () => {
    const draft = newDraft()
    const s1 = submitted(draft)
    expect(s1.status).toBe("submitted")
    expect({ ...s1, status: "draft" }).toEqual(draft)
    expect(Result.isSuccess(decodeReceipt(encodeReceipt(s1)))).toBe(true)
  })

  test("only the maker submits, once", () => {
    const e = refused(submit(newDraft(), { by: APPROVER }), "only_maker_can_submit")
    expect(e.maker).toBe(MAKER)
    expect(e.by).toBe(APPROVER)
    refused(submit(submitted(), { by: MAKER }), "already_submitted")
    refused(submit(issued(), { by: MAKER }), "not_a_draft")
  })

  test("a draft with OCR's placeholder or an amount of 0 is not ready, and every such field is named", () => {
    const unread = newDraft({ ...draftInput, payer: { name: NOT_READ }, reason: NOT_READ, amount: 0n })
    const e = refused(submit(unread, { by: MAKER }), "not_ready")
    expect(e.problems).toEqual([
      { field: "payer.name", rule: "not_read" },
      { field: "reason", rule: "not_read" },
      { field: "amount", rule: "zero_amount" }
    ])
    expect(e.message).not.toContain(DRAFT_ID)
    const transfer = newDraft({ ...draftInput, payment: { method: "bank_transfer", reference: NOT_READ } })
    expect(refused(submit(transfer, { by: MAKER }), "not_ready").problems).toEqual([{ field: "payment.reference", rule: "not_read" }])
    const fixed = ok(editDraft(unread, { payer: { name: "Nguyễn Văn An" }, reason: "Nộp tiền thi hành án", amount: 1_000n }, { by: MAKER, now: later }))
    expect(submitted(fixed).status).toBe("submitted")
  })

  test("editing a submitted draft makes it a draft again", () => {
    const edited = ok(editDraft(submitted(), { amount: 100_000_000n }, { by: MAKER, now: later }))
    expect(edited.status).toBe("draft")
    refused(issue(edited, { approver: APPROVER, number: 1, lookupCode: "7KQ2M9XH4T8P", now: issuedAt }), "not_submitted")
  })

  test("the maker withdraws a submitted draft; nobody else can, and a draft has nothing to withdraw", () => {
    expect(ok(withdraw(submitted(), { by: MAKER })).status).toBe("draft")
    refused(withdraw(submitted(), { by: APPROVER }), "only_maker_can_withdraw")
    refused(withdraw(newDraft(), { by: MAKER }), "not_submitted")
    refused(withdraw(issued(), { by: MAKER }), "not_a_draft")
  })
})

describe("addScan", () => {
  test("only the maker adds scans; a submitted draft becomes a draft again", () => {
    expect(ok(addScan(newDraft(), { by: MAKER })).status).toBe("draft")
    expect(ok(addScan(submitted(), { by: MAKER })).status).toBe("draft")
    const e = refused(addScan(submitted(), { by: APPROVER }), "only_maker_can_add_scans")
    expect(e.message).toContain(`only they may add scans to it, not ${APPROVER}`)
    refused(addScan(issued(), { by: MAKER }), "not_a_draft")
  })
})

describe("deleteDraft", () => {
  test("the maker may delete a draft, submitted or not", () => {
    expect(Result.isSuccess(deleteDraft(newDraft(), { by: MAKER }))).toBe(true)
    expect(Result.isSuccess(deleteDraft(submitted(), { by: MAKER }))).toBe(true)
  })

  test("nobody else may, unless an administrator gives a reason", () => {
    const e = refused(deleteDraft(newDraft(), { by: APPROVER }), "only_maker_can_delete")
    expect(e.maker).toBe(MAKER)
    refused(deleteDraft(newDraft(), { by: "admin.hcm", override: { reason: "  " } }), "only_maker_can_delete")
    expect(Result.isSuccess(deleteDraft(newDraft(), { by: "admin.hcm", override: { reason: "Cán bộ đã nghỉ việc" } }))).toBe(true)
  })

  test("an issued or voided receipt keeps its number forever", () => {
    expect(refused(deleteDraft(issued(), { by: MAKER }), "not_a_draft").message).toContain("void it instead")
    refused(deleteDraft(voided(), { by: "admin.hcm", override: { reason: "x" } }), "not_a_draft")
  })
})

describe("issue", () => {
  test("numbers, codes and timestamps the draft", () => {
    const r = issued()
    expect(encodeReceipt(r)).toEqual(issuedJson)
  })

  test("the maker cannot approve their own draft", () => {
    const e = refused(issue(submitted(), { approver: MAKER, number: 42, lookupCode: "7KQ2M9XH4T8P", now: issuedAt }), "maker_cannot_approve")
    expect(e.message).toContain("another officer")
    // People read the refusal: the draft is named by its payer and amount, never by its id.
    expect(e.message).toContain("the submitted draft for Nguyễn Văn An, 125.500.000 đ")
    expect(e.message).not.toContain(DRAFT_ID)
    expect(e.subject).toEqual({ symbol: "AA/25E", payerName: "Nguyễn Văn An", amount: "125500000" })
  })

  test("a draft its maker has not submitted cannot be issued", () => {
    const e = refused(issue(newDraft(), { approver: APPROVER, number: 42, lookupCode: "7KQ2M9XH4T8P", now: issuedAt }), "not_submitted")
    expect(e.message).toContain(`its maker ${MAKER} must submit it first`)
  })

  test("a receipt is issued once", () => {
    refused(issue(issued(), { approver: APPROVER, number: 43, lookupCode: "7KQ2M9XH4T8P", now: later }), "not_a_draft")
  })

  test("the symbol's year must be the issue year", () => {
    const e = invalid(issue(submitted(), { approver: APPROVER, number: 1, lookupCode: "7KQ2M9XH4T8P", now: "2026-01-02T02:00:00.000Z" }))
    expect(e.issues).toEqual([{ path: "series.symbol", message: "the symbol's year does not match the issue year 2026" }])
  })

  test("invalid issue details are listed", () => {
    const e = invalid(issue(submitted(), { approver: APPROVER, number: 0, lookupCode: "OOPS", now: issuedAt }))
    expect(e.issues.map((i) => i.path).sort()).toEqual(["lookupCode", "number"])
  })
})

describe("voidReceipt", () => {
  test("voids an issued receipt, which keeps its number and its signed bytes", () => {
    const original = issued()
    const v = ok(voidReceipt(original, { by: APPROVER, reason: "Lập trùng biên lai số 0000041", now: later }))
    expect(v.status).toBe("voided")
    expect(v.number).toBe(42)
    expect(v.voided).toEqual({ reason: "Lập trùng biên lai số 0000041", by: APPROVER, at: later })
    expect(hex(canonicalBytes(v as IssuedReceipt))).toBe(hex(canonicalBytes(original)))
  })

  test("a draft is deleted, not voided", () => {
    expect(refused(voidReceipt(newDraft(), { by: APPROVER, reason: "x", now: later }), "not_issued").message).toContain("delete the draft")
  })

  test("a voided receipt is voided once", () => {
    refused(voidReceipt(voided(), { by: APPROVER, reason: "lần nữa", now: later }), "already_voided")
  })

  test("a replaced receipt cannot be voided: void the replacement instead", () => {
    const { replaced } = replacementPair()
    const e = refused(voidReceipt(replaced, { by: APPROVER, reason: "Sai số tiền", now: later }), "replaced_cannot_be_voided")
    expect(e.message).toBe(
      "receipt AA/25E 0000042 was replaced by AA/25E 0000057; a replaced receipt cannot be voided — void the replacement instead"
    )
  })

  test("a void needs a reason, a valid officer and a time after issuance", () => {
    const e = refused(voidReceipt(issued(), { by: "Lê Minh Cường", reason: "  ", now: later }), "invalid_details")
    expect(e.message).toContain("voided.reason: the reason for voiding must not be empty")
    expect(e.message).toContain("voided.by: expected an officer id")
    const early = refused(voidReceipt(issued(), { by: APPROVER, reason: "Lập sai", now: "2025-06-22T00:00:00.000Z" }), "invalid_details")
    expect(early.message).toContain("voided.at: the receipt is voided before it was issued")
  })
})

describe("replacement", () => {
  test("a replacement draft references the original, which becomes replaced once the replacement is issued", () => {
    const { original, replacement, replaced } = replacementPair()
    expect(replacement.replaces).toEqual({ id: DRAFT_ID, series: { form: "01-BLTHADS", symbol: "AA/25E" }, number: 42 })
    expect(replacement.amountInWords).toBe("Một trăm năm mươi hai triệu năm trăm nghìn đồng")
    expect(replaced.status).toBe("replaced")
    expect(replaced.replacedBy).toEqual(refOf(replacement))
    expect(replaced.number).toBe(42)
    expect(hex(canonicalBytes(replaced as IssuedReceipt))).toBe(hex(canonicalBytes(original)))
  })

  test("only an issued receipt can be replaced", () => {
    const ctx = { id: REPLACEMENT_ID, maker: MAKER, now: later }
    refused(draftReplacement(newDraft(), replacementInput, ctx), "not_issued")
    expect(refused(draftReplacement(voided(), replacementInput, ctx), "voided_cannot_be_replaced").message).toContain("issue a new receipt")
    const e = refused(draftReplacement(replacementPair().replaced, replacementInput, ctx), "already_replaced")
    expect(e.message).toContain("replace AA/25E 0000057")
  })

  test("the replacement must correct the amount or content; name and address are annotated instead", () => {
    const ctx = { id: REPLACEMENT_ID, maker: MAKER, now: later }
    refused(draftReplacement(issued(), draftInput, ctx), "replacement_must_differ")
    const renamed = { ...draftInput, payer: { ...draftInput.payer, name: "Nguyễn Văn Ân", address: "Số 14 đường Lê Lợi" } }
    expect(refused(draftReplacement(issued(), renamed, ctx), "replacement_must_differ").message).toContain("annotation")
    const newReason = { ...draftInput, reason: "Nộp án phí dân sự sơ thẩm" }
    expect(ok(draftReplacement(issued(), newReason, ctx)).reason).toBe("Nộp án phí dân sự sơ thẩm")
  })

  test("the replacement belongs to the same agency", () => {
    refused(draftReplacement(issued(), { ...replacementInput, agency: "HNI" }, { id: REPLACEMENT_ID, maker: MAKER, now: later }), "agency_mismatch")
  })

  test("markReplaced needs the issued replacement of this very receipt", () => {
    const { original, replacement } = replacementPair()
    const unrelated = issued(newDraft(bankTransferInput, REPLACEMENT_ID), 7)
    refused(markReplaced(original, unrelated, { now: later }), "not_the_replacement")
    const draftOnly = ok(draftReplacement(original, replacementInput, { id: REPLACEMENT_ID, maker: MAKER, now: later }))
    refused(markReplaced(original, draftOnly as IssuedReceipt, { now: later }), "not_the_replacement")
    refused(markReplaced(original, replacement, { now: issuedAt }), "invalid_details")
    refused(markReplaced(ok(markReplaced(original, replacement, { now: later })), replacement, { now: later }), "already_replaced")
  })
})

describe("annotate", () => {
  // Requested by the maker, approved by another officer (domain/corrections.ts makes these).
  const nameFix = { field: "payerName" as const, value: "Nguyễn Văn Ân", note: "Sai dấu theo CCCD", by: MAKER, at: later, approvedBy: APPROVER }

  test("corrects the payer's name beside the signed content, which stays byte for byte the same", () => {
    const original = issued()
    const a = ok(annotate(original, nameFix))
    expect(a.annotations).toEqual([nameFix])
    expect(a.payer.name).toBe("Nguyễn Văn An")
    expect(effectivePayer(a)).toEqual({ name: "Nguyễn Văn Ân", address: draftInput.payer.address ?? "" })
    expect(hex(canonicalBytes(a as IssuedReceipt))).toBe(hex(canonicalBytes(original)))
  })

  test("voided and replaced receipts can be annotated too", () => {
    expect(ok(annotate(voided(), nameFix)).annotations).toHaveLength(1)
    expect(ok(annotate(replacementPair().replaced, nameFix)).annotations).toHaveLength(1)
  })

  test("a draft is edited, not annotated", () => {
    expect(refused(annotate(newDraft(), nameFix), "draft_cannot_be_annotated").message).toContain("edit it instead")
  })

  test("an annotation needs a value, a time after issuance, and an approver who is not its requester", () => {
    refused(annotate(issued(), { ...nameFix, value: "" }), "invalid_details")
    refused(annotate(issued(), { ...nameFix, at: created }), "invalid_details")
    expect(refused(annotate(issued(), { ...nameFix, approvedBy: MAKER }), "invalid_details").message).toContain("must not be the officer who requested it")
  })

  test("effectivePayer: the latest annotation per field wins, by time", () => {
    const r = [
      { field: "payerAddress" as const, value: "Số 20 đường Nguyễn Huệ, phường Sài Gòn, TP. Hồ Chí Minh", by: MAKER, at: "2025-07-03T02:00:00.000Z", approvedBy: APPROVER },
      { field: "payerName" as const, value: "Nguyễn Văn Ân", by: MAKER, at: "2025-07-05T02:00:00.000Z", approvedBy: APPROVER },
      { field: "payerAddress" as const, value: "Số 1 đường Lê Duẩn", by: MAKER, at: "2025-07-01T02:00:00.000Z", approvedBy: APPROVER },
      // Not approved: kept on record, corrects nothing.
      { field: "payerName" as const, value: "Người Khác", by: MAKER, at: "2025-07-09T02:00:00.000Z" }
    ].reduce((acc, a) => ok(annotate(acc, a)), issued() as Receipt)
    expect(effectivePayer(r)).toEqual({ name: "Nguyễn Văn Ân", address: "Số 20 đường Nguyễn Huệ, phường Sài Gòn, TP. Hồ Chí Minh" })
    expect(effectivePayer(newDraft({ ...draftInput, payer: { name: "Lê Thị Hạnh" } }))).toEqual({ name: "Lê Thị Hạnh" })
  })
})

describe("properties", () => {
  test("transitions after issuance never change the signed bytes, and the result stays a valid receipt", () => {
    fc.assert(
      fc.property(laterReceiptArbitrary, fc.constantFrom("void", "annotate", "replace"), (r, action) => {
        const before = hex(canonicalBytes(r))
        const at = new Date(Date.parse(r.issuedAt) + 86_400_000).toISOString()
        const result = action === "void"
          ? voidReceipt(r, { by: "pham.thu.ha", reason: "Lập sai", now: at })
          : action === "annotate"
          ? annotate(r, { field: "payerAddress", value: "Số 3 đường Hai Bà Trưng, phường Bến Nghé", by: "pham.thu.ha", at })
          : markReplaced(r, { ...r, id: "00000000-0000-4000-8000-000000000001", status: "issued", replaces: refOf(r), annotations: [] }, { now: at })
        // Only an issued receipt can be voided or replaced; any later receipt can be annotated.
        expect(Result.isSuccess(result)).toBe(action === "annotate" || r.status === "issued")
        if (Result.isSuccess(result)) {
          expect(hex(canonicalBytes(result.success as IssuedReceipt))).toBe(before)
          expect(Result.isSuccess(decodeReceipt(encodeReceipt(result.success)))).toBe(true)
        }
      }),
      { numRuns: 150 }
    )
  })

  test("createDraft → submit → issue reproduces any valid issued receipt that may be submitted; any other is refused at submission", () => {
    fc.assert(
      fc.property(issuedReceiptArbitrary, (r) => {
        const draft = ok(createDraft(
          { agency: r.agency, office: r.office, series: r.series, payer: r.payer, case: r.case, reason: r.reason, amount: r.amount, amountInWords: r.amountInWords, payment: r.payment },
          { id: r.id, maker: r.maker, now: r.createdAt }
        ))
        const submitted = submit(draft, { by: r.maker })
        // A receipt of 0 đ (or with an OCR placeholder) decodes as a receipt, but nobody may submit it.
        if (submissionProblems(draft).length > 0) {
          expect(Result.isFailure(submitted) && submitted.failure.reason).toBe("not_ready")
          return
        }
        const again = ok(issue(ok(submitted), { approver: r.approver, number: r.number, lookupCode: r.lookupCode, now: r.issuedAt }))
        expect(again).toEqual(r)
      }),
      { numRuns: 100 }
    )
  })
})

// ---------------------------------------------------------------------------
// Model-based test: random command sequences against a tiny model.

type Status = Receipt["status"]
interface ModelEntry {
  status: Status
  /** Nothing keeps it from being submitted (no amount of 0). */
  ready: boolean
  seriesKey: string
  number?: number
  bytes?: string
  replaces?: string
  replacedBy?: string
  annotations: number
}
interface Model {
  readonly slots: Map<string, ModelEntry>
  readonly counters: Map<string, number>
}
interface Real {
  readonly receipts: Map<string, Receipt>
  tick: number
}

const SLOT_IDS = [
  "11111111-1111-4111-8111-111111111111",
  "22222222-2222-4222-8222-222222222222",
  "33333333-3333-4333-8333-333333333333",
  "44444444-4444-4444-8444-444444444444"
] as const
// The third is not ready to submit: OCR read no amount (0 đồng) until an edit sets one.
const INPUTS = [draftInput, bankTransferInput, { ...draftInput, amount: 0n }] as const
const seriesKeyOf = (r: Receipt) => seriesKey(seriesOf(r))
const nowOf = (real: Real): string => new Date(Date.parse("2025-06-23T01:00:00.000Z") + ++real.tick * 60_000).toISOString()
const inputOf = (r: Receipt, amount: bigint): DraftInput => ({
  agency: r.agency,
  office: r.office,
  series: r.series,
  payer: r.payer,
  case: r.case,
  reason: r.reason,
  amount,
  payment: r.payment
})

/** Expects the real outcome to be the one the model predicts: success, or a refusal for this reason. */
const expectOutcome = <A>(result: Result.Result<A, TransitionError | InvalidReceipt>, reason: TransitionReason | undefined): A | undefined => {
  if (reason === undefined) return ok(result)
  refused(result, reason)
  return undefined
}

const statusesReached = new Set<Status>()

const checkInvariants = (m: Model, real: Real) => {
  for (const entry of m.slots.values()) statusesReached.add(entry.status)
  expect([...real.receipts.keys()].sort()).toEqual([...m.slots.keys()].sort())
  const numbersBySeries = new Map<string, Array<number>>()
  for (const [id, entry] of m.slots) {
    const r = real.receipts.get(id)
    if (r === undefined) throw new Error(`receipt ${id} is missing`)
    expect(r.status).toBe(entry.status)
    expect(r.number).toBe(entry.number)
    expect(r.annotations).toHaveLength(entry.annotations)
    expect(r.replaces?.id).toBe(entry.replaces)
    expect(r.replacedBy?.id).toBe(entry.replacedBy)
    expect(Result.isSuccess(decodeReceipt(encodeReceipt(r)))).toBe(true)
    if (r.number !== undefined) {
      expect(hex(canonicalBytes(r as IssuedReceipt))).toBe(entry.bytes ?? "")
      numbersBySeries.set(entry.seriesKey, [...(numbersBySeries.get(entry.seriesKey) ?? []), r.number])
    }
  }
  // Gap-free and unique: the issued numbers of a series are exactly 1..counter.
  for (const [key, count] of m.counters) {
    const numbers = (numbersBySeries.get(key) ?? []).sort((a, b) => a - b)
    expect(numbers).toEqual(Array.from({ length: count }, (_, i) => i + 1))
  }
}

const slotArb = fc.constantFrom(...SLOT_IDS)

const makeCreate = (id: string, variant: 0 | 1 | 2): fc.Command<Model, Real> => ({
  check: (m: Readonly<Model>) => !m.slots.has(id),
  run(m: Model, real: Real) {
    const input = INPUTS[variant]
    const draft = ok(createDraft(input, { id, maker: MAKER, now: nowOf(real) }))
    real.receipts.set(id, draft)
    m.slots.set(id, { status: "draft", ready: input.amount > 0n, seriesKey: seriesKeyOf(draft), annotations: 0 })
    checkInvariants(m, real)
  },
  toString: () => `create(${id.slice(0, 1)}, ${variant})`
})

const present = (id: string) => (m: Readonly<Model>) => m.slots.has(id)
const entryOf = (m: Model, id: string): ModelEntry => {
  const e = m.slots.get(id)
  if (e === undefined) throw new Error(`no model entry ${id}`)
  return e
}
const receiptOf = (real: Real, id: string): Receipt => {
  const r = real.receipts.get(id)
  if (r === undefined) throw new Error(`no receipt ${id}`)
  return r
}

const unissued = (entry: ModelEntry) => entry.status === "draft" || entry.status === "submitted"

const makeEdit = (id: string, amount: bigint, byMaker: boolean): fc.Command<Model, Real> => ({
  check: present(id),
  run(m: Model, real: Real) {
    const entry = entryOf(m, id)
    const expected = !unissued(entry) ? "not_a_draft" : byMaker ? undefined : "only_maker_can_edit"
    const by = byMaker ? MAKER : APPROVER
    const edited = expectOutcome(editDraft(receiptOf(real, id), { amount: amount }, { by, now: nowOf(real) }), expected)
    if (edited !== undefined) {
      real.receipts.set(id, edited)
      // An edit, even of a submitted draft, leaves a draft to be submitted again.
      entry.status = "draft"
      entry.ready = true
    }
    checkInvariants(m, real)
  },
  toString: () => `edit(${id.slice(0, 1)}, ${amount}, ${byMaker ? "maker" : "other"})`
})

const makeSubmit = (id: string, byMaker: boolean): fc.Command<Model, Real> => ({
  check: present(id),
  run(m: Model, real: Real) {
    const entry = entryOf(m, id)
    const expected = entry.status === "submitted"
      ? "already_submitted"
      : entry.status !== "draft"
      ? "not_a_draft"
      : !byMaker
      ? "only_maker_can_submit"
      : !entry.ready
      ? "not_ready"
      : undefined
    const r = expectOutcome(submit(receiptOf(real, id), { by: byMaker ? MAKER : APPROVER }), expected)
    if (r !== undefined) {
      real.receipts.set(id, r)
      entry.status = "submitted"
    }
    checkInvariants(m, real)
  },
  toString: () => `submit(${id.slice(0, 1)}, ${byMaker ? "maker" : "other"})`
})

const makeWithdraw = (id: string, byMaker: boolean): fc.Command<Model, Real> => ({
  check: present(id),
  run(m: Model, real: Real) {
    const entry = entryOf(m, id)
    const expected = entry.status === "draft" ? "not_submitted" : entry.status !== "submitted" ? "not_a_draft" : byMaker ? undefined : "only_maker_can_withdraw"
    const r = expectOutcome(withdraw(receiptOf(real, id), { by: byMaker ? MAKER : APPROVER }), expected)
    if (r !== undefined) {
      real.receipts.set(id, r)
      entry.status = "draft"
    }
    checkInvariants(m, real)
  },
  toString: () => `withdraw(${id.slice(0, 1)}, ${byMaker ? "maker" : "other"})`
})

const makeDelete = (id: string, byMaker: boolean): fc.Command<Model, Real> => ({
  check: present(id),
  run(m: Model, real: Real) {
    const entry = entryOf(m, id)
    const result = deleteDraft(receiptOf(real, id), { by: byMaker ? MAKER : APPROVER })
    if (unissued(entry) && byMaker) {
      expect(Result.isSuccess(result)).toBe(true)
      real.receipts.delete(id)
      m.slots.delete(id)
    } else {
      refused(result, unissued(entry) ? "only_maker_can_delete" : "not_a_draft")
    }
    checkInvariants(m, real)
  },
  toString: () => `delete(${id.slice(0, 1)}, ${byMaker ? "maker" : "other"})`
})

const makeIssue = (id: string, approverIsMaker: boolean): fc.Command<Model, Real> => ({
  check: present(id),
  run(m: Model, real: Real) {
    const entry = entryOf(m, id)
    const expected = entry.status === "draft"
      ? "not_submitted"
      : entry.status !== "submitted"
      ? "not_a_draft"
      : approverIsMaker
      ? "maker_cannot_approve"
      : undefined
    const number = (m.counters.get(entry.seriesKey) ?? 0) + 1
    const now = nowOf(real)
    const result = issue(receiptOf(real, id), {
      approver: approverIsMaker ? MAKER : APPROVER,
      number,
      lookupCode: "7KQ2M9XH4T8P",
      now
    })
    const r = expectOutcome(result, expected)
    if (r !== undefined) {
      real.receipts.set(id, r)
      m.counters.set(entry.seriesKey, number)
      entry.status = "issued"
      entry.number = number
      // The model computes the bytes once, at issuance; they must never change.
      entry.bytes = hex(canonicalBytes(r))
      if (entry.replaces !== undefined) {
        const original = entryOf(m, entry.replaces)
        const why = original.status === "replaced" ? "already_replaced" : original.status === "voided" ? "voided_cannot_be_replaced" : undefined
        const marked = expectOutcome(markReplaced(receiptOf(real, entry.replaces), r, { now }), why)
        if (marked !== undefined) {
          real.receipts.set(entry.replaces, marked)
          original.status = "replaced"
          original.replacedBy = id
        }
      }
    }
    checkInvariants(m, real)
  },
  toString: () => `issue(${id.slice(0, 1)}, ${approverIsMaker ? "by maker" : "by approver"})`
})

const makeVoid = (id: string): fc.Command<Model, Real> => ({
  check: present(id),
  run(m: Model, real: Real) {
    const entry = entryOf(m, id)
    const expected = ({ draft: "not_issued", submitted: "not_issued", issued: undefined, voided: "already_voided", replaced: "replaced_cannot_be_voided" } as const)[entry.status]
    const r = expectOutcome(voidReceipt(receiptOf(real, id), { by: APPROVER, reason: "Lập sai thông tin", now: nowOf(real) }), expected)
    if (r !== undefined) {
      real.receipts.set(id, r)
      entry.status = "voided"
    }
    checkInvariants(m, real)
  },
  toString: () => `void(${id.slice(0, 1)})`
})

const makeReplace = (originalId: string, newId: string): fc.Command<Model, Real> => ({
  check: (m: Readonly<Model>) => m.slots.has(originalId) && !m.slots.has(newId),
  run(m: Model, real: Real) {
    const entry = entryOf(m, originalId)
    const expected = ({ draft: "not_issued", submitted: "not_issued", issued: undefined, voided: "voided_cannot_be_replaced", replaced: "already_replaced" } as const)[entry.status]
    const original = receiptOf(real, originalId)
    const draft = expectOutcome(
      draftReplacement(original, inputOf(original, original.amount + 1_000n), { id: newId, maker: MAKER, now: nowOf(real) }),
      expected
    )
    if (draft !== undefined) {
      real.receipts.set(newId, draft)
      m.slots.set(newId, { status: "draft", ready: true, seriesKey: seriesKeyOf(draft), replaces: originalId, annotations: 0 })
    }
    checkInvariants(m, real)
  },
  toString: () => `replace(${originalId.slice(0, 1)} by ${newId.slice(0, 1)})`
})

const makeAnnotate = (id: string, name: string): fc.Command<Model, Real> => ({
  check: present(id),
  run(m: Model, real: Real) {
    const entry = entryOf(m, id)
    const at = nowOf(real)
    const result = annotate(receiptOf(real, id), { field: "payerName", value: name, by: MAKER, at, approvedBy: APPROVER })
    const r = expectOutcome(result, unissued(entry) ? "draft_cannot_be_annotated" : undefined)
    if (r !== undefined) {
      real.receipts.set(id, r)
      entry.annotations++
      expect(effectivePayer(r).name).toBe(name)
    }
    checkInvariants(m, real)
  },
  toString: () => `annotate(${id.slice(0, 1)}, ${name})`
})

const commands = [
  fc.tuple(slotArb, fc.constantFrom(0 as const, 1 as const, 2 as const)).map(([id, v]) => makeCreate(id, v)),
  fc.tuple(slotArb, fc.bigInt({ min: 1n, max: 10n ** 13n }), fc.boolean()).map(([id, a, byMaker]) => makeEdit(id, a, byMaker)),
  fc.tuple(slotArb, fc.boolean()).map(([id, byMaker]) => makeDelete(id, byMaker)),
  // Submitting comes often (a maker submits most of what they make), so the walks reach issuance.
  fc.tuple(slotArb, fc.boolean()).map(([id, byMaker]) => makeSubmit(id, byMaker)),
  fc.tuple(slotArb, fc.constant(true)).map(([id, byMaker]) => makeSubmit(id, byMaker)),
  fc.tuple(slotArb, fc.boolean()).map(([id, byMaker]) => makeWithdraw(id, byMaker)),
  fc.tuple(slotArb, fc.boolean()).map(([id, byMaker]) => makeIssue(id, byMaker)),
  fc.tuple(slotArb, fc.boolean()).map(([id, byMaker]) => makeIssue(id, byMaker)),
  slotArb.map((id) => makeVoid(id)),
  fc.tuple(slotArb, slotArb).filter(([a, b]) => a !== b).map(([a, b]) => makeReplace(a, b)),
  fc.tuple(slotArb, fc.constantFrom("Nguyễn Văn Ân", "Trần Thị Bính", "Công ty TNHH Hòa Bình")).map(([id, n]) => makeAnnotate(id, n))
]

describe("model-based", () => {
  test("random command sequences agree with the model: statuses (submission included), gap-free numbers, immutable signed bytes", () => {
    fc.assert(
      fc.property(fc.commands(commands, { maxCommands: 40, size: "large" }), (cmds) => {
        fc.modelRun(() => ({ model: { slots: new Map(), counters: new Map() }, real: { receipts: new Map(), tick: 0 } }), cmds)
      }),
      {
        numRuns: 200,
        // One walk that surely reaches "replaced" (issue, replace, issue the replacement) runs first,
        // so the coverage check below never depends on luck; the random walks add the rest.
        examples: [[[
          makeCreate(SLOT_IDS[0], 0),
          makeIssue(SLOT_IDS[0], false),
          makeSubmit(SLOT_IDS[0], true),
          makeIssue(SLOT_IDS[0], false),
          makeReplace(SLOT_IDS[0], SLOT_IDS[1]),
          makeSubmit(SLOT_IDS[1], true),
          makeIssue(SLOT_IDS[1], false),
          makeCreate(SLOT_IDS[2], 1),
          makeSubmit(SLOT_IDS[2], true),
          makeIssue(SLOT_IDS[2], false),
          makeVoid(SLOT_IDS[2]),
          makeCreate(SLOT_IDS[3], 2),
          makeSubmit(SLOT_IDS[3], true),
          makeEdit(SLOT_IDS[3], 5_000n, true),
          makeSubmit(SLOT_IDS[3], true)
        ]]]
      }
    )
    // The walks did reach every state, so the checks above were exercised on each.
    expect([...statusesReached].sort()).toEqual(["draft", "issued", "replaced", "submitted", "voided"])
  })
})

// Runs last (bun runs a file's tests in order): every refusal reason is exercised above.
test("every TransitionError reason is covered by a test", () => {
  expect([...reasonsSeen].sort()).toEqual([...TransitionReason.literals].sort())
})
