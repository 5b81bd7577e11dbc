-- A bulk insert of matches (the set-based exact matches of a run: ~900,000 at
-- a million credits) is checked for double allocation in one set-based pass
-- (hash joins over the credits it touches) instead of one pair of index
-- lookups per credit. Small inserts (the matcher's chunks, an officer's match)
-- keep the per-credit index lookups: there a scan of the whole table would be
-- the slow path. Same guarantees, same messages: a credit is never allocated
-- beyond its amount, only credits are matched, no match lands on a closed day.
CREATE OR REPLACE FUNCTION recon_matches_within_credit() RETURNS trigger
LANGUAGE plpgsql SET enable_seqscan = off SET enable_nestloop = on AS $$
DECLARE
  bad record;
  touched bigint;
BEGIN
  SELECT count(*) INTO touched FROM (SELECT 1 FROM new_rows LIMIT 50001) s;
  IF touched > 50000 THEN
    -- Restored when the function returns (its SET clause).
    PERFORM set_config('enable_seqscan', 'on', true), set_config('enable_nestloop', 'off', true);
  END IF;
  -- What the two foreign keys checked row by row (0461 drops them): every
  -- match names a stored credit and a stored target.
  SELECT n.account, n.bank_reference INTO bad FROM new_rows n
   WHERE NOT EXISTS (SELECT 1 FROM bank_entries e WHERE e.agency = n.agency AND e.account = n.account AND e.bank_reference = n.bank_reference)
   LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'credit % of account % is not a stored bank entry; a match names a stored credit', bad.bank_reference, bad.account
      USING ERRCODE = 'foreign_key_violation';
  END IF;
  SELECT n.target_kind, n.target_id INTO bad FROM new_rows n
   WHERE NOT EXISTS (SELECT 1 FROM recon_targets t WHERE t.agency = n.agency AND t.kind = n.target_kind AND t.id = n.target_id)
   LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'target % % is not a stored match target; a match names a stored target', bad.target_kind, bad.target_id
      USING ERRCODE = 'foreign_key_violation';
  END IF;
  IF touched > 50000 THEN
    SELECT a.agency, a.account, a.bank_reference, a.allocated, e.amount, e.direction INTO bad
      FROM (SELECT m.agency, m.account, m.bank_reference, sum(m.amount) AS allocated
              FROM recon_matches m
             WHERE (m.agency, m.account, m.bank_reference) IN (SELECT agency, account, bank_reference FROM new_rows)
             GROUP BY m.agency, m.account, m.bank_reference) a
      JOIN bank_entries e ON e.agency = a.agency AND e.account = a.account AND e.bank_reference = a.bank_reference
     WHERE a.allocated > e.amount OR e.direction <> 'credit'
     LIMIT 1;
  ELSE
    -- Credit by credit through the indexes (OFFSET 0 keeps each lookup a lookup).
    SELECT n.agency, n.account, n.bank_reference, a.allocated, e.amount, e.direction INTO bad
      FROM (SELECT DISTINCT agency, account, bank_reference FROM new_rows) n
     CROSS JOIN LATERAL (SELECT x.amount, x.direction FROM bank_entries x
                          WHERE x.agency = n.agency AND x.account = n.account AND x.bank_reference = n.bank_reference OFFSET 0) e
     CROSS JOIN LATERAL (SELECT sum(m.amount) AS allocated FROM recon_matches m
                          WHERE m.agency = n.agency AND m.account = n.account AND m.bank_reference = n.bank_reference) a
     WHERE a.allocated > e.amount OR e.direction <> 'credit'
     LIMIT 1;
  END IF;
  IF FOUND THEN
    RAISE EXCEPTION 'credit % of account % (agency %): % đồng allocated, but it is a % of % đồng; a credit is never matched twice',
      bad.bank_reference, bad.account, bad.agency, bad.allocated, bad.direction, bad.amount
      USING ERRCODE = 'integrity_constraint_violation';
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
