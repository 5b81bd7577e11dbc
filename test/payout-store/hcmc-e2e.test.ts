/**
 * End to end on PostgreSQL, at the size of the HCMC case: 43,108 synthetic
 * creditors (967 without an account) imported, round 1 at 24.81 % with the
 * Circular 216 fee planned, approved and signed, exported as pain.001 (valid
 * against the XSD), answered by the bank (a few returned), the returned and
 * the deposit lines deposited; then round 2 at 2.4553 % with a late
 * creditor's catch-up. Every sum matches to the đồng: the stored lines, the
 * plan, the pain.001's control sum, the bank's answers, the report.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test"
import { mkdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { applyRatio } from "./ratio-of.ts"
import type { Pain001Line } from "../../domain/bank/pain001.ts"
import { writePain001File } from "../../adapters/bank/iso20022/pain001-file.ts"
import { applyBankAnswers, depositLines } from "../../store/payout/bank-answers.ts"
import { exportRound } from "../../store/payout/bank-export.ts"
import { roundReport } from "../../store/payout/report.ts"
import { freshPostgres, testDatabaseUrl, type TestDatabase } from "../store/databases.ts"
import { makeTestSigner, type TestKeys, verifySeal } from "../store/test-signer.ts"
import { HCMC_CREDITORS, HCMC_NO_ACCOUNT, HCMC_OWED, ratioRound, syntheticCreditors } from "../payout/hcmc-case.ts"
import { makeClaim } from "../payout/fixtures.ts"
import { xsdErrors } from "../bank/xsd.ts"
import { approveStored, importCase, planStored } from "./harness.ts"

setDefaultTimeout(600_000)
const out = join(import.meta.dir, "..", "..", "test-output", "payout-e2e")
mkdirSync(out, { recursive: true })
const debtor = { name: "Cục Thi hành án dân sự TP. Hồ Chí Minh", account: "0071000123456", bankBin: "970436" }

describe.skipIf(testDatabaseUrl === undefined)("43,108 creditors on PostgreSQL, to the đồng", () => {
  let t: TestDatabase
  let keys: TestKeys
  beforeAll(async () => {
    t = await freshPostgres(testDatabaseUrl!)
    keys = await makeTestSigner(["HCM"])
  })
  afterAll(async () => {
    await t.dispose()
  })

  test("import, plan, approve, sign, export, bank answers, deposit, and a second round with catch-up", async () => {
    const db = t.db
    const claims = syntheticCreditors(HCMC_CREDITORS, HCMC_OWED, { noAccount: HCMC_NO_ACCOUNT })
    expect(claims.reduce((s, c) => s + c.owed, 0n)).toBe(HCMC_OWED)
    await importCase(db, claims)

    const terms = ratioRound(1, "24.81%", { kind: "circular_216_2016", baseSalary: 2_340_000n }, 10_000_000_000_000n)
    const stored = await planStored(db, terms)
    const plan = stored.plan
    // Each creditor gets 24.81 % of what they are owed, to the nearest đồng; the lines add up to the plan's total.
    const expected = claims.reduce((s, c) => s + applyRatio(c.owed, 2481n, 10_000n), 0n)
    expect(plan.totals.paid).toBe(expected)
    const [sums] = await db.query<{ n: number; amount: string; fee: string }>(
      "SELECT count(*)::int AS n, sum(amount)::text AS amount, sum(fee)::text AS fee FROM payout_lines WHERE round_id = $1::uuid", [plan.id])
    expect(sums).toEqual({ n: HCMC_CREDITORS, amount: expected.toString(), fee: plan.totals.fee.toString() })

    const approved = await approveStored(db, keys.sign, stored)
    expect(await verifySeal(keys.publicKey, approved.seal, new TextEncoder().encode(approved.approvedHeader))).toBe(true)

    const file = join(out, "round1.xml")
    const sent: Array<Pain001Line> = []
    const batch = await exportRound(db, {
      agency: "HCM", roundId: plan.id, debtor, by: "ke.toan", now: "2025-07-21T02:00:00.000Z",
      write: async (b) => {
        async function* keep() {
          for await (const l of b.lines) {
            sent.push(l)
            yield l
          }
        }
        await writePain001File(file, { messageId: b.messageId, createdAt: b.createdAt, debtor: b.debtor }, keep(), { count: b.count, sum: b.sum })
      }
    })
    const bank = plan.totals.bySettlement.bank
    expect(batch.count).toBe(HCMC_CREDITORS - HCMC_NO_ACCOUNT)
    expect(batch.sum).toBe(bank.amount - bank.fee)
    const xml = readFileSync(file, "utf8")
    expect(xml).toContain(`<CtrlSum>${bank.amount - bank.fee}</CtrlSum>`)
    expect(await xsdErrors("pain.001.001.09", xml)).toEqual([])

    // The bank pays all but every thousandth line, which comes back.
    const returned = sent.filter((_, i) => i % 1000 === 0)
    const answers = sent.map((l, i) => ({
      where: `camt.054 entry ${i + 1}`, lineId: l.endToEndId, outcome: i % 1000 === 0 ? "returned" as const : "paid" as const,
      reference: `FT${i + 1}`, amount: l.amount
    }))
    const applied = await applyBankAnswers(db, { agency: "HCM", answers, by: "ke.toan", now: "2025-07-22T02:00:00.000Z" })
    expect(applied.returned).toBe(returned.length)
    expect(applied.paidAmount + applied.returnedAmount).toBe(batch.sum)
    const deposited = await depositLines(db, { agency: "HCM", roundId: plan.id, reference: "STK-3699-01", by: "ke.toan", now: "2025-07-23T02:00:00.000Z" })
    expect(deposited.count).toBe(HCMC_NO_ACCOUNT + returned.length)

    const report = await roundReport(db, "HCM", plan.id)
    expect(report.addsUp).toBe(true)
    expect(report.total.amount).toBe(expected)
    expect(report.byState["paid"]!.net + report.byState["deposited"]!.net).toBe(plan.totals.net)
    expect(report.byState["paid"]!.net).toBe(applied.paidAmount)

    // Round 2, with a late creditor: their catch-up is round 1's ratio of what they are owed.
    const late = makeClaim(HCMC_CREDITORS + 1, { owed: 123_456_789n })
    await importCase(db, [late])
    const r2 = ratioRound(2, "2.4553%", { kind: "waived" }, 1_000_000_000_000n)
    const second = await planStored(db, r2)
    const [catchUp] = await db.query<{ amount: string }>(
      "SELECT amount::text AS amount FROM payout_lines WHERE round_id = $1::uuid AND claim_id = $2::text AND kind = 'catch_up'", [second.plan.id, late.id])
    expect(BigInt(catchUp!.amount)).toBe(applyRatio(123_456_789n, 2481n, 10_000n))
    const [s2] = await db.query<{ amount: string }>("SELECT sum(amount)::text AS amount FROM payout_lines WHERE round_id = $1::uuid", [second.plan.id])
    expect(BigInt(s2!.amount)).toBe(second.plan.totals.paid)
    expect((await roundReport(db, "HCM", second.plan.id)).addsUp).toBe(true)
  })
})
