/**
 * The agencies the operations view names, and which one is the central
 * department (agencies.central, migration 0540).
 */
import type { Sql } from "../database/db.ts"

export interface AgencyRow {
  readonly code: string
  readonly name: string
  readonly central: boolean
}

export const listAgencies = (sql: Sql): Promise<Array<AgencyRow>> =>
  sql.query<AgencyRow>("SELECT code, name, central FROM agencies ORDER BY code")

export const isCentralAgency = async (sql: Sql, agency: string): Promise<boolean> =>
  (await sql.query<{ central: boolean }>("SELECT central FROM agencies WHERE code = $1::text", [agency]))[0]?.central === true

export const agencyKnown = async (sql: Sql, agency: string): Promise<boolean> =>
  (await sql.query("SELECT 1 FROM agencies WHERE code = $1::text", [agency])).length > 0

/** Marks `agency` as the central department (or not); false when there is no such agency. */
export const setCentralAgency = async (sql: Sql, agency: string, central: boolean): Promise<boolean> =>
  (await sql.query("UPDATE agencies SET central = $2::boolean WHERE code = $1::text RETURNING 1", [agency, central])).length > 0
