/**
 * The payout store on PGlite and, with TEST_DATABASE_URL, PostgreSQL:
 * claims, planning, maker-checker approval bound to the planned header's
 * SHA-256, the agency's signature over the approved header, lookup codes,
 * history for the next round, and the database refusing what the
 * application would refuse even when the application is bypassed.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test"
import fc from "fast-check"
import { Result } from "effect"
import { approvedBytes, approvePlan, historyOf, noticeBytes, planRound, type ApprovedPlan } from "../../domain/payout/index.ts"
import { noticeFor } from "../../store/payout/notices.ts"
import { sumLines } from "./sums.ts"
import { targets, type TestDatabase } from "../store/databases.ts"
import { makeTestSigner, type TestKeys, verifySeal } from "../store/test-signer.ts"
import { claimsArb, shapeArb, termsFor } from "../payout/arbitraries.ts"
import { makeClaim, makeTerms } from "../payout/fixtures.ts"
import { APPROVER, approvedAt, approveStored, failure, importCase, newLookupCode, PLANNER, planStored } from "./harness.ts"
import { planAndStoreRound } from "../../store/payout/plan-round.ts"
import { planDigests as oldPlanDigests } from "../payout/reference/canonical-of-objects.ts"
import { planRound as oldPlanRound } from "../payout/reference/plan-of-objects.ts"
import { approveRound } from "../../store/payout/approve-round.ts"

setDefaultTimeout(120_000)

for (const target of targets) {
  describe(`payout storage on ${target.name}`, () => {
    let t: TestDatabase
    let keys: TestKeys
    beforeAll(async () => {
      t = await target.make()
      keys = await makeTestSigner(["HCM", "HNI"])
    })
    afterAll(async () => {
      await t.dispose()
    })

    test("a round is planned, approved by another officer naming its hash, signed, bound to what was reviewed; each creditor's notice is found by code and identity number and signed", async () => {
      const db = t.db
      const claims = Array.from({ length: 40 }, (_, i) => makeClaim(i + 1, { owed: BigInt(1_000_000 + i * 7919), ...(i % 9 === 0 ? { bankAccount: undefined } : {}) }))
        .map((c) => Object.fromEntries(Object.entries(c).filter(([, v]) => v !== undefined)) as typeof c)
      await importCase(db, claims, "HCM", "1/QĐ-CCTHADS")
      const terms = makeTerms({ caseDecision: "1/QĐ-CCTHADS", available: 12_345_678n })
      const stored = await planStored(db, terms)

      // The stored lines are the plan's, to the đồng.
      const sums = await sumLines(db, "HCM", stored.plan.id)
      expect(sums.amount).toBe(stored.plan.totals.paid)
      expect(sums.count).toBe(stored.plan.lines.count)
      expect(sums.amount).toBe(12_345_678n)

      // The planner cannot approve; a hash other than the planned header's is refused; nothing changes.
      expect((await failure(() => approveRound(db, keys.sign, { agency: "HCM", roundId: stored.plan.id, approver: PLANNER, planSha256: stored.planSha256, now: approvedAt(terms) }))).reason).toBe("maker_cannot_approve")
      const other = stored.planSha256.replace(/^./, (c) => (c === "0" ? "1" : "0"))
      expect((await failure(() => approveRound(db, keys.sign, { agency: "HCM", roundId: stored.plan.id, approver: APPROVER, planSha256: other, now: approvedAt(terms) }))).reason).toBe("plan_changed")
      expect((await failure(() => approveRound(db, keys.sign, { agency: "HNI", roundId: stored.plan.id, approver: APPROVER, planSha256: stored.planSha256, now: approvedAt(terms) }))).reason).toBe("round_not_found")
      const [before] = await db.query<{ status: string }>("SELECT status FROM payout_rounds WHERE id = $1::uuid", [stored.plan.id])
      expect(before!.status).toBe("planned")

      const approved = await approveStored(db, keys.sign, stored)
      // The signed bytes are exactly the domain's approved header for this plan, and the seal verifies over them.
      const domainApproved = Result.getOrThrow(approvePlan(stored.plan, { approver: APPROVER, planSha256: stored.planSha256, now: approvedAt(terms) }))
      const expected = approvedBytes(domainApproved)
      expect(new TextDecoder().decode(expected)).toBe(approved.approvedHeader)
      expect(await verifySeal(keys.publicKey, approved.seal, expected)).toBe(true)
      const [row] = await db.query<{ approved_header: string; seal_signature: string; status: string }>(
        "SELECT approved_header, seal_signature, status FROM payout_rounds WHERE id = $1::uuid", [stored.plan.id])
      expect(row).toEqual({ approved_header: approved.approvedHeader, seal_signature: approved.seal.signature, status: "approved" })

      // A creditor's notice, by lookup code and identity number: exactly the domain's notice bytes of the approved plan, signed.
      const [own] = await db.query<{ claim_id: string; lookup_code: string }>(
        "SELECT claim_id, lookup_code FROM payout_lines WHERE round_id = $1::uuid AND line_no = 7", [stored.plan.id])
      const claim = claims.find((c) => c.id === own!.claim_id)!
      const notice = await noticeFor(db, keys.sign, own!.lookup_code.toLowerCase(), claim.creditor.identityNumber)
      const expectedNotice = noticeBytes(domainApproved, claim.id, { lookupCode: own!.lookup_code })!
      expect(notice!.text).toBe(new TextDecoder().decode(expectedNotice))
      expect(await verifySeal(keys.publicKey, notice!.seal, expectedNotice)).toBe(true)
      expect(await noticeFor(db, keys.sign, own!.lookup_code, claims.find((c) => c.id !== claim.id)!.creditor.identityNumber)).toBeUndefined()

      // Approving twice is refused; every line is approved and every own line has a lookup code.
      expect((await failure(() => approveStored(db, keys.sign, stored))).reason).toBe("not_planned")
      const lines = await db.query<{ state: string; n: number; codes: number; own: number }>(
        `SELECT payout_line_state(l.state, r.status) AS state, count(*)::int AS n, count(lookup_code)::int AS codes, count(*) FILTER (WHERE kind = 'round')::int AS own
           FROM payout_lines l JOIN payout_rounds r ON r.agency = l.agency AND r.id = l.round_id WHERE l.round_id = $1::uuid GROUP BY 1`, [stored.plan.id])
      expect(lines).toEqual([{ state: "approved", n: 40, codes: 40, own: 40 }])
      // ... by following its round: the approval wrote no line (migration 0480), each is still stored as planned.
      const stored40 = await db.query<{ state: string; n: number }>(
        "SELECT state, count(*)::int AS n FROM payout_lines WHERE round_id = $1::uuid GROUP BY state", [stored.plan.id])
      expect(stored40).toEqual([{ state: "planned", n: 40 }])

      // An audit row for the import, the plan and the approval, with who did it.
      const audit = await db.query<{ action: string; actor: string }>(
        "SELECT action, actor FROM payout_audit WHERE agency = 'HCM' AND case_decision = '1/QĐ-CCTHADS' ORDER BY seq")
      expect(audit).toEqual([{ action: "claims_imported", actor: PLANNER }, { action: "planned", actor: PLANNER }, { action: "approved", actor: APPROVER }])
    })

    test("the next round reads the history from the store: a late creditor's catch-up equals what the domain computes", async () => {
      const db = t.db
      const caseDecision = "2/QĐ-CCTHADS"
      const early = Array.from({ length: 12 }, (_, i) => makeClaim(i + 1, { owed: BigInt(5_000_000 + i * 104_729) }))
      await importCase(db, early, "HCM", caseDecision)
      const r1 = makeTerms({ caseDecision, round: 1, allocation: { method: "ratio", ratio: "24.81%" }, available: 100_000_000n })
      const s1 = await planStored(db, r1)
      await approveStored(db, keys.sign, s1)
      const late = makeClaim(99, { owed: 7_777_777n })
      await importCase(db, [late], "HCM", caseDecision)
      const r2 = makeTerms({ caseDecision, round: 2, legalDate: "2025-08-01", allocation: { method: "ratio", ratio: "2.4553%" }, available: 100_000_000n })
      const s2 = await planStored(db, r2)
      // The same rounds planned in memory from the approved plans give the same planned header.
      const a1 = Result.getOrThrow(approvePlan(s1.plan, { approver: APPROVER, planSha256: s1.planSha256, now: approvedAt(r1) })) as ApprovedPlan
      const memory = Result.getOrThrow(planRound([...early, late], historyOf([a1]), r2, { id: s2.plan.id, planner: PLANNER, now: `${r2.legalDate}T02:00:00.000Z` }))
      expect(memory.totals).toEqual(s2.plan.totals)
      const catchUp = await db.query<{ claim_id: string; for_round: number; amount: string }>(
        "SELECT claim_id, for_round, amount::text AS amount FROM payout_lines WHERE round_id = $1::uuid AND kind = 'catch_up'", [s2.plan.id])
      expect(catchUp).toEqual([{ claim_id: late.id, for_round: 1, amount: String((7_777_777n * 2481n + 5000n) / 10000n) }])
    })

    test("a creditor listed twice in a case, or clashing with stored claims, is refused naming the row; nothing is stored", async () => {
      const db = t.db
      const caseDecision = "3/QĐ-CCTHADS"
      await importCase(db, [makeClaim(1), makeClaim(2)], "HCM", caseDecision)
      const clash = await failure(() => importCase(db, [makeClaim(3), makeClaim(4, { creditor: makeClaim(2).creditor }), makeClaim(1, { owed: 5n })], "HCM", caseDecision))
      expect(clash.reason).toBe("invalid_claims")
      expect(clash.message).toContain("row 2: the creditor")
      expect(clash.message).toContain("row 3: claim C0000001 is already stored")
      const [n] = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM payout_claims WHERE case_decision = $1::text", [caseDecision])
      expect(n!.n).toBe(2)
      // Bypassing the application: the database refuses a zero claim and a second claim of one person in one rank.
      const insert = (id: string, idNumber: string, owed: string) =>
        db.query(`INSERT INTO payout_claims (agency, case_decision, claim_id, identity_number, name, rank, owed, imported_by, imported_at)
                  VALUES ('HCM', $1::text, $2::text, $3::text, 'X', 'c', $4::bigint, 'x', now())`, [caseDecision, id, idNumber, owed])
      expect((await failure(() => insert("Z1", "079000000001", "0"))).message).toMatch(/check constraint/)
      expect((await failure(() => insert("Z2", makeClaim(1).creditor.identityNumber, "10"))).message).toMatch(/payout_claims_person_rank/)
      // Planning a round fixes the claims: they cannot be edited afterwards.
      await planStored(db, makeTerms({ caseDecision, available: 1_000n }))
      expect((await failure(() => db.query("UPDATE payout_claims SET owed = 1 WHERE case_decision = $1::text", [caseDecision]))).message).toContain("already has a payout round")
    })

    test("the database refuses bad line states, changed content, an unbalanced round and a changed approved round, even bypassing the application", async () => {
      const db = t.db
      const caseDecision = "4/QĐ-CCTHADS"
      await importCase(db, Array.from({ length: 5 }, (_, i) => makeClaim(i + 1)), "HCM", caseDecision)
      const terms = makeTerms({ caseDecision, available: 4_000_000n })
      const stored = await planStored(db, terms)
      const id = stored.plan.id
      const refusedSql = async (sql: string, params: Array<unknown> = []) => (await failure(() => db.query(sql, params))).message

      // planned → sent, → deposited or → approved skip the round's approval.
      expect(await refusedSql("UPDATE payout_lines SET state = 'sent', sends = 1, batch = 1 WHERE round_id = $1::uuid AND line_no = 1", [id])).toContain("cannot be sent: round 1 of case 4/QĐ-CCTHADS is not approved")
      expect(await refusedSql("UPDATE payout_lines SET state = 'approved' WHERE round_id = $1::uuid", [id])).toContain("is not approved")
      expect(await refusedSql("UPDATE payout_lines SET state = 'paid' WHERE round_id = $1::uuid AND line_no = 1", [id])).toContain("cannot go from planned to paid")
      // A line added to a planned round unbalances it: refused at commit.
      const extra = await failure(() => db.transaction(async (tx) => {
        await tx.query(`INSERT INTO payout_lines (agency, round_id, line_no, line_id, claim_id, rank, kind, for_round, grp, ratio, base, amount, fee, settlement, lookup_code)
                        VALUES ('HCM', $1::uuid, 99, $2::text, 'C0000001', 'c', 'round', 2, 'general-c', '1/1', 10, 10, 0, 'bank', 'ABCDEFGHJKMN')`, [id, `${id.replaceAll("-", "").slice(0, 12)}-0000099`])
      }))
      expect(extra.message).toContain("does not balance")
      // A round whose lines do not add up to what it says it pays: refused at commit.
      const other = crypto.randomUUID()
      const unbalanced = await failure(() => db.transaction(async (tx) => {
        await tx.query(`INSERT INTO payout_rounds (agency, id, case_decision, round, status, rules, terms, planned_header, plan_sha256, lines_sha256, line_count, paid, fee, planner, planned_at)
                        SELECT agency, $2::uuid, '5/QĐ-CCTHADS', round, status, rules, terms, planned_header, plan_sha256, lines_sha256, 1, 1000, 0, planner, planned_at
                          FROM payout_rounds WHERE id = $1::uuid`, [id, other])
        await tx.query(`INSERT INTO payout_lines (agency, round_id, line_no, line_id, claim_id, rank, kind, for_round, grp, ratio, base, amount, fee, settlement, lookup_code)
                        VALUES ('HCM', $1::uuid, 1, $2::text, 'C0000001', 'c', 'round', 1, 'general-c', '1/1', 1000, 999, 0, 'bank', 'ABCDEFGHJKMP')`, [other, `${other.replaceAll("-", "").slice(0, 12)}-0000001`])
      }))
      expect(unbalanced.message).toContain("does not balance: 1 lines adding up to 999 đồng are stored, the plan has 1 lines paying 1000 đồng")
      // The stored totals are the database's own.
      expect(await refusedSql("UPDATE payout_rounds SET lines_amount = 0 WHERE id = $1::uuid", [id])).toContain("kept by the database")
      // Approval straight in SQL: by the planner, or naming another hash, is refused.
      const approveSql = `UPDATE payout_rounds SET status = 'approved', approver = $2::text, approved_at = now(), approved_sha256 = $3::text,
                          approved_header = '{}', seal_algorithm = 'ECDSA-P256', seal_key_id = '0000000000000000', seal_signature = 'x' WHERE id = $1::uuid`
      expect(await refusedSql(approveSql, [id, PLANNER, stored.planSha256])).toContain("payout_rounds_maker_checker")
      expect(await refusedSql(approveSql, [id, APPROVER, "0".repeat(64)])).toContain("payout_rounds_approval_names_plan")

      await approveStored(db, keys.sign, stored)
      // Lines follow their round's approval; a line stored 'approved' (as approvals before migration 0480 left them) reads the same.
      await db.query("UPDATE payout_lines SET state = 'approved' WHERE round_id = $1::uuid AND line_no = 2", [id])
      expect(await db.query("SELECT DISTINCT payout_line_state(l.state, r.status) AS state FROM payout_lines l JOIN payout_rounds r ON r.id = l.round_id WHERE r.id = $1::uuid", [id]))
        .toEqual([{ state: "approved" }])
      expect(await refusedSql("UPDATE payout_lines SET state = 'paid' WHERE round_id = $1::uuid AND line_no = 2", [id])).toContain("cannot go from approved to paid")
      expect(await refusedSql("UPDATE payout_lines SET amount = amount + 1 WHERE round_id = $1::uuid AND line_no = 1", [id])).toContain("fixed by the plan")
      expect(await refusedSql("UPDATE payout_lines SET state = 'paid' WHERE round_id = $1::uuid AND line_no = 1", [id])).toContain("cannot go from approved to paid")
      expect(await refusedSql("UPDATE payout_lines SET state = 'deposited' WHERE round_id = $1::uuid AND settlement = 'bank'", [id])).toContain("cannot go from approved to deposited")
      expect(await refusedSql("DELETE FROM payout_lines WHERE round_id = $1::uuid", [id])).toContain("cannot be deleted")
      expect(await refusedSql("UPDATE payout_rounds SET planner = 'someone' WHERE id = $1::uuid", [id])).toContain("approved and never changes")
      expect(await refusedSql("DELETE FROM payout_rounds WHERE id = $1::uuid", [id])).toContain("can never be deleted")
      expect(await refusedSql(`INSERT INTO payout_lines (agency, round_id, line_no, line_id, claim_id, rank, kind, for_round, grp, ratio, base, amount, fee, settlement, lookup_code)
                        VALUES ('HCM', $1::uuid, 99, $2::text, 'C0000001', 'c', 'round', 2, 'general-c', '1/1', 10, 10, 0, 'bank', 'ABCDEFGHJKMQ')`, [id, `${id.replaceAll("-", "").slice(0, 12)}-0000099`])).toContain("approved and never changes")
      expect(await refusedSql("DELETE FROM payout_audit")).toContain("append-only")
      const sums = await sumLines(db, "HCM", id)
      expect(sums.amount).toBe(4_000_000n)
    })

    test("property: whatever the creditors and terms, the stored round balances to the đồng and matches the domain's plan", async () => {
      let k = 0
      await fc.assert(
        fc.asyncProperty(claimsArb(12), shapeArb, async (claims, shape) => {
          const caseDecision = `${100 + k++}/QĐ-CCTHADS`
          const owed = claims.reduce((s, c) => s + c.owed, 0n)
          const terms = { ...termsFor(owed, shape), caseDecision }
          // Terms an officer could not enter (more than 10^15 đồng) are the schema's business, not the store's.
          fc.pre(terms.available < 10n ** 15n)
          const id = crypto.randomUUID()
          // The claims as objects, planned and hashed as before claims were read into columns (test/payout/reference/).
          const memory = oldPlanRound(claims, { rounds: [], claim: () => undefined }, terms, { id, planner: PLANNER, now: "2025-07-01T02:00:00.000Z" })
          await importCase(t.db, claims, "HCM", caseDecision)
          if (Result.isFailure(memory)) {
            expect((await failure(() => planStored(t.db, terms))).reason).toBe("plan_refused")
            return
          }
          const stored = await planAndStoreRound(t.db, { terms, planner: PLANNER, now: "2025-07-01T02:00:00.000Z", id, newLookupCode })
          const sums = await sumLines(t.db, "HCM", stored.plan.id)
          expect(sums).toEqual({ count: memory.success.lines.count, amount: memory.success.totals.paid, fee: memory.success.totals.fee })
          // Read back from the store into a columnar table: the very bytes the approver would have approved before.
          expect({ planSha256: stored.planSha256, linesSha256: stored.linesSha256 }).toEqual(oldPlanDigests(memory.success))
        }),
        { numRuns: target.name === "PGlite" ? 15 : 25 }
      )
    })
  })
}

