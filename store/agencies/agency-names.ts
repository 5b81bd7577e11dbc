/** An agency's display name ("Cục Thi hành án dân sự Thành phố Hồ Chí Minh") for the public pages. */
import type { Sql } from "../database/db.ts"

export const agencyDisplayName = async (db: Sql, code: string): Promise<string | undefined> =>
  (await db.query<{ name: string }>("SELECT name FROM agencies WHERE code = $1::text", [code]))[0]?.name
