import type { Sql } from "../../store/database/db.ts"

/** What the stored lines of a round add up to, from SQL. */
export const sumLines = async (sql: Sql, agency: string, roundId: string) => {
  const [row] = await sql.query<{ count: number; amount: string; fee: string }>(
    "SELECT count(*)::int AS count, coalesce(sum(amount), 0)::text AS amount, coalesce(sum(fee), 0)::text AS fee FROM payout_lines WHERE agency = $1::text AND round_id = $2::uuid",
    [agency, roundId]
  )
  return { count: row!.count, amount: BigInt(row!.amount), fee: BigInt(row!.fee) }
}
