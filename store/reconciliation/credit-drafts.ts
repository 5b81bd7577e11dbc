/**
 * Credits that become draft receipts (domain/reconciliation/credit-draft.ts):
 * an unmatched credit, the credit that paid a payment request, and a queued
 * credit whose every candidate an officer rejected. Each credit becomes at
 * most one draft (per request it paid): the draft's row is claimed before
 * the draft is saved, so a re-run, or two runs at once, never make a
 * second. The draft's maker is the officer who imported the statement the
 * credit came in (the run acts on that officer's behalf, and the audit
 * entry says so); an approver who is not that officer issues it.
 */
import { Result } from "effect"
import { creditDraftInput, type CreditDraftSource } from "../../domain/reconciliation/credit-draft.ts"
import { createDraft } from "../../domain/lifecycle.ts"
import type { Receipt, Series } from "../../domain/receipt.ts"
import type { Db, Sql } from "../database/db.ts"

/** Records who imported each statement of a file (the first importer stays). */
export const recordImporter = async (db: Sql, agency: string, statements: ReadonlyArray<{ readonly account: string; readonly statementId: string }>, officer: string, now: string): Promise<void> => {
  if (statements.length === 0) return
  await db.query(
    `INSERT INTO recon_statement_importers (agency, account, statement_id, imported_by, imported_at)
     SELECT $1::text, x.account, x.statement_id, $3::text, $4::timestamptz FROM jsonb_to_recordset($2::text::jsonb) AS x(account text, statement_id text)
     ON CONFLICT DO NOTHING`,
    [agency, JSON.stringify(statements.map((s) => ({ account: s.account, statement_id: s.statementId }))), officer, now]
  )
}

export type CreditDraftKind = "unmatched" | "request" | "officer"

export interface CreditAwaitingDraft {
  readonly account: string
  readonly bankReference: string
  readonly source: CreditDraftKind
  readonly requestReference: string
  readonly officer: string
  readonly amount: bigint
  readonly payerName: string | undefined
  readonly decisionNumber: string | undefined
}

const importer = `JOIN recon_statement_importers i ON i.agency = e.agency AND i.account = e.account AND i.statement_id = e.statement_id`
const noDraftYet = (ref: string) =>
  `NOT EXISTS (SELECT 1 FROM recon_credit_drafts d WHERE d.agency = e.agency AND d.account = e.account AND d.bank_reference = e.bank_reference AND d.request_reference = ${ref})`

/** Unmatched credits (the run's proposals) and payment requests' credits that have no draft yet. */
export const creditsAwaitingDraft = async (db: Sql, agency: string): Promise<Array<CreditAwaitingDraft>> => {
  const unmatched = await db.query<{ account: string; bank_reference: string; officer: string; amount: string; payer: string | null; decision: string | null }>(
    `SELECT e.account, e.bank_reference, i.imported_by AS officer, e.amount::text AS amount, p.proposal->>'payerName' AS payer, p.proposal->>'decisionNumber' AS decision
       FROM recon_proposals p JOIN bank_entries e USING (agency, account, bank_reference) ${importer}
      WHERE p.agency = $1::text AND ${noDraftYet("''")}
      ORDER BY e.account, e.bank_reference`,
    [agency]
  )
  const requests = await db.query<{ account: string; bank_reference: string; officer: string; amount: string; payer: string; decision: string | null; reference: string }>(
    `SELECT e.account, e.bank_reference, coalesce(i.imported_by, r.created_by) AS officer, m.amount::text AS amount, r.payer_name AS payer, r.decision_number AS decision, r.reference
       FROM recon_matches m
       JOIN payment_requests r ON r.agency = m.agency AND r.reference = m.target_id
       JOIN bank_entries e ON e.agency = m.agency AND e.account = m.account AND e.bank_reference = m.bank_reference
       LEFT ${importer}
      WHERE m.agency = $1::text AND m.target_kind = 'request' AND ${noDraftYet("r.reference")}
      ORDER BY e.account, e.bank_reference, r.reference`,
    [agency]
  )
  return [
    ...unmatched.map((r): CreditAwaitingDraft => ({ account: r.account, bankReference: r.bank_reference, source: "unmatched", requestReference: "", officer: r.officer, amount: BigInt(r.amount), payerName: r.payer ?? undefined, decisionNumber: r.decision ?? undefined })),
    ...requests.map((r): CreditAwaitingDraft => ({ account: r.account, bankReference: r.bank_reference, source: "request", requestReference: r.reference, officer: r.officer, amount: BigInt(r.amount), payerName: r.payer, decisionNumber: r.decision ?? undefined }))
  ]
}

/** Claims the credit's draft row; false when another run (or an earlier one) already did. */
export const claimCreditDraft = async (db: Sql, agency: string, c: CreditAwaitingDraft, receiptId: string, now: string): Promise<boolean> =>
  (await db.query(
    `INSERT INTO recon_credit_drafts (agency, account, bank_reference, request_reference, receipt_id, source, made_for, made_at)
     VALUES ($1::text, $2::text, $3::text, $4::text, $5::text, $6::text, $7::text, $8::timestamptz) ON CONFLICT DO NOTHING RETURNING receipt_id`,
    [agency, c.account, c.bankReference, c.requestReference, receiptId, c.source, c.officer, now]
  )).length === 1

export const releaseCreditDraft = async (db: Sql, agency: string, receiptId: string): Promise<void> => {
  await db.query("DELETE FROM recon_credit_drafts WHERE agency = $1::text AND receipt_id = $2::text", [agency, receiptId])
}

export interface CreditDraftRow {
  readonly account: string
  readonly bankReference: string
  readonly requestReference: string
  readonly receiptId: string
  readonly source: CreditDraftKind
  readonly madeFor: string
}

/** The drafts made from credits, for the agency (newest first), or for one credit. */
export const creditDrafts = async (db: Sql, agency: string, credit?: { readonly account: string; readonly bankReference: string }): Promise<Array<CreditDraftRow>> =>
  (await db.query<{ account: string; bank_reference: string; request_reference: string; receipt_id: string; source: CreditDraftKind; made_for: string }>(
    `SELECT account, bank_reference, request_reference, receipt_id, source, made_for FROM recon_credit_drafts
      WHERE agency = $1::text AND ($2::text IS NULL OR (account = $2::text AND bank_reference = $3::text)) ORDER BY made_at DESC, account, bank_reference`,
    [agency, credit?.account ?? null, credit?.bankReference ?? null]
  )).map((r) => ({ account: r.account, bankReference: r.bank_reference, requestReference: r.request_reference, receiptId: r.receipt_id, source: r.source, madeFor: r.made_for }))

/** How a draft is saved: the receipt store's saveDraft, with the audit detail saying on whose behalf. */
export interface DraftSaver {
  readonly save: (draft: Receipt, auditDetail: Readonly<Record<string, unknown>>) => Promise<unknown>
  readonly newId: () => string
  readonly series: (agency: string) => Series
  readonly now: string
}

export interface DraftsMade {
  readonly made: ReadonlyArray<CreditDraftRow>
  /** Credits whose draft could not be made, and why (they stay proposals). */
  readonly refused: ReadonlyArray<{ readonly account: string; readonly bankReference: string; readonly reason: string }>
}

/** Makes the draft of one credit: claimed first, saved, released again if the save fails. */
export const makeCreditDraft = async (db: Db, agency: string, c: CreditAwaitingDraft, saver: DraftSaver): Promise<Result.Result<CreditDraftRow, string>> => {
  const source: CreditDraftSource = {
    agency,
    series: saver.series(agency),
    bankReference: c.bankReference,
    amount: c.amount,
    payerName: c.payerName,
    decisionNumber: c.decisionNumber,
    ...(c.requestReference === "" ? {} : { requestReference: c.requestReference })
  }
  const id = saver.newId()
  const draft = createDraft(creditDraftInput(source), { id, maker: c.officer, now: saver.now })
  if (Result.isFailure(draft)) return Result.fail(draft.failure.message)
  if (!(await claimCreditDraft(db, agency, c, id, saver.now))) return Result.fail("already drafted")
  try {
    await saver.save(draft.success, { via: "reconciliation", onBehalfOf: c.officer, credit: `${c.account}/${c.bankReference}`, source: c.source, ...(c.requestReference === "" ? {} : { request: c.requestReference }) })
  } catch (error) {
    await releaseCreditDraft(db, agency, id)
    return Result.fail(error instanceof Error ? error.message : String(error))
  }
  return Result.succeed({ account: c.account, bankReference: c.bankReference, requestReference: c.requestReference, receiptId: id, source: c.source, madeFor: c.officer })
}

/** Every credit awaiting its draft gets one. */
export const makeCreditDrafts = async (db: Db, agency: string, saver: DraftSaver): Promise<DraftsMade> => {
  const made: Array<CreditDraftRow> = []
  const refused: Array<{ account: string; bankReference: string; reason: string }> = []
  for (const c of await creditsAwaitingDraft(db, agency)) {
    const r = await makeCreditDraft(db, agency, c, saver)
    if (Result.isSuccess(r)) made.push(r.success)
    else if (r.failure !== "already drafted") refused.push({ account: c.account, bankReference: c.bankReference, reason: r.failure })
  }
  return { made, refused }
}
