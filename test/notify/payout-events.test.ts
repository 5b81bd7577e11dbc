/**
 * Payout lines paid by the bank's answer, or deposited, put their events in
 * the outbox in the same transaction (PGlite): an agency-wide webhook hears
 * every line, a creditor's own e-mail only their line; each event carries
 * the round's reference and the creditor's notice lookup code, never the
 * identity number; an answer refused as a whole writes nothing.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test"
import { Result } from "effect"
import type { Pain001Line } from "../../domain/bank/pain001.ts"
import { checkRecipient, type RecipientInput } from "../../domain/notifications/recipient.ts"
import { addRecipient } from "../../store/notifications/recipients.ts"
import { applyBankAnswers, depositLines } from "../../store/payout/bank-answers.ts"
import { exportRound } from "../../store/payout/bank-export.ts"
import { freshPglite, type TestDatabase } from "../store/databases.ts"
import { makeTestSigner } from "../store/test-signer.ts"
import { cccdFor, makeClaim, makeTerms } from "../payout/fixtures.ts"
import { approveStored, importCase, planStored } from "../payout-store/harness.ts"

describe("payout events in the outbox", () => {
  let t: TestDatabase
  beforeAll(async () => {
    t = await freshPglite()
  }, 60_000)
  afterAll(async () => {
    await t?.dispose()
  })

  const add = (input: RecipientInput, secret?: string) =>
    addRecipient(t.db, Result.getOrThrow(checkRecipient(input)), { id: crypto.randomUUID(), by: "admin.hcm", now: "2025-06-01T00:00:00.000Z", secret })

  test("paid and deposited lines, to the agency's webhook and to the creditor's own e-mail", async () => {
    await add({ agency: "HCM", channel: "webhook", target: "https://ketoan.example.vn/hook", events: ["payout.paid", "payout.deposited"] }, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
    await add({ agency: "HCM", channel: "email", target: "chu.no1@example.vn", person: cccdFor(1), events: ["payout.paid"] })
    const db = t.db
    const caseDecision = "10/QĐ-CCTHADS"
    const { bankAccount: _none, ...noAccount } = makeClaim(3)
    await importCase(db, [makeClaim(1, { owed: 10_000_000n }), makeClaim(2, { owed: 20_000_000n }), noAccount], "HCM", caseDecision)
    const stored = await planStored(db, makeTerms({ caseDecision, available: 30_000_000n }))
    await approveStored(db, (await makeTestSigner(["HCM"])).sign, stored)
    const lines: Array<Pain001Line> = []
    await exportRound(db, {
      agency: "HCM", roundId: stored.plan.id, debtor: { name: "Cục THADS TP.HCM", account: "0071000123456", bankBin: "970436" }, by: "ke.toan", now: "2025-07-02T02:00:00.000Z",
      write: async (b) => {
        for await (const l of b.lines) lines.push(l)
      }
    })
    expect(lines.length).toBe(2)
    const events = () => db.query<{ event: string; subject_id: string; reference: string; lookup_code: string | null; channels: string }>(
      `SELECT e.event, e.subject_id, e.reference, e.lookup_code, string_agg(n.channel, ',' ORDER BY n.channel) AS channels
         FROM notify_events e JOIN notifications n ON n.agency = e.agency AND n.event_id = e.id
        WHERE e.subject_kind = 'payout' GROUP BY e.agency, e.id ORDER BY e.event, e.subject_id`)
    expect(await events()).toEqual([]) // exported (sent) is not an event

    // A file with one impossible answer is refused as a whole: nothing paid, nothing told.
    const refused = await applyBankAnswers(db, { agency: "HCM", by: "ke.toan", now: "2025-07-03T02:00:00.000Z", answers: [
      { where: "1", lineId: lines[0]!.endToEndId, outcome: "paid" },
      { where: "2", lineId: "000000000000-0000099", outcome: "paid" }
    ] }).then(() => "applied", () => "refused")
    expect(refused).toBe("refused")
    expect(await events()).toEqual([])

    await applyBankAnswers(db, { agency: "HCM", by: "ke.toan", now: "2025-07-03T02:00:00.000Z", answers: lines.map((l, i) => ({ where: String(i), lineId: l.endToEndId, outcome: "paid" as const })) })
    await depositLines(db, { agency: "HCM", roundId: stored.plan.id, reference: "STK-2025-001", by: "ke.toan", now: "2025-07-04T02:00:00.000Z" })
    const found = await events()
    expect(found.map((e) => `${e.event}:${e.channels}`).sort()).toEqual(["payout.deposited:webhook", "payout.paid:email,webhook", "payout.paid:webhook"].sort())
    for (const e of found) {
      expect(e.reference).toBe(`Đợt 1 – ${caseDecision}`)
      expect(e.lookup_code).toMatch(/^[0-9A-HJKMNP-TV-Z]{12}$/)
    }
    expect(JSON.stringify(await db.query("SELECT * FROM notify_events"))).not.toContain(cccdFor(1))
  })
})
