/**
 * Who an officer is on paper: full name and title (chức vụ), for the
 * signature block of a receipt, which never prints a login id. The title is
 * optional (migration 0340).
 */
import type { Sql } from "../database/db.ts"

export interface Signatory {
  readonly id: string
  readonly name: string
  readonly title: string | undefined
}

/** The officers of `ids` in `agency` that exist; another agency's officer is left out like an unknown one. */
export const signatories = async (db: Sql, agency: string, ids: ReadonlyArray<string>): Promise<ReadonlyMap<string, Signatory>> => {
  const wanted = [...new Set(ids)]
  // One parameter per id (a handful at most), as arrays travel differently through the two drivers.
  const rows = wanted.length === 0 ? [] : await db.query<{ id: string; name: string; title: string | null }>(
    `SELECT id, name, title FROM officers WHERE agency = $1::text AND id IN (${wanted.map((_, i) => `$${i + 2}::text`).join(", ")})`,
    [agency, ...wanted]
  )
  return new Map(rows.map((r) => [r.id, { id: r.id, name: r.name, title: r.title ?? undefined }]))
}

export const setOfficerTitle = async (db: Sql, id: string, title: string | undefined): Promise<void> => {
  await db.query("UPDATE officers SET title = $2::text WHERE id = $1::text", [id, title ?? null])
}
