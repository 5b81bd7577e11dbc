-- Paying out to creditors (docs/PAYOUT.md, "Storage"): claims per case,
-- rounds, their lines and bank batches, and an append-only audit log.
--
-- Keyed by agency first, like the receipts (docs/SCALING.md). The invariants
-- hold in the database too, so a script that bypasses the application is
-- refused as well:
--   * a round's lines add up to its amount paid and count (checked at commit);
--   * one line per claim and round paid for (a claim's catch-up lines name
--     earlier rounds);
--   * line states change only planned → approved → sent → paid, sent →
--     returned → sent again, approved (deposit lines) or returned → deposited;
--   * nothing of an approved round changes, and its lines' content never does;
--   * the planner never approves, and an approval names the planned header's
--     SHA-256;
--   * every change leaves an audit row.
--
-- Rounds of a million lines are loaded with COPY: the checks on lines are
-- statement-level triggers over transition tables, or WHEN conditions that
-- call a function only for a refused change, so a row costs no PL/pgSQL call.

CREATE TABLE payout_claims (
  agency          text        NOT NULL,
  case_decision   text        NOT NULL,
  claim_id        text        NOT NULL CHECK (claim_id ~ '^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$'),
  identity_number text        NOT NULL,
  name            text        NOT NULL CHECK (name <> ''),
  rank            text        NOT NULL CHECK (rank IN ('a', 'b', 'c')),
  owed            bigint      NOT NULL CHECK (owed > 0 AND owed < 1000000000000000),
  request_date    date,
  secured_asset   text,
  bank_bin        text        CHECK (bank_bin ~ '^[0-9]{6}$'),
  bank_account    text        CHECK (bank_account ~ '^[0-9A-Z]{1,19}$'),
  imported_by     text        NOT NULL,
  imported_at     timestamptz NOT NULL,
  PRIMARY KEY (agency, case_decision, claim_id),
  -- The same person owed twice in one rank of a case is one claim (docs/PAYOUT.md).
  CONSTRAINT payout_claims_person_rank UNIQUE (agency, case_decision, identity_number, rank),
  CONSTRAINT payout_claims_account_whole CHECK ((bank_bin IS NULL) = (bank_account IS NULL))
);

CREATE TABLE payout_rounds (
  agency          text        NOT NULL,
  id              uuid        NOT NULL,
  case_decision   text        NOT NULL,
  round           integer     NOT NULL CHECK (round BETWEEN 1 AND 999),
  status          text        NOT NULL CHECK (status IN ('planned', 'approved')),
  rules           text        NOT NULL,
  -- The round's terms as entered (RoundTerms JSON) and the planned header, exactly its canonical bytes.
  terms           jsonb       NOT NULL,
  planned_header  text        NOT NULL,
  plan_sha256     text        NOT NULL CHECK (plan_sha256 ~ '^[0-9a-f]{64}$'),
  lines_sha256    text        NOT NULL CHECK (lines_sha256 ~ '^[0-9a-f]{64}$'),
  line_count      integer     NOT NULL CHECK (line_count >= 0),
  -- What the lines pay out, their fees, and what reaches creditors.
  paid            bigint      NOT NULL CHECK (paid >= 0),
  fee             bigint      NOT NULL CHECK (fee >= 0 AND fee <= paid),
  planner         text        NOT NULL,
  planned_at      timestamptz NOT NULL,
  approver        text,
  approved_at     timestamptz,
  approved_sha256 text,
  approved_header text,
  seal_algorithm  text,
  seal_key_id     text,
  seal_signature  text,
  -- Kept by the line triggers (never by hand): what the stored lines add up to.
  lines_stored    integer     NOT NULL DEFAULT 0,
  lines_amount    bigint      NOT NULL DEFAULT 0,
  PRIMARY KEY (agency, id),
  CONSTRAINT payout_rounds_case_round UNIQUE (agency, case_decision, round),
  CONSTRAINT payout_rounds_maker_checker CHECK (approver IS NULL OR approver <> planner),
  CONSTRAINT payout_rounds_approval_names_plan CHECK (approved_sha256 IS NULL OR approved_sha256 = plan_sha256),
  CONSTRAINT payout_rounds_approved_details CHECK (
    CASE WHEN status = 'planned'
      THEN num_nonnulls(approver, approved_at, approved_sha256, approved_header, seal_algorithm, seal_key_id, seal_signature) = 0
      ELSE num_nulls(approver, approved_at, approved_sha256, approved_header, seal_algorithm, seal_key_id, seal_signature) = 0
    END)
);

CREATE TABLE payout_lines (
  agency        text        NOT NULL,
  round_id      uuid        NOT NULL,
  -- 1-based position in the plan; line_id is the plan id's first 12 hex digits, "-" and this in 7 digits.
  line_no       integer     NOT NULL CHECK (line_no >= 1),
  line_id       text        NOT NULL CHECK (line_id ~ '^[0-9a-f]{12}-[0-9]{7}$'),
  claim_id      text        NOT NULL,
  rank          text        NOT NULL CHECK (rank IN ('a', 'b', 'c')),
  kind          text        NOT NULL CHECK (kind IN ('round', 'catch_up')),
  for_round     integer     NOT NULL CHECK (for_round BETWEEN 1 AND 999),
  grp           text        NOT NULL,
  ratio         text        NOT NULL CHECK (ratio ~ '^[0-9]+/[1-9][0-9]*$'),
  base          bigint      NOT NULL CHECK (base >= 0),
  amount        bigint      NOT NULL CHECK (amount >= 0 AND amount <= base),
  fee           bigint      NOT NULL CHECK (fee >= 0 AND fee <= amount),
  settlement    text        NOT NULL CHECK (settlement IN ('none', 'bank', 'deposit_no_account', 'deposit_not_requested')),
  -- The creditor's payout notice (giấy báo nhận tiền) is looked up by this code; on the claim's own line.
  lookup_code   text        CHECK (lookup_code ~ '^[0-9A-HJKMNP-TV-Z]{12}$'),
  state         text        NOT NULL DEFAULT 'planned'
                            CHECK (state IN ('planned', 'approved', 'sent', 'paid', 'returned', 'deposited')),
  sends         integer     NOT NULL DEFAULT 0 CHECK (sends >= 0),
  -- The bank batch the line was last sent in, and the bank's or the deposit's reference.
  batch         integer,
  reference     text,
  state_by      text,
  state_at      timestamptz,
  PRIMARY KEY (agency, round_id, line_no),
  CONSTRAINT payout_lines_line_id UNIQUE (agency, line_id),
  CONSTRAINT payout_lines_one_per_claim_and_round UNIQUE (agency, round_id, claim_id, for_round),
  CONSTRAINT payout_lines_lookup_code UNIQUE (lookup_code, agency),
  CONSTRAINT payout_lines_lookup_on_own_line CHECK ((lookup_code IS NULL) = (kind = 'catch_up')),
  CONSTRAINT payout_lines_sent_in_batch CHECK ((sends = 0) = (batch IS NULL)),
  CONSTRAINT payout_lines_settlement_state CHECK (
    state IN ('planned', 'approved')
    OR (settlement = 'bank' AND state IN ('sent', 'paid', 'returned', 'deposited'))
    OR (settlement LIKE 'deposit%' AND state = 'deposited'))
-- Room on each page for the state changes of its lines (approved, sent, paid): they are then HOT updates,
-- which touch none of the indexes.
) WITH (fillfactor = 40);

-- Each pain.001 file (or spreadsheet batch) sent for a round: enough to write the same file again.
CREATE TABLE payout_batches (
  agency      text        NOT NULL,
  round_id    uuid        NOT NULL,
  batch       integer     NOT NULL CHECK (batch >= 1),
  message_id  text        NOT NULL,
  created_at  timestamptz NOT NULL,
  line_count  integer     NOT NULL CHECK (line_count >= 1),
  amount      bigint      NOT NULL CHECK (amount >= 1),
  debtor      jsonb       NOT NULL,
  created_by  text        NOT NULL,
  PRIMARY KEY (agency, round_id, batch),
  CONSTRAINT payout_batches_message_id UNIQUE (agency, message_id),
  FOREIGN KEY (agency, round_id) REFERENCES payout_rounds (agency, id)
);

-- Who did what, when, to which round or line. Written by the triggers below.
CREATE TABLE payout_audit (
  agency      text        NOT NULL,
  seq         bigint      GENERATED ALWAYS AS IDENTITY,
  case_decision text,
  round_id    uuid,
  line_id     text,
  action      text        NOT NULL,
  actor       text        NOT NULL,
  at          timestamptz NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  detail      jsonb       NOT NULL DEFAULT '{}',
  PRIMARY KEY (agency, seq)
);
CREATE INDEX payout_audit_round ON payout_audit (agency, round_id);
CREATE TRIGGER payout_audit_append_only BEFORE UPDATE OR DELETE ON payout_audit
  FOR EACH ROW EXECUTE FUNCTION forbid_change();
CREATE TRIGGER payout_audit_no_truncate BEFORE TRUNCATE ON payout_audit
  FOR EACH STATEMENT EXECUTE FUNCTION forbid_change();
CREATE TRIGGER payout_lines_no_truncate BEFORE TRUNCATE ON payout_lines
  FOR EACH STATEMENT EXECUTE FUNCTION forbid_change();
CREATE TRIGGER payout_rounds_no_truncate BEFORE TRUNCATE ON payout_rounds
  FOR EACH STATEMENT EXECUTE FUNCTION forbid_change();
CREATE TRIGGER payout_claims_no_truncate BEFORE TRUNCATE ON payout_claims
  FOR EACH STATEMENT EXECUTE FUNCTION forbid_change();

-- The actor of a change: set by the store for its transaction (bienlai.actor), else the database user.
CREATE FUNCTION payout_actor() RETURNS text
LANGUAGE sql STABLE AS $$ SELECT coalesce(nullif(current_setting('bienlai.actor', true), ''), 'db:' || current_user) $$;

-- ---------------------------------------------------------------------------
-- Claims: free to replace until the case has a round; fixed after that,
-- because planned and approved lines name the creditor and the account.

CREATE FUNCTION payout_claims_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM payout_rounds r WHERE r.agency = OLD.agency AND r.case_decision = OLD.case_decision) THEN
    RAISE EXCEPTION 'claim % of case % (agency %) cannot be changed or deleted: the case already has a payout round', OLD.claim_id, OLD.case_decision, OLD.agency
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$;
CREATE TRIGGER payout_claims_guard BEFORE UPDATE OR DELETE ON payout_claims
  FOR EACH ROW EXECUTE FUNCTION payout_claims_guard();

CREATE FUNCTION payout_claims_audit() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO payout_audit (agency, case_decision, action, actor, at, detail)
  SELECT n.agency, n.case_decision, 'claims_imported', payout_actor(), max(n.imported_at), jsonb_build_object('claims', count(*), 'owed', sum(n.owed)::text)
    FROM new_claims n GROUP BY n.agency, n.case_decision;
  RETURN NULL;
END $$;
CREATE TRIGGER payout_claims_audit AFTER INSERT ON payout_claims
  REFERENCING NEW TABLE AS new_claims FOR EACH STATEMENT EXECUTE FUNCTION payout_claims_audit();

-- ---------------------------------------------------------------------------
-- Rounds: planned → approved once; nothing of an approved round changes.

CREATE FUNCTION payout_rounds_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF OLD.status = 'approved' OR EXISTS (SELECT 1 FROM payout_lines l WHERE l.agency = OLD.agency AND l.round_id = OLD.id) THEN
      RAISE EXCEPTION 'payout round % of case % (agency %) is % and has lines; it can never be deleted', OLD.round, OLD.case_decision, OLD.agency, OLD.status
        USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN OLD;
  END IF;
  -- The line triggers keep the stored totals (at a trigger depth above 1); nobody else may.
  IF (NEW.lines_stored, NEW.lines_amount) IS DISTINCT FROM (OLD.lines_stored, OLD.lines_amount) AND pg_trigger_depth() < 2 THEN
    RAISE EXCEPTION 'the stored line totals of payout round % are kept by the database, not written', OLD.id
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  IF OLD.status = 'approved' THEN
    RAISE EXCEPTION 'payout round % of case % (agency %) is approved and never changes; a correction is a new round', OLD.round, OLD.case_decision, OLD.agency
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  IF (to_jsonb(NEW) - ARRAY['status', 'approver', 'approved_at', 'approved_sha256', 'approved_header', 'seal_algorithm', 'seal_key_id', 'seal_signature', 'lines_stored', 'lines_amount'])
     IS DISTINCT FROM
     (to_jsonb(OLD) - ARRAY['status', 'approver', 'approved_at', 'approved_sha256', 'approved_header', 'seal_algorithm', 'seal_key_id', 'seal_signature', 'lines_stored', 'lines_amount']) THEN
    RAISE EXCEPTION 'the plan of payout round % changed; a plan is made once (plan a new round instead)', OLD.id
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER payout_rounds_guard BEFORE UPDATE OR DELETE ON payout_rounds
  FOR EACH ROW EXECUTE FUNCTION payout_rounds_guard();

-- At commit: the stored lines are exactly the planned count and add up to the amount paid.
CREATE FUNCTION payout_rounds_balanced() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  r record;
BEGIN
  SELECT * INTO r FROM payout_rounds WHERE agency = NEW.agency AND id = NEW.id;
  IF FOUND AND (r.lines_stored <> r.line_count OR r.lines_amount <> r.paid) THEN
    RAISE EXCEPTION 'payout round % of case % (agency %) does not balance: % lines adding up to % đồng are stored, the plan has % lines paying % đồng',
      r.round, r.case_decision, r.agency, r.lines_stored, r.lines_amount, r.line_count, r.paid
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NULL;
END $$;
CREATE CONSTRAINT TRIGGER payout_rounds_balanced AFTER INSERT OR UPDATE ON payout_rounds
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION payout_rounds_balanced();

CREATE FUNCTION payout_rounds_audit() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO payout_audit (agency, case_decision, round_id, action, actor, at, detail)
    VALUES (NEW.agency, NEW.case_decision, NEW.id, 'planned', NEW.planner, NEW.planned_at,
            jsonb_build_object('round', NEW.round, 'planSha256', NEW.plan_sha256, 'lines', NEW.line_count, 'paid', NEW.paid::text));
  ELSIF OLD.status = 'planned' AND NEW.status = 'approved' THEN
    INSERT INTO payout_audit (agency, case_decision, round_id, action, actor, at, detail)
    VALUES (NEW.agency, NEW.case_decision, NEW.id, 'approved', NEW.approver, NEW.approved_at,
            jsonb_build_object('round', NEW.round, 'planSha256', NEW.approved_sha256, 'sealKeyId', NEW.seal_key_id));
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER payout_rounds_audit AFTER INSERT OR UPDATE ON payout_rounds
  FOR EACH ROW EXECUTE FUNCTION payout_rounds_audit();

-- ---------------------------------------------------------------------------
-- Lines

CREATE FUNCTION payout_line_refused() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'payout line % cannot be deleted', OLD.line_id USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  IF (to_jsonb(NEW) - ARRAY['state', 'sends', 'batch', 'reference', 'state_by', 'state_at'])
     IS DISTINCT FROM (to_jsonb(OLD) - ARRAY['state', 'sends', 'batch', 'reference', 'state_by', 'state_at']) THEN
    RAISE EXCEPTION 'payout line % cannot change: its amount, creditor and settlement are fixed by the plan', OLD.line_id
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RAISE EXCEPTION 'payout line % cannot go from % to % (allowed: planned → approved → sent → paid, sent → returned → sent again or deposited, approved deposit line → deposited)',
    OLD.line_id, OLD.state, NEW.state USING ERRCODE = 'integrity_constraint_violation';
END $$;

-- The allowed changes, as a WHEN condition (evaluated without a function call per row).
CREATE TRIGGER payout_lines_guard BEFORE UPDATE ON payout_lines
  FOR EACH ROW WHEN (NOT (
    (OLD.agency, OLD.round_id, OLD.line_no, OLD.line_id, OLD.claim_id, OLD.rank, OLD.kind, OLD.for_round, OLD.grp, OLD.ratio, OLD.base, OLD.amount, OLD.fee, OLD.settlement, OLD.lookup_code)
      IS NOT DISTINCT FROM
    (NEW.agency, NEW.round_id, NEW.line_no, NEW.line_id, NEW.claim_id, NEW.rank, NEW.kind, NEW.for_round, NEW.grp, NEW.ratio, NEW.base, NEW.amount, NEW.fee, NEW.settlement, NEW.lookup_code)
    AND (
      (OLD.state = NEW.state AND OLD.sends = NEW.sends AND OLD.batch IS NOT DISTINCT FROM NEW.batch)
      OR (OLD.state = 'planned' AND NEW.state = 'approved' AND NEW.sends = 0)
      OR (OLD.state IN ('approved', 'returned') AND NEW.state = 'sent' AND NEW.settlement = 'bank' AND NEW.sends = OLD.sends + 1 AND NEW.batch IS NOT NULL)
      OR (OLD.state = 'sent' AND NEW.state IN ('paid', 'returned') AND NEW.sends = OLD.sends AND NEW.batch IS NOT DISTINCT FROM OLD.batch)
      OR (OLD.state = 'approved' AND NEW.state = 'deposited' AND OLD.settlement LIKE 'deposit%' AND NEW.sends = OLD.sends)
      OR (OLD.state = 'returned' AND NEW.state = 'deposited' AND NEW.sends = OLD.sends AND NEW.batch IS NOT DISTINCT FROM OLD.batch)
    )))
  EXECUTE FUNCTION payout_line_refused();
CREATE TRIGGER payout_lines_no_delete BEFORE DELETE ON payout_lines
  FOR EACH ROW EXECUTE FUNCTION payout_line_refused();

-- New lines: into a planned round of the same agency only, in state planned; the round's stored totals follow.
CREATE FUNCTION payout_lines_inserted() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  bad record;
BEGIN
  SELECT n.line_id, n.state, r.status INTO bad
    FROM new_lines n LEFT JOIN payout_rounds r ON r.agency = n.agency AND r.id = n.round_id
   WHERE r.id IS NULL OR r.status <> 'planned' OR n.state <> 'planned' OR n.sends <> 0
   LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'payout line % cannot be added: %', bad.line_id,
      CASE WHEN bad.status IS NULL THEN 'its round does not exist in its agency'
           WHEN bad.status <> 'planned' THEN 'its round is approved and never changes'
           ELSE 'a new line starts planned, never sent' END
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  UPDATE payout_rounds r SET lines_stored = r.lines_stored + d.n, lines_amount = r.lines_amount + d.amount
    FROM (SELECT agency, round_id, count(*)::integer AS n, sum(amount)::bigint AS amount FROM new_lines GROUP BY agency, round_id) d
   WHERE r.agency = d.agency AND r.id = d.round_id;
  RETURN NULL;
END $$;
CREATE TRIGGER payout_lines_inserted AFTER INSERT ON payout_lines
  REFERENCING NEW TABLE AS new_lines FOR EACH STATEMENT EXECUTE FUNCTION payout_lines_inserted();

-- Each state change of a line is an audit row, except the two that happen to a whole round or batch at once:
-- planned → approved (the round's approval row covers its lines) and → sent (the batch's row covers them; a
-- line's earlier batches stay on record in its 'returned' rows, which name the batch it came back from).
CREATE FUNCTION payout_lines_audit() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO payout_audit (agency, round_id, line_id, action, actor, at, detail)
  SELECT n.agency, n.round_id, n.line_id, n.state, coalesce(n.state_by, payout_actor()), coalesce(n.state_at, now()),
         jsonb_strip_nulls(jsonb_build_object('from', o.state, 'batch', n.batch, 'reference', n.reference))
    FROM new_lines n JOIN old_lines o ON o.agency = n.agency AND o.round_id = n.round_id AND o.line_no = n.line_no
   WHERE o.state <> n.state AND NOT (o.state = 'planned' AND n.state = 'approved') AND n.state <> 'sent';
  RETURN NULL;
END $$;
CREATE TRIGGER payout_lines_audit AFTER UPDATE ON payout_lines
  REFERENCING OLD TABLE AS old_lines NEW TABLE AS new_lines FOR EACH STATEMENT EXECUTE FUNCTION payout_lines_audit();

CREATE TRIGGER payout_batches_append_only BEFORE UPDATE OR DELETE ON payout_batches
  FOR EACH ROW EXECUTE FUNCTION forbid_change();

CREATE FUNCTION payout_batches_audit() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO payout_audit (agency, round_id, action, actor, at, detail)
  VALUES (NEW.agency, NEW.round_id, 'sent', NEW.created_by, NEW.created_at,
          jsonb_build_object('batch', NEW.batch, 'messageId', NEW.message_id, 'lines', NEW.line_count, 'amount', NEW.amount::text));
  RETURN NULL;
END $$;
CREATE TRIGGER payout_batches_audit AFTER INSERT ON payout_batches
  FOR EACH ROW EXECUTE FUNCTION payout_batches_audit();
