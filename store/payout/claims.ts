/**
 * The creditor list of a case (payout_claims): stored in one transaction
 * with COPY, read back page by page for planning. A list that repeats a
 * claim or a person already stored is refused whole, naming each row.
 */
import type { Claim } from "../../domain/payout/claim.ts"
import { ClaimTable } from "../../domain/payout/claim-table.ts"
import type { Db, Sql } from "../database/db.ts"
import { copyLine } from "../database/db.ts"
import { collectGarbage } from "./collect-garbage.ts"
import { type Problem, refused, timeoutFor } from "./errors.ts"

export interface ImportContext {
  readonly agency: string
  readonly caseDecision: string
  readonly by: string
  readonly now: string
  /** The row of the file each claim came from, for messages (default: its 1-based position). */
  readonly rows?: ReadonlyArray<number>
}

export interface ImportSummary {
  readonly claims: number
  readonly owed: bigint
}

const COLUMNS = [
  "agency", "case_decision", "claim_id", "identity_number", "name", "rank", "owed", "request_date",
  "secured_asset", "bank_bin", "bank_account", "imported_by", "imported_at"
] as const

const CHUNK = 5_000

/** Stores new claims of a case; refuses them all, with every row named, if any clashes with a stored claim. */
export const importClaims = async (db: Db, claims: ReadonlyArray<Claim>, ctx: ImportContext): Promise<ImportSummary> => {
  const rowOf = (i: number) => ctx.rows?.[i] ?? i + 1
  const summary = await db.transaction(async (tx) => {
    await tx.query("SELECT set_config('bienlai.actor', $1::text, true)", [ctx.by])
    // Stored claims that share an id or a person and rank with the new ones.
    const stored = await tx.query<{ claim_id: string; identity_number: string; name: string; rank: string }>(
      `SELECT claim_id, identity_number, name, rank FROM payout_claims WHERE agency = $1::text AND case_decision = $2::text`,
      [ctx.agency, ctx.caseDecision]
    )
    const problems: Array<Problem> = []
    if (stored.length > 0) {
      const ids = new Set(stored.map((s) => s.claim_id))
      const personRank = new Set(stored.map((s) => `${s.identity_number} ${s.rank}`))
      const names = new Map(stored.map((s) => [s.identity_number, s.name]))
      claims.forEach((c, i) => {
        const where = `row ${rowOf(i)}`
        if (ids.has(c.id)) problems.push({ where, message: `claim ${c.id} is already stored for case ${ctx.caseDecision}` })
        else if (personRank.has(`${c.creditor.identityNumber} ${c.rank}`)) {
          problems.push({ where, message: `the creditor ${c.creditor.identityNumber} already has a claim in rank ${c.rank} of case ${ctx.caseDecision}; a creditor is listed once per rank` })
        }
        const name = names.get(c.creditor.identityNumber)
        if (name !== undefined && name !== c.creditor.name) {
          problems.push({ where, message: `identity number ${c.creditor.identityNumber} is stored as "${name}", not "${c.creditor.name}"` })
        }
      })
    }
    if (problems.length > 0) throw refused("invalid_claims", `the creditor list clashes with ${stored.length} claim(s) already stored; nothing was imported`, problems)
    let owed = 0n
    for (const c of claims) owed += c.owed
    await tx.copyIn("payout_claims", COLUMNS, chunks(claims, ctx))
    return { claims: claims.length, owed }
  }, timeoutFor(claims.length))
  // Fresh statistics after a large load, so that planning and export use the indexes (see plan-round.ts).
  if (claims.length >= 10_000) await db.exec("ANALYZE payout_claims")
  return summary
}

async function* chunks(claims: ReadonlyArray<Claim>, ctx: ImportContext): AsyncGenerator<string> {
  let text = ""
  for (let i = 0; i < claims.length; i++) {
    const c = claims[i]!
    text += copyLine([
      ctx.agency, ctx.caseDecision, c.id, c.creditor.identityNumber, c.creditor.name, c.rank, c.owed.toString(10),
      c.requestDate, c.secured?.asset, c.bankAccount?.bin, c.bankAccount?.number, ctx.by, ctx.now
    ])
    if ((i + 1) % CHUNK === 0) {
      yield text
      text = ""
    }
  }
  if (text !== "") yield text
}

interface ClaimRow {
  claim_id: string
  identity_number: string
  name: string
  rank: "a" | "b" | "c"
  owed: string
  request_date: string | null
  secured_asset: string | null
  bank_bin: string | null
  bank_account: string | null
}

const PAGE = 50_000

const CLAIM_COLUMNS = `claim_id, identity_number, name, rank, owed::text AS owed, to_char(request_date, 'YYYY-MM-DD') AS request_date,
              secured_asset, bank_bin, bank_account`

/** One stored claim, or undefined. */
export const readClaim = async (sql: Sql, agency: string, caseDecision: string, claimId: string): Promise<Claim | undefined> => {
  const [r] = await sql.query<ClaimRow>(
    `SELECT ${CLAIM_COLUMNS} FROM payout_claims WHERE agency = $1::text AND case_decision = $2::text AND claim_id = $3::text`,
    [agency, caseDecision, claimId]
  )
  return r === undefined ? undefined : claimOf(r, (s) => s, (s) => s)
}

const claimOf = (r: ClaimRow, bin: (s: string) => string, date: (s: string) => string): Claim => {
  const claim: { -readonly [K in keyof Claim]: Claim[K] } = {
    id: r.claim_id,
    creditor: { identityNumber: r.identity_number, name: r.name },
    rank: r.rank,
    owed: BigInt(r.owed)
  }
  if (r.request_date !== null) claim.requestDate = date(r.request_date)
  if (r.secured_asset !== null) claim.secured = { asset: r.secured_asset }
  if (r.bank_bin !== null && r.bank_account !== null) claim.bankAccount = { bin: bin(r.bank_bin), number: r.bank_account }
  return claim
}

/** The same string for equal values, so that a million claims share a few. */
const interner = () => {
  const seen = new Map<string, string>()
  return (s: string): string => {
    const known = seen.get(s)
    if (known !== undefined) return known
    seen.set(s, s)
    return s
  }
}

/**
 * Every claim of a case as a columnar table (domain/payout/claim-table.ts),
 * in the database's order of claim ids. Claim ids are ASCII, which the C and
 * C.UTF-8 collations order as `planRound` does (by code unit), so it only
 * checks the order; under another collation it sorts them again. Read in pages of raw rows straight into the columns, so that a
 * million claims never exist as a million objects (about 650 MB in Bun;
 * the table takes about a hundred).
 */
export const readClaimTable = async (sql: Sql, agency: string, caseDecision: string): Promise<ClaimTable> => {
  const [count] = await sql.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM payout_claims WHERE agency = $1::text AND case_decision = $2::text",
    [agency, caseDecision]
  )
  const table = ClaimTable.builder(count?.n ?? 0)
  let after = ""
  for (;;) {
    const rows = await sql.query<ClaimRow>(
      `SELECT ${CLAIM_COLUMNS} FROM payout_claims
        WHERE agency = $1::text AND case_decision = $2::text AND claim_id > $3::text
        ORDER BY claim_id LIMIT ${PAGE}`,
      [agency, caseDecision, after]
    )
    for (const r of rows) {
      table.add(
        r.claim_id, r.identity_number, r.name, r.rank, BigInt(r.owed), r.request_date ?? undefined, r.secured_asset ?? undefined,
        r.bank_bin !== null && r.bank_account !== null ? { bin: r.bank_bin, number: r.bank_account } : undefined
      )
    }
    if (rows.length < PAGE) break
    after = rows[rows.length - 1]!.claim_id
    // The pages read are garbage at once: collected every few, or they pile up to hundreds of megabytes.
    if (table.count % (4 * PAGE) === 0) collectGarbage()
  }
  return table.build()
}

/**
 * Every claim of a case, sorted by id, read in pages so that a million claims
 * never sit in memory twice (as rows and as claims). Bank BINs repeat across
 * creditors and are interned.
 */
export const readClaims = async (sql: Sql, agency: string, caseDecision: string): Promise<Array<Claim>> => {
  const out: Array<Claim> = []
  // BINs and request dates repeat across creditors: one string each instead of one per claim.
  const bin = interner()
  const date = interner()
  let after = ""
  for (;;) {
    const rows = await sql.query<ClaimRow>(
      `SELECT ${CLAIM_COLUMNS} FROM payout_claims
        WHERE agency = $1::text AND case_decision = $2::text AND claim_id > $3::text
        ORDER BY claim_id LIMIT ${PAGE}`,
      [agency, caseDecision, after]
    )
    for (const r of rows) out.push(claimOf(r, bin, date))
    if (rows.length < PAGE) break
    after = rows[rows.length - 1]!.claim_id
  }
  return out
}
