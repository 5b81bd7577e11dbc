-- What a target has been paid is the sum of its matches, no longer a column
-- of recon_targets (docs/RECONCILIATION.md, "Benchmark"). A run at a million
-- credits spent about 25 s rewriting 900,000 recon_targets rows to add the
-- amount just inserted into recon_matches; the figure now has one source.
--
-- What the column's CHECK (paid BETWEEN 0 AND amount) guaranteed still holds,
-- in the database:
--   * a target is never allocated beyond its amount: recon_matches_within_credit
--     (once per INSERT statement) now sums the touched targets' matches too;
--   * a target's amount never drops below what its matches allocated
--     (recon_targets_amount_covers_matches, below);
--   * the race the row update serialised (two transactions each seeing the
--     other's allocation missing): both checks first take the agency's
--     reconciliation lock (the advisory lock a run already holds), and each
--     statement of a plpgsql function takes a fresh snapshot under READ
--     COMMITTED, so the sums they read include whatever the previous holder
--     committed.
-- Matches are never re-keyed (0461); one deleted (an open day only) lowers the sum.

ALTER TABLE recon_targets DROP COLUMN paid; -- drops recon_targets_not_overpaid with it
ALTER TABLE recon_targets SET (fillfactor = 100); -- no more in-place updates of paid to leave room for

-- Every target with what its matches have paid: for readers that look at a
-- few targets (a chunk of the matcher, a queue item, a request); the sum is
-- one index range of recon_matches_target per row. Readers of a whole
-- agency's targets group the matches once instead (exact-reference.ts).
CREATE VIEW recon_target_balances AS
  SELECT t.agency, t.kind, t.id, t.receipt_status, t.amount, p.paid, t.payment_reference, t.bank_reference,
         t.decision_number, t.payer_name, t.method, t.issued_on
    FROM recon_targets t
   CROSS JOIN LATERAL (SELECT coalesce(sum(m.amount), 0)::bigint AS paid FROM recon_matches m
                        WHERE m.agency = t.agency AND m.target_kind = t.kind AND m.target_id = t.id) p;

-- The lock every writer of matches holds (run.ts, resolve.ts take it first).
CREATE FUNCTION recon_lock_agency(a text) RETURNS void
LANGUAGE sql AS $$ SELECT pg_advisory_xact_lock(hashtext('bienlai.reconciliation.run:' || a)) $$;

CREATE FUNCTION recon_refuse_amount_below_matches() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  allocated bigint;
BEGIN
  PERFORM recon_lock_agency(NEW.agency);
  SELECT coalesce(sum(m.amount), 0) INTO allocated FROM recon_matches m
   WHERE m.agency = NEW.agency AND m.target_kind = NEW.kind AND m.target_id = NEW.id;
  IF NEW.amount < allocated THEN
    RAISE EXCEPTION 'target % % (agency %): credits already paid % đồng, its amount cannot become % đồng; a target is never paid beyond its amount',
      NEW.kind, NEW.id, NEW.agency, allocated, NEW.amount
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER recon_targets_amount_covers_matches BEFORE UPDATE OF amount ON recon_targets
  FOR EACH ROW WHEN (NEW.amount < OLD.amount) EXECUTE FUNCTION recon_refuse_amount_below_matches();

-- 0460's check, with the targets' side added, the agency lock taken first,
-- and each key checked in the same pass as its sums (a LEFT JOIN instead of
-- a separate anti-join per side: one pass over the new rows fewer each).
CREATE OR REPLACE FUNCTION recon_matches_within_credit() RETURNS trigger
LANGUAGE plpgsql SET enable_seqscan = off SET enable_nestloop = on AS $$
DECLARE
  bad record;
  credit record;
  target record;
  touched bigint;
BEGIN
  PERFORM recon_lock_agency(a) FROM (SELECT DISTINCT agency AS a FROM new_rows ORDER BY 1) s;
  SELECT count(*) INTO touched FROM (SELECT 1 FROM new_rows LIMIT 50001) s;
  IF touched > 50000 THEN
    -- Restored when the function returns (its SET clause).
    PERFORM set_config('enable_seqscan', 'on', true), set_config('enable_nestloop', 'off', true);
    SELECT a.agency, a.account, a.bank_reference, a.allocated, e.amount, e.direction INTO credit
      FROM (SELECT m.agency, m.account, m.bank_reference, sum(m.amount) AS allocated
              FROM recon_matches m
             WHERE (m.agency, m.account, m.bank_reference) IN (SELECT agency, account, bank_reference FROM new_rows)
             GROUP BY m.agency, m.account, m.bank_reference) a
      LEFT JOIN bank_entries e ON e.agency = a.agency AND e.account = a.account AND e.bank_reference = a.bank_reference
     WHERE e.amount IS NULL OR a.allocated > e.amount OR e.direction <> 'credit'
     ORDER BY e.amount IS NULL DESC
     LIMIT 1;
  ELSE
    -- Credit by credit through the indexes (OFFSET 0 keeps each lookup a lookup).
    SELECT n.agency, n.account, n.bank_reference, a.allocated, e.amount, e.direction INTO credit
      FROM (SELECT DISTINCT agency, account, bank_reference FROM new_rows) n
      LEFT JOIN LATERAL (SELECT x.amount, x.direction FROM bank_entries x
                          WHERE x.agency = n.agency AND x.account = n.account AND x.bank_reference = n.bank_reference OFFSET 0) e ON true
     CROSS JOIN LATERAL (SELECT sum(m.amount) AS allocated FROM recon_matches m
                          WHERE m.agency = n.agency AND m.account = n.account AND m.bank_reference = n.bank_reference) a
     WHERE e.amount IS NULL OR a.allocated > e.amount OR e.direction <> 'credit'
     ORDER BY e.amount IS NULL DESC
     LIMIT 1;
  END IF;
  IF touched > 50000 THEN
    SELECT a.agency, a.kind, a.id, a.allocated, t.amount INTO target
      FROM (SELECT m.agency, m.target_kind AS kind, m.target_id AS id, sum(m.amount) AS allocated
              FROM recon_matches m
             WHERE (m.agency, m.target_kind, m.target_id) IN (SELECT agency, target_kind, target_id FROM new_rows)
             GROUP BY m.agency, m.target_kind, m.target_id) a
      LEFT JOIN recon_targets t ON t.agency = a.agency AND t.kind = a.kind AND t.id = a.id
     WHERE t.amount IS NULL OR a.allocated > t.amount
     ORDER BY t.amount IS NULL DESC
     LIMIT 1;
  ELSE
    SELECT n.agency, n.kind, n.id, a.allocated, t.amount INTO target
      FROM (SELECT DISTINCT agency, target_kind AS kind, target_id AS id FROM new_rows) n
      LEFT JOIN LATERAL (SELECT x.amount FROM recon_targets x WHERE x.agency = n.agency AND x.kind = n.kind AND x.id = n.id OFFSET 0) t ON true
     CROSS JOIN LATERAL (SELECT sum(m.amount) AS allocated FROM recon_matches m
                          WHERE m.agency = n.agency AND m.target_kind = n.kind AND m.target_id = n.id) a
     WHERE t.amount IS NULL OR a.allocated > t.amount
     ORDER BY t.amount IS NULL DESC
     LIMIT 1;
  END IF;
  -- Missing keys first (what the foreign keys refused), then the sums.
  IF credit.agency IS NOT NULL AND credit.amount IS NULL THEN
    RAISE EXCEPTION 'credit % of account % is not a stored bank entry; a match names a stored credit', credit.bank_reference, credit.account
      USING ERRCODE = 'foreign_key_violation';
  END IF;
  IF target.agency IS NOT NULL AND target.amount IS NULL THEN
    RAISE EXCEPTION 'target % % is not a stored match target; a match names a stored target', target.kind, target.id
      USING ERRCODE = 'foreign_key_violation';
  END IF;
  IF credit.agency IS NOT NULL THEN
    RAISE EXCEPTION 'credit % of account % (agency %): % đồng allocated, but it is a % of % đồng; a credit is never matched twice',
      credit.bank_reference, credit.account, credit.agency, credit.allocated, credit.direction, credit.amount
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  IF target.agency IS NOT NULL THEN
    RAISE EXCEPTION 'target % % (agency %): % đồng allocated, but it asks for % đồng; a target is never paid beyond its amount',
      target.kind, target.id, target.agency, target.allocated, target.amount
      USING ERRCODE = 'check_violation';
  END IF;
  SELECT e.booking_date, e.account, e.bank_reference INTO bad
    FROM recon_closed_days c
    JOIN bank_entries e ON e.agency = c.agency AND e.account = c.account AND e.booking_date = c.day
    JOIN new_rows n ON n.agency = e.agency AND n.account = e.account AND n.bank_reference = e.bank_reference
   LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'day % of account % is closed: credit % cannot be matched now; book a dated adjustment instead',
      bad.booking_date, bad.account, bad.bank_reference
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN NULL;
END $$;
