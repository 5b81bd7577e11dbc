/**
 * What the approved rounds of a case did, as the planner needs it
 * (domain/payout/history.ts), answered from SQL aggregates instead of
 * rebuilding earlier plans in memory.
 */
import { Result } from "effect"
import type { ClaimRecord, PayoutHistory, RoundRecord } from "../../domain/payout/history.ts"
import type { GroupKey } from "../../domain/payout/groups.ts"
import { parseRatioText } from "../../domain/payout/ratio.ts"
import { decodeRoundTerms } from "../../domain/payout/round.ts"
import type { Sql } from "../database/db.ts"

interface RoundRow {
  round: number
  rules: string
  terms: unknown
  planned_header: string
}

interface ClaimAggregate {
  claim_id: string
  allocated: string
  fee_base: string
  fee_charged: string
  rounds: string
}

const roundRecord = (row: RoundRow): RoundRecord => {
  const terms = decodeRoundTerms(typeof row.terms === "string" ? JSON.parse(row.terms) : row.terms)
  if (Result.isFailure(terms)) throw new Error(`stored round ${row.round} no longer decodes: ${terms.failure.message}`)
  const header = JSON.parse(row.planned_header) as { groups: Array<{ group: GroupKey; ratio: string }> }
  return {
    round: row.round,
    legalDate: terms.success.legalDate,
    rules: row.rules,
    securedAsset: terms.success.securedAsset,
    coercionDate: terms.success.coercion?.decisionDate,
    groupRatios: header.groups.map((g) => {
      const ratio = parseRatioText(g.ratio)
      if (ratio === undefined) throw new Error(`stored round ${row.round} has a group ratio "${g.ratio}" that does not read`)
      return { group: g.group, ratio }
    })
  }
}

/** The history of a case's approved rounds. */
export const historyFromStore = async (sql: Sql, agency: string, caseDecision: string): Promise<PayoutHistory> => {
  const rounds = await sql.query<RoundRow>(
    `SELECT round, rules, terms, planned_header FROM payout_rounds
      WHERE agency = $1::text AND case_decision = $2::text AND status = 'approved' ORDER BY round`,
    [agency, caseDecision]
  )
  if (rounds.length === 0) return { rounds: [], claim: () => undefined }
  const aggregates = await sql.query<ClaimAggregate>(
    `SELECT l.claim_id, sum(l.amount)::text AS allocated,
            sum(CASE WHEN r.terms->'fee'->>'kind' <> 'waived' THEN l.amount ELSE 0 END)::text AS fee_base,
            sum(CASE WHEN r.terms->'fee'->>'kind' <> 'waived' THEN l.fee ELSE 0 END)::text AS fee_charged,
            string_agg(l.for_round::text, ',' ORDER BY l.for_round) AS rounds
       FROM payout_lines l JOIN payout_rounds r ON r.agency = l.agency AND r.id = l.round_id
      WHERE l.agency = $1::text AND r.case_decision = $2::text AND r.status = 'approved'
      GROUP BY l.claim_id`,
    [agency, caseDecision]
  )
  const claims = new Map<string, ClaimRecord>()
  for (const a of aggregates) {
    claims.set(a.claim_id, {
      allocated: BigInt(a.allocated),
      fee: { base: BigInt(a.fee_base), charged: BigInt(a.fee_charged) },
      rounds: a.rounds.split(",").map(Number)
    })
  }
  return { rounds: rounds.map(roundRecord), claim: (id) => claims.get(id) }
}
