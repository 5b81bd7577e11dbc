/**
 * The ReceiptStore contract, run on embedded PGlite always and on PostgreSQL
 * when TEST_DATABASE_URL is set (each run in its own schema).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { Effect, Result } from "effect"
import { requestCorrection } from "../../domain/corrections.ts"
import { draftReplacement } from "../../domain/lifecycle.ts"
import type { IssuedReceipt, Receipt } from "../../domain/receipt.ts"
import type { ReceiptStore } from "../../domain/ports/receipt-store.ts"
import { SigningError } from "../../domain/ports/signer.ts"
import { canonicalBytes } from "../../domain/canonical.ts"
import type { Db } from "../../store/database/db.ts"
import { approveCorrectionIn, insertCorrection } from "../../store/receipts/corrections.ts"
import { migrate } from "../../store/database/migrate.ts"
import { makeReceiptStore } from "../../store/receipts/receipt-repository.ts"
import { withReservedRange } from "../../store/receipts/range-issuance.ts"
import { issuedColumns } from "../../store/receipts/receipt-rows.ts"
import { type TestDatabase, targets } from "./databases.ts"
import { approvalFor, draftInput, makeDraft, newId, requestFor, submitted } from "./fixtures.ts"
import { makeTestSigner, type TestKeys, verifySeal } from "./test-signer.ts"

const run = <A, E>(effect: Effect.Effect<A, E>): Promise<Result.Result<A, E>> => Effect.runPromise(Effect.result(effect))
const ok = async <A, E>(effect: Effect.Effect<A, E>): Promise<A> => {
  const r = await run(effect)
  if (Result.isFailure(r)) throw new Error(`expected success, got ${(r.failure as { message?: string }).message ?? String(r.failure)}`)
  return r.success
}
const failureOf = <F>(r: Result.Result<unknown, unknown>): F => {
  if (Result.isSuccess(r)) throw new Error("expected a failure")
  return r.failure as F
}
const tagOf = (r: Result.Result<unknown, unknown>): string | undefined =>
  Result.isFailure(r) ? (r.failure as { _tag?: string })._tag : undefined

for (const target of targets) {
  describe(`ReceiptStore on ${target.name}`, () => {
    let t: TestDatabase
    let keys: TestKeys
    let store: ReceiptStore["Service"]
    let seriesSeq = 0
    // Each test takes its own series, so tests never share numbering.
    const freshSeries = (year = 25) => {
      seriesSeq++
      const a = String.fromCharCode(65 + Math.floor(seriesSeq / 26) % 26)
      const b = String.fromCharCode(65 + (seriesSeq % 26))
      return { form: "01-BLTHADS", symbol: `${a}${b}/${year}E` }
    }
    const numbersOf = async (series: { form: string; symbol: string }, agency = "HCM") =>
      (await t.db.query<{ number: number }>(
        "SELECT number FROM receipts WHERE agency = $1::text AND form = $2::text AND symbol = $3::text AND number IS NOT NULL ORDER BY number",
        [agency, series.form, series.symbol]
      )).map((r) => r.number)

    beforeAll(async () => {
      t = await target.make()
      keys = await makeTestSigner()
      store = makeReceiptStore(t.db, keys.sign)
    })
    afterAll(async () => {
      await t?.dispose()
    })

    test("migrations are idempotent", async () => {
      expect(await migrate(t.db)).toEqual([])
    })

    test("a draft round-trips, and issuing numbers a series 1, 2, 3 with a verifiable seal", async () => {
      const series = freshSeries()
      const draft = makeDraft({ series })
      await ok(store.saveDraft(draft, { now: draft.createdAt }))
      expect(await ok(store.get("HCM", draft.id))).toEqual(draft)
      await ok(store.saveDraft(submitted(draft), { now: draft.createdAt }))
      expect(await ok(store.get("HCM", draft.id))).toEqual(submitted(draft))

      const first = await ok(store.issue(approvalFor(draft)))
      const second = await ok(store.issue(requestFor(makeDraft({ series }))))
      const third = await ok(store.issue(requestFor(makeDraft({ series }))))
      expect([first.number, second.number, third.number]).toEqual([1, 2, 3])

      const stored = (await ok(store.get("HCM", draft.id))) as IssuedReceipt
      expect(stored).toEqual(first)
      expect(stored.seal?.keyId).toBe(keys.keyId)
      expect(await verifySeal(keys.publicKey, stored.seal!, canonicalBytes(stored))).toBe(true)
      expect(await ok(store.findByLookupCode(first.lookupCode))).toEqual(first)
    })

    test("a draft issued twice gets one number only", async () => {
      const series = freshSeries()
      const draft = makeDraft({ series })
      await ok(store.saveDraft(submitted(draft), { now: draft.createdAt }))
      await ok(store.issue(approvalFor(draft)))
      const again = await run(store.issue(approvalFor(draft)))
      expect(tagOf(again)).toBe("StoreConflict")
      expect(await numbersOf(series)).toEqual([1])
    })

    test("only a submitted draft is issued, and a stored draft only with the hash of its content", async () => {
      const series = freshSeries()
      const draft = makeDraft({ series })
      await ok(store.saveDraft(draft, { now: draft.createdAt }))
      // Not submitted: refused by the lifecycle, whatever the request says.
      const notSubmitted = await run(store.issue({ ...approvalFor(draft), draft }))
      expect(failureOf<{ reason: string }>(notSubmitted).reason).toBe("not_submitted")
      await ok(store.saveDraft(submitted(draft), { now: draft.createdAt }))
      // Stored and submitted: a request that names no content never writes over it.
      expect(failureOf<{ reason: string }>(await run(store.issue(requestFor(draft)))).reason).toBe("already_issued")
      // A hash of other content is refused before any number is taken.
      const wrong = await run(store.issue({ ...approvalFor(draft), contentHash: "0".repeat(64) }))
      expect(failureOf<{ reason: string }>(wrong).reason).toBe("content_changed")
      expect(await numbersOf(series)).toEqual([])
      const issued = await ok(store.issue(approvalFor(draft)))
      expect(issued.number).toBe(1)
      const [row] = await t.db.query<{ content_sha256: string }>("SELECT content_sha256 FROM receipts WHERE id = $1::uuid", [draft.id])
      expect(row?.content_sha256).toBe(approvalFor(draft).contentHash!)
    })

    test("an approval of content the maker changed meanwhile is refused inside the issuing transaction", async () => {
      const series = freshSeries()
      const read = submitted(makeDraft({ series, amount: 1_000_000n }))
      await ok(store.saveDraft(read, { now: read.createdAt }))
      // The approver read `read`; then the maker changes the amount and submits again.
      const edited: Receipt = { ...read, status: "draft", amount: 100_000_000n, amountInWords: "Một trăm triệu đồng" }
      await ok(store.saveDraft(edited, { now: read.createdAt }))
      const changed = submitted(edited)
      await ok(store.saveDraft(changed, { now: read.createdAt }))
      // The approval carries what the approver read, consistently hashed: only the stored row can tell it changed.
      const stale = await run(store.issue(approvalFor(read)))
      expect(failureOf<{ reason: string; message: string }>(stale).reason).toBe("content_changed")
      expect(failureOf<{ message: string }>(stale).message).toContain("changed after it was approved")
      expect(await numbersOf(series)).toEqual([])
      expect((await ok(store.get("HCM", read.id))).amount).toBe(100_000_000n)
      // Edited back to a draft: refused the same way.
      await ok(store.saveDraft({ ...changed, status: "draft" }, { now: read.createdAt }))
      expect(failureOf<{ reason: string }>(await run(store.issue(approvalFor(changed)))).reason).toBe("content_changed")
      // Deleted: nothing is resurrected as a receipt.
      await ok(store.deleteDraft("HCM", read.id, { by: read.maker }))
      expect(failureOf<{ reason: string }>(await run(store.issue(approvalFor(changed)))).reason).toBe("content_changed")
      expect(tagOf(await run(store.get("HCM", read.id)))).toBe("ReceiptNotFound")
      expect(await numbersOf(series)).toEqual([])
    })

    test("the audit log names submission, withdrawal and who a change was made for", async () => {
      const draft = makeDraft({ series: freshSeries() })
      await ok(store.saveDraft(draft, { now: draft.createdAt }))
      await ok(store.saveDraft({ ...draft, amount: 7_000n, amountInWords: "Bảy nghìn đồng" }, { now: draft.createdAt, auditDetail: { via: "ocr", onBehalfOf: "lan.nguyen" } }))
      const sent = submitted({ ...draft, amount: 7_000n, amountInWords: "Bảy nghìn đồng" })
      await ok(store.saveDraft(sent, { now: draft.createdAt }))
      await ok(store.saveDraft({ ...sent, status: "draft" }, { now: draft.createdAt }))
      await ok(store.saveDraft(sent, { now: draft.createdAt }))
      await ok(store.saveDraft({ ...sent, status: "draft", amount: 8_000n, amountInWords: "Tám nghìn đồng" }, { now: draft.createdAt }))
      const rows = await t.db.query<{ action: string; detail: unknown }>(
        "SELECT action, detail FROM audit_log WHERE agency = 'HCM' AND receipt_id = $1::uuid ORDER BY seq",
        [draft.id]
      )
      const detail = rows.map((r) => (typeof r.detail === "string" ? JSON.parse(r.detail) : r.detail) as Record<string, unknown>)
      expect(rows.map((r) => r.action)).toEqual(["draft_created", "draft_edited", "draft_submitted", "draft_withdrawn", "draft_submitted", "draft_edited"])
      expect(detail[1]).toMatchObject({ via: "ocr", onBehalfOf: "lan.nguyen" })
      expect(detail[2]?.["contentSha256"]).toBe(approvalFor(sent).contentHash!)
      expect(detail[3]?.["returnedToDraft"]).toBe(true)
      expect(detail[5]?.["returnedToDraft"]).toBe(true)
      // The note was for that one change only.
      expect(detail[2]?.["via"]).toBeUndefined()
    })

    test("someone else's draft is deleted only with an administrator's reason, which the audit keeps", async () => {
      const draft = makeDraft({ series: freshSeries() })
      await ok(store.saveDraft(submitted(draft), { now: draft.createdAt }))
      const refused = await run(store.deleteDraft("HCM", draft.id, { by: "admin.hcm", override: { reason: " " } }))
      expect(failureOf<{ reason: string }>(refused).reason).toBe("only_maker_can_delete")
      await ok(store.deleteDraft("HCM", draft.id, { by: "admin.hcm", override: { reason: "Cán bộ lập đã chuyển công tác" } }))
      const [row] = await t.db.query<{ actor: string; detail: unknown }>(
        "SELECT actor, detail FROM audit_log WHERE agency = 'HCM' AND receipt_id = $1::uuid AND action = 'draft_deleted'",
        [draft.id]
      )
      expect(row?.actor).toBe("admin.hcm")
      expect(typeof row?.detail === "string" ? JSON.parse(row.detail) : row?.detail).toMatchObject({ reason: "Cán bộ lập đã chuyển công tác", maker: "lan.nguyen", status: "submitted" })
    })

    test("the approver cannot be the maker, and a refused request consumes no number", async () => {
      const series = freshSeries()
      const refused = await run(store.issue(requestFor(makeDraft({ series }), { approver: "lan.nguyen" })))
      expect(tagOf(refused)).toBe("TransitionError")
      expect((await ok(store.issue(requestFor(makeDraft({ series }))))).number).toBe(1)
    })

    test("concurrent requests share transactions; an invalid one does not sink the others", async () => {
      const series = freshSeries()
      const requests = Array.from({ length: 24 }, (_, i) =>
        requestFor(makeDraft({ series }), i % 6 === 3 ? { approver: "lan.nguyen" } : {}))
      // One duplicate lookup code: the database refuses it inside the group.
      const dup = requests[5]!
      requests[7] = { ...requests[7]!, lookupCode: dup.lookupCode }
      const results = await Promise.all(requests.map((r) => run(store.issue(r))))
      const issued = results.filter(Result.isSuccess).map((r) => r.success.number).sort((a, b) => a - b)
      expect(results.filter((r) => tagOf(r) === "TransitionError")).toHaveLength(4)
      expect(results.filter((r) => tagOf(r) === "StoreConflict")).toHaveLength(1)
      expect(issued).toEqual(Array.from({ length: 19 }, (_, i) => i + 1))
      expect(await numbersOf(series)).toEqual(issued)
    })

    test("two issuers on one database, as two processes, interleave without gaps", async () => {
      // Each issuer predicts its next numbers from its own last group; the other one keeps proving it wrong.
      const other = makeReceiptStore(t.db, keys.sign)
      const series = freshSeries()
      const numbers: Array<number> = []
      for (let round = 0; round < 6; round++) {
        const drafts = Array.from({ length: 3 }, () => makeDraft({ series }))
        const burst = await Promise.all([
          ...drafts.map((d) => ok(store.issue(requestFor(d)))),
          ...Array.from({ length: round % 3 }, () => ok(other.issue(requestFor(makeDraft({ series })))))
        ])
        numbers.push(...burst.map((r) => r.number))
        // The same draft sent again, beside a good one: the database refuses it inside the group; the other is issued.
        const [again, fresh] = await Promise.all([
          run(store.issue(requestFor(drafts[0]!))),
          run(store.issue(requestFor(makeDraft({ series }))))
        ])
        expect(tagOf(again)).toBe("StoreConflict")
        if (Result.isSuccess(fresh!)) numbers.push(fresh.success.number)
        expect(Result.isSuccess(fresh!)).toBe(true)
      }
      numbers.sort((a, b) => a - b)
      expect(numbers).toEqual(Array.from({ length: numbers.length }, (_, i) => i + 1))
      expect(await numbersOf(series)).toEqual(numbers)
    })

    test("a stored draft issued twice at once through two issuers gets one number", async () => {
      const other = makeReceiptStore(t.db, keys.sign)
      const series = freshSeries()
      await ok(store.issue(requestFor(makeDraft({ series }))))
      await ok(other.issue(requestFor(makeDraft({ series }))))
      const draft = makeDraft({ series })
      await ok(store.saveDraft(draft, { now: draft.createdAt }))
      await ok(store.saveDraft(submitted(draft), { now: draft.createdAt }))
      const results = await Promise.all([run(store.issue(approvalFor(draft))), run(other.issue(approvalFor(draft)))])
      expect(results.filter(Result.isSuccess)).toHaveLength(1)
      expect(results.map(tagOf).filter((x) => x !== undefined)).toEqual(["StoreConflict"])
      expect(await numbersOf(series)).toEqual([1, 2, 3])
      // Issued from a stored draft (an upsert inside the one-statement path), and logged as such.
      const actions = await t.db.query<{ action: string }>(
        "SELECT action FROM audit_log WHERE agency = 'HCM' AND receipt_id = $1::uuid ORDER BY seq",
        [draft.id]
      )
      expect(actions.map((a) => a.action)).toEqual(["draft_created", "draft_submitted", "issued"])
      const stored = await ok(store.get("HCM", draft.id))
      expect(stored.status).toBe("issued")
    })

    test("once it knows the series, an issuer issues in one statement, stored drafts included", async () => {
      let transactions = 0
      const counted: Db = { ...t.db, transaction: (body, options) => (transactions++, t.db.transaction(body, options)) }
      const counting = makeReceiptStore(counted, keys.sign)
      const series = freshSeries()
      await ok(counting.issue(requestFor(makeDraft({ series }))))
      // The first group learns the counter the careful way, in a transaction.
      expect(transactions).toBe(1)
      const draft = makeDraft({ series })
      await ok(counting.saveDraft(submitted(draft), { now: draft.createdAt }))
      const issued = await ok(counting.issue(approvalFor(draft)))
      expect(issued.number).toBe(2)
      expect(transactions).toBe(1)
      expect(await ok(counting.get("HCM", draft.id))).toEqual(issued)
      expect(await verifySeal(keys.publicKey, issued.seal!, canonicalBytes(issued))).toBe(true)
      const actions = await t.db.query<{ action: string }>(
        "SELECT action FROM audit_log WHERE agency = 'HCM' AND receipt_id = $1::uuid ORDER BY seq",
        [draft.id]
      )
      expect(actions.map((a) => a.action)).toEqual(["draft_submitted", "issued"])
    })

    test("a signing failure refuses that request only", async () => {
      const series = freshSeries()
      const unknown = run(store.issue(requestFor(makeDraft({ series, agency: "XYZ" }))))
      const known = run(store.issue(requestFor(makeDraft({ series }))))
      expect(tagOf(await unknown)).toBe("SigningError")
      expect(Result.isSuccess(await known)).toBe(true)
      expect(await numbersOf(series, "XYZ")).toEqual([])
    })

    test("a symbol of another year is refused; the new year's symbol starts at 1", async () => {
      const old = freshSeries(25)
      await ok(store.issue(requestFor(makeDraft({ series: old }))))
      // 2026-01-01 00:30 in Vietnam is still 2025-12-31 in UTC: the year is Vietnam's.
      const newYear = "2025-12-31T17:30:00.000Z"
      const late = await run(store.issue(requestFor(makeDraft({ series: old }), { now: newYear })))
      expect(tagOf(late)).toBe("SymbolYearMismatch")
      expect(failureOf<{ message: string }>(late).message).toContain("26E")
      const fresh = { form: old.form, symbol: `${old.symbol.slice(0, 3)}26E` }
      const first = await ok(store.issue(requestFor(makeDraft({ series: fresh }), { now: newYear })))
      expect(first.number).toBe(1)
    })

    test("an exhausted series says so and names a new symbol", async () => {
      const series = freshSeries()
      // Simulate 9,999,998 earlier receipts without writing them: triggers off for this setup only.
      await t.db.transaction(async (tx) => {
        await tx.query("SET LOCAL session_replication_role = replica")
        await tx.query("INSERT INTO series_counter (agency, form, symbol, last_number) VALUES ('HCM', $1::text, $2::text, 9999998)", [series.form, series.symbol])
      })
      const results = await Promise.all([0, 1, 2].map(() => run(store.issue(requestFor(makeDraft({ series }))))))
      const numbers = results.filter(Result.isSuccess).map((r) => r.success.number).sort()
      expect(numbers).toEqual([9999999])
      const failures = results.filter(Result.isFailure)
      expect(failures.map(tagOf)).toEqual(["SeriesExhausted", "SeriesExhausted"])
      expect(failureOf<{ message: string }>(failures[0]!).message).toMatch(/exhausted.*new symbol/)
    })

    test("voiding keeps the number; a voided receipt is voided once", async () => {
      const series = freshSeries()
      const r = await ok(store.issue(requestFor(makeDraft({ series }))))
      const voided = await ok(store.voidReceipt("HCM", r.id, { by: "hung.tran", reason: "Thu nhầm hồ sơ", now: "2025-06-24T01:00:00.000Z" }))
      expect(voided.status).toBe("voided")
      expect(await ok(store.get("HCM", r.id))).toEqual(voided)
      expect(await numbersOf(series)).toEqual([1])
      const twice = await run(store.voidReceipt("HCM", r.id, { by: "hung.tran", reason: "lần hai", now: "2025-06-24T02:00:00.000Z" }))
      expect(tagOf(twice)).toBe("TransitionError")
    })

    test("a replacement takes a new number and marks the original replaced in one transaction", async () => {
      const series = freshSeries()
      const original = await ok(store.issue(requestFor(makeDraft({ series }))))
      const replacementDraft = Result.getOrThrow(draftReplacement(original, draftInput({ series, amount: 99_000_000n }), {
        id: newId(),
        maker: "lan.nguyen",
        now: "2025-06-23T04:00:00.000Z"
      }))
      const replacement = await ok(store.issue(requestFor(replacementDraft, { now: "2025-06-23T05:00:00.000Z" })))
      expect(replacement.number).toBe(2)
      const after = await ok(store.get("HCM", original.id))
      expect(after.status).toBe("replaced")
      expect(after.replacedBy).toEqual({ id: replacement.id, series, number: 2 })
      // The same original cannot be replaced again, and that consumes no number.
      const again = Result.getOrThrow(draftReplacement(original, draftInput({ series, amount: 98_000_000n }), {
        id: newId(),
        maker: "lan.nguyen",
        now: "2025-06-23T04:00:00.000Z"
      }))
      expect(tagOf(await run(store.issue(requestFor(again, { now: "2025-06-23T06:00:00.000Z" }))))).toBe("StoreConflict")
      expect(await numbersOf(series)).toEqual([1, 2])
      const voidReplaced = await run(store.voidReceipt("HCM", original.id, { by: "hung.tran", reason: "x", now: "2025-06-24T01:00:00.000Z" }))
      expect(tagOf(voidReplaced)).toBe("TransitionError")
    })

    test("a correction is requested by one officer and approved by another, with the exact text; only then is it an annotation", async () => {
      const r = await ok(store.issue(requestFor(makeDraft({ series: freshSeries() }))))
      const q = Result.getOrThrow(requestCorrection(r, { field: "payerName", value: "Nguyễn Văn Ân", note: "Sai dấu tên người nộp" }, {
        id: newId(),
        by: "lan.nguyen",
        now: "2025-06-24T01:00:00.000Z"
      }))
      await ok(insertCorrection(t.db, q))
      expect((await ok(store.get("HCM", r.id))).annotations).toEqual([])
      // The requester cannot approve; another officer cannot approve other text.
      expect(failureOf<{ reason: string }>(await run(approveCorrectionIn(t.db, "HCM", q.id, { by: "lan.nguyen", value: q.value, now: "2025-06-24T02:00:00.000Z" }))).reason)
        .toBe("requester_cannot_approve")
      expect(failureOf<{ reason: string }>(await run(approveCorrectionIn(t.db, "HCM", q.id, { by: "hung.tran", value: "Nguyễn Văn Án", now: "2025-06-24T02:00:00.000Z" }))).reason)
        .toBe("text_differs")
      const done = await ok(approveCorrectionIn(t.db, "HCM", q.id, { by: "hung.tran", value: "Nguyễn Văn Ân", now: "2025-06-24T02:00:00.000Z" }))
      expect(done.request).toMatchObject({ status: "approved", decidedBy: "hung.tran" })
      const annotated = await ok(store.get("HCM", r.id))
      expect(annotated).toEqual(done.receipt)
      expect(annotated.annotations).toEqual([
        { field: "payerName", value: "Nguyễn Văn Ân", note: "Sai dấu tên người nộp", by: "lan.nguyen", at: "2025-06-24T02:00:00.000Z", approvedBy: "hung.tran" }
      ])
      // Decided once.
      expect(failureOf<{ reason: string }>(await run(approveCorrectionIn(t.db, "HCM", q.id, { by: "hung.tran", value: q.value, now: "2025-06-24T03:00:00.000Z" }))).reason)
        .toBe("not_pending")
      const actions = await t.db.query<{ action: string; actor: string }>(
        "SELECT action, actor FROM audit_log WHERE agency = 'HCM' AND receipt_id = $1::uuid ORDER BY seq",
        [r.id]
      )
      expect(actions.map((a) => `${a.action}:${a.actor}`)).toEqual(["issued:hung.tran", "correction_requested:lan.nguyen", "annotated:hung.tran"])
    })

    test("the database writes no correction without its pending request and another officer's approval", async () => {
      const r = await ok(store.issue(requestFor(makeDraft({ series: freshSeries() }))))
      const annotate = (approvedBy: string | null, requestId: string | null) =>
        t.db.query(
          `INSERT INTO receipt_annotations (agency, receipt_id, field, value, by, at, approved_by, request_id)
           VALUES ('HCM', $1::uuid, 'payerName', 'Tên Khác', 'lan.nguyen', now(), $2::text, $3::uuid)`,
          [r.id, approvedBy, requestId]
        ).then(() => undefined, (e: unknown) => String(e))
      expect(await annotate(null, null)).toContain("needs the approval of an officer other than lan.nguyen")
      expect(await annotate("lan.nguyen", null)).toContain("needs the approval of an officer other than lan.nguyen")
      expect(await annotate("hung.tran", null)).toContain("only from its pending request")
      const q = Result.getOrThrow(requestCorrection(r, { field: "payerName", value: "Tên Khác" }, { id: newId(), by: "lan.nguyen", now: "2025-06-24T01:00:00.000Z" }))
      await ok(insertCorrection(t.db, q))
      const decided = await t.db.query("UPDATE correction_requests SET status = 'approved', decided_by = 'lan.nguyen', decided_at = now() WHERE id = $1::uuid", [q.id])
        .then(() => undefined, (e: unknown) => String(e))
      expect(decided).toContain("correction_requests_four_eyes")
      const rewritten = await t.db.query("UPDATE correction_requests SET value = 'Tên Thứ Ba' WHERE id = $1::uuid", [q.id]).then(() => undefined, (e: unknown) => String(e))
      expect(rewritten).toContain("its text never changes")
      expect((await ok(store.get("HCM", r.id))).annotations).toEqual([])
    })

    test("drafts can be deleted; issued receipts cannot", async () => {
      const draft = makeDraft({ series: freshSeries() })
      await ok(store.saveDraft(draft, { now: draft.createdAt }))
      const notTheMaker = await run(store.deleteDraft("HCM", draft.id, { by: "hung.tran" }))
      expect(failureOf<{ reason: string }>(notTheMaker).reason).toBe("only_maker_can_delete")
      await ok(store.deleteDraft("HCM", draft.id, { by: "lan.nguyen" }))
      expect(tagOf(await run(store.get("HCM", draft.id)))).toBe("ReceiptNotFound")
      const issued = await ok(store.issue(requestFor(makeDraft({ series: freshSeries() }))))
      expect(tagOf(await run(store.deleteDraft("HCM", issued.id, { by: "lan.nguyen" })))).toBe("TransitionError")
    })

    describe("the database itself enforces the invariants", () => {
      let issued: IssuedReceipt
      beforeAll(async () => {
        issued = await ok(store.issue(requestFor(makeDraft({ series: freshSeries() }))))
      })
      const refused = async (sql: string, params: Array<unknown> = []) => {
        let error: unknown
        await t.db.query(sql, params).catch((e) => (error = e))
        return error
      }

      test("issued content, numbers and deletion are refused by trigger", async () => {
        expect(await refused("UPDATE receipts SET amount = amount + 1 WHERE id = $1::uuid", [issued.id])).toBeDefined()
        expect(await refused("UPDATE receipts SET number = 999 WHERE id = $1::uuid", [issued.id])).toBeDefined()
        expect(await refused("DELETE FROM receipts WHERE id = $1::uuid", [issued.id])).toBeDefined()
        expect(await refused("UPDATE receipts SET status = 'draft' WHERE id = $1::uuid", [issued.id])).toBeDefined()
        expect(await refused("TRUNCATE receipts CASCADE")).toBeDefined()
        expect((await ok(store.get("HCM", issued.id)))).toEqual(issued)
      })

      test("a draft that was not submitted, or a submitted one under another hash, is never issued", async () => {
        const draft = makeDraft({ series: freshSeries() })
        await ok(store.saveDraft(draft, { now: draft.createdAt }))
        const issueRaw = `UPDATE receipts SET status = 'issued', number = 1, lookup_code = 'ABCDEFGHJKMN', approver = 'hung.tran',
          issued_at = created_at, canonical = '{}', seal_algorithm = 'Ed25519', seal_key_id = '0123456789abcdef', seal_signature = 'x',
          draft = NULL, content_sha256 = $2::text WHERE id = $1::uuid`
        expect(String(await refused(issueRaw, [draft.id, "a".repeat(64)]))).toContain("was not submitted for approval")
        await ok(store.saveDraft(submitted(draft), { now: draft.createdAt }))
        expect(String(await refused(issueRaw, [draft.id, "a".repeat(64)]))).toContain("it is issued only with that content")
        expect(String(await refused("UPDATE receipts SET amount = amount + 1 WHERE id = $1::uuid", [draft.id]))).toContain("changed only by becoming a draft again")
        expect(String(await refused("UPDATE receipts SET content_sha256 = NULL WHERE id = $1::uuid", [draft.id]))).toBeDefined()
        expect((await ok(store.get("HCM", draft.id))).status).toBe("submitted")
      })

      test("a draft is deleted by its maker, or with a reason", async () => {
        const draft = makeDraft({ series: freshSeries() })
        await ok(store.saveDraft(draft, { now: draft.createdAt }))
        const error = await t.db.transaction(async (tx) => {
          await tx.query("SELECT set_config('bienlai.actor', 'hung.tran', true)")
          await tx.query("DELETE FROM receipts WHERE id = $1::uuid", [draft.id])
        }).then(() => undefined, (e) => e)
        expect(String(error)).toContain("may not delete it")
        expect((await ok(store.get("HCM", draft.id))).status).toBe("draft")
      })

      test("voiding may not touch the signed content at the same time", async () => {
        expect(await refused(
          "UPDATE receipts SET status = 'voided', voided_reason = 'x', voided_by = 'a.b', voided_at = now(), amount = 1 WHERE id = $1::uuid",
          [issued.id]
        )).toBeDefined()
      })

      test("the audit log records who, when, what and is append-only", async () => {
        const rows = await t.db.query<{ action: string; actor: string; at: string }>(
          "SELECT action, actor, iso_instant(at) AS at FROM audit_log WHERE agency = 'HCM' AND receipt_id = $1::uuid ORDER BY seq",
          [issued.id]
        )
        expect(rows).toEqual([{ action: "issued", actor: "hung.tran", at: issued.issuedAt }])
        expect(await refused("UPDATE audit_log SET actor = 'x' WHERE receipt_id = $1::uuid", [issued.id])).toBeDefined()
        expect(await refused("DELETE FROM audit_log WHERE receipt_id = $1::uuid", [issued.id])).toBeDefined()
      })

      test("a number taken from a counter without its receipt cannot commit", async () => {
        const series = freshSeries()
        await ok(store.issue(requestFor(makeDraft({ series }))))
        const error = await t.db.transaction(async (tx) => {
          await tx.query("UPDATE series_counter SET last_number = last_number + 1 WHERE agency = 'HCM' AND symbol = $1::text", [series.symbol])
        }).then(() => undefined, (e) => e)
        expect(String(error)).toContain("must be filled exactly")
        expect((await ok(store.issue(requestFor(makeDraft({ series }))))).number).toBe(2)
      })
    })

    describe("range reservation", () => {
      test("k receipts get k consecutive numbers in one transaction", async () => {
        const series = freshSeries()
        await ok(store.issue(requestFor(makeDraft({ series }))))
        const batch = await ok(store.issueRange(Array.from({ length: 50 }, () => requestFor(makeDraft({ series })))))
        expect(batch.map((r) => r.number)).toEqual(Array.from({ length: 50 }, (_, i) => i + 2))
        const sample = batch[17]!
        expect(await ok(store.get("HCM", sample.id))).toEqual(sample)
        expect(await verifySeal(keys.publicKey, sample.seal!, canonicalBytes(sample))).toBe(true)
        const audited = await t.db.query<{ n: number }>(
          "SELECT count(*)::integer AS n FROM audit_log WHERE action = 'issued' AND detail->>'symbol' = $1::text",
          [series.symbol]
        )
        expect(audited[0]?.n).toBe(51)
      })

      test("one invalid request refuses the whole range and consumes nothing", async () => {
        const series = freshSeries()
        const requests = Array.from({ length: 10 }, () => requestFor(makeDraft({ series })))
        requests[4] = requestFor(makeDraft({ series }), { approver: "lan.nguyen" })
        const r = await run(store.issueRange(requests))
        expect(tagOf(r)).toBe("RangeRejected")
        expect(failureOf<{ failures: Array<{ index: number }> }>(r).failures.map((f) => f.index)).toEqual([4])
        expect((await ok(store.issue(requestFor(makeDraft({ series }))))).number).toBe(1)
      })

      test("a signing failure in the middle of a long range refuses it whole, streamed rows and all", async () => {
        const series = freshSeries()
        let calls = 0
        const flaky: typeof keys.sign = (agency, bytes) =>
          ++calls === 1_100
            ? Effect.fail(new SigningError({ agency, reason: "device", message: "the signing device stopped answering" }))
            : keys.sign(agency, bytes)
        const bulkStore = makeReceiptStore(t.db, flaky)
        const r = await run(bulkStore.issueRange(Array.from({ length: 1_200 }, () => requestFor(makeDraft({ series })))))
        expect(tagOf(r)).toBe("RangeRejected")
        expect(failureOf<{ failures: Array<{ index: number }> }>(r).failures.map((f) => f.index)).toEqual([1_099])
        expect(await numbersOf(series)).toEqual([])
        // The range after it starts at 1, streamed over several chunks.
        const batch = await ok(store.issueRange(Array.from({ length: 1_200 }, () => requestFor(makeDraft({ series })))))
        expect(batch.map((x) => x.number)).toEqual(Array.from({ length: 1_200 }, (_, i) => i + 1))
        expect(await numbersOf(series)).toEqual(batch.map((x) => x.number))
        const last = batch[1_199]!
        expect(await verifySeal(keys.publicKey, last.seal!, canonicalBytes(last))).toBe(true)
      }, 30_000)

      test("a range with a taken lookup code or an issued draft is refused at once; stored drafts are issued", async () => {
        const series = freshSeries()
        const before = await ok(store.issue(requestFor(makeDraft({ series }))))
        const started = performance.now()
        const dupCode = Array.from({ length: 5 }, () => requestFor(makeDraft({ series })))
        dupCode[3] = { ...dupCode[3]!, lookupCode: before.lookupCode }
        const taken = await run(store.issueRange(dupCode))
        expect(tagOf(taken)).toBe("StoreConflict")
        expect(failureOf<{ reason: string }>(taken).reason).toBe("lookup_code_taken")
        // Refused by the database and reported at once, not after the transaction deadline.
        expect(performance.now() - started).toBeLessThan(10_000)

        const stored = makeDraft({ series })
        await ok(store.saveDraft(submitted(stored), { now: stored.createdAt }))
        const issuedDraft = makeDraft({ series })
        await ok(store.issue(requestFor(issuedDraft)))
        const withIssued = [approvalFor(stored), requestFor(issuedDraft), requestFor(makeDraft({ series }))]
        const refused = await run(store.issueRange(withIssued))
        expect(tagOf(refused)).toBe("RangeRejected")
        expect(failureOf<{ failures: Array<{ index: number }> }>(refused).failures.map((f) => f.index)).toEqual([1])

        const batch = await ok(store.issueRange([approvalFor(stored), requestFor(makeDraft({ series }))]))
        expect(batch.map((r) => r.number)).toEqual([3, 4])
        expect(await ok(store.get("HCM", stored.id))).toEqual(batch[0]!)
        expect(await numbersOf(series)).toEqual([1, 2, 3, 4])
      })

      test("a reservation filled with fewer receipts than reserved rolls back", async () => {
        const series = freshSeries()
        const error = await withReservedRange(t.db, { agency: "HCM", ...series }, 3, async () => undefined).then(() => undefined, (e) => e)
        expect(String(error)).toContain("must be filled exactly")
        const rows = await t.db.query("SELECT 1 FROM series_counter WHERE agency = 'HCM' AND symbol = $1::text", [series.symbol])
        expect(rows).toEqual([])
      })
    })

    describe("numbering audit", () => {
      test("reports clean series, and finds a gap and a trailing hole", async () => {
        const series = freshSeries(24)
        const now = "2024-06-23T03:00:00.000Z"
        const drafts = Array.from({ length: 3 }, () => makeDraft({ series, case: {} }, { now: "2024-06-23T02:00:00.000Z" }))
        for (const d of drafts) await ok(store.issue(requestFor(d, { now })))
        let audit = (await ok(store.auditNumbering({ agency: "HCM", year: 2024 }))).filter((a) => a.symbol === series.symbol)
        expect(audit).toEqual([{ agency: "HCM", ...series, count: 3, first: 1, last: 3, counter: 3, gaps: [], duplicates: [] }])
        // A row written around the store, with number 6: numbers 4 and 5 are missing.
        await t.db.transaction(async (tx) => {
          await tx.query("SET LOCAL session_replication_role = replica")
          await tx.query(
            `INSERT INTO receipts (${issuedColumns.join(", ")})
             SELECT agency, $1::uuid, office, form, symbol, 6, 'ZZZZZZZZZZZZ', status, amount, maker, approver, created_at, issued_at,
                    canonical, seal_algorithm, seal_key_id, seal_signature, replaces_id, status_by, status_at, content_sha256, qr_token
               FROM receipts WHERE agency = 'HCM' AND symbol = $2::text AND number = 1`,
            [newId(), series.symbol]
          )
          await tx.query("UPDATE series_counter SET last_number = 8 WHERE agency = 'HCM' AND symbol = $1::text", [series.symbol])
        })
        audit = (await ok(store.auditNumbering({ agency: "HCM", year: 2024 }))).filter((a) => a.symbol === series.symbol)
        expect(audit[0]?.gaps).toEqual([{ from: 4, to: 5 }, { from: 7, to: 8 }])
        expect(await ok(store.auditNumbering({ agency: "HCM", year: 2031 }))).toEqual([])
      })
    })

    // Keeps the unused import honest for readers: drafts are plain receipts.
    test("a stored draft is a Receipt with status draft", async () => {
      const draft: Receipt = makeDraft({ series: freshSeries() })
      await ok(store.saveDraft(draft, { now: draft.createdAt }))
      expect((await ok(store.get("HCM", draft.id))).status).toBe("draft")
    })
  })
}
