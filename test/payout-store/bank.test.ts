/**
 * Paying a round through the bank, on PGlite and (with TEST_DATABASE_URL)
 * PostgreSQL: the pain.001 of an approved round validates against the
 * official XSD and is the same file when exported again; a sent line is in
 * no later batch until the bank returns it; pain.002, camt.054 and a CSV
 * statement through a mapping mark lines paid or returned; a returned line
 * is sent again or deposited; every bad answer is refused naming where it
 * is, and nothing changes.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test"
import { mkdirSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import type { Pain001Line } from "../../domain/bank/pain001.ts"
import { loadStatementMappings } from "../../adapters/bank/mappings.ts"
import { readPayoutAnswers } from "../../adapters/bank/payout-answers.ts"
import { writePain001File } from "../../adapters/bank/iso20022/pain001-file.ts"
import type { Db } from "../../store/database/db.ts"
import { applyBankAnswers, depositLines } from "../../store/payout/bank-answers.ts"
import { exportRound } from "../../store/payout/bank-export.ts"
import { targets, type TestDatabase } from "../store/databases.ts"
import { makeTestSigner, type TestKeys } from "../store/test-signer.ts"
import { makeClaim, makeTerms } from "../payout/fixtures.ts"
import { debitNotificationFor, pain002Document } from "../bank/iso-writers.ts"
import { xsdErrors } from "../bank/xsd.ts"
import { approveStored, failure, importCase, planStored } from "./harness.ts"

setDefaultTimeout(120_000)
const out = join(import.meta.dir, "..", "..", "test-output", "payout-bank")
mkdirSync(out, { recursive: true })
const debtor = { name: "Cục Thi hành án dân sự TP. Hồ Chí Minh", account: "0071000123456", bankBin: "970436" }

const exportTo = async (db: Db, agency: string, roundId: string, file: string, now = "2025-07-02T02:00:00.000Z") => {
  const seen: Array<Pain001Line> = []
  const batch = await exportRound(db, {
    agency, roundId, debtor, by: "ke.toan", now,
    write: async (b) => {
      async function* spy() {
        for await (const l of b.lines) {
          seen.push(l)
          yield l
        }
      }
      await writePain001File(file, { messageId: b.messageId, createdAt: b.createdAt, debtor: b.debtor }, spy(), { count: b.count, sum: b.sum })
    }
  })
  return { batch, lines: seen, xml: readFileSync(file, "utf8") }
}

const states = async (db: Db, roundId: string) =>
  Object.fromEntries((await db.query<{ state: string; n: number }>(
    `SELECT payout_line_state(l.state, r.status) AS state, count(*)::int AS n FROM payout_lines l JOIN payout_rounds r ON r.agency = l.agency AND r.id = l.round_id
      WHERE l.round_id = $1::uuid GROUP BY 1 ORDER BY 1`, [roundId])).map((r) => [r.state, r.n]))

for (const target of targets) {
  describe(`payout through the bank on ${target.name}`, () => {
    let t: TestDatabase
    let keys: TestKeys
    beforeAll(async () => {
      t = await target.make()
      keys = await makeTestSigner(["HCM", "HNI"])
    })
    afterAll(async () => {
      await t.dispose()
    })

    test("export, pain.002, send again, camt.054, CSV statement, deposit: from approved to paid or deposited", async () => {
      const db = t.db
      const caseDecision = "10/QĐ-CCTHADS"
      const { bankAccount: _none, ...noAccount } = makeClaim(6)
      await importCase(db, [1, 2, 3, 4, 5].map((n) => makeClaim(n, { owed: BigInt(n) * 10_000_000n })).concat([noAccount]), "HCM", caseDecision)
      const stored = await planStored(db, makeTerms({ caseDecision, available: 60_000_000n }))
      const id = stored.plan.id
      // Not before approval.
      expect((await failure(() => exportTo(db, "HCM", id, join(out, "early.xml")))).reason).toBe("not_approved")
      await approveStored(db, keys.sign, stored)

      const first = await exportTo(db, "HCM", id, join(out, `${target.name}-b1.xml`))
      expect(first.batch).toMatchObject({ batch: 1, count: 5, fresh: true })
      expect(first.batch.sum).toBe(stored.plan.totals.bySettlement.bank.amount)
      expect(await xsdErrors("pain.001.001.09", first.xml)).toEqual([])
      expect(await states(db, id)).toEqual({ approved: 1, sent: 5 })
      // Exported again: nothing new to send, the same file, and nothing sent twice.
      const again = await exportTo(db, "HCM", id, join(out, `${target.name}-b1-again.xml`), "2025-07-09T09:00:00.000Z")
      expect(again.batch).toMatchObject({ batch: 1, fresh: false })
      expect(again.xml).toBe(first.xml)
      const [sends] = await db.query<{ max: number }>("SELECT max(sends)::int AS max FROM payout_lines WHERE round_id = $1::uuid", [id])
      expect(sends!.max).toBe(1)

      // The bank: line 1 settled, line 2 rejected (wrong account), line 3 accepted, not yet settled.
      const [l1, l2, l3, l4, l5] = first.lines
      const pain002 = join(out, `${target.name}-pain002.xml`)
      writeFileSync(pain002, pain002Document(first.batch.messageId, [
        { endToEndId: l1!.endToEndId, status: "ACSC", amount: l1!.amount },
        { endToEndId: l2!.endToEndId, status: "RJCT", reason: "AC01" },
        { endToEndId: l3!.endToEndId, status: "ACCP" }
      ]))
      expect(await xsdErrors("pain.002.001.11", readFileSync(pain002, "utf8"))).toEqual([])
      const read = await readPayoutAnswers(pain002)
      expect(read.problems).toEqual([])
      const applied = await applyBankAnswers(db, { agency: "HCM", answers: read.answers, by: "ke.toan", now: "2025-07-03T02:00:00.000Z" })
      expect(applied).toMatchObject({ paid: 1, returned: 1, pending: 1, unchanged: 0, paidAmount: l1!.amount, returnedAmount: l2!.amount })
      expect(await states(db, id)).toEqual({ approved: 1, paid: 1, returned: 1, sent: 3 })
      // The same report read again changes nothing.
      expect(await applyBankAnswers(db, { agency: "HCM", answers: read.answers, by: "ke.toan", now: "2025-07-03T03:00:00.000Z" })).toMatchObject({ paid: 0, returned: 0, unchanged: 2 })

      // The returned line is sent again, alone, in batch 2.
      const second = await exportTo(db, "HCM", id, join(out, `${target.name}-b2.xml`), "2025-07-04T02:00:00.000Z")
      expect(second.batch).toMatchObject({ batch: 2, count: 1, fresh: true })
      expect(second.lines.map((l) => l.endToEndId)).toEqual([l2!.endToEndId])
      const [{ sends: twice }] = await db.query<{ sends: number }>("SELECT sends FROM payout_lines WHERE line_id = $1::text", [l2!.endToEndId]) as [{ sends: number }]
      expect(twice).toBe(2)

      // camt.054: lines 2, 3 and 4 debited (paid).
      const camt = join(out, `${target.name}-camt054.xml`)
      writeFileSync(camt, debitNotificationFor(debtor.account, "2025-07-05", [l2!, l3!, l4!]))
      expect(await xsdErrors("camt.054.001.08", readFileSync(camt, "utf8"))).toEqual([])
      const camtRead = await readPayoutAnswers(camt)
      expect(camtRead.format).toBe("camt.054")
      expect(await applyBankAnswers(db, { agency: "HCM", answers: camtRead.answers, by: "ke.toan", now: "2025-07-05T05:00:00.000Z" })).toMatchObject({ paid: 3 })

      // A CSV statement through the standard mapping: line 5 came back (a credit naming it).
      const csv = join(out, `${target.name}-statement.csv`)
      writeFileSync(csv, "Ngày hạch toán,Số tham chiếu,Ghi nợ,Ghi có,Nội dung,Mã giao dịch gốc\n" +
        `06/07/2025,RT0001,,${l5!.amount},Hoan tra: tai khoan dong,${l5!.endToEndId}\n` +
        "06/07/2025,FT0002,500000,,Phi dich vu,\n")
      const csvRead = await readPayoutAnswers(csv, { mapping: loadStatementMappings().get("bienlai-standard")!, account: debtor.account })
      expect(csvRead.other).toBe(1)
      expect(await applyBankAnswers(db, { agency: "HCM", answers: csvRead.answers, by: "ke.toan", now: "2025-07-06T05:00:00.000Z" })).toMatchObject({ returned: 1 })

      // Deposited: the returned line 5 and the line of the creditor without an account.
      const deposited = await depositLines(db, { agency: "HCM", roundId: id, reference: "STK-2025-0042", by: "ke.toan", now: "2025-07-07T02:00:00.000Z" })
      expect(deposited.count).toBe(2)
      expect(await states(db, id)).toEqual({ deposited: 2, paid: 4 })
      // Every line: paid plus deposited add up to what the round pays (net of fees), to the đồng.
      const [sum] = await db.query<{ s: string }>("SELECT sum(amount - fee)::text AS s FROM payout_lines WHERE round_id = $1::uuid AND state IN ('paid', 'deposited')", [id])
      expect(BigInt(sum!.s)).toBe(stored.plan.totals.net)
      // Each change is in the audit: two batches sent (one row each, naming the batch), and per line 4 paid, 2 returned (naming the batch), 2 deposited.
      const audit = await db.query<{ action: string; n: number }>(
        "SELECT action, count(*)::int AS n FROM payout_audit WHERE round_id = $1::uuid AND line_id IS NOT NULL GROUP BY action ORDER BY action", [id])
      expect(audit).toEqual([{ action: "deposited", n: 2 }, { action: "paid", n: 4 }, { action: "returned", n: 2 }])
      const batches = await db.query<{ batch: number; lines: number }>(
        "SELECT (detail->>'batch')::int AS batch, (detail->>'lines')::int AS lines FROM payout_audit WHERE round_id = $1::uuid AND action = 'sent' ORDER BY seq", [id])
      expect(batches).toEqual([{ batch: 1, lines: 5 }, { batch: 2, lines: 1 }])
      const [returnedFrom] = await db.query<{ batch: number }>(
        "SELECT (detail->>'batch')::int AS batch FROM payout_audit WHERE line_id = $1::text AND action = 'returned'", [l2!.endToEndId])
      expect(returnedFrom!.batch).toBe(1)
      // Nothing left to send: exporting writes the latest batch again, the same file.
      const last = await exportTo(db, "HCM", id, join(out, `${target.name}-b2-again.xml`), "2025-07-08T02:00:00.000Z")
      expect(last.batch).toMatchObject({ batch: 2, fresh: false })
      expect(last.xml).toBe(second.xml)
    })

    test("bad answers are refused naming where they are, and nothing changes", async () => {
      const db = t.db
      const caseDecision = "11/QĐ-CCTHADS"
      await importCase(db, [1, 2, 3].map((n) => makeClaim(n)), "HCM", caseDecision)
      const stored = await planStored(db, makeTerms({ caseDecision, available: 3_000_000n }))
      await approveStored(db, keys.sign, stored)
      await importCase(db, [makeClaim(1)], "HNI", caseDecision)
      const other = await planStored(db, makeTerms({ agency: "HNI", caseDecision, available: 1_000_000n }))
      await approveStored(db, keys.sign, other)
      const sent = await exportTo(db, "HCM", stored.plan.id, join(out, `${target.name}-bad-b1.xml`))
      const [a, b] = sent.lines
      const before = await states(db, stored.plan.id)
      const otherLine = `${other.plan.id.replaceAll("-", "").slice(0, 12)}-0000001`

      const file = join(out, `${target.name}-bad-pain002.xml`)
      writeFileSync(file, pain002Document(sent.batch.messageId, [
        { endToEndId: a!.endToEndId, status: "ACSC" },
        { endToEndId: "000000000000-0000009", status: "ACSC" },
        { endToEndId: otherLine, status: "ACSC" },
        { endToEndId: b!.endToEndId, status: "ACSC", amount: b!.amount + 1n }
      ]))
      const read = await readPayoutAnswers(file)
      const refusal = await failure(() => applyBankAnswers(db, { agency: "HCM", answers: read.answers, by: "ke.toan", now: "2025-07-03T02:00:00.000Z" }))
      expect(refusal.message).toContain("pain.002 TxInfAndSts 2 (000000000000-0000009): there is no payout line 000000000000-0000009 in agency HCM")
      expect(refusal.message).toContain(`pain.002 TxInfAndSts 3 (${otherLine}): line ${otherLine} belongs to another agency, not to HCM`)
      expect(refusal.message).toContain(`the bank reports ${b!.amount + 1n} đồng`)
      expect(await states(db, stored.plan.id)).toEqual(before)

      // Paid twice: the second answer is refused, the first stays applied only when the file is valid as a whole.
      await applyBankAnswers(db, { agency: "HCM", answers: [{ where: "x", lineId: a!.endToEndId, outcome: "paid", reference: "FT1" }], by: "k", now: "2025-07-03T02:00:00.000Z" })
      const twice = await failure(() => applyBankAnswers(db, { agency: "HCM", answers: [
        { where: "camt.054 entry 1 (FT2)", lineId: a!.endToEndId, outcome: "paid", reference: "FT2" },
        { where: "camt.054 entry 2 (FT3)", lineId: b!.endToEndId, outcome: "paid", reference: "FT3" }
      ], by: "k", now: "2025-07-04T02:00:00.000Z" }))
      expect(twice.message).toContain(`camt.054 entry 1 (FT2): line ${a!.endToEndId} is already paid; a line is never paid twice`)
      expect((await db.query<{ state: string }>("SELECT state FROM payout_lines WHERE line_id = $1::text", [b!.endToEndId]))[0]!.state).toBe("sent")

      // Malformed files: the element is named.
      const broken = join(out, `${target.name}-broken-pain002.xml`)
      writeFileSync(broken, pain002Document(sent.batch.messageId, [{ endToEndId: b!.endToEndId, status: "ACSC" }]).replace("<TxSts>ACSC</TxSts>", "<TxSts>paid</TxSts>"))
      const brokenRead = await readPayoutAnswers(broken)
      expect(brokenRead.problems.map((p) => p.message).join()).toContain("TxSts \"paid\" is not a 4-letter status code")
      const truncated = join(out, `${target.name}-truncated-camt054.xml`)
      writeFileSync(truncated, debitNotificationFor(debtor.account, "2025-07-05", [b!]).slice(0, 600))
      const error = await failure(() => readPayoutAnswers(truncated))
      expect(error.message).toMatch(/camt\.054/)
      // A round larger than what remains owed is refused by the planner.
      await importCase(db, [makeClaim(1)], "HCM", "12/QĐ-CCTHADS")
      const tooMuch = await failure(() => planStored(db, makeTerms({ caseDecision: "12/QĐ-CCTHADS", available: 2_000_000n })))
      expect(tooMuch.reason).toBe("plan_refused")
      expect(tooMuch.message).toContain("the creditors are owed only")
    })
  })
}
