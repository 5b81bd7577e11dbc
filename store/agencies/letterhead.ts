/**
 * What an agency's official documents print in their heading (Decree
 * 30/2020/NĐ-CP): its parent body, its name, and the place named before the
 * date. Parent and place are optional (migration 0340).
 */
import type { Sql } from "../database/db.ts"

export interface AgencyLetterhead {
  readonly code: string
  readonly name: string
  readonly parentName: string | undefined
  readonly place: string | undefined
}

export const agencyLetterhead = async (db: Sql, code: string): Promise<AgencyLetterhead | undefined> => {
  const row = (await db.query<{ name: string; parent_name: string | null; place: string | null }>(
    "SELECT name, parent_name, place FROM agencies WHERE code = $1::text",
    [code]
  ))[0]
  return row === undefined ? undefined : { code, name: row.name, parentName: row.parent_name ?? undefined, place: row.place ?? undefined }
}

export const setAgencyLetterhead = async (db: Sql, code: string, heading: { readonly parentName?: string; readonly place?: string }): Promise<void> => {
  await db.query("UPDATE agencies SET parent_name = $2::text, place = $3::text WHERE code = $1::text", [code, heading.parentName ?? null, heading.place ?? null])
}
