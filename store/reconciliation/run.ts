/**
 * One reconciliation run for an agency: every credit not yet matched (and
 * not on a closed day) is put through the domain's matcher
 * (domain/reconciliation/matching.ts) against the targets it could pay; the
 * allocations are stored with their evidence, ambiguous credits go to the
 * officer queue, unmatched ones become draft-receipt proposals, and flags
 * are raised. Queue items, proposals and flags are recomputed by each run;
 * matches stay (the database refuses to allocate a credit twice).
 *
 * Credits are taken in groups that share their first payment reference (or
 * decision number), a chunk at a time, with only the targets they could
 * match fetched for each chunk, so a million credits never sit in memory at
 * once. The run is one transaction: it all happens or none of it.
 */
import { makeCredit, type Credit } from "../../domain/reconciliation/credit.ts"
import { proposeDraft } from "../../domain/reconciliation/draft-proposal.ts"
import { staleTransfers } from "../../domain/reconciliation/flags.ts"
import { type Allocation, matchCredits } from "../../domain/reconciliation/matching.ts"
import type { Db, Sql } from "../database/db.ts"
import { bulkSettings } from "./bulk-settings.ts"
import { matchExactReferences } from "./exact-reference.ts"
import { refreshReceiptTargets, targetColumns, targetFromRow, type TargetRow } from "./targets.ts"

export interface RunOptions {
  readonly agency: string
  /** ISO instant of the run. */
  readonly now: string
  /** "YYYY-MM-DD" today in Vietnam, for the no-credit flag. */
  readonly today: string
  /** A bank-transfer receipt with no credit after this many days is flagged (default 3). */
  readonly staleAfterDays?: number
  /** Credit groups per chunk (default 5,000: small chunks keep the process small). */
  readonly chunk?: number
  readonly progress?: (done: number, total: number) => void
  /** The run is one transaction; a large one may need longer than the driver's default minute (PostgreSQL). */
  readonly timeoutMs?: number
}

export interface RunSummary {
  readonly credits: number
  readonly matchedCredits: number
  readonly allocations: number
  readonly byRule: Readonly<Record<string, number>>
  readonly queued: number
  readonly unmatched: number
  readonly flags: number
}

interface CreditRow {
  readonly account: string
  readonly bank_reference: string
  readonly booking_date: string
  readonly amount: string
  readonly memo: string
  readonly counterparty_name: string | null
  readonly memo_refs: ReadonlyArray<string> | string
  readonly memo_bank_refs: ReadonlyArray<string> | string
  readonly memo_decisions: ReadonlyArray<string> | string
  readonly memo_name: string | null
}

// Arrays travel as JSON text so both drivers give the same value.
const list = (v: ReadonlyArray<string> | string): ReadonlyArray<string> => (typeof v === "string" ? (JSON.parse(v) as Array<string>) : v)

const creditOf = (r: CreditRow): Credit => {
  const refs = list(r.memo_refs)
  const decisions = list(r.memo_decisions)
  const bankRefs = list(r.memo_bank_refs)
  const base = makeCredit({ account: r.account, bankReference: r.bank_reference, bookingDate: r.booking_date, amount: BigInt(r.amount), memo: "", counterpartyName: r.counterparty_name ?? undefined })
  return {
    ...base,
    memo: r.memo,
    reading: { references: refs, bankReferences: bankRefs, decisionNumbers: decisions, ...(r.memo_name === null ? {} : { payerName: r.memo_name }) }
  }
}

const splitKey = (key: string): [string, string] => {
  const at = key.indexOf("/")
  return [key.slice(0, at), key.slice(at + 1)]
}

const storedKind = (kind: Allocation["targetKind"]) => (kind === "request" ? "request" : "receipt")

export const runReconciliation = async (db: Db, o: RunOptions): Promise<RunSummary> => {
  // Fresh statistics after a large refresh, so each chunk's targets are fetched by index.
  if ((await refreshReceiptTargets(db, o.agency)) >= 1_000) await db.exec("ANALYZE recon_targets")
  return db.transaction((tx) => runInTransaction(tx, o), o.timeoutMs === undefined ? {} : { timeoutMs: o.timeoutMs })
}

const runInTransaction = async (tx: Sql, o: RunOptions): Promise<RunSummary> => {
  const agency = o.agency
  await tx.exec(bulkSettings)
  // One run per agency at a time (two officers pressing "run" together): the second waits and finds the work done.
  await tx.query("SELECT recon_lock_agency($1::text)", [agency])
  const open = `NOT EXISTS (SELECT 1 FROM recon_closed_days c JOIN bank_entries e ON e.agency = c.agency AND e.account = c.account AND e.booking_date = c.day
                             WHERE e.agency = x.agency AND e.account = x.account AND e.bank_reference = x.bank_reference)`
  await tx.query(`DELETE FROM recon_queue x WHERE agency = $1::text AND ${open}`, [agency])
  await tx.query(`DELETE FROM recon_proposals x WHERE agency = $1::text AND ${open}`, [agency])
  await tx.query("DELETE FROM recon_flags WHERE agency = $1::text", [agency])
  const edited = await editedBelowPaid(tx, agency, o.now)
  // Most credits carry one unambiguous payment reference: matched in one statement, the rest go through the matcher below.
  const exact = await matchExactReferences(tx, agency, o.now)
  await tx.exec(`CREATE TEMP TABLE recon_run_credits (g bigint, account text, bank_reference text, booking_date text, amount text, memo text,
    counterparty_name text, memo_refs text, memo_bank_refs text, memo_decisions text, memo_name text) ON COMMIT DROP`)
  await tx.query(
    `INSERT INTO recon_run_credits
     SELECT dense_rank() OVER (ORDER BY coalesce('R' || e.memo_refs[1], 'D' || e.memo_decisions[1], 'B' || e.account || '/' || e.bank_reference)),
            e.account, e.bank_reference, e.booking_date::text, e.amount::text, e.memo, e.counterparty_name,
            to_json(e.memo_refs)::text, to_json(e.memo_bank_refs)::text, to_json(e.memo_decisions)::text, e.memo_name
       FROM bank_entries e
      WHERE e.agency = $1::text AND e.direction = 'credit' AND NOT e.reversal
        AND NOT EXISTS (SELECT 1 FROM recon_matches m WHERE m.agency = e.agency AND m.account = e.account AND m.bank_reference = e.bank_reference)
        AND NOT EXISTS (SELECT 1 FROM recon_closed_days c WHERE c.agency = e.agency AND c.account = e.account AND c.day = e.booking_date)`,
    [agency]
  )
  await tx.exec("CREATE INDEX ON recon_run_credits (g)")
  const groupCount = Number((await tx.query<{ n: string }>("SELECT coalesce(max(g), 0)::text AS n FROM recon_run_credits"))[0]?.n ?? "0")
  const chunk = o.chunk ?? 5_000
  let credits = exact.matched
  const matched = new Set<string>()
  let allocations = exact.matched
  const byRule: Record<string, number> = exact.matched > 0 ? { payment_reference: exact.matched } : {}
  let queued = 0
  let unmatched = 0
  let flags = edited

  for (let from = 0; from < groupCount; from += chunk) {
    const rows = await tx.query<CreditRow>(
      "SELECT account, bank_reference, booking_date, amount, memo, counterparty_name, memo_refs, memo_bank_refs, memo_decisions, memo_name FROM recon_run_credits WHERE g > $1::bigint AND g <= $2::bigint",
      [from, from + chunk]
    )
    const batch = rows.map(creditOf)
    credits += batch.length
    const refs = new Set<string>()
    const bankRefs = new Set<string>()
    const decisions = new Set<string>()
    for (const c of batch) {
      for (const r of c.reading.references) refs.add(r)
      bankRefs.add(c.bankReference)
      for (const r of c.reading.bankReferences) bankRefs.add(r)
      for (const d of c.reading.decisionNumbers) decisions.add(d)
    }
    // paid is summed from the matches (view recon_target_balances), so this chunk sees every allocation made before it.
    const live = "t.agency = $1::text AND t.paid < t.amount AND (t.kind = 'request' OR t.receipt_status IN ('draft', 'submitted', 'issued'))"
    const targetRows = await tx.query<TargetRow>(
      `SELECT ${targetColumns} FROM recon_target_balances t WHERE ${live} AND t.payment_reference = ANY (ARRAY(SELECT jsonb_array_elements_text($2::text::jsonb)))
       UNION SELECT ${targetColumns} FROM recon_target_balances t WHERE ${live} AND t.bank_reference = ANY (ARRAY(SELECT jsonb_array_elements_text($3::text::jsonb)))
       UNION SELECT ${targetColumns} FROM recon_target_balances t WHERE ${live} AND t.decision_number = ANY (ARRAY(SELECT jsonb_array_elements_text($4::text::jsonb)))`,
      [agency, JSON.stringify([...refs]), JSON.stringify([...bankRefs]), JSON.stringify([...decisions])]
    )
    const result = matchCredits(batch, targetRows.map(targetFromRow))

    if (result.allocations.length > 0) {
      const json = JSON.stringify(result.allocations.map((a) => {
        const [account, bankReference] = splitKey(a.creditKey)
        return { account, bank_reference: bankReference, target_kind: storedKind(a.targetKind), target_id: a.targetId, amount: a.amount.toString(), rule: a.rule, confidence: a.confidence, evidence: a.evidence }
      }))
      await tx.query(
        `INSERT INTO recon_matches (agency, account, bank_reference, target_kind, target_id, amount, rule, confidence, evidence, matched_by, matched_at)
         SELECT $1::text, x.account, x.bank_reference, x.target_kind, x.target_id, x.amount, x.rule, x.confidence, x.evidence, 'bienlai', $3::timestamptz
           FROM jsonb_to_recordset($2::text::jsonb) AS x(account text, bank_reference text, target_kind text, target_id text, amount bigint, rule text, confidence numeric, evidence jsonb)`,
        [agency, json, o.now]
      )
      allocations += result.allocations.length
      for (const a of result.allocations) {
        matched.add(a.creditKey)
        byRule[a.rule] = (byRule[a.rule] ?? 0) + 1
      }
    }
    if (result.queue.length > 0) {
      await tx.query(
        `INSERT INTO recon_queue (agency, account, bank_reference, reason, candidates, message, queued_at)
         SELECT $1::text, x.account, x.bank_reference, x.reason, ARRAY(SELECT jsonb_array_elements_text(x.candidates)), x.message, $3::timestamptz
           FROM jsonb_to_recordset($2::text::jsonb) AS x(account text, bank_reference text, reason text, candidates jsonb, message text)`,
        [agency, JSON.stringify(result.queue.map((q) => {
          const [account, bankReference] = splitKey(q.creditKey)
          return { account, bank_reference: bankReference, reason: q.reason, candidates: q.candidates, message: q.message }
        })), o.now]
      )
      queued += result.queue.length
    }
    if (result.unmatched.length > 0) {
      const byKey = new Map(batch.map((c) => [c.key, c]))
      await tx.query(
        `INSERT INTO recon_proposals (agency, account, bank_reference, proposal, proposed_at)
         SELECT $1::text, x.account, x.bank_reference, x.proposal, $3::timestamptz
           FROM jsonb_to_recordset($2::text::jsonb) AS x(account text, bank_reference text, proposal jsonb)`,
        [agency, JSON.stringify(result.unmatched.map((key) => {
          const [account, bankReference] = splitKey(key)
          const p = proposeDraft(byKey.get(key) as Credit)
          return { account, bank_reference: bankReference, proposal: { ...p, amount: p.amount.toString() } }
        })), o.now]
      )
      unmatched += result.unmatched.length
    }
    if (result.flags.length > 0) {
      await insertFlags(tx, agency, o.now, result.flags.map((f) => ({ kind: f.kind, subject: f.creditKeys.join(" "), credit_amount: f.creditAmount.toString(), target_amount: f.targetAmount.toString(), message: f.message })))
      flags += result.flags.length
    }
    o.progress?.(Math.min(from + chunk, groupCount), groupCount)
  }

  const transfers = await tx.query<{ id: string; amount: string; paid: string; issued_on: string }>(
    // Every issued transfer of the agency: the matches are grouped once, not summed target by target.
    `SELECT t.id, t.amount::text AS amount, coalesce(p.paid, 0)::text AS paid, t.issued_on::text AS issued_on
       FROM recon_targets t
       LEFT JOIN (SELECT target_id, sum(amount) AS paid FROM recon_matches WHERE agency = $1::text AND target_kind = 'receipt' GROUP BY 1) p ON p.target_id = t.id
      WHERE t.agency = $1::text AND t.kind = 'receipt' AND t.receipt_status = 'issued' AND t.method = 'bank_transfer' AND coalesce(p.paid, 0) < t.amount
        AND t.issued_on < $2::date - $3::integer`,
    [agency, o.today, o.staleAfterDays ?? 3]
  )
  const stale = staleTransfers(transfers.map((t) => ({ id: t.id, amount: BigInt(t.amount), paid: BigInt(t.paid), issuedOn: t.issued_on })), o.today, o.staleAfterDays ?? 3)
  if (stale.length > 0) {
    await insertFlags(tx, agency, o.now, stale.map((f) => ({ kind: f.kind, subject: f.receiptId, credit_amount: f.paid.toString(), target_amount: f.amount.toString(), message: f.message })))
    flags += stale.length
  }
  return { credits, matchedCredits: exact.matched + matched.size, allocations, byRule, queued, unmatched, flags }
}

const insertFlags = (tx: Sql, agency: string, now: string, rows: ReadonlyArray<{ kind: string; subject: string; credit_amount: string; target_amount: string; message: string }>) =>
  tx.query(
    `INSERT INTO recon_flags (agency, kind, subject, credit_amount, target_amount, message, raised_at)
     SELECT $1::text, x.kind, x.subject, x.credit_amount, x.target_amount, x.message, $3::timestamptz
       FROM jsonb_to_recordset($2::text::jsonb) AS x(kind text, subject text, credit_amount bigint, target_amount bigint, message text)
     ON CONFLICT (agency, kind, subject) DO UPDATE SET credit_amount = EXCLUDED.credit_amount, target_amount = EXCLUDED.target_amount, message = EXCLUDED.message`,
    [agency, JSON.stringify(rows), now]
  )

/**
 * A matched draft whose amount an officer then lowered below what its
 * credits paid (say, a draft made from a credit): its target keeps the old
 * figures (targets.ts) and it is flagged amount_differs with both figures,
 * naming its credits, so the day's report shows it; the run goes on.
 */
const editedBelowPaid = async (tx: Sql, agency: string, now: string): Promise<number> => {
  const rows = await tx.query<{ id: string; paid: string; amount: string; credits: string }>(
    // Every matched receipt of the agency: the matches are grouped once, not summed receipt by receipt.
    `SELECT t.id, p.paid::text AS paid, r.amount::text AS amount,
            coalesce((SELECT string_agg(m.account || '/' || m.bank_reference, ' ' ORDER BY m.account, m.bank_reference) FROM recon_matches m
                       WHERE m.agency = t.agency AND m.target_kind = 'receipt' AND m.target_id = t.id), '') AS credits
       FROM recon_targets t
       JOIN (SELECT target_id, sum(amount) AS paid FROM recon_matches WHERE agency = $1::text AND target_kind = 'receipt' GROUP BY 1) p ON p.target_id = t.id
       JOIN receipts r ON r.agency = t.agency AND r.id::text = t.id
      WHERE t.agency = $1::text AND t.kind = 'receipt' AND r.amount < p.paid`,
    [agency]
  )
  if (rows.length === 0) return 0
  await insertFlags(tx, agency, now, rows.map((r) => ({
    kind: "amount_differs",
    subject: `${r.id} ${r.credits}`.trim(),
    credit_amount: r.paid,
    target_amount: r.amount,
    message: `biên lai ${r.id} nay ghi ${r.amount} đồng, nhưng khoản ghi có ${r.credits} đã trả ${r.paid} đồng; cán bộ cần xử lý phần chênh lệch`
  })))
  return rows.length
}
