-- Closing a statistical period (docs/REPORTS.md, "Closing a period").
--
-- An agency's report for a cumulative period (statistical year `year`,
-- `months` months from 1 October) is closed in two steps by two people:
-- one officer requests the closing, which records the figures as of that
-- instant (`cutoff`) and their SHA-256; a second officer of the agency, never
-- the requester, approves exactly those figures (naming the SHA-256). From
-- then on the period is locked:
--   * a closing row, once decided, never changes and is never deleted;
--   * no receipt can be issued or voided, and no payout line paid or
--     deposited, at an instant inside a closed period of its agency: a
--     correction is a new event in the next open period, never a change
--     of history.
-- The snapshot is kept so that a later report of the closed period can be
-- checked against what was approved (a report that differs says so).

CREATE TABLE report_closings (
  agency           text        NOT NULL,
  id               uuid        NOT NULL,
  year             integer     NOT NULL CHECK (year BETWEEN 2001 AND 2199),
  months           integer     NOT NULL CHECK (months BETWEEN 1 AND 12),
  -- The period's first instant (1 October, midnight in Vietnam) and the first instant after it.
  period_starts_at timestamptz NOT NULL,
  period_ends_at   timestamptz NOT NULL CHECK (period_ends_at > period_starts_at),
  -- The figures are the events recorded up to this instant (the request's as-of).
  cutoff           timestamptz NOT NULL,
  snapshot         text        NOT NULL,
  snapshot_sha256  text        NOT NULL CHECK (snapshot_sha256 ~ '^[0-9a-f]{64}$'),
  requested_by     text        NOT NULL,
  requested_at     timestamptz NOT NULL,
  decision         text        CHECK (decision IN ('closed', 'rejected', 'withdrawn')),
  decided_by       text,
  decided_at       timestamptz,
  decision_note    text        CHECK (decision_note IS NULL OR length(decision_note) BETWEEN 1 AND 500),
  PRIMARY KEY (agency, id),
  CONSTRAINT report_closings_after_the_period CHECK (cutoff >= period_ends_at),
  CONSTRAINT report_closings_decided_details CHECK ((decision IS NULL) = (decided_by IS NULL) AND (decision IS NULL) = (decided_at IS NULL)),
  -- Four eyes: the requester never closes; only the requester withdraws.
  CONSTRAINT report_closings_four_eyes CHECK (
    decision IS NULL OR (decision = 'withdrawn') = (decided_by = requested_by))
);
-- One closing per period and agency, and one request waiting at a time.
CREATE UNIQUE INDEX report_closings_closed_once ON report_closings (agency, year, months) WHERE decision = 'closed';
CREATE UNIQUE INDEX report_closings_one_pending ON report_closings (agency, year, months) WHERE decision IS NULL;

CREATE FUNCTION report_closings_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'the closing request % of period %/% (agency %) is kept for good; it is never deleted', OLD.id, OLD.year, OLD.months, OLD.agency
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  IF OLD.decision IS NOT NULL THEN
    RAISE EXCEPTION 'the closing request % of period %/% (agency %) was % and never changes; a correction is an adjustment in the next open period',
      OLD.id, OLD.year, OLD.months, OLD.agency, OLD.decision
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  IF (to_jsonb(NEW) - ARRAY['decision', 'decided_by', 'decided_at', 'decision_note'])
     IS DISTINCT FROM (to_jsonb(OLD) - ARRAY['decision', 'decided_by', 'decided_at', 'decision_note']) THEN
    RAISE EXCEPTION 'the figures of closing request % were recorded once and are never changed; request a new closing', OLD.id
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER report_closings_guard BEFORE UPDATE OR DELETE ON report_closings
  FOR EACH ROW EXECUTE FUNCTION report_closings_guard();
CREATE TRIGGER report_closings_no_truncate BEFORE TRUNCATE ON report_closings
  FOR EACH STATEMENT EXECUTE FUNCTION forbid_change();

-- Receipts: statement-level over the transition tables (which the audit triggers capture already), so a
-- bulk load pays one join per statement, and nothing but one lookup while no period is closed.
CREATE FUNCTION receipts_outside_closed_periods() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  bad record;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM report_closings WHERE decision = 'closed') THEN
    RETURN NULL;
  END IF;
  IF TG_OP = 'INSERT' THEN
    SELECT n.agency, n.id, c.year || '/' || c.months AS period INTO bad
      FROM new_receipts n JOIN report_closings c ON c.agency = n.agency AND c.decision = 'closed'
     WHERE (n.issued_at >= c.period_starts_at AND n.issued_at < c.period_ends_at)
        OR (n.voided_at >= c.period_starts_at AND n.voided_at < c.period_ends_at)
     LIMIT 1;
  ELSE
    SELECT n.agency, n.id, c.year || '/' || c.months AS period INTO bad
      FROM new_receipts n
      JOIN old_receipts o ON o.agency = n.agency AND o.id = n.id
      JOIN report_closings c ON c.agency = n.agency AND c.decision = 'closed'
     WHERE (n.issued_at IS DISTINCT FROM o.issued_at AND n.issued_at >= c.period_starts_at AND n.issued_at < c.period_ends_at)
        OR (n.voided_at IS DISTINCT FROM o.voided_at AND n.voided_at >= c.period_starts_at AND n.voided_at < c.period_ends_at)
     LIMIT 1;
  END IF;
  IF bad.id IS NOT NULL THEN
    RAISE EXCEPTION 'receipt % of agency % would be issued or voided inside the closed statistical period %; a closed period is never changed, a correction is made now, in the open period',
      bad.id, bad.agency, bad.period
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER receipts_outside_closed_periods_insert AFTER INSERT ON receipts
  REFERENCING NEW TABLE AS new_receipts FOR EACH STATEMENT EXECUTE FUNCTION receipts_outside_closed_periods();
CREATE TRIGGER receipts_outside_closed_periods_update AFTER UPDATE ON receipts
  REFERENCING OLD TABLE AS old_receipts NEW TABLE AS new_receipts FOR EACH STATEMENT EXECUTE FUNCTION receipts_outside_closed_periods();

-- Payout lines: paid or deposited inside a closed period is refused the same way.
CREATE FUNCTION payout_lines_outside_closed_periods() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  bad record;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM report_closings WHERE decision = 'closed') THEN
    RETURN NULL;
  END IF;
  SELECT n.agency, n.line_id, n.state, c.year || '/' || c.months AS period INTO bad
    FROM new_lines n
    JOIN old_lines o ON o.agency = n.agency AND o.round_id = n.round_id AND o.line_no = n.line_no
    JOIN report_closings c ON c.agency = n.agency AND c.decision = 'closed'
   WHERE n.state IN ('paid', 'deposited') AND n.state IS DISTINCT FROM o.state
     AND n.state_at >= c.period_starts_at AND n.state_at < c.period_ends_at
   LIMIT 1;
  IF bad.line_id IS NOT NULL THEN
    RAISE EXCEPTION 'payout line % of agency % would be % inside the closed statistical period %; record it now, in the open period',
      bad.line_id, bad.agency, bad.state, bad.period
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER payout_lines_outside_closed_periods AFTER UPDATE ON payout_lines
  REFERENCING OLD TABLE AS old_lines NEW TABLE AS new_lines FOR EACH STATEMENT EXECUTE FUNCTION payout_lines_outside_closed_periods();
