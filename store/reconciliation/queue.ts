/** What the officer queue and the match evidence look like when read back. */
import type { Sql } from "../database/db.ts"

export interface QueueRow {
  readonly account: string
  readonly bankReference: string
  readonly reason: string
  readonly candidates: ReadonlyArray<string>
  readonly message: string
  readonly amount: bigint
  readonly memo: string
}

export const openQueue = async (db: Sql, agency: string): Promise<Array<QueueRow>> =>
  (await db.query<{ account: string; bank_reference: string; reason: string; candidates: string; message: string; amount: string; memo: string }>(
    `SELECT q.account, q.bank_reference, q.reason, to_json(q.candidates)::text AS candidates, q.message, e.amount::text AS amount, e.memo
       FROM recon_queue q JOIN bank_entries e USING (agency, account, bank_reference)
      WHERE q.agency = $1::text ORDER BY q.account, q.bank_reference`,
    [agency]
  )).map((r) => ({ account: r.account, bankReference: r.bank_reference, reason: r.reason, candidates: JSON.parse(r.candidates) as Array<string>, message: r.message, amount: BigInt(r.amount), memo: r.memo }))

export interface MatchRow {
  readonly account: string
  readonly bankReference: string
  readonly targetKind: string
  readonly targetId: string
  readonly amount: bigint
  readonly rule: string
  readonly confidence: number
  readonly evidence: Record<string, unknown>
}

export const matchesOf = async (db: Sql, agency: string): Promise<Array<MatchRow>> =>
  (await db.query<{ account: string; bank_reference: string; target_kind: string; target_id: string; amount: string; rule: string; confidence: string; evidence: string }>(
    `SELECT account, bank_reference, target_kind, target_id, amount::text AS amount, rule, confidence::text AS confidence, evidence::text AS evidence
       FROM recon_matches WHERE agency = $1::text ORDER BY account, bank_reference, target_id`,
    [agency]
  )).map((r) => ({ account: r.account, bankReference: r.bank_reference, targetKind: r.target_kind, targetId: r.target_id, amount: BigInt(r.amount), rule: r.rule, confidence: Number(r.confidence), evidence: JSON.parse(r.evidence) as Record<string, unknown> }))

export const countsOf = async (db: Sql, agency: string): Promise<Record<string, number>> => {
  const row = (await db.query<Record<string, string>>(
    `SELECT (SELECT count(*) FROM bank_entries WHERE agency = $1::text)::text AS entries,
            (SELECT count(*) FROM recon_matches WHERE agency = $1::text)::text AS matches,
            (SELECT count(*) FROM recon_queue WHERE agency = $1::text)::text AS queue,
            (SELECT count(*) FROM recon_proposals WHERE agency = $1::text)::text AS proposals,
            (SELECT count(*) FROM recon_flags WHERE agency = $1::text)::text AS flags,
            (SELECT count(*) FROM bank_statements WHERE agency = $1::text)::text AS statements`,
    [agency]
  ))[0] ?? {}
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, Number(v)]))
}
