/**
 * What the officer API and console read about payouts, always within one
 * agency: the cases with creditor lists, a case's rounds, its creditors, a
 * creditor's history (every line of every round, with its state), and a
 * round's bank batches. Writes stay in the other files of this folder.
 */
import type { Sql } from "../database/db.ts"

export interface CaseSummary {
  readonly caseDecision: string
  readonly claims: number
  readonly owed: bigint
  readonly rounds: number
}

export interface RoundSummary {
  readonly id: string
  readonly caseDecision: string
  readonly round: number
  readonly status: "planned" | "approved"
  readonly lines: number
  readonly paid: bigint
  readonly fee: bigint
  readonly planner: string
  readonly plannedAt: string
  readonly approver: string | null
  readonly approvedAt: string | null
  readonly planSha256: string
}

export interface CreditorSummary {
  readonly claimId: string
  readonly name: string
  readonly rank: string
  readonly owed: bigint
  /** What every line of every round so far gives the claim (approved rounds or not). */
  readonly allocated: bigint
}

export interface CreditorLine {
  readonly lineId: string
  readonly roundId: string
  readonly round: number
  readonly roundStatus: string
  readonly kind: string
  readonly forRound: number
  readonly amount: bigint
  readonly fee: bigint
  readonly settlement: string
  readonly state: string
  readonly batch: number | null
  readonly reference: string | null
  readonly stateAt: string | null
}

export interface CreditorHistory {
  readonly caseDecision: string
  readonly claimId: string
  readonly identityNumber: string
  readonly name: string
  readonly rank: string
  readonly owed: bigint
  readonly requestDate: string | null
  readonly bank: { readonly bin: string; readonly account: string } | null
  readonly lines: ReadonlyArray<CreditorLine>
}

export interface BatchSummary {
  readonly batch: number
  readonly messageId: string
  readonly createdAt: string
  readonly lines: number
  readonly amount: bigint
  readonly createdBy: string
}

export const casesOf = async (sql: Sql, agency: string): Promise<Array<CaseSummary>> =>
  (await sql.query<{ case_decision: string; claims: number; owed: string; rounds: number }>(
    `SELECT c.case_decision, count(*)::int AS claims, sum(c.owed)::text AS owed,
            (SELECT count(*)::int FROM payout_rounds r WHERE r.agency = c.agency AND r.case_decision = c.case_decision) AS rounds
       FROM payout_claims c WHERE c.agency = $1::text GROUP BY c.agency, c.case_decision ORDER BY c.case_decision`,
    [agency]
  )).map((r) => ({ caseDecision: r.case_decision, claims: r.claims, owed: BigInt(r.owed), rounds: r.rounds }))

export const roundsOf = async (sql: Sql, agency: string, caseDecision?: string): Promise<Array<RoundSummary>> =>
  (await sql.query<{ id: string; case_decision: string; round: number; status: "planned" | "approved"; line_count: number; paid: string; fee: string; planner: string; planned_at: string; approver: string | null; approved_at: string | null; plan_sha256: string }>(
    `SELECT id::text AS id, case_decision, round, status, line_count, paid::text AS paid, fee::text AS fee, planner, iso_instant(planned_at) AS planned_at,
            approver, iso_instant(approved_at) AS approved_at, plan_sha256
       FROM payout_rounds WHERE agency = $1::text AND ($2::text IS NULL OR case_decision = $2::text) ORDER BY case_decision, round`,
    [agency, caseDecision ?? null]
  )).map((r) => ({
    id: r.id, caseDecision: r.case_decision, round: r.round, status: r.status, lines: r.line_count, paid: BigInt(r.paid), fee: BigInt(r.fee),
    planner: r.planner, plannedAt: r.planned_at, approver: r.approver, approvedAt: r.approved_at, planSha256: r.plan_sha256
  }))

/** A page of a case's creditors by claim id, with what the rounds so far give each. */
export const creditorsOf = async (sql: Sql, agency: string, caseDecision: string, limit = 200, after = ""): Promise<Array<CreditorSummary>> =>
  (await sql.query<{ claim_id: string; name: string; rank: string; owed: string; allocated: string }>(
    `SELECT c.claim_id, c.name, c.rank, c.owed::text AS owed,
            coalesce((SELECT sum(l.amount) FROM payout_lines l JOIN payout_rounds r ON r.agency = l.agency AND r.id = l.round_id
                       WHERE l.agency = c.agency AND r.case_decision = c.case_decision AND l.claim_id = c.claim_id), 0)::text AS allocated
       FROM payout_claims c WHERE c.agency = $1::text AND c.case_decision = $2::text AND c.claim_id > $3::text
      ORDER BY c.claim_id LIMIT $4::integer`,
    [agency, caseDecision, after, limit]
  )).map((r) => ({ claimId: r.claim_id, name: r.name, rank: r.rank, owed: BigInt(r.owed), allocated: BigInt(r.allocated) }))

/** One creditor's claim and every line of every round of the case for it; undefined when the agency has no such claim. */
export const creditorHistory = async (sql: Sql, agency: string, caseDecision: string, claimId: string): Promise<CreditorHistory | undefined> => {
  const [c] = await sql.query<{ identity_number: string; name: string; rank: string; owed: string; request_date: string | null; bank_bin: string | null; bank_account: string | null }>(
    `SELECT identity_number, name, rank, owed::text AS owed, to_char(request_date, 'YYYY-MM-DD') AS request_date, bank_bin, bank_account
       FROM payout_claims WHERE agency = $1::text AND case_decision = $2::text AND claim_id = $3::text`,
    [agency, caseDecision, claimId]
  )
  if (c === undefined) return undefined
  const lines = await sql.query<{ line_id: string; round_id: string; round: number; status: string; kind: string; for_round: number; amount: string; fee: string; settlement: string; state: string; batch: number | null; reference: string | null; state_at: string | null }>(
    `SELECT l.line_id, l.round_id::text AS round_id, r.round, r.status, l.kind, l.for_round, l.amount::text AS amount, l.fee::text AS fee, l.settlement, payout_line_state(l.state, r.status) AS state,
            l.batch, l.reference, iso_instant(l.state_at) AS state_at
       FROM payout_lines l JOIN payout_rounds r ON r.agency = l.agency AND r.id = l.round_id
      WHERE l.agency = $1::text AND r.case_decision = $2::text AND l.claim_id = $3::text ORDER BY r.round, l.for_round`,
    [agency, caseDecision, claimId]
  )
  return {
    caseDecision,
    claimId,
    identityNumber: c.identity_number,
    name: c.name,
    rank: c.rank,
    owed: BigInt(c.owed),
    requestDate: c.request_date,
    bank: c.bank_bin === null || c.bank_account === null ? null : { bin: c.bank_bin, account: c.bank_account },
    lines: lines.map((l) => ({
      lineId: l.line_id, roundId: l.round_id, round: l.round, roundStatus: l.status, kind: l.kind, forRound: l.for_round, amount: BigInt(l.amount), fee: BigInt(l.fee),
      settlement: l.settlement, state: l.state, batch: l.batch, reference: l.reference, stateAt: l.state_at
    }))
  }
}

export const batchesOf = async (sql: Sql, agency: string, roundId: string): Promise<Array<BatchSummary>> =>
  (await sql.query<{ batch: number; message_id: string; created_at: string; line_count: number; amount: string; created_by: string }>(
    `SELECT batch, message_id, iso_instant(created_at) AS created_at, line_count, amount::text AS amount, created_by
       FROM payout_batches WHERE agency = $1::text AND round_id = $2::uuid ORDER BY batch`,
    [agency, roundId]
  )).map((b) => ({ batch: b.batch, messageId: b.message_id, createdAt: b.created_at, lines: b.line_count, amount: BigInt(b.amount), createdBy: b.created_by }))

/** The case a round belongs to, within the agency. */
export const caseOfRound = async (sql: Sql, agency: string, roundId: string): Promise<string | undefined> =>
  (await sql.query<{ case_decision: string }>("SELECT case_decision FROM payout_rounds WHERE agency = $1::text AND id = $2::uuid", [agency, roundId]))[0]?.case_decision
