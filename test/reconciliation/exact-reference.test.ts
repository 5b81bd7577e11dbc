/**
 * The set-based pass (store/reconciliation/exact-reference.ts) matches most
 * credits in one statement before the domain matcher sees the rest. It must
 * not change any result: for random worlds of targets and credits (every way
 * of paying the matcher knows: references, split references, two references,
 * bank references, decisions, wrong names, wrong amounts, the same target
 * paid twice), a stored run gives exactly what the domain matcher gives on
 * the whole set in memory: the same allocations with the same evidence, the
 * same queue items, the same unmatched credits. On PGlite and (with
 * TEST_DATABASE_URL) PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import fc from "fast-check"
import type { StatementEvent } from "../../domain/bank/statement.ts"
import { type Credit, makeCredit, type Target } from "../../domain/reconciliation/credit.ts"
import { matchCredits } from "../../domain/reconciliation/matching.ts"
import { registerBankAccount } from "../../store/reconciliation/accounts.ts"
import { matchesOf, openQueue } from "../../store/reconciliation/queue.ts"
import { runReconciliation } from "../../store/reconciliation/run.ts"
import { importStatementEvents } from "../../store/reconciliation/statement-import.ts"
import { targets as databases, type TestDatabase } from "../store/databases.ts"
import { scenarioArb } from "./arbitraries.ts"

const now = "2025-06-24T01:00:00.000Z"

const eventsOf = (account: string, credits: ReadonlyArray<Credit>): Array<StatementEvent> => [
  { type: "statement", statement: { format: "mt940", statementId: `S${account}`, account, currency: "VND" } },
  ...credits.map((c, i): StatementEvent => ({
    type: "entry",
    entry: { index: i + 1, account, bookingDate: c.bookingDate, amount: c.amount, direction: "credit", bankReference: c.bankReference, memo: c.memo, status: "booked", reversal: false }
  })),
  {
    type: "end",
    summary: {
      statementId: `S${account}`, account, credits: { count: credits.length, total: credits.reduce((a, c) => a + c.amount, 0n) }, debits: { count: 0, total: 0n },
      pending: 0, rejected: 0, balanceCheck: "no_balances"
    }
  }
]

// Code-point order in both, whatever the database's collation.
const byPair = (a: { credit: string; target: string }, b: { credit: string; target: string }) =>
  a.credit < b.credit ? -1 : a.credit > b.credit ? 1 : a.target < b.target ? -1 : a.target > b.target ? 1 : 0

const storedTarget = (agency: string, t: Target) =>
  [agency, t.kind === "request" ? "request" : "receipt", t.id, t.kind === "request" ? null : t.kind === "receipt" ? "issued" : "draft", t.amount.toString(),
    t.paymentReference, t.bankReference ?? null, t.decisionNumber ?? null, t.payerName]

for (const database of databases) {
  describe(`the set-based reference pass on ${database.name}`, () => {
    let t: TestDatabase
    let world = 0
    beforeAll(async () => {
      t = await database.make()
    })
    afterAll(async () => {
      await t?.dispose()
    })

    test("a stored run decides exactly what the domain matcher decides on the whole set", async () => {
      let allocated = 0
      await fc.assert(
        fc.asyncProperty(scenarioArb, async ({ targets, credits: generated }) => {
          // Each world is an agency of its own with an account of its own.
          const agency = `W${++world}`
          const account = `99${String(world).padStart(8, "0")}`
          await t.db.query("INSERT INTO agencies (code, name) VALUES ($1::text, $1::text)", [agency])
          await registerBankAccount(t.db, { agency, account, bankBin: "970436" })
          for (const target of targets) {
            await t.db.query(
              `INSERT INTO recon_targets (agency, kind, id, receipt_status, amount, payment_reference, bank_reference, decision_number, payer_name)
               VALUES ($1::text, $2::text, $3::text, $4::text, $5::bigint, $6::text, $7::text, $8::text, $9::text)`,
              storedTarget(agency, target)
            )
          }
          const credits = generated.map((c) => makeCredit({ account, bankReference: c.bankReference, bookingDate: c.bookingDate, amount: c.amount, memo: c.memo }))
          await importStatementEvents(t.db, eventsOf(account, credits), { agency, now })
          await runReconciliation(t.db, { agency, now, today: "2025-06-24" })

          const expected = matchCredits(credits, targets)
          const matches = await matchesOf(t.db, agency)
          expect(matches.map((m) => ({ credit: `${m.account}/${m.bankReference}`, target: m.targetId, amount: m.amount, rule: m.rule, confidence: m.confidence, evidence: m.evidence })).sort(byPair))
            .toEqual(expected.allocations.map((a) => ({ credit: a.creditKey, target: a.targetId, amount: a.amount, rule: a.rule, confidence: a.confidence, evidence: JSON.parse(JSON.stringify(a.evidence)) })).sort(byPair))
          allocated += expected.allocations.length
          const queue = await openQueue(t.db, agency)
          expect(queue.map((q) => `${q.account}/${q.bankReference} ${q.reason} ${q.candidates.join(",")}`).sort())
            .toEqual(expected.queue.map((q) => `${q.creditKey} ${q.reason} ${q.candidates.join(",")}`).sort())
          const proposals = await t.db.query<{ k: string }>("SELECT account || '/' || bank_reference AS k FROM recon_proposals WHERE agency = $1::text ORDER BY 1", [agency])
          expect(proposals.map((p) => p.k)).toEqual([...expected.unmatched].sort())
        }),
        { numRuns: database.name === "PGlite" ? 25 : 40 }
      )
      // The worlds did exercise matching (the property is not vacuous).
      expect(allocated).toBeGreaterThan(0)
    }, 240_000)
  })
}
