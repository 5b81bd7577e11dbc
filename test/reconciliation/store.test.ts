/**
 * Reconciliation in the database, on PGlite and (with TEST_DATABASE_URL)
 * PostgreSQL: idempotent import keyed by the bank's reference, overlapping
 * statements, a duplicate with different content refused naming both, a
 * statement for another agency's account, balances that do not add up and a
 * malformed camt file refused with nothing changed; a run that matches by
 * each rule with its evidence, the queue, draft proposals; a closed day that
 * the database itself refuses to change; adjustments.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { Effect, Result } from "effect"
import { readCamt053 } from "../../adapters/bank/iso20022/camt.ts"
import { readMt940 } from "../../domain/bank/mt940.ts"
import type { StatementEvent } from "../../domain/bank/statement.ts"
import { formatPaymentReference } from "../../domain/reconciliation/payment-reference.ts"
import { makePaymentRequest } from "../../domain/reconciliation/payment-request.ts"
import { registerBankAccount } from "../../store/reconciliation/accounts.ts"
import { accountDayReport, addAdjustment, closeDay } from "../../store/reconciliation/days.ts"
import { createPaymentRequest } from "../../store/reconciliation/payment-requests.ts"
import { countsOf, matchesOf, openQueue } from "../../store/reconciliation/queue.ts"
import { resolveQueued } from "../../store/reconciliation/resolve.ts"
import { runReconciliation } from "../../store/reconciliation/run.ts"
import { importStatementEvents } from "../../store/reconciliation/statement-import.ts"
import { makeReceiptStore } from "../../store/receipts/receipt-repository.ts"
import { targets, type TestDatabase } from "../store/databases.ts"
import { makeDraft, requestFor } from "../store/fixtures.ts"
import { makeTestSigner } from "../store/test-signer.ts"

const fixture = (name: string) => readFileSync(join(import.meta.dir, "..", "bank", "fixtures", name), "utf8")
const mt940 = (text: string): Iterable<StatementEvent> => readMt940(text.split("\n"))
const now = "2025-06-24T01:00:00.000Z"
const ACCOUNT = "0071000123456"
const requestRef = formatPaymentReference("7K2M9QX4TR")

/** A third day with the payment request's reference split by the bank, and a memo nobody can match. */
const dayThree = [
  ":20:VCB250618001",
  ":25:BFTVVNVX/0071000123456",
  ":28C:168/1",
  ":60F:C250618VND3290000000,",
  `:61:2506180618C45000000,NTRFNONREF//FT25169000001`,
  `:86:LE VAN C CK ${requestRef.slice(0, 7)} ${requestRef.slice(7)}`,
  ":61:2506180618C700000,NTRFNONREF//FT25169000002",
  ":86:CHUYEN TIEN",
  ":62F:C250618VND3335700000,",
  "-"
].join("\n")

const refusal = async (p: Promise<unknown>): Promise<Error & { reason?: string }> => {
  try {
    await p
  } catch (e) {
    return e as Error & { reason?: string }
  }
  throw new Error("expected a refusal")
}

for (const target of targets) {
  describe(`reconciliation store on ${target.name}`, () => {
    let t: TestDatabase
    const imp = (events: Iterable<StatementEvent> | AsyncIterable<StatementEvent>, agency = "HCM") => importStatementEvents(t.db, events, { agency, now, source: "test" })

    beforeAll(async () => {
      t = await target.make()
      await t.db.exec(`INSERT INTO agencies (code, name) VALUES ('HCM', 'Cục THADS TP. Hồ Chí Minh'), ('HNI', 'Cục THADS TP. Hà Nội') ON CONFLICT DO NOTHING;
        INSERT INTO officers (id, agency, name, role) VALUES ('hung.tran', 'HCM', 'Trần Hùng', 'approver'), ('lan.nguyen', 'HCM', 'Nguyễn Lan', 'officer') ON CONFLICT DO NOTHING`)
      await registerBankAccount(t.db, { agency: "HCM", account: ACCOUNT, bankBin: "970436" })
      await registerBankAccount(t.db, { agency: "HNI", account: "0451000999999", bankBin: "970436" })
    })
    afterAll(async () => {
      await t?.dispose()
    })

    test("the same statement twice changes nothing; an overlapping one adds only what is new", async () => {
      const first = await imp(mt940(fixture("vcb-two-days.mt940")))
      expect([first.entries, first.newEntries, first.statements.map((s) => s.balanceCheck)]).toEqual([5, 5, ["balanced", "balanced"]])
      const before = await countsOf(t.db, "HCM")
      const again = await imp(mt940(fixture("vcb-two-days.mt940")))
      expect([again.newEntries, again.alreadyImported]).toEqual([0, 5])
      expect(await countsOf(t.db, "HCM")).toEqual(before)
      const overlap = await imp(mt940(fixture("vcb-two-days.mt940").split("{1:").slice(0, 3).join("{1:") + "\n" + dayThree))
      expect([overlap.entries, overlap.newEntries]).toEqual([7, 2])
      expect((await countsOf(t.db, "HCM"))["entries"]).toBe(7)
    })

    test("bad input is refused with a message naming what is wrong, and nothing changes", async () => {
      const before = await countsOf(t.db, "HCM")
      const changed = fixture("vcb-two-days.mt940").replace(":61:250617C45000000,00NTRFNONREF//FT25168000001", ":61:250617C45000001,00NTRFNONREF//FT25168000001").replace(":62F:C250617VND3290000000,00", ":62F:C250617VND3290000001,00")
      const dup = await refusal(imp(mt940(changed)))
      expect(dup.reason).toBe("duplicate_differs")
      expect(dup.message).toContain("FT25168000001")
      expect(dup.message).toContain("45000000")
      expect(dup.message).toContain("45000001")
      expect(dup.message).toContain("VCB250617001")

      const other = await refusal(imp(mt940(fixture("vcb-two-days.mt940")), "HNI"))
      expect(other.reason).toBe("other_agency")
      expect(other.message).toContain("of agency HCM, not of agency HNI")
      const unknown = await refusal(imp(mt940(dayThree.replace("BFTVVNVX/0071000123456", "BFTVVNVX/1234567890"))))
      expect(unknown.reason).toBe("unknown_account")

      const unbalanced = await refusal(imp(mt940(dayThree.replace(":62F:C250618VND3335700000,", ":62F:C250618VND3335700001,"))))
      expect(unbalanced.message).toContain("does not add up")
      const wrongField = await refusal(imp(mt940(dayThree.replace(":60F:C250618VND3290000000,", ":60F:X250618VND3290000000,"))))
      expect(wrongField.message).toMatch(/60F|line/)

      const camt = fixture("camt053-vcb-day.xml")
      const broken = await refusal(imp(readCamt053(new Blob([camt.slice(0, camt.length / 2) + "<Ntry><Amt>"]).stream() as unknown as AsyncIterable<Uint8Array>)))
      expect(broken.message).toContain("the XML is malformed")
      expect(broken.message).toContain("Ntry")
      expect(await countsOf(t.db, "HCM")).toEqual(before)
    })

    test("a run matches by reference, bank reference and decision+amount+name, keeps the evidence, proposes drafts", async () => {
      const keys = await makeTestSigner()
      const store = makeReceiptStore(t.db, keys.sign)
      // A draft for the fixture's first credit (decision, amount and name in the memo).
      const draft = makeDraft({ payer: { name: "Nguyễn Văn A" }, case: { decisionNumber: "757/QĐ-PTHADS" }, amount: 125_500_000n, payment: { method: "bank_transfer", reference: "FT00000000" } })
      await Effect.runPromise(store.saveDraft(draft, { now: draft.createdAt }))
      // An issued receipt carrying the bank reference of the 2,000,000,000 đ credit.
      const issued = makeDraft({ payer: { name: "Công ty TNHH ABC" }, amount: 2_000_000_000n, payment: { method: "bank_transfer", reference: "FT25167005555" } })
      await Effect.runPromise(store.issue(requestFor(issued)))
      // A payment request whose reference the day-three memo carries, split by the bank.
      const request = Result.getOrThrow(makePaymentRequest({ agency: "HCM", bankBin: "970436", account: ACCOUNT, amount: "45.000.000", payerName: "Lê Văn C", reference: requestRef }))
      const qr = await createPaymentRequest(t.db, request, "lan.nguyen", now)
      expect(qr).toContain(requestRef)

      const run = await runReconciliation(t.db, { agency: "HCM", now, today: "2025-06-24" })
      expect(run).toMatchObject({ credits: 5, matchedCredits: 3, queued: 0, unmatched: 2 })
      const matches = await matchesOf(t.db, "HCM")
      expect(matches.map((m) => [m.bankReference, m.rule, m.targetId, m.amount])).toEqual([
        ["FT25167001234", "decision_amount_name", draft.id, 125_500_000n],
        ["FT25167005555", "bank_reference", issued.id, 2_000_000_000n],
        ["FT25169000001", "payment_reference", requestRef, 45_000_000n]
      ])
      expect(matches[0]?.evidence).toMatchObject({ rule: "decision_amount_name", joinedBy: ["757/QĐ-PTHADS"], payerName: "NGUYEN VAN A", creditAmount: "125500000" })
      expect(matches[2]?.confidence).toBe(1)
      const proposals = await t.db.query<{ bank_reference: string; proposal: string }>("SELECT bank_reference, proposal::text AS proposal FROM recon_proposals WHERE agency = 'HCM' ORDER BY 1")
      expect(proposals.map((p) => p.bank_reference)).toEqual(["FT25168000001", "FT25169000002"])
      expect(JSON.parse(proposals[0]?.proposal ?? "{}")).toMatchObject({ payerName: "LE VAN C", amount: "45000000", amountInWords: "Bốn mươi lăm triệu đồng", bankReference: "FT25168000001" })

      // Again: nothing is matched twice, and the database refuses a second allocation by hand.
      const second = await runReconciliation(t.db, { agency: "HCM", now, today: "2025-06-24" })
      expect(second).toMatchObject({ credits: 2, matchedCredits: 0 })
      expect(await matchesOf(t.db, "HCM")).toHaveLength(3)
      const twice = await refusal(t.db.query(
        `INSERT INTO recon_matches (agency, account, bank_reference, target_kind, target_id, amount, rule, confidence, evidence, matched_by, matched_at)
         VALUES ('HCM', $1::text, 'FT25167005555', 'receipt', $2::text, 1, 'officer', 1, '{}', 'hung.tran', now())`,
        [ACCOUNT, issued.id]
      ))
      expect(twice.message).toContain("never matched twice")

      // The keys a match names are checked per statement (migrations 0460/0461, no foreign keys):
      // a match naming no stored credit or no stored target is refused, and nothing it names can vanish or change key.
      const insertMatch = (bankReference: string, targetId: string) =>
        t.db.query(
          `INSERT INTO recon_matches (agency, account, bank_reference, target_kind, target_id, amount, rule, confidence, evidence, matched_by, matched_at)
           VALUES ('HCM', $1::text, $2::text, 'receipt', $3::text, 1, 'officer', 1, '{}', 'hung.tran', now())`,
          [ACCOUNT, bankReference, targetId]
        )
      expect((await refusal(insertMatch("FT25167NOSUCH", issued.id))).message).toContain("is not a stored bank entry")
      expect((await refusal(insertMatch("FT25167005555", "no-such-receipt"))).message).toContain("is not a stored match target")
      for (const attack of [
        "DELETE FROM recon_targets WHERE agency = 'HCM'",
        "UPDATE recon_targets SET id = id || 'x' WHERE agency = 'HCM'",
        "TRUNCATE recon_targets CASCADE",
        "UPDATE bank_entries SET bank_reference = bank_reference || 'x' WHERE agency = 'HCM' AND bank_reference = 'FT25167005555'",
        "TRUNCATE bank_entries CASCADE",
        "UPDATE recon_matches SET target_id = 'elsewhere' WHERE agency = 'HCM'"
      ]) {
        expect((await refusal(t.db.query(attack))).message).toContain("never deleted nor re-keyed")
      }
      expect(await matchesOf(t.db, "HCM")).toHaveLength(3)

      // What a target has been paid is the sum of its matches (migration 0550, no paid column), and still never above its amount:
      // one more đồng by hand, 50,001 more through the bulk statement check, or the target's amount lowered below its matches.
      const paidOf = async (kind: string, id: string) => (await t.db.query<{ paid: string }>("SELECT paid::text AS paid FROM recon_target_balances WHERE agency = 'HCM' AND kind = $1::text AND id = $2::text", [kind, id]))[0]?.paid
      expect([await paidOf("receipt", issued.id), await paidOf("request", requestRef)]).toEqual(["2000000000", "45000000"])
      expect((await refusal(t.db.query(
        `INSERT INTO recon_matches (agency, account, bank_reference, target_kind, target_id, amount, rule, confidence, evidence, matched_by, matched_at)
         VALUES ('HCM', $1::text, 'FT25168000001', 'receipt', $2::text, 1, 'officer', 1, '{}', 'hung.tran', now())`,
        [ACCOUNT, issued.id]
      ))).message).toContain("never paid beyond its amount")
      const bulk = await refusal(t.db.query(
        `INSERT INTO recon_matches (agency, account, bank_reference, target_kind, target_id, amount, rule, confidence, evidence, matched_by, matched_at)
         SELECT 'HCM', $1::text, 'FT25168000001', 'request', $2::text, 1, 'officer', 1, '{}', 'hung.tran', now() FROM generate_series(1, 50001)`,
        [ACCOUNT, requestRef]
      ))
      expect(bulk.message).toContain(`request ${requestRef} (agency HCM): 45050001 đồng allocated, but it asks for 45000000 đồng`)
      expect((await refusal(t.db.query("UPDATE recon_targets SET amount = amount - 1 WHERE agency = 'HCM' AND kind = 'receipt' AND id = $1::text", [issued.id]))).message)
        .toContain("its amount cannot become 1999999999 đồng")
      expect([await paidOf("receipt", issued.id), await paidOf("request", requestRef)]).toEqual(["2000000000", "45000000"])
      expect(await matchesOf(t.db, "HCM")).toHaveLength(3)
    })

    if (target.name === "PostgreSQL") {
      test("two transactions allocating one target: the second waits for the first, then is refused", async () => {
        const ref3 = formatPaymentReference("CCCCCDDDDD")
        await createPaymentRequest(t.db, Result.getOrThrow(makePaymentRequest({ agency: "HCM", bankBin: "970436", account: ACCOUNT, amount: "700000", payerName: "Vo Van E", reference: ref3 })), "lan.nguyen", now)
        const allocate = (tx: { query: typeof t.db.query }, bankReference: string, amount: number) =>
          tx.query(
            `INSERT INTO recon_matches (agency, account, bank_reference, target_kind, target_id, amount, rule, confidence, evidence, matched_by, matched_at)
             VALUES ('HCM', $1::text, $2::text, 'request', $3::text, $4::bigint, 'officer', 1, '{}', 'hung.tran', now())`,
            [ACCOUNT, bankReference, ref3, amount]
          )
        let release = () => {}
        const held = new Promise<void>((r) => (release = r))
        let firstInserted = () => {}
        const inserted = new Promise<void>((r) => (firstInserted = r))
        const first = t.db.transaction(async (tx) => {
          await allocate(tx, "FT25169000002", 700_000)
          firstInserted()
          await held
        })
        await inserted
        let secondSettled = false
        const second = refusal(t.db.transaction((tx) => allocate(tx, "FT25168000001", 1))).finally(() => (secondSettled = true))
        await new Promise((r) => setTimeout(r, 300))
        expect(secondSettled).toBe(false) // waiting on the agency's reconciliation lock
        release()
        await first
        expect((await second).message).toContain(`request ${ref3} (agency HCM): 700001 đồng allocated, but it asks for 700000 đồng`)
        // Leave the world as the next tests expect it (the day is still open, so a match may go).
        await t.db.query("DELETE FROM recon_matches WHERE agency = 'HCM' AND target_id = $1::text", [ref3])
      })
    }

    test("an ambiguous credit goes to the queue with its candidates, never matched", async () => {
      const ref2 = formatPaymentReference("AAAAABBBBB")
      for (const [id, amount] of [["AAAAABBBBB", "1000000"]] as const) {
        await createPaymentRequest(t.db, Result.getOrThrow(makePaymentRequest({ agency: "HCM", bankBin: "970436", account: ACCOUNT, amount, payerName: "Pham Thi D", reference: formatPaymentReference(id) })), "lan.nguyen", now)
      }
      await imp(mt940([":20:VCB250619001", ":25:0071000123456", ":28C:169/1", ":60F:C250619VND0,", `:61:2506190619C999000,NTRFNONREF//FT25170000001`, `:86:PHAM THI D ${ref2}`, ":62F:C250619VND999000,", "-"].join("\n")))
      const run = await runReconciliation(t.db, { agency: "HCM", now, today: "2025-06-24" })
      expect(run.queued).toBe(1)
      const queue = await openQueue(t.db, "HCM")
      expect(queue.map((q) => [q.bankReference, q.reason, q.candidates])).toEqual([["FT25170000001", "amount_differs", [ref2]]])
      const flags = await t.db.query<{ credit_amount: string; target_amount: string }>("SELECT credit_amount::text, target_amount::text FROM recon_flags WHERE agency = 'HCM' AND kind = 'amount_differs'")
      expect(flags).toEqual([{ credit_amount: "999000", target_amount: "1000000" }])

      // An officer settles it as an instalment; two targets that owe more than the credit are refused.
      const tooMuch = await refusal(resolveQueued(t.db, { agency: "HCM", account: ACCOUNT, bankReference: "FT25170000001", targets: [{ kind: "request", id: ref2 }, { kind: "request", id: requestRef }], officer: "hung.tran", now }))
      expect(tooMuch.message).toContain("the sums must agree")
      await resolveQueued(t.db, { agency: "HCM", account: ACCOUNT, bankReference: "FT25170000001", targets: [{ kind: "request", id: ref2 }], officer: "hung.tran", now })
      expect(await openQueue(t.db, "HCM")).toEqual([])
      const settled = (await matchesOf(t.db, "HCM")).find((m) => m.bankReference === "FT25170000001")
      expect(settled).toMatchObject({ rule: "officer", amount: 999_000n, evidence: { officer: "hung.tran", settles: "amount_differs", instalment: true } })
      expect((await runReconciliation(t.db, { agency: "HCM", now, today: "2025-06-24" })).queued).toBe(0)
    })

    test("a closed day refuses change, in the database too; corrections are dated adjustments", async () => {
      const report = Result.getOrThrow(await accountDayReport(t.db, "HCM", ACCOUNT, "2025-06-16"))
      expect(report).toMatchObject({ opening: 1_250_000_000n, closing: 3_245_000_000n, balance: "balanced", credits: { count: 2, total: 2_125_500_000n }, matched: 2 })
      const notApprover = await refusal(closeDay(t.db, "HCM", ACCOUNT, "2025-06-16", "lan.nguyen", now))
      expect(notApprover.reason).toBe("not_an_approver")
      await closeDay(t.db, "HCM", ACCOUNT, "2025-06-16", "hung.tran", now)
      const again = await refusal(closeDay(t.db, "HCM", ACCOUNT, "2025-06-16", "hung.tran", now))
      expect(again.reason).toBe("already_closed")

      const del = await refusal(t.db.query("DELETE FROM bank_entries WHERE agency = 'HCM' AND bank_reference = 'FT25167001234'"))
      expect(del.message).toContain("is closed")
      const unmatch = await refusal(t.db.query("DELETE FROM recon_matches WHERE agency = 'HCM' AND bank_reference = 'FT25167001234'"))
      expect(unmatch.message).toContain("is closed")
      const late = fixture("vcb-two-days.mt940").replace(":62F:C250616VND3245000000,", ":61:2506160616C1000,NTRFNONREF//FT25167999999\n:86:MUON\n:62F:C250616VND3245001000,").replace(":64:C250616VND3245000000,", ":64:C250616VND3245001000,")
      const lateImport = await refusal(imp(mt940(late)))
      expect(lateImport.reason).toBe("day_closed")
      expect(lateImport.message).toContain("FT25167999999")
      // Re-importing what the closed day already has is still a no-op.
      expect((await imp(mt940(fixture("vcb-two-days.mt940")))).newEntries).toBe(0)

      await addAdjustment(t.db, "HCM", { account: ACCOUNT, correctsDay: "2025-06-16", bookedOn: "2025-06-18", amount: 1_000n, reason: "Khoản nộp muộn ngày 16/6", by: "lan.nguyen", approvedBy: "hung.tran" }, now)
      const sameHands = await refusal(addAdjustment(t.db, "HCM", { account: ACCOUNT, correctsDay: "2025-06-16", bookedOn: "2025-06-18", amount: 1_000n, reason: "x", by: "hung.tran", approvedBy: "hung.tran" }, now))
      expect(sameHands.message).toContain("another officer")
      const onClosed = await refusal(addAdjustment(t.db, "HCM", { account: ACCOUNT, correctsDay: "2025-06-15", bookedOn: "2025-06-16", amount: 1_000n, reason: "x", by: "lan.nguyen", approvedBy: "hung.tran" }, now))
      expect(onClosed.message).toContain("closed")
      expect(Result.getOrThrow(await accountDayReport(t.db, "HCM", ACCOUNT, "2025-06-18")).adjustments).toBe(1_000n)
    })

    test("one file carrying an entry twice: stored once; the same reference with other content in it is refused, naming both", async () => {
      const day = (id: string, second: string) => [
        `:20:${id}`, ":25:0071000123456", ":28C:172/1", ":60F:C250621VND0,",
        ":61:2506210621C1000,NTRFNONREF//FT25172000001", ":86:CHUYEN TIEN",
        `:61:2506210621C${second},NTRFNONREF//FT25172000002`, ":86:CHUYEN TIEN",
        `:62F:C250621VND${1000 + Number(second)},`, "-"
      ].join("\n")
      const before = (await countsOf(t.db, "HCM"))["entries"] as number
      const twice = await imp(mt940(`${day("VCB250621001", "2000")}\n${day("VCB250621002", "2000")}`))
      expect([twice.entries, twice.newEntries]).toEqual([4, 2])
      expect((await countsOf(t.db, "HCM"))["entries"]).toBe(before + 2)
      const differs = await refusal(imp(mt940(`${day("VCB250621003", "3000")}\n${day("VCB250621004", "3001")}`.replace(/FT2517200000/g, "FT2517300000"))))
      expect(differs.reason).toBe("duplicate_differs")
      expect(differs.message).toContain("the file has the same bank reference with different content")
      expect(differs.message).toContain("VCB250621003: 2025-06-21|3000|credit|f")
      expect(differs.message).toContain("VCB250621004: 2025-06-21|3001|credit|f")
      expect((await countsOf(t.db, "HCM"))["entries"]).toBe(before + 2)
    })
  })
}
