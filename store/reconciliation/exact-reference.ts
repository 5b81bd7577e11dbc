/**
 * The bulk of a month's credits, matched in one statement before the domain
 * matcher sees the rest: a credit whose memo carries exactly one bienlai
 * payment reference, naming exactly one target that still asks for exactly
 * the credit's amount, where nothing else could reach that target (no other
 * open credit carries the reference, nor the target's bank reference, nor
 * its decision number).
 *
 * Under those conditions domain/reconciliation/matching.ts decides the same
 * thing whatever chunk the credit lands in: a group of one credit and one
 * target, joined by the payment reference, sums equal, so one allocation of
 * the target's remainder (= the credit's amount) with confidence 1.00. This
 * statement writes exactly that allocation and the same evidence
 * (rule, joinedBy, memo, creditAmount, targetAmount, groupCredits,
 * groupTargets); every other credit (several references, shared references,
 * differing sums, contested targets, decisions, names) is left to the
 * matcher, which sees an unchanged world: the removed credit and target were
 * reachable only from each other.
 *
 * Set-based because a million credits matched one round trip at a time took
 * minutes; the database's own checks (recon_matches_within_credit, closed
 * days) still run once for the whole statement.
 */
import type { Sql } from "../database/db.ts"
import { bulkSettings } from "./bulk-settings.ts"

export interface ExactMatches {
  readonly matched: number
}

export const matchExactReferences = async (tx: Sql, agency: string, now: string): Promise<ExactMatches> => {
  // One statement, straight into recon_matches: no staging table, and no
  // update of the targets (what a target has paid is the sum of its matches,
  // migration 0550).
  // This one statement sorts and hashes a month of credits and targets several times over: at the run's
  // 64 MB each of those spilled to disk (a million credits: ~700 MB of temporary files). Back to the
  // run's setting after it.
  await tx.exec("SET LOCAL work_mem = '256MB'")
  const inserted = await tx.query<{ n: string }>(
    `WITH open AS MATERIALIZED (
       SELECT e.account, e.bank_reference, e.amount, e.memo, e.memo_refs, e.memo_bank_refs, e.memo_decisions
         FROM bank_entries e
        WHERE e.agency = $1::text AND e.direction = 'credit' AND NOT e.reversal
          AND NOT EXISTS (SELECT 1 FROM recon_matches m WHERE m.agency = e.agency AND m.account = e.account AND m.bank_reference = e.bank_reference)
          AND NOT EXISTS (SELECT 1 FROM recon_closed_days c WHERE c.agency = e.agency AND c.account = e.account AND c.day = e.booking_date)),
     -- What each target has been paid, grouped once for the whole agency (not one lookup per target).
     paid AS (SELECT m.target_kind, m.target_id, sum(m.amount) AS paid FROM recon_matches m WHERE m.agency = $1::text GROUP BY 1, 2),
     live AS MATERIALIZED (
       SELECT t.kind, t.id, t.amount, t.amount - coalesce(p.paid, 0) AS owes, t.payment_reference, t.bank_reference, t.decision_number
         FROM recon_targets t LEFT JOIN paid p ON p.target_kind = t.kind AND p.target_id = t.id
        WHERE t.agency = $1::text AND coalesce(p.paid, 0) < t.amount AND (t.kind = 'request' OR t.receipt_status IN ('draft', 'submitted', 'issued'))),
     -- Sets of what other credits could reach; anti-joins, so the planner never bets on "exactly one" estimates.
     contested_refs AS (SELECT r FROM open, unnest(open.memo_refs) AS r GROUP BY r HAVING count(*) > 1),
     shared_refs AS (SELECT payment_reference FROM live GROUP BY payment_reference HAVING count(*) > 1),
     -- Only the bank references some live target carries can matter (few: a hash of every credit's cost a second).
     wanted_bank AS (SELECT b FROM open, unnest(array_append(open.memo_bank_refs, open.bank_reference)) AS b
                      WHERE b IN (SELECT bank_reference FROM live WHERE bank_reference IS NOT NULL)),
     wanted_decisions AS (SELECT d FROM open, unnest(open.memo_decisions) AS d),
     ins AS (
       INSERT INTO recon_matches (agency, account, bank_reference, target_kind, target_id, amount, rule, confidence, evidence, matched_by, matched_at)
       SELECT $1::text, c.account, c.bank_reference, t.kind, t.id, c.amount, 'payment_reference', 1,
              jsonb_build_object('rule', 'payment_reference', 'joinedBy', jsonb_build_array(c.memo_refs[1]), 'memo', c.memo,
                                 'creditAmount', c.amount::text, 'targetAmount', t.amount::text,
                                 'groupCredits', jsonb_build_array(c.account || '/' || c.bank_reference), 'groupTargets', jsonb_build_array(t.id)),
              'bienlai', $2::timestamptz
         FROM open c
         JOIN live t ON t.payment_reference = c.memo_refs[1]
        WHERE cardinality(c.memo_refs) = 1 AND t.owes = c.amount
          AND NOT EXISTS (SELECT 1 FROM contested_refs x WHERE x.r = c.memo_refs[1])
          AND NOT EXISTS (SELECT 1 FROM shared_refs x WHERE x.payment_reference = t.payment_reference)
          AND NOT EXISTS (SELECT 1 FROM wanted_bank x WHERE x.b = t.bank_reference)
          AND NOT EXISTS (SELECT 1 FROM wanted_decisions x WHERE x.d = t.decision_number)
        -- In key order: the indexes of recon_matches are then written page by page, not at random.
        ORDER BY c.account, c.bank_reference
       RETURNING 1)
     SELECT count(*)::text AS n FROM ins`,
    [agency, now]
  )
  await tx.exec(bulkSettings)
  return { matched: Number(inserted[0]?.n ?? "0") }
}
