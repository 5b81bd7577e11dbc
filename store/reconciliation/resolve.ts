/**
 * An officer settles a queued credit: names the receipts or requests it pays.
 * The sums must still agree: the credit covers exactly what the chosen
 * targets still owe, or it is an instalment of one target (no more than that
 * target still owes). The match records the officer, the queue reason it
 * settles and the figures; the queue item goes.
 */
import type { Db } from "../database/db.ts"
import { closedDayRefusal, ReconciliationRefused } from "./refusals.ts"

export interface Resolution {
  readonly agency: string
  readonly account: string
  readonly bankReference: string
  readonly targets: ReadonlyArray<{ readonly kind: "receipt" | "request"; readonly id: string }>
  readonly officer: string
  readonly now: string
}

export const resolveQueued = async (db: Db, r: Resolution): Promise<void> => {
  try {
    await db.transaction(async (tx) => {
      // The agency's reconciliation lock first (a run holds it too): what the targets still owe cannot change under us.
      await tx.query("SELECT recon_lock_agency($1::text)", [r.agency])
      const item = (await tx.query<{ reason: string; message: string; amount: string; memo: string }>(
        `SELECT q.reason, q.message, e.amount::text AS amount, e.memo FROM recon_queue q JOIN bank_entries e USING (agency, account, bank_reference)
          WHERE q.agency = $1::text AND q.account = $2::text AND q.bank_reference = $3::text FOR UPDATE OF q`,
        [r.agency, r.account, r.bankReference]
      ))[0]
      if (item === undefined) throw new ReconciliationRefused("not_queued", `credit ${r.account}/${r.bankReference} is not in agency ${r.agency}'s queue`)
      if (r.targets.length === 0) throw new ReconciliationRefused("sums_differ", "name at least one receipt or payment request the credit pays")
      const owed: Array<{ kind: string; id: string; owes: bigint }> = []
      for (const t of r.targets) {
        const row = (await tx.query<{ owes: string }>(
          "SELECT (amount - paid)::text AS owes FROM recon_target_balances WHERE agency = $1::text AND kind = $2::text AND id = $3::text",
          [r.agency, t.kind, t.id]
        ))[0]
        if (row === undefined) throw new ReconciliationRefused("not_queued", `${t.kind} ${t.id} is not one of agency ${r.agency}'s`)
        owed.push({ ...t, owes: BigInt(row.owes) })
      }
      const credit = BigInt(item.amount)
      const total = owed.reduce((s, t) => s + t.owes, 0n)
      const instalment = owed.length === 1 && credit <= total
      if (!instalment && credit !== total) {
        throw new ReconciliationRefused("sums_differ", `the credit is ${credit} đồng but the chosen receipts and requests still owe ${total} đồng; the sums must agree`)
      }
      for (const t of owed) {
        const amount = instalment ? credit : t.owes
        const evidence = { rule: "officer", officer: r.officer, settles: item.reason, queueMessage: item.message, memo: item.memo, creditAmount: credit.toString(), targetOwed: t.owes.toString(), instalment }
        await tx.query(
          `INSERT INTO recon_matches (agency, account, bank_reference, target_kind, target_id, amount, rule, confidence, evidence, matched_by, matched_at)
           VALUES ($1::text, $2::text, $3::text, $4::text, $5::text, $6::bigint, 'officer', 1, $7::text::jsonb, $8::text, $9::timestamptz)`,
          [r.agency, r.account, r.bankReference, t.kind, t.id, amount.toString(), JSON.stringify(evidence), r.officer, r.now]
        )
      }
      await tx.query("DELETE FROM recon_queue WHERE agency = $1::text AND account = $2::text AND bank_reference = $3::text", [r.agency, r.account, r.bankReference])
    })
  } catch (error) {
    throw closedDayRefusal(error) ?? error
  }
}
