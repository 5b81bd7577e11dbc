/**
 * Lookup codes (mã tra cứu) for a batch: random, distinct, and unused by the
 * agency. Codes are drawn in bulk and the ones the database already holds
 * are drawn again, which at 12 digits almost never happens.
 */
import { lookupCodeFromBytes } from "../../../domain/ids.ts"
import type { Sql } from "../../../store/database/db.ts"
import { takenLookupCodes } from "../../../store/receipts/bulk-receipts.ts"

export type RandomBytes = (n: number) => Uint8Array

/** Codes not in `held` and distinct from each other, until there are `n` in all. */
export const drawCodes = (randomBytes: RandomBytes, held: ReadonlySet<string>, n: number): Array<string> => {
  const drawn = new Set<string>()
  while (held.size + drawn.size < n) {
    const code = lookupCodeFromBytes(randomBytes(8))
    if (!held.has(code)) drawn.add(code)
  }
  return [...drawn]
}

/** `n` lookup codes, distinct and unused by `agency` (checked on `sql`, under the series lock). */
export const freshCodes = async (sql: Sql, randomBytes: RandomBytes, agency: string, n: number): Promise<Array<string>> => {
  const codes = new Set<string>()
  while (codes.size < n) {
    const drawn = drawCodes(randomBytes, codes, n)
    const taken = await takenLookupCodes(sql, agency, drawn)
    for (const c of drawn) if (!taken.has(c)) codes.add(c)
  }
  return [...codes]
}

/** Whether any of `codes` is used by `agency` meanwhile. */
export const anyTaken = async (sql: Sql, agency: string, codes: ReadonlyArray<string>): Promise<boolean> =>
  (await takenLookupCodes(sql, agency, codes)).size > 0
