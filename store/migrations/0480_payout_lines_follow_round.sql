-- A payout line's state follows its round's approval until the line gets its
-- own answer (docs/PAYOUT.md, "A line"): approving a round no longer updates
-- every line (a million new row versions took 15–30 s), it approves the round,
-- and a line stored 'planned' in an approved round IS approved. Readers take
-- payout_line_state(line state, round status).
--
-- What keeps this safe (the invariants of 0450 still hold):
--   * a round never goes back from approved to planned (payout_rounds_guard),
--     so a line read as approved stays approved;
--   * lines are added only to a planned round (payout_lines_inserted), so an
--     approved round's lines were all reviewed and bound by its SHA-256;
--   * a line leaves 'planned' (sent, deposited, or approved as rounds
--     approved before this migration were) only when its round is approved:
--     the trigger's WHEN cannot read the round, so a statement-level check
--     over the changed rows refuses any line of a planned round that is not
--     planned any more (payout_lines_follow_round below).

CREATE FUNCTION payout_line_state(line_state text, round_status text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT CASE WHEN line_state = 'planned' AND round_status = 'approved' THEN 'approved' ELSE line_state END $$;

-- The allowed changes: as in 0450, and a line still stored 'planned' moves as an approved one does.
DROP TRIGGER payout_lines_guard ON payout_lines;
CREATE TRIGGER payout_lines_guard BEFORE UPDATE ON payout_lines
  FOR EACH ROW WHEN (NOT (
    (OLD.agency, OLD.round_id, OLD.line_no, OLD.line_id, OLD.claim_id, OLD.rank, OLD.kind, OLD.for_round, OLD.grp, OLD.ratio, OLD.base, OLD.amount, OLD.fee, OLD.settlement, OLD.lookup_code)
      IS NOT DISTINCT FROM
    (NEW.agency, NEW.round_id, NEW.line_no, NEW.line_id, NEW.claim_id, NEW.rank, NEW.kind, NEW.for_round, NEW.grp, NEW.ratio, NEW.base, NEW.amount, NEW.fee, NEW.settlement, NEW.lookup_code)
    AND (
      (OLD.state = NEW.state AND OLD.sends = NEW.sends AND OLD.batch IS NOT DISTINCT FROM NEW.batch)
      OR (OLD.state = 'planned' AND NEW.state = 'approved' AND NEW.sends = 0)
      OR (OLD.state IN ('planned', 'approved', 'returned') AND NEW.state = 'sent' AND NEW.settlement = 'bank' AND NEW.sends = OLD.sends + 1 AND NEW.batch IS NOT NULL)
      OR (OLD.state = 'sent' AND NEW.state IN ('paid', 'returned') AND NEW.sends = OLD.sends AND NEW.batch IS NOT DISTINCT FROM OLD.batch)
      OR (OLD.state IN ('planned', 'approved') AND NEW.state = 'deposited' AND OLD.settlement LIKE 'deposit%' AND NEW.sends = OLD.sends)
      OR (OLD.state = 'returned' AND NEW.state = 'deposited' AND NEW.sends = OLD.sends AND NEW.batch IS NOT DISTINCT FROM OLD.batch)
    )))
  EXECUTE FUNCTION payout_line_refused();

-- A line that is not planned belongs to an approved round. Checked over the changed rows of each statement,
-- starting from the rounds not approved (a few at any time, usually none): sending a million lines of an
-- approved round then reads none of them.
CREATE FUNCTION payout_lines_follow_round() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  bad record;
BEGIN
  SELECT n.line_id, n.state, r.round, r.case_decision INTO bad
    FROM payout_rounds r
    CROSS JOIN LATERAL (SELECT x.line_id, x.state FROM new_lines x
                         WHERE x.agency = r.agency AND x.round_id = r.id AND x.state <> 'planned' LIMIT 1) n
   WHERE r.status <> 'approved'
   LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'payout line % cannot be %: round % of case % is not approved', bad.line_id, bad.state, bad.round, bad.case_decision
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER payout_lines_follow_round AFTER UPDATE ON payout_lines
  REFERENCING NEW TABLE AS new_lines FOR EACH STATEMENT EXECUTE FUNCTION payout_lines_follow_round();

-- The audit rows as in 0450; a line leaving 'planned' was approved with its round (checked above), and says so.
-- A batch sent (every row 'sent', which the batch's own audit row covers) returns before joining a million old
-- rows to a million new ones.
CREATE OR REPLACE FUNCTION payout_lines_audit() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM new_lines WHERE state NOT IN ('sent', 'approved')) THEN
    RETURN NULL;
  END IF;
  INSERT INTO payout_audit (agency, round_id, line_id, action, actor, at, detail)
  SELECT n.agency, n.round_id, n.line_id, n.state, coalesce(n.state_by, payout_actor()), coalesce(n.state_at, now()),
         jsonb_strip_nulls(jsonb_build_object('from', payout_line_state(o.state, 'approved'), 'batch', n.batch, 'reference', n.reference))
    FROM new_lines n JOIN old_lines o ON o.agency = n.agency AND o.round_id = n.round_id AND o.line_no = n.line_no
   WHERE o.state <> n.state AND NOT (o.state = 'planned' AND n.state = 'approved') AND n.state <> 'sent';
  RETURN NULL;
END $$;

-- A refused change names the line's state as readers see it (a line stored 'planned' in an approved round is approved).
CREATE OR REPLACE FUNCTION payout_line_refused() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  seen text;
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'payout line % cannot be deleted', OLD.line_id USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  IF (to_jsonb(NEW) - ARRAY['state', 'sends', 'batch', 'reference', 'state_by', 'state_at'])
     IS DISTINCT FROM (to_jsonb(OLD) - ARRAY['state', 'sends', 'batch', 'reference', 'state_by', 'state_at']) THEN
    RAISE EXCEPTION 'payout line % cannot change: its amount, creditor and settlement are fixed by the plan', OLD.line_id
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  seen := payout_line_state(OLD.state, (SELECT r.status FROM payout_rounds r WHERE r.agency = OLD.agency AND r.id = OLD.round_id));
  RAISE EXCEPTION 'payout line % cannot go from % to % (allowed: planned → approved → sent → paid, sent → returned → sent again or deposited, approved deposit line → deposited)',
    OLD.line_id, seen, NEW.state USING ERRCODE = 'integrity_constraint_violation';
END $$;
