/**
 * What the public side of payouts reads and keeps (docs/PAYOUT.md,
 * "Notices"): whose notice a lookup code is (for the identity check under
 * the lookup guard), a creditor's payouts in a case, a round's line states
 * (for its signed notice status list), and each notice's QR token, signed
 * once and stored (table payout_notice_tokens, migration 0470).
 */
import type { Sql } from "../database/db.ts"

/** The approved notice a lookup code names: whose it is and where its lines are. */
export interface NoticeHolder {
  readonly agency: string
  readonly roundId: string
  readonly claimId: string
  readonly caseDecision: string
  readonly round: number
  /** The creditor's identity number on record (compared by the caller, under the lookup guard). */
  readonly identityNumber: string
  /** The notice's lines in plan order: first line number (1-based) and how many. */
  readonly firstLine: number
  readonly lineCount: number
}

const holderSql = `
SELECT l.agency, l.round_id::text AS round_id, l.claim_id, r.case_decision, r.round, c.identity_number,
       span.first_line, span.line_count
  FROM payout_lines l
  JOIN payout_rounds r ON r.agency = l.agency AND r.id = l.round_id AND r.status = 'approved'
  JOIN payout_claims c ON c.agency = l.agency AND c.case_decision = r.case_decision AND c.claim_id = l.claim_id
  CROSS JOIN LATERAL (
    SELECT min(m.line_no)::integer AS first_line, count(*)::integer AS line_count
      FROM payout_lines m WHERE m.agency = l.agency AND m.round_id = l.round_id AND m.claim_id = l.claim_id
  ) span
 WHERE l.lookup_code = $1::text
 ORDER BY l.agency
 LIMIT 1`

/** The approved notice with this (normalised) lookup code, or undefined. */
export const noticeHolder = async (sql: Sql, code: string): Promise<NoticeHolder | undefined> => {
  const [row] = await sql.query<{
    agency: string; round_id: string; claim_id: string; case_decision: string; round: number | string; identity_number: string; first_line: number | string; line_count: number | string
  }>(holderSql, [code])
  if (row === undefined) return undefined
  return {
    agency: row.agency,
    roundId: row.round_id,
    claimId: row.claim_id,
    caseDecision: row.case_decision,
    round: Number(row.round),
    identityNumber: row.identity_number,
    firstLine: Number(row.first_line),
    lineCount: Number(row.line_count)
  }
}

/** One approved round's payout to a creditor: what its lines pay and the state of each. */
export interface CreditorPayout {
  readonly round: number
  readonly legalDate: string
  readonly amount: bigint
  readonly fee: bigint
  readonly states: ReadonlyArray<string>
}

const creditorSql = `
SELECT r.round, r.terms->>'legalDate' AS legal_date, sum(l.amount)::text AS amount, sum(l.fee)::text AS fee,
       string_agg(payout_line_state(l.state, r.status), ',' ORDER BY l.line_no) AS states
  FROM payout_rounds r
  JOIN payout_claims c ON c.agency = r.agency AND c.case_decision = r.case_decision AND c.identity_number = $3::text
  JOIN payout_lines l ON l.agency = r.agency AND l.round_id = r.id AND l.claim_id = c.claim_id
 WHERE r.agency = $1::text AND r.case_decision = $2::text AND r.status = 'approved'
 GROUP BY r.round, r.terms->>'legalDate'
 ORDER BY r.round`

/** Every approved round of a case that pays the creditor with this identity number, oldest first. */
export const creditorPayouts = async (sql: Sql, agency: string, caseDecision: string, identityNumber: string): Promise<Array<CreditorPayout>> =>
  (await sql.query<{ round: number | string; legal_date: string; amount: string; fee: string; states: string }>(creditorSql, [agency, caseDecision, identityNumber])).map((r) => ({
    round: Number(r.round),
    legalDate: r.legal_date,
    amount: BigInt(r.amount),
    fee: BigInt(r.fee),
    states: r.states.split(",")
  }))

const statesSql = `
SELECT payout_line_state(l.state, r.status) AS state
  FROM payout_rounds r JOIN payout_lines l ON l.agency = r.agency AND l.round_id = r.id
 WHERE r.agency = $1::text AND r.case_decision = $2::text AND r.round = $3::integer AND r.status = 'approved'
 ORDER BY l.line_no`

/** The state of every line of an approved round, line 1 first; empty when the round is not approved (or does not exist). */
export const roundLineStates = async (sql: Sql, agency: string, caseDecision: string, round: number): Promise<Array<string>> =>
  (await sql.query<{ state: string }>(statesSql, [agency, caseDecision, round])).map((r) => r.state)

export interface NoticeToken {
  readonly agency: string
  readonly lookupCode: string
  readonly roundId: string
  readonly claimId: string
  readonly noticeSha256: string
  readonly token: string
  readonly keyId: string
  readonly signedAt: string
}

const tokenSql = `SELECT token FROM payout_notice_tokens WHERE agency = $1::text AND lookup_code = $2::text`

/** The notice's stored token, or undefined when none was made yet. */
export const storedNoticeToken = async (sql: Sql, agency: string, code: string): Promise<string | undefined> =>
  (await sql.query<{ token: string }>(tokenSql, [agency, code]))[0]?.token

const keepSql = `
INSERT INTO payout_notice_tokens (agency, lookup_code, round_id, claim_id, notice_sha256, token, key_id, signed_at)
VALUES ($1::text, $2::text, $3::uuid, $4::text, $5::text, $6::text, $7::text, $8::timestamptz)
ON CONFLICT (agency, lookup_code) DO NOTHING`

/**
 * Keeps a freshly signed token unless one is already stored, and gives back
 * the stored one: two first views at once both end up serving the same token.
 */
export const keepNoticeToken = async (sql: Sql, t: NoticeToken): Promise<string> => {
  await sql.query(keepSql, [t.agency, t.lookupCode, t.roundId, t.claimId, t.noticeSha256, t.token, t.keyId, t.signedAt])
  return (await storedNoticeToken(sql, t.agency, t.lookupCode)) ?? t.token
}
