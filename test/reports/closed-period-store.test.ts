/**
 * Closing a period in the store, on PGlite and (with TEST_DATABASE_URL)
 * PostgreSQL, attacked below the application: payout lines paid or
 * deposited inside a closed period are refused by the database, and land
 * in the open period when recorded now; a closed period whose records were
 * changed behind bienlai's back (triggers disabled by a superuser) is
 * reported as changed history, never printed as the closed report.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test"
import { ClosingRefused } from "../../domain/reports/closing.ts"
import { depositLines } from "../../store/payout/bank-answers.ts"
import { reportEvents } from "../../store/reports/report-events.ts"
import { computeMoneyReport, decideClosing, figuresSha256, requestClosing } from "../../store/reports/money-reports.ts"
import { periodEndsAt, periodStartsAt } from "../../domain/reports/period.ts"
import { targets, type TestDatabase } from "../store/databases.ts"
import { makeTestSigner, type TestKeys } from "../store/test-signer.ts"
import { makeClaim, makeTerms } from "../payout/fixtures.ts"
import { approveStored, importCase, planStored } from "../payout-store/harness.ts"

setDefaultTimeout(120_000)

const asker = { officer: "hung.tran", agency: "HCM", role: "approver" }
const closer = { officer: "bao.pham", agency: "HCM", role: "admin" }
const june = { year: 2025, months: 9 }

for (const target of targets) {
  describe(`a closed period in the store on ${target.name}`, () => {
    let t: TestDatabase
    let keys: TestKeys
    let roundId = ""
    beforeAll(async () => {
      t = await target.make()
      keys = await makeTestSigner(["HCM"])
      await t.db.query(
        `INSERT INTO receipts (agency, id, office, form, symbol, number, lookup_code, status, amount, maker, approver, created_at, issued_at,
           canonical, seal_algorithm, seal_key_id, seal_signature, status_by, status_at)
         VALUES ('HCM', gen_random_uuid(), 'HCM-KV01', '01-BLTHADS', 'AA/25E', 1, 'A00000000001', 'issued', 50000000, 'lan.nguyen', 'hung.tran',
           '2025-06-12T02:00:00Z', '2025-06-12T02:00:00Z', '{}', 'Ed25519', 'k1', 'sig', 'hung.tran', '2025-06-12T02:00:00Z')`
      )
      const caseDecision = "77/QĐ-CTHADS"
      const { bankAccount: _none, ...noAccount } = makeClaim(2, { owed: 30_000_000n })
      await importCase(t.db, [makeClaim(1, { owed: 10_000_000n }), noAccount], "HCM", caseDecision)
      const stored = await planStored(t.db, makeTerms({ caseDecision, legalDate: "2025-06-15", available: 40_000_000n }))
      await approveStored(t.db, keys.sign, stored)
      roundId = stored.plan.id
      const { request } = await requestClosing(t.db, asker, june, "2025-07-01T01:00:00.000Z", crypto.randomUUID())
      await decideClosing(t.db, closer, request.id, request.snapshotSha256, "closed", "2025-07-01T02:00:00.000Z")
    })
    afterAll(async () => {
      await t?.dispose()
    })

    test("a payout line deposited inside the closed period is refused by the database; recorded now it counts in the open month", async () => {
      await expect(depositLines(t.db, { agency: "HCM", roundId, reference: "STK-1", by: "ke.toan", now: "2025-06-28T03:00:00.000Z" }))
        .rejects.toThrow(/closed statistical period 2025\/9/)
      const done = await depositLines(t.db, { agency: "HCM", roundId, reference: "STK-1", by: "ke.toan", now: "2025-07-03T03:00:00.000Z" })
      expect(done.count).toBe(1)
      const july = { year: 2025, months: 10 }
      const events = await reportEvents(t.db, { agencies: ["HCM"], from: periodStartsAt(july), to: periodEndsAt(july) })
      const deposited = events.filter((e) => e.kind === "deposited")
      expect(deposited.map((e) => [e.amount, e.at])).toEqual([[done.amount, "2025-07-03T03:00:00.000Z"]])
      expect(deposited[0]?.label).toContain("77/QĐ-CTHADS")
      const report = await computeMoneyReport(t.db, { agencies: ["HCM"], period: july, asOf: "2025-07-04T00:00:00.000Z" })
      expect(report.monthly[9]?.deposited).toEqual({ count: 1, amount: done.amount })
      expect(report.monthly[8]?.issued).toEqual({ count: 1, amount: 50_000_000n })
      // The closed June report is unchanged and closed.
      const closed = await computeMoneyReport(t.db, { agencies: ["HCM"], period: june, asOf: "2025-07-04T00:00:00.000Z" })
      expect(closed.status).toBe("closed")
      expect(closed.total.deposited.count).toBe(0)
    })

    test("a closed period whose records were changed behind bienlai's back is named as changed history", async () => {
      const before = await computeMoneyReport(t.db, { agencies: ["HCM"], period: june, asOf: "2025-07-04T00:00:00.000Z" })
      await t.db.transaction(async (tx) => {
        await tx.exec("ALTER TABLE receipts DISABLE TRIGGER USER")
        await tx.query("UPDATE receipts SET amount = 5000000 WHERE agency = 'HCM' AND number = 1")
        await tx.exec("ALTER TABLE receipts ENABLE TRIGGER USER")
      })
      const changed = await computeMoneyReport(t.db, { agencies: ["HCM"], period: june, asOf: "2025-07-04T00:00:00.000Z" }).then(
        () => undefined,
        (e: unknown) => e
      )
      expect(changed).toBeInstanceOf(ClosingRefused)
      expect((changed as ClosingRefused).reason).toBe("history_changed")
      expect((changed as ClosingRefused).message).toContain(figuresSha256(before))
    })
  })
}
