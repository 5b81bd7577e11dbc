/**
 * Reconciliation with the banks for the operations view, per agency: the
 * bank accounts configured, credits booked in the period and how many of
 * them no receipt or payment request matched yet, credits waiting for an
 * officer (the queue, with its oldest), open flags, and the last day closed.
 */
import type { Sql } from "../database/db.ts"

export interface ReconciliationFigures {
  readonly agency: string
  readonly accounts: string
  readonly credits: string
  readonly unmatched: string
  readonly queued: string
  readonly oldestQueued: string | null
  readonly flags: string
  readonly lastClosedDay: string | null
}

export const reconciliationFigures = (sql: Sql, agency: string | null, periodFrom: string): Promise<Array<ReconciliationFigures>> =>
  sql.query<ReconciliationFigures>(
    `WITH a AS (SELECT agency, count(*) AS accounts FROM bank_accounts WHERE ($1::text IS NULL OR agency = $1::text) GROUP BY agency),
     c AS (SELECT e.agency, count(*) AS credits,
                  count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM recon_matches m
                     WHERE (m.agency, m.account, m.bank_reference) = (e.agency, e.account, e.bank_reference))) AS unmatched
             FROM bank_entries e
            WHERE e.direction = 'credit' AND NOT e.reversal AND e.booking_date >= $2::date AND ($1::text IS NULL OR e.agency = $1::text)
            GROUP BY e.agency),
     q AS (SELECT agency, count(*) AS queued, min(queued_at) AS oldest FROM recon_queue WHERE ($1::text IS NULL OR agency = $1::text) GROUP BY agency),
     f AS (SELECT agency, count(*) AS flags FROM recon_flags WHERE ($1::text IS NULL OR agency = $1::text) GROUP BY agency),
     d AS (SELECT agency, max(day) AS day FROM recon_closed_days WHERE ($1::text IS NULL OR agency = $1::text) GROUP BY agency)
     SELECT a.agency, a.accounts::text AS accounts, coalesce(c.credits, 0)::text AS credits, coalesce(c.unmatched, 0)::text AS unmatched,
            coalesce(q.queued, 0)::text AS queued, iso_instant(q.oldest) AS "oldestQueued", coalesce(f.flags, 0)::text AS flags,
            to_char(d.day, 'YYYY-MM-DD') AS "lastClosedDay"
       FROM a LEFT JOIN c USING (agency) LEFT JOIN q USING (agency) LEFT JOIN f USING (agency) LEFT JOIN d USING (agency)
      ORDER BY a.agency`,
    [agency, periodFrom]
  )
