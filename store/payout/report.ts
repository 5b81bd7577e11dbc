/**
 * A round's report: its header and its lines summed by rank and by state,
 * from SQL. The sums are checked against each other and against what the
 * round says it pays, so a report that does not add up says so.
 */
import type { Sql } from "../database/db.ts"
import { refused } from "./errors.ts"

export interface Sums {
  readonly lines: number
  readonly amount: bigint
  readonly fee: bigint
  readonly net: bigint
}

export interface RoundReport {
  readonly id: string
  readonly agency: string
  readonly caseDecision: string
  readonly round: number
  readonly status: "planned" | "approved"
  readonly planner: string
  readonly approver?: string
  readonly planSha256: string
  readonly paid: bigint
  readonly byRank: Readonly<Record<string, Sums>>
  readonly byState: Readonly<Record<string, Sums>>
  readonly bySettlement: Readonly<Record<string, Sums>>
  readonly total: Sums
  /** Every breakdown adds up to the total, and the total to what the round pays. */
  readonly addsUp: boolean
}

const ZERO: Sums = { lines: 0, amount: 0n, fee: 0n, net: 0n }
const add = (a: Sums, b: Sums): Sums => ({ lines: a.lines + b.lines, amount: a.amount + b.amount, fee: a.fee + b.fee, net: a.net + b.net })
const same = (a: Sums, b: Sums) => a.lines === b.lines && a.amount === b.amount && a.fee === b.fee && a.net === b.net

export const roundReport = async (sql: Sql, agency: string, roundId: string): Promise<RoundReport> => {
  const [r] = await sql.query<{ case_decision: string; round: number; status: "planned" | "approved"; planner: string; approver: string | null; plan_sha256: string; paid: string }>(
    "SELECT case_decision, round, status, planner, approver, plan_sha256, paid::text AS paid FROM payout_rounds WHERE agency = $1::text AND id = $2::uuid",
    [agency, roundId]
  )
  if (r === undefined) throw refused("round_not_found", `there is no payout round ${roundId} in agency ${agency}`)
  const rows = await sql.query<{ rank: string; state: string; settlement: string; n: number; amount: string; fee: string }>(
    `SELECT rank, payout_line_state(state, $3::text) AS state, settlement, count(*)::int AS n, sum(amount)::text AS amount, sum(fee)::text AS fee
       FROM payout_lines WHERE agency = $1::text AND round_id = $2::uuid GROUP BY rank, 2, settlement`,
    [agency, roundId, r.status]
  )
  const byRank: Record<string, Sums> = {}
  const byState: Record<string, Sums> = {}
  const bySettlement: Record<string, Sums> = {}
  let total = ZERO
  for (const row of rows) {
    const s: Sums = { lines: row.n, amount: BigInt(row.amount), fee: BigInt(row.fee), net: BigInt(row.amount) - BigInt(row.fee) }
    byRank[row.rank] = add(byRank[row.rank] ?? ZERO, s)
    byState[row.state] = add(byState[row.state] ?? ZERO, s)
    bySettlement[row.settlement] = add(bySettlement[row.settlement] ?? ZERO, s)
    total = add(total, s)
  }
  const sumOf = (m: Record<string, Sums>) => Object.values(m).reduce(add, ZERO)
  const paid = BigInt(r.paid)
  return {
    id: roundId,
    agency,
    caseDecision: r.case_decision,
    round: r.round,
    status: r.status,
    planner: r.planner,
    ...(r.approver === null ? {} : { approver: r.approver }),
    planSha256: r.plan_sha256,
    paid,
    byRank,
    byState,
    bySettlement,
    total,
    addsUp: same(sumOf(byRank), total) && same(sumOf(byState), total) && same(sumOf(bySettlement), total) && total.amount === paid
  }
}

/** The planned header of a round (what an approver reviews) and its SHA-256. */
export const plannedHeaderOf = async (sql: Sql, agency: string, roundId: string): Promise<{ readonly header: string; readonly sha256: string }> => {
  const [r] = await sql.query<{ planned_header: string; plan_sha256: string }>(
    "SELECT planned_header, plan_sha256 FROM payout_rounds WHERE agency = $1::text AND id = $2::uuid", [agency, roundId])
  if (r === undefined) throw refused("round_not_found", `there is no payout round ${roundId} in agency ${agency}`)
  return { header: r.planned_header, sha256: r.plan_sha256 }
}

/** The round id of a case's round number. */
export const roundIdOf = async (sql: Sql, agency: string, caseDecision: string, round: number): Promise<string> => {
  const [r] = await sql.query<{ id: string }>(
    "SELECT id::text AS id FROM payout_rounds WHERE agency = $1::text AND case_decision = $2::text AND round = $3::integer", [agency, caseDecision, round])
  if (r === undefined) throw refused("round_not_found", `case ${caseDecision} of agency ${agency} has no round ${round}`)
  return r.id
}

/** The number the case's next round takes. */
export const nextRoundOf = async (sql: Sql, agency: string, caseDecision: string): Promise<number> => {
  const [r] = await sql.query<{ n: number }>(
    "SELECT coalesce(max(round), 0)::int + 1 AS n FROM payout_rounds WHERE agency = $1::text AND case_decision = $2::text", [agency, caseDecision])
  return r?.n ?? 1
}
