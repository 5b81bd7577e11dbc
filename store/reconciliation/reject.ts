/**
 * An officer rejects every candidate of a queued credit: none of them is
 * what the money paid. The credit then gets a draft receipt of its own
 * (credit-drafts.ts, made by that officer) and is matched to it, recorded as
 * the officer's decision with the rejected candidates in the evidence; the
 * draft follows the normal four-eyes issuance.
 */
import { Result } from "effect"
import type { Db } from "../database/db.ts"
import { type CreditDraftRow, type DraftSaver, makeCreditDraft } from "./credit-drafts.ts"
import { ReconciliationRefused } from "./refusals.ts"
import { resolveQueued } from "./resolve.ts"
import { refreshReceiptTargets } from "./targets.ts"

export const rejectQueued = async (db: Db, r: { readonly agency: string; readonly account: string; readonly bankReference: string; readonly officer: string; readonly now: string }, saver: DraftSaver): Promise<CreditDraftRow> => {
  const item = (await db.query<{ amount: string; payer: string | null; decision: string | null; closed: boolean }>(
    `SELECT e.amount::text AS amount, coalesce(e.memo_name, e.counterparty_name) AS payer, e.memo_decisions[1] AS decision,
            EXISTS (SELECT 1 FROM recon_closed_days c WHERE c.agency = e.agency AND c.account = e.account AND c.day = e.booking_date) AS closed
       FROM recon_queue q JOIN bank_entries e USING (agency, account, bank_reference)
      WHERE q.agency = $1::text AND q.account = $2::text AND q.bank_reference = $3::text`,
    [r.agency, r.account, r.bankReference]
  ))[0]
  if (item === undefined) throw new ReconciliationRefused("not_queued", `credit ${r.account}/${r.bankReference} is not in agency ${r.agency}'s queue`)
  if (item.closed) throw new ReconciliationRefused("day_closed", `credit ${r.account}/${r.bankReference} is on a closed day; correct it with a dated adjustment`)
  const made = await makeCreditDraft(db, r.agency, {
    account: r.account,
    bankReference: r.bankReference,
    source: "officer",
    requestReference: "",
    officer: r.officer,
    amount: BigInt(item.amount),
    payerName: item.payer ?? undefined,
    decisionNumber: item.decision ?? undefined
  }, saver)
  if (Result.isFailure(made)) throw new ReconciliationRefused("not_queued", `no draft receipt could be made for credit ${r.account}/${r.bankReference}: ${made.failure}`)
  await refreshReceiptTargets(db, r.agency)
  await resolveQueued(db, { agency: r.agency, account: r.account, bankReference: r.bankReference, targets: [{ kind: "receipt", id: made.success.receiptId }], officer: r.officer, now: r.now })
  return made.success
}
