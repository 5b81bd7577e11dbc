/**
 * The per-lookup-code count of identity-number checks (table
 * lookup_attempts, migration 0240). Each step reads the code's row under a
 * row lock, applies the pure rule of domain/lookup-guard.ts and writes the
 * result in the same transaction, so concurrent guesses from any number of
 * clients or servers are counted one after another.
 */
import { admit, settle, unguardedState } from "../../domain/lookup-guard.ts"
import type { Admission, LookupGuardPolicy, LookupGuardState } from "../../domain/lookup-guard.ts"
import type { Db, Sql } from "../database/db.ts"

const ensureSql = "INSERT INTO lookup_attempts (lookup_code) VALUES ($1::text) ON CONFLICT (lookup_code) DO NOTHING"

// Instants as epoch milliseconds: the same JavaScript value from both drivers, whatever the session's time zone.
const readSql = `
SELECT failures,
       floor(extract(epoch FROM window_started_at) * 1000)::bigint::text AS window_ms,
       floor(extract(epoch FROM locked_until) * 1000)::bigint::text AS locked_ms
  FROM lookup_attempts WHERE lookup_code = $1::text FOR UPDATE`

const writeSql = `
UPDATE lookup_attempts
   SET failures = $2::integer, window_started_at = $3::timestamptz, locked_until = $4::timestamptz
 WHERE lookup_code = $1::text`

const iso = (ms: string | null): string | null => (ms === null ? null : new Date(Number(ms)).toISOString())

type Row = { failures: number | string; window_ms: string | null; locked_ms: string | null }

const stateOf = (row: Row | undefined): LookupGuardState =>
  row === undefined ? unguardedState : { failures: Number(row.failures), windowStartedAt: iso(row.window_ms), lockedUntil: iso(row.locked_ms) }

const held = async (tx: Sql, code: string): Promise<LookupGuardState> => {
  await tx.query(ensureSql, [code])
  return stateOf((await tx.query<Row>(readSql, [code]))[0])
}

const write = (tx: Sql, code: string, s: LookupGuardState) => tx.query(writeSql, [code, s.failures, s.windowStartedAt, s.lockedUntil])

/** Before an identity number is compared: admitted (and counted as failed until settled), or locked. */
export const admitIdentityCheck = (db: Db, code: string, now: string, policy: LookupGuardPolicy): Promise<Admission> =>
  db.transaction(async (tx) => {
    const admission = admit(await held(tx, code), now, policy)
    await write(tx, code, admission.state)
    return admission
  })

/**
 * After the comparison: a match gives the attempt back (if its window is
 * still the current one: `admittedInWindow` is the admission's
 * `state.windowStartedAt`); a failure may lock the code.
 */
export const settleIdentityCheck = (
  db: Db,
  code: string,
  matched: boolean,
  now: string,
  policy: LookupGuardPolicy,
  admittedInWindow: string | null
): Promise<LookupGuardState> =>
  db.transaction(async (tx) => {
    const state = settle(await held(tx, code), matched, now, policy, admittedInWindow)
    await write(tx, code, state)
    return state
  })

/** The stored state of a code, without taking the row (tests, support staff). */
export const identityCheckState = async (db: Sql, code: string): Promise<LookupGuardState> => {
  return stateOf((await db.query<Row>(readSql.replace("FOR UPDATE", ""), [code]))[0])
}
