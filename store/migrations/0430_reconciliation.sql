-- Reconciliation (issue 16, docs/RECONCILIATION.md): the agencies' bank
-- accounts, imported statements and their entries, what the matcher made of
-- them (matches with their evidence, the officer queue, flags, draft-receipt
-- proposals), payment requests, closed days and dated adjustments.
--
-- Every table is keyed by agency first, as receipts are. The invariants live
-- here too: an entry is imported once (keyed by the bank's own reference), a
-- credit is never allocated beyond its amount nor a receipt beyond what it
-- asks for, and a closed day never changes.

-- An account belongs to exactly one agency.
CREATE TABLE bank_accounts (
  agency   text NOT NULL,
  account  text NOT NULL CHECK (account ~ '^[A-Za-z0-9]{1,34}$'),
  bank_bin text CHECK (bank_bin ~ '^[0-9]{6}$'),
  name     text,
  PRIMARY KEY (agency, account),
  CONSTRAINT bank_accounts_one_agency UNIQUE (account)
);

CREATE TABLE bank_statements (
  agency       text        NOT NULL,
  account      text        NOT NULL,
  statement_id text        NOT NULL,
  format       text        NOT NULL,
  opening      bigint,
  opening_date date,
  closing      bigint,
  closing_date date,
  -- What the file had and what was new to the database.
  entries      integer     NOT NULL,
  new_entries  integer     NOT NULL,
  source       text,
  imported_at  timestamptz NOT NULL,
  PRIMARY KEY (agency, account, statement_id),
  FOREIGN KEY (agency, account) REFERENCES bank_accounts (agency, account)
);

-- Booked movements only; pending and information-only ones never move a balance.
CREATE TABLE bank_entries (
  agency               text    NOT NULL,
  account              text    NOT NULL,
  bank_reference       text    NOT NULL,
  booking_date         date    NOT NULL,
  value_date           date,
  amount               bigint  NOT NULL CHECK (amount > 0),
  direction            text    NOT NULL CHECK (direction IN ('credit', 'debit')),
  reversal             boolean NOT NULL,
  end_to_end_id        text,
  counterparty_name    text,
  counterparty_account text,
  memo                 text    NOT NULL,
  transaction_code     text,
  -- The statement that first carried it.
  statement_id         text    NOT NULL,
  -- What the memo says (domain/reconciliation/memo.ts), read once at import.
  memo_refs            text[]  NOT NULL,
  memo_bank_refs       text[]  NOT NULL,
  memo_decisions       text[]  NOT NULL,
  memo_name            text,
  PRIMARY KEY (agency, account, bank_reference),
  FOREIGN KEY (agency, account) REFERENCES bank_accounts (agency, account)
);
CREATE INDEX bank_entries_day ON bank_entries (agency, account, booking_date);

-- What a credit can pay: issued receipts, drafts and payment requests, as the
-- matcher sees them (refreshed from receipts before each run).
CREATE TABLE recon_targets (
  agency            text   NOT NULL,
  kind              text   NOT NULL CHECK (kind IN ('receipt', 'request')),
  id                text   NOT NULL,
  -- A receipt's state (draft, submitted, issued); voided and replaced receipts are not matched.
  receipt_status    text,
  amount            bigint NOT NULL CHECK (amount > 0),
  paid              bigint NOT NULL DEFAULT 0,
  payment_reference text   NOT NULL,
  bank_reference    text,
  decision_number   text,
  payer_name        text   NOT NULL,
  method            text,
  issued_on         date,
  PRIMARY KEY (agency, kind, id),
  CONSTRAINT recon_targets_not_overpaid CHECK (paid BETWEEN 0 AND amount)
) WITH (fillfactor = 70); -- room on each page, so a run's updates of paid stay HOT (no index writes)
CREATE INDEX recon_targets_reference ON recon_targets (agency, payment_reference);
CREATE INDEX recon_targets_bank_reference ON recon_targets (agency, bank_reference) WHERE bank_reference IS NOT NULL;
CREATE INDEX recon_targets_decision ON recon_targets (agency, decision_number) WHERE decision_number IS NOT NULL;

CREATE TABLE payment_requests (
  agency          text        NOT NULL,
  reference       text        NOT NULL CHECK (reference ~ '^BL[0-9A-HJKMNP-TV-Z]{11}$'),
  account         text        NOT NULL,
  bank_bin        text        NOT NULL,
  amount          bigint      NOT NULL CHECK (amount > 0),
  payer_name      text        NOT NULL,
  decision_number text,
  vietqr          text        NOT NULL,
  created_by      text        NOT NULL,
  created_at      timestamptz NOT NULL,
  PRIMARY KEY (agency, reference),
  CONSTRAINT payment_requests_reference_unique UNIQUE (reference),
  FOREIGN KEY (agency, account) REFERENCES bank_accounts (agency, account)
);

-- One row per (credit, target) allocation, with why it was made.
CREATE TABLE recon_matches (
  agency         text         NOT NULL,
  seq            bigint       GENERATED ALWAYS AS IDENTITY,
  account        text         NOT NULL,
  bank_reference text         NOT NULL,
  target_kind    text         NOT NULL,
  target_id      text         NOT NULL,
  amount         bigint       NOT NULL CHECK (amount > 0),
  rule           text         NOT NULL CHECK (rule IN ('payment_reference', 'bank_reference', 'decision_amount_name', 'officer')),
  confidence     numeric(3,2) NOT NULL CHECK (confidence BETWEEN 0 AND 1),
  evidence       jsonb        NOT NULL,
  matched_by     text         NOT NULL,
  matched_at     timestamptz  NOT NULL,
  PRIMARY KEY (agency, seq),
  FOREIGN KEY (agency, account, bank_reference) REFERENCES bank_entries (agency, account, bank_reference),
  FOREIGN KEY (agency, target_kind, target_id) REFERENCES recon_targets (agency, kind, id)
);
CREATE INDEX recon_matches_credit ON recon_matches (agency, account, bank_reference);
CREATE INDEX recon_matches_target ON recon_matches (agency, target_kind, target_id);

-- Open questions for an officer: each credit at most once, with its candidates.
CREATE TABLE recon_queue (
  agency         text        NOT NULL,
  account        text        NOT NULL,
  bank_reference text        NOT NULL,
  reason         text        NOT NULL,
  candidates     text[]      NOT NULL,
  message        text        NOT NULL,
  queued_at      timestamptz NOT NULL,
  PRIMARY KEY (agency, account, bank_reference),
  FOREIGN KEY (agency, account, bank_reference) REFERENCES bank_entries (agency, account, bank_reference)
);

CREATE TABLE recon_flags (
  agency        text        NOT NULL,
  kind          text        NOT NULL CHECK (kind IN ('amount_differs', 'no_credit')),
  -- The credit key(s) or the receipt id the flag is about.
  subject       text        NOT NULL,
  credit_amount bigint,
  target_amount bigint,
  message       text        NOT NULL,
  raised_at     timestamptz NOT NULL,
  PRIMARY KEY (agency, kind, subject)
);

-- An unmatched credit's prefilled draft receipt, waiting for an officer.
CREATE TABLE recon_proposals (
  agency         text        NOT NULL,
  account        text        NOT NULL,
  bank_reference text        NOT NULL,
  proposal       jsonb       NOT NULL,
  proposed_at    timestamptz NOT NULL,
  PRIMARY KEY (agency, account, bank_reference),
  FOREIGN KEY (agency, account, bank_reference) REFERENCES bank_entries (agency, account, bank_reference)
);

CREATE TABLE recon_closed_days (
  agency    text        NOT NULL,
  account   text        NOT NULL,
  day       date        NOT NULL,
  closed_by text        NOT NULL,
  closed_at timestamptz NOT NULL,
  report    jsonb       NOT NULL,
  PRIMARY KEY (agency, account, day),
  FOREIGN KEY (agency, account) REFERENCES bank_accounts (agency, account)
);

-- Corrections of a closed day: booked on an open, later day, four eyes.
CREATE TABLE recon_adjustments (
  agency       text        NOT NULL,
  seq          bigint      GENERATED ALWAYS AS IDENTITY,
  account      text        NOT NULL,
  corrects_day date        NOT NULL,
  booked_on    date        NOT NULL,
  amount       bigint      NOT NULL CHECK (amount <> 0),
  reason       text        NOT NULL,
  by           text        NOT NULL,
  approved_by  text        NOT NULL,
  at           timestamptz NOT NULL,
  PRIMARY KEY (agency, seq),
  CONSTRAINT recon_adjustments_four_eyes CHECK (by <> approved_by),
  CONSTRAINT recon_adjustments_later CHECK (corrects_day < booked_on)
);

-- ---------------------------------------------------------------------------
-- A closed day never changes

CREATE FUNCTION recon_day_is_closed(a text, acc text, d date) RETURNS boolean
LANGUAGE sql STABLE AS $$
  SELECT EXISTS (SELECT 1 FROM recon_closed_days WHERE agency = a AND account = acc AND day = d)
$$;

CREATE FUNCTION recon_refuse_closed_entry() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  r record;
BEGIN
  r := CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
  IF recon_day_is_closed(r.agency, r.account, r.booking_date)
     OR (TG_OP = 'UPDATE' AND recon_day_is_closed(OLD.agency, OLD.account, OLD.booking_date)) THEN
    RAISE EXCEPTION 'day % of account % (agency %) is closed: entry % cannot be %; book a dated adjustment instead',
      r.booking_date, r.account, r.agency, r.bank_reference, lower(TG_OP) || 'd'
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN r;
END $$;
CREATE TRIGGER bank_entries_closed_days BEFORE UPDATE OR DELETE ON bank_entries
  FOR EACH ROW EXECUTE FUNCTION recon_refuse_closed_entry();

-- New entries are checked once per statement (an import inserts a million at once).
CREATE FUNCTION recon_refuse_closed_new_entries() RETURNS trigger
LANGUAGE plpgsql SET enable_seqscan = off AS $$
DECLARE
  bad record;
BEGIN
  SELECT n.agency, n.account, n.booking_date, n.bank_reference INTO bad
    FROM new_rows n JOIN recon_closed_days c ON c.agency = n.agency AND c.account = n.account AND c.day = n.booking_date
   LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'day % of account % (agency %) is closed: entry % cannot be added; book a dated adjustment instead',
      bad.booking_date, bad.account, bad.agency, bad.bank_reference
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER bank_entries_closed_days_insert AFTER INSERT ON bank_entries
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION recon_refuse_closed_new_entries();

-- Matches, queue items and proposals of a closed day's credits are frozen with it.
CREATE FUNCTION recon_refuse_closed_credit() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  r record;
  d date;
BEGIN
  r := CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
  SELECT booking_date INTO d FROM bank_entries WHERE agency = r.agency AND account = r.account AND bank_reference = r.bank_reference;
  IF d IS NOT NULL AND recon_day_is_closed(r.agency, r.account, d) THEN
    RAISE EXCEPTION 'day % of account % (agency %) is closed: what was decided about credit % cannot change (%)',
      d, r.account, r.agency, r.bank_reference, TG_TABLE_NAME
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN r;
END $$;
CREATE TRIGGER recon_matches_closed_days BEFORE UPDATE OR DELETE ON recon_matches
  FOR EACH ROW EXECUTE FUNCTION recon_refuse_closed_credit();
CREATE TRIGGER recon_queue_closed_days BEFORE INSERT OR UPDATE OR DELETE ON recon_queue
  FOR EACH ROW EXECUTE FUNCTION recon_refuse_closed_credit();

CREATE FUNCTION recon_refuse_closed_adjustment() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    RAISE EXCEPTION 'recon_adjustments is append-only' USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  IF recon_day_is_closed(NEW.agency, NEW.account, NEW.booked_on) THEN
    RAISE EXCEPTION 'day % of account % is closed: book the adjustment on an open day', NEW.booked_on, NEW.account
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER recon_adjustments_open_day BEFORE INSERT OR UPDATE OR DELETE ON recon_adjustments
  FOR EACH ROW EXECUTE FUNCTION recon_refuse_closed_adjustment();

CREATE TRIGGER recon_closed_days_append_only BEFORE UPDATE OR DELETE ON recon_closed_days
  FOR EACH ROW EXECUTE FUNCTION forbid_change();

-- ---------------------------------------------------------------------------
-- A credit is never allocated beyond its amount, and no new match lands on a
-- closed day (checked per statement, so a million matches cost one check)

-- enable_seqscan off: inside the statement that inserts them, the planner
-- still believes recon_matches empty and would scan it once per credit (a
-- batch of 20,000 matches took minutes); the indexes make each check a lookup.
CREATE FUNCTION recon_matches_within_credit() RETURNS trigger
LANGUAGE plpgsql SET enable_seqscan = off AS $$
DECLARE
  bad record;
BEGIN
  -- Credit by credit through the indexes (OFFSET 0 keeps each lookup a lookup).
  SELECT n.agency, n.account, n.bank_reference, a.allocated, e.amount, e.direction INTO bad
    FROM (SELECT DISTINCT agency, account, bank_reference FROM new_rows) n
   CROSS JOIN LATERAL (SELECT x.amount, x.direction FROM bank_entries x
                        WHERE x.agency = n.agency AND x.account = n.account AND x.bank_reference = n.bank_reference OFFSET 0) e
   CROSS JOIN LATERAL (SELECT sum(m.amount) AS allocated FROM recon_matches m
                        WHERE m.agency = n.agency AND m.account = n.account AND m.bank_reference = n.bank_reference) a
   WHERE a.allocated > e.amount OR e.direction <> 'credit'
   LIMIT 1;
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
CREATE TRIGGER recon_matches_within_credit AFTER INSERT ON recon_matches
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION recon_matches_within_credit();
